"""The echo-state network forecasts Lorenz for several Lyapunov times."""

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


def test_bad_data_is_named():
    esn = EchoStateNetwork(3, 20, jax.random.PRNGKey(0), washout=10)
    with pytest.raises(ValueError, match=r"shape \(time >= 12, 3\)"):
        esn.fit(jnp.ones((50, 2)))
    with pytest.raises(Exception, match="non-finite"):
        esn.fit(jnp.full((50, 3), jnp.nan))
    with pytest.raises(ValueError, match="reservoir_size >= 1"):
        EchoStateNetwork(3, 0, jax.random.PRNGKey(0))
