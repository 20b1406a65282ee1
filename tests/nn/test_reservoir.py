"""The echo-state network forecasts Lorenz for several Lyapunov times."""

import warnings

import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np
import pytest

import jaxdyn as jd
from jaxdyn.metrics import valid_prediction_time
from jaxdyn.nn import EchoStateNetwork

DT, LYAPUNOV = 0.02, 0.9056  # Lorenz's largest exponent (Sprott 2003)


def test_lorenz_forecast_stays_valid_for_lyapunov_times(x64):
    n_train, n_test = 3000, 5
    total = n_train + 600 * (n_test + 1)
    ys = jd.systems.trajectory(jd.systems.Lorenz(), total * DT, n_points=total, rtol=1e-10).ys
    esn = eqx.filter_jit(EchoStateNetwork(3, 200, jax.random.PRNGKey(0)).fit)(ys[:n_train])
    forecast = eqx.filter_jit(lambda esn, context: esn.forecast(context, 500))
    scale = jnp.std(ys[:n_train], axis=0)
    times = []
    for k in range(n_test):
        start = n_train + 600 * k + 200
        predicted = forecast(esn, ys[start - 200 : start])
        vpt = valid_prediction_time(
            ys[start : start + 500], predicted, dt=DT, lyapunov_exponent=LYAPUNOV, scale=scale
        )
        times.append(float(vpt.lyapunov_times))
    # Measured: median 4.5 Lyapunov times with this seed (a 200-unit reservoir; 1.9 in
    # float32, where the tour checks it).
    assert np.median(times) > 2.0, times


@pytest.mark.usefixtures("unchecked")
def test_bad_data_is_named():
    esn = EchoStateNetwork(3, 20, jax.random.PRNGKey(0), washout=10)
    with pytest.raises(ValueError, match=r"shape \(time >= 12, 3\)"):
        esn.fit(jnp.ones((50, 2)))
    with pytest.raises(Exception, match="non-finite"):
        esn.fit(jnp.full((50, 3), jnp.nan))
    with pytest.raises(ValueError, match="reservoir_size >= 1"):
        EchoStateNetwork(3, 0, jax.random.PRNGKey(0))


def test_small_reservoirs_are_never_nilpotent():
    # At 10 units and density 0.05 about half of all keys draw a nilpotent matrix (spectral
    # radius 0, which used to make every weight NaN): those are redrawn, with a warning.
    warned = 0
    for seed in range(30):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            esn = EchoStateNetwork(3, 10, jax.random.PRNGKey(seed))
        warned += any("nilpotent" in str(w.message) for w in caught)
        radius = float(jnp.max(jnp.abs(jnp.linalg.eigvals(esn.reservoir))))
        assert abs(radius - 0.9) < 1e-4 and np.all(np.isfinite(np.asarray(esn.reservoir)))
    assert warned > 0  # the case arises, and is said


@pytest.mark.usefixtures("unchecked")
def test_forecast_checks_its_inputs():
    esn = EchoStateNetwork(3, 20, jax.random.PRNGKey(0), washout=10)
    with pytest.raises(ValueError, match="not fitted"):
        esn.forecast(jnp.ones((5, 3)), 4)
    fitted = esn.fit(jnp.sin(jnp.arange(150.0)[:, None] * jnp.array([0.1, 0.2, 0.3])))
    with pytest.raises(ValueError, match=r"n_steps > 0"):
        fitted.forecast(jnp.ones((5, 3)), 0)
    with pytest.raises(ValueError, match=r"shape \(time >= 1, 3\)"):
        fitted.forecast(jnp.ones((5, 2)), 4)
    with pytest.raises(Exception, match="non-finite context"):
        fitted.forecast(jnp.full((5, 3), jnp.nan), 4)
    for kwargs in (dict(spectral_radius=0.0), dict(ridge=-1.0), dict(density=0.0)):
        with pytest.raises(ValueError, match="expected"):
            EchoStateNetwork(3, 20, jax.random.PRNGKey(0), **kwargs)
