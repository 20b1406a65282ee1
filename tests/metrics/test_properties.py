"""Property-based checks of the numerical guards: whatever the data, a metric of a forecast
with a non-finite entry is never better than the same metric of any finite forecast."""

import jax.numpy as jnp
import numpy as np
from hypothesis import given, settings, strategies as st
from hypothesis.extra.numpy import arrays

import jaxdyn.metrics as me

_finite = st.floats(-1e3, 1e3, allow_nan=False, allow_infinity=False, width=32)
_series = arrays(np.float32, (12, 2), elements=_finite)


@settings(max_examples=25, deadline=None)
@given(
    truth=_series, forecast=_series, index=st.integers(0, 23), bad=st.sampled_from([np.nan, np.inf])
)
def test_a_broken_forecast_never_beats_a_finite_one(truth, forecast, index, bad):
    broken = forecast.copy()
    broken.reshape(-1)[index] = bad
    for metric in (me.smape, me.nrmse, me.state_space_divergence, me.power_spectrum_distance):
        good = float(metric(jnp.asarray(truth), jnp.asarray(forecast)))
        assert float(metric(jnp.asarray(truth), jnp.asarray(broken))) == np.inf
        assert not good > np.inf  # finite data: finite (or NaN only for degenerate truth)
    vpt = me.valid_prediction_time(jnp.asarray(truth), jnp.asarray(broken))
    assert int(vpt.steps) <= index // 2


@settings(max_examples=25, deadline=None)
@given(truth=_series)
def test_a_perfect_forecast_scores_perfectly(truth):
    truth = jnp.asarray(truth)
    assert float(me.smape(truth, truth)) == 0.0
    assert float(me.nrmse(truth, truth)) == 0.0
    assert int(me.valid_prediction_time(truth, truth).steps) == truth.shape[0]
    assert abs(float(me.state_space_divergence(truth, truth))) < 1e-6
