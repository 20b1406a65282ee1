import equinox as eqx
import jax.numpy as jnp
import numpy as np
import pytest

from jaxdyn.spectral import FourierGrid
from tests.helpers import max_abs


def test_coordinates_follow_x_j_equals_j_L_over_n():
    grid = FourierGrid((8, 4), (2.0, 3.0))
    x, y = grid.coordinates(jnp.float32)
    np.testing.assert_allclose(x, np.arange(8) * 2.0 / 8)
    np.testing.assert_allclose(y, np.arange(4) * 3.0 / 4)
    X, Y = grid.mesh()
    assert X.shape == Y.shape == (8, 4)
    assert grid.spectral_shape(real=True) == (8, 3) and grid.spectral_shape(real=False) == (8, 4)


@pytest.mark.usefixtures("unchecked")
@pytest.mark.parametrize("shape", [(32,), (16, 24), (8, 12, 16)])
def test_derivatives_of_trigonometric_fields_are_exact(x64, shape):
    length = tuple(2 * np.pi * (i + 1) for i in range(len(shape)))
    grid = FourierGrid(shape, length)
    mesh = grid.mesh()
    phase = sum(
        (i + 2) * 2 * np.pi * X / L for i, (X, L) in enumerate(zip(mesh, length, strict=True))
    )
    for axis in range(len(shape)):
        k = (axis + 2) * 2 * np.pi / length[axis]
        assert max_abs(grid.derivative(jnp.sin(phase), axis), k * jnp.cos(phase)) < 1e-12
        assert (
            max_abs(grid.derivative(jnp.sin(phase), axis, order=2), -(k**2) * jnp.sin(phase))
            < 1e-11
        )
        plane_wave = jnp.exp(1j * phase)
        assert max_abs(grid.derivative(plane_wave, axis), 1j * k * plane_wave) < 1e-12


def test_derivative_maps_over_leading_axes(x64):
    grid = FourierGrid(16)
    (x,) = grid.mesh()
    batch = jnp.stack([jnp.sin(x), jnp.sin(2 * x)])
    expected = jnp.stack([jnp.cos(x), 2 * jnp.cos(2 * x)])
    assert max_abs(grid.derivative(batch), expected) < 1e-13


def test_odd_derivative_drops_the_nyquist_mode(x64):
    grid = FourierGrid(8)
    (x,) = grid.mesh()
    nyquist = jnp.cos(4 * x)  # (-1)^j on the grid
    assert max_abs(grid.derivative(nyquist), 0.0) < 1e-14
    assert max_abs(grid.derivative(nyquist, order=2), -16 * nyquist) < 1e-12


def test_dealias_mask_keeps_modes_up_to_a_third():
    grid = FourierGrid((12, 12))
    mask = grid.dealias_mask(real=False)
    m = np.fft.fftfreq(12, 1 / 12)
    kept_1d = np.abs(m) <= 4
    np.testing.assert_array_equal(mask, kept_1d[:, None] & kept_1d[None, :])
    assert grid.dealias_mask(real=True).shape == (12, 7)


def test_exponential_filter_values():
    grid = FourierGrid(32)
    sigma = np.asarray(grid.exponential_filter(real=True))
    assert sigma[0] == 1.0
    np.testing.assert_allclose(sigma[-1], np.exp(-36.0), rtol=1e-5)
    assert np.all(np.diff(sigma) <= 0)


def test_integrate_is_the_trapezoidal_rule(x64):
    grid = FourierGrid((16, 8), (3.0, 5.0))
    x, y = grid.mesh()
    f = jnp.sin(2 * np.pi * x / 3.0) ** 2 * (1 + jnp.cos(2 * np.pi * y / 5.0))
    np.testing.assert_allclose(grid.integrate(f), 0.5 * 3.0 * 5.0, rtol=1e-13)


@pytest.mark.parametrize(
    "n, length, match",
    [
        (2, 1.0, "point counts >= 4"),
        ((8, 8, 8, 8), 1.0, "1, 2 or 3 axes"),
        ((8, 8), (1.0, 2.0, 3.0), "2 lengths"),
        (8, -1.0, "positive lengths"),
        (8.5, 1.0, "integer point counts"),
    ],
)
@pytest.mark.usefixtures("unchecked")
def test_bad_grids_are_rejected(n, length, match):
    with pytest.raises(ValueError, match=match):
        FourierGrid(n, length)


def test_shape_check_names_the_expected_shape():
    grid = FourierGrid((8, 6))
    with pytest.raises(ValueError, match=r"\(\.\.\., 8, 6\)"):
        grid.fft(jnp.zeros((6, 8)), real=True)


def test_the_grid_is_static_so_equal_grids_share_one_compilation():
    @eqx.filter_jit
    @eqx.debug.assert_max_traces(max_traces=1)
    def total(grid, u):
        return grid.integrate(u)

    u = jnp.ones((16,))
    total(FourierGrid(16, 2.0), u)
    total(FourierGrid(16, 2.0), 2 * u)  # a second trace would raise
