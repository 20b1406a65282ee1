"""NVAR (Gauthier et al. 2021): exact on a linear-plus-quadratic map, the paper's Lorenz
setting forecasts for Lyapunov times in float64 and float32, and its inputs are checked."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import jaxdyn as jd
from jaxdyn.metrics import valid_prediction_time
from jaxdyn.nn import NVAR


def _lorenz(n):
    """Lorenz every Δt = 0.025 from a float64 run, in the current default precision."""
    with jax.enable_x64(True):
        ys = jd.systems.trajectory(jd.systems.Lorenz(), n * 0.025, n_points=n, rtol=1e-10).ys
        ys = np.asarray(ys)
    return jnp.asarray(ys, jnp.result_type(float))


def test_recovers_the_henon_map_exactly(x64):
    # x_{t+1} − x_t = 1 − 1.4 x_t² + 0.3 x_{t−1} − x_t lies in NVAR's feature span (k = 2):
    # the ridge-free fit reproduces the chaotic series until rounding grows (λ ≈ 0.42).
    x = [0.1, 0.2]
    for _ in range(300):
        x.append(1 - 1.4 * x[-1] ** 2 + 0.3 * x[-2])
    series = jnp.asarray(x)[:, None]
    model = NVAR(1, delays=2, ridge=0.0).fit(series[:250])
    predicted = model.forecast(series[:250], 20)
    np.testing.assert_allclose(predicted, series[250:270], atol=1e-8)


def test_the_linear_autoregression_recovers_a_linear_recurrence_exactly(x64):
    # x_{t+1} = 1.8 x_t − 0.9 x_{t−1} + 0.1 (a damped oscillation about 1) is in the span of the
    # linear features [1, x_t, x_{t−1}]: the fit and its forecast are exact; the quadratic
    # terms are gone from the readout.
    x = [0.0, 0.5]
    for _ in range(120):
        x.append(1.8 * x[-1] - 0.9 * x[-2] + 0.1)
    series = jnp.asarray(x)[:, None]
    model = NVAR(1, delays=2, ridge=0.0, quadratic=False).fit(series[:100])
    assert model.readout.shape == (1, 3)
    np.testing.assert_allclose(model.forecast(series[:100], 20), series[100:120], atol=1e-10)


@pytest.mark.parametrize("x64_mode", [True, False], ids=["float64", "float32"])
def test_lorenz_forecast_lasts_lyapunov_times(x64_mode):
    # The paper's setting: Δt = 0.025, k = 2, s = 1, λ = 2.5e-6, 400 training points (10
    # time units). Measured: 5.25 Lyapunov times in both precisions.
    with jax.enable_x64(x64_mode):
        ys = _lorenz(1000)
        model = NVAR(3).fit(ys[:400])
        predicted = model.forecast(ys[:400], 600)
        assert predicted.dtype == ys.dtype
        vpt = valid_prediction_time(
            ys[400:], predicted, dt=0.025, lyapunov_exponent=0.9056, scale=jnp.std(ys[:400], 0)
        )
        assert float(vpt.lyapunov_times) > 4.0


@pytest.mark.usefixtures("unchecked")
def test_inputs_are_checked():
    with pytest.raises(ValueError, match="delays"):
        NVAR(3, delays=0)
    with pytest.raises(ValueError, match="skip"):
        NVAR(3, skip=-1)
    with pytest.raises(ValueError, match="ridge"):
        NVAR(3, ridge=-1.0)
    with pytest.raises(ValueError, match="quadratic True or False"):
        NVAR(3, quadratic="no")
    model = NVAR(2)
    with pytest.raises(ValueError, match="not fitted"):
        model.forecast(jnp.ones((5, 2)), 3)
    with pytest.raises(ValueError, match=r"shape \(time >= 3, 2\)"):
        model.fit(jnp.ones((2, 2)))
    with pytest.raises(ValueError, match=r"shape \(time >= 2, 2\)"):
        model.fit(jnp.ones((10, 2))).forecast(jnp.ones((5, 3)), 3)
    fitted = model.fit(jnp.stack([jnp.sin(jnp.arange(30.0)), jnp.cos(jnp.arange(30.0))], 1))
    with pytest.raises(ValueError, match="n_steps"):
        fitted.forecast(jnp.ones((5, 2)), 0)
    with pytest.raises(Exception, match="non-finite"):
        model.fit(jnp.full((10, 2), jnp.nan))
