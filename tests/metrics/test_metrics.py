"""Metrics against hand-computed values on toy inputs."""

import math

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import jaxdyn.metrics as me


def test_normalized_error_and_nrmse_by_hand(x64):
    truth = jnp.array([[0.0, 0.0], [2.0, 2.0]])  # σ = (1, 1)
    forecast = truth + jnp.array([[1.0, 0.0], [1.0, 1.0]])
    np.testing.assert_allclose(me.normalized_error(truth, forecast), [math.sqrt(0.5), 1.0])
    np.testing.assert_allclose(me.nrmse(truth, forecast), math.sqrt(0.75))


def test_valid_prediction_time_by_hand(x64):
    truth = jnp.stack([jnp.array([0.0, 2.0] * 5)], axis=1)  # σ = 1
    errors = jnp.array([0.0, 0.1, 0.3, 0.5, 0.2, 0.9, 0, 0, 0, 0])
    vpt = jax.jit(lambda t, f: me.valid_prediction_time(t, f, dt=0.5, lyapunov_exponent=0.9))(
        truth, truth + errors[:, None]
    )
    assert int(vpt.steps) == 3  # the first e(t) > 0.4
    assert float(vpt.time) == 1.5 and float(vpt.lyapunov_times) == pytest.approx(1.35)
    never = me.valid_prediction_time(truth, truth + 0.1)
    assert int(never.steps) == 10 and math.isnan(float(never.lyapunov_times))


def test_smape_by_hand(x64):
    assert float(me.smape(jnp.array([1.0, 2.0]), jnp.array([1.0, 4.0]))) == pytest.approx(
        200 * (0 + 2 / 6) / 2
    )
    assert float(me.smape(jnp.zeros(3), jnp.zeros(3))) == 0.0


def test_state_space_divergence_by_hand(x64):
    # 1D, 2 bins over [0, 1]: truth has 3 points in each bin; generated all 6 in the right.
    truth = jnp.array([0.0, 0.1, 0.2, 0.8, 0.9, 1.0])[:, None]
    generated = jnp.array([0.7, 0.8, 0.8, 0.9, 0.95, 1.0])[:, None]
    s = 1e-4
    p = np.array([3 + s, 3 + s]) / (6 + 2 * s)
    q = np.array([s, 6 + s]) / (6 + 2 * s)
    expected = np.sum(p * np.log(p / q))
    value = me.state_space_divergence(truth, generated, bins=2, smoothing=s)
    assert float(value) == pytest.approx(expected, rel=1e-12)
    assert float(me.state_space_divergence(truth, truth, bins=2)) == pytest.approx(0.0, abs=1e-15)


def test_power_spectrum_distance_extremes(x64):
    t = jnp.arange(256.0)
    slow = jnp.stack([jnp.sin(2 * jnp.pi * 5 * t / 256)], axis=1)
    fast = jnp.stack([jnp.sin(2 * jnp.pi * 40 * t / 256)], axis=1)
    assert float(me.power_spectrum_distance(slow, 3 * slow + 1)) == pytest.approx(0.0, abs=1e-7)
    assert float(me.power_spectrum_distance(slow, fast, smoothing=0.0)) == pytest.approx(1.0)
    partial = float(me.power_spectrum_distance(slow, slow + fast, smoothing=0.0))
    assert partial == pytest.approx(math.sqrt(1 - math.sqrt(0.5)), rel=1e-6)


@pytest.mark.usefixtures("unchecked")
def test_shape_errors_name_the_expectation():
    with pytest.raises(ValueError, match=r"same shape \(time, dim\)"):
        me.smape(jnp.ones((4, 2)), jnp.ones((3, 2)))
    with pytest.raises(ValueError, match="state_space_divergence"):
        me.state_space_divergence(jnp.ones((4, 2)), jnp.ones((4, 3)))


# ---------------------------------------------------------------- broken inputs fail loudly
_TRUTH = jnp.stack([jnp.sin(jnp.linspace(0, 6, 40)), jnp.cos(jnp.linspace(0, 6, 40))], axis=1)


@pytest.mark.parametrize("bad", [jnp.nan, jnp.inf, -jnp.inf])
def test_a_non_finite_forecast_never_scores_well(bad):
    broken = _TRUTH.at[5:].set(bad)
    assert int(me.valid_prediction_time(_TRUTH, broken).steps) == 5  # stops where it broke
    assert int(me.valid_prediction_time(_TRUTH, jnp.full_like(_TRUTH, bad)).steps) == 0
    for metric in (me.smape, me.nrmse, me.state_space_divergence, me.power_spectrum_distance):
        assert float(metric(_TRUTH, broken)) == np.inf, metric.__name__


def test_a_non_finite_truth_gives_nan_scores():
    broken = _TRUTH.at[3, 0].set(jnp.nan)
    assert math.isnan(float(me.valid_prediction_time(broken, _TRUTH).time))
    for metric in (me.smape, me.nrmse, me.state_space_divergence, me.power_spectrum_distance):
        assert math.isnan(float(metric(broken, _TRUTH))), metric.__name__


def test_constant_series_are_defined_or_worst():
    constant = jnp.ones_like(_TRUTH)
    # A constant truth is normalised by 1 per component: a perfect forecast is still perfect.
    assert int(me.valid_prediction_time(constant, constant).steps) == _TRUTH.shape[0]
    assert float(me.nrmse(constant, constant)) == 0.0
    # A constant generated series has no spectrum to compare: the largest distance.
    assert float(me.power_spectrum_distance(_TRUTH, constant)) == pytest.approx(1.0)
    assert float(me.state_space_divergence(_TRUTH, constant)) > 1.0


@pytest.mark.parametrize(
    "metric", [me.smape, me.nrmse, me.state_space_divergence, me.power_spectrum_distance,
               me.normalized_error, me.valid_prediction_time],
)  # fmt: skip
@pytest.mark.usefixtures("unchecked")
def test_empty_and_mismatched_inputs_are_rejected(metric):
    with pytest.raises(ValueError, match="expected"):
        metric(jnp.zeros((0, 2)), jnp.zeros((0, 2)))
    with pytest.raises(ValueError, match="expected"):
        metric(jnp.zeros((5, 2)), jnp.zeros((5, 3)))


@pytest.mark.usefixtures("unchecked")
def test_bad_metric_arguments_are_named():
    with pytest.raises(ValueError, match="dt > 0"):
        me.valid_prediction_time(_TRUTH, _TRUTH, dt=0.0)
    with pytest.raises(ValueError, match="threshold > 0"):
        me.valid_prediction_time(_TRUTH, _TRUTH, threshold=-1.0)
    with pytest.raises(ValueError, match="lyapunov_exponent > 0"):
        me.valid_prediction_time(_TRUTH, _TRUTH, lyapunov_exponent=0.0)
    with pytest.raises(ValueError, match="positive scale"):
        me.normalized_error(_TRUTH, _TRUTH, scale=jnp.array([1.0, 0.0]))
    with pytest.raises(ValueError, match="bins >= 1"):
        me.state_space_divergence(_TRUTH, _TRUTH, bins=0)
    with pytest.raises(ValueError, match="smoothing >= 0"):
        me.power_spectrum_distance(_TRUTH, _TRUTH, smoothing=-1.0)
