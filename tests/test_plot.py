import matplotlib

matplotlib.use("Agg")
import jax.numpy as jnp  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import jaxdyn.spectral as sp  # noqa: E402
from jaxdyn import plot  # noqa: E402


def test_plots_draw_their_data():
    grid1, grid2 = sp.FourierGrid(32, 10.0), sp.FourierGrid((16, 8))
    ts = np.linspace(0, 1, 5)
    ax = plot.space_time(ts, np.ones((5, 32)) * 1j, grid1, part="abs")
    assert ax.images[0].get_array().shape == (5, 32)
    ax = plot.field(jnp.arange(128.0).reshape(16, 8), grid2)
    assert ax.images[0].get_array().shape == (8, 16)  # y up, x right
    ax = plot.spectrum(np.arange(10), np.exp(-np.arange(10.0)), slopes={"k⁻³": -3})
    assert len(ax.lines) == 2
    ax = plot.conservation(ts, {"mass": 1 + 1e-12 * ts})
    assert ax.get_yscale() == "log"
    ax = plot.attractor(np.random.default_rng(0).normal(size=(50, 3)))
    assert ax.lines[0].get_xydata().shape == (50, 2)
    plt.close("all")


def test_plots_reject_grids_of_the_wrong_dimension():
    with pytest.raises(ValueError, match="1D grid"):
        plot.space_time([0.0], np.zeros((1, 4, 4)), sp.FourierGrid((4, 4)))
    with pytest.raises(ValueError, match="2D grid"):
        plot.field(np.zeros(4), sp.FourierGrid(4))
    with pytest.raises(ValueError, match="attractor"):
        plot.attractor(np.zeros((5, 2)))
    with pytest.raises(ValueError, match="part in"):
        plot.space_time([0.0], np.zeros((1, 4)), sp.FourierGrid(4), part="phase")
