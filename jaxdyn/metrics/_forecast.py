"""Pointwise forecast errors: valid prediction time, sMAPE, NRMSE.

All take `truth` and `forecast` of shape (time, dim) (a 1D series counts as dim 1) and jit.
A broken forecast never scores well: a non-finite forecast value makes sMAPE and NRMSE `inf`
and ends the valid prediction time at that step; a non-finite truth makes every score NaN
(there is nothing to compare against).
"""

from typing import NamedTuple

import jax
import jax.numpy as jnp
from jaxtyping import Array, ArrayLike, Float, Int

from .._checks import check_positive_if_concrete


def _pair(truth, forecast, what: str) -> tuple[Array, Array]:
    truth, forecast = jnp.asarray(truth), jnp.asarray(forecast)
    if truth.ndim == 1:
        truth = truth[:, None]
    if forecast.ndim == 1:
        forecast = forecast[:, None]
    if truth.ndim != 2 or truth.shape != forecast.shape:
        raise ValueError(
            f"{what}: expected truth and forecast of the same shape (time, dim), got "
            f"{truth.shape} and {forecast.shape}"
        )
    if truth.shape[0] == 0 or truth.shape[1] == 0:
        raise ValueError(
            f"{what}: expected at least one time step and one component, got {truth.shape}"
        )
    return truth, forecast


def failed_score(truth, forecast, score):
    """`score`, unless an input is broken: NaN if `truth` has a non-finite entry, `inf` if
    only `forecast` has (so a diverged model ranks last, never first)."""
    score = jnp.where(jnp.all(jnp.isfinite(forecast)), score, jnp.inf)
    return jnp.where(jnp.all(jnp.isfinite(truth)), score, jnp.nan)


def _spread(truth):
    """Each component's standard deviation over `truth`; 1 where it is constant (the error of
    a constant component is then absolute: dividing by a zero spread would be meaningless)."""
    std = jnp.std(truth, axis=0)
    return jnp.where(std > 0, std, 1.0)


def normalized_error(
    truth: Float[ArrayLike, " time *dim"],
    forecast: Float[ArrayLike, " time *dim"],
    scale: Float[ArrayLike, " dim"] | None = None,
) -> Float[Array, " time"]:
    """e(t) = sqrt(mean_i ((x̂_i(t) − x_i(t)) / σ_i)²), σ_i the standard deviation of
    component i over `truth` (1 for a constant component), or the attractor's `scale`, if
    given (positive). Non-finite values give a non-finite e(t) at their time."""
    truth, forecast = _pair(truth, forecast, "normalized_error")
    scale = _spread(truth) if scale is None else _check_scale(scale, truth.shape[1])
    return jnp.sqrt(jnp.mean(((forecast - truth) / scale) ** 2, axis=1))


class ValidPredictionTime(NamedTuple):
    """How long a forecast stays valid: in steps, in time units, and in Lyapunov times."""

    steps: Int[Array, ""]
    time: Float[Array, ""]
    lyapunov_times: Float[Array, ""]


def valid_prediction_time(
    truth: Float[ArrayLike, " time *dim"],
    forecast: Float[ArrayLike, " time *dim"],
    *,
    dt: float = 1.0,
    threshold: float = 0.4,
    lyapunov_exponent: float | None = None,
    scale: Float[ArrayLike, " dim"] | None = None,
) -> ValidPredictionTime:
    """The number of steps before the normalised error e(t) (`normalized_error`) first
    exceeds `threshold` (all of them if it never does), as steps, time (steps·dt) and
    Lyapunov times (time·λ_max; NaN without `lyapunov_exponent`) (Pathak et al., Phys. Rev.
    Lett. 120, 2018; Gilpin, "Model scale versus domain knowledge…", 2023)."""
    for name, value in (
        ("dt", dt),
        ("threshold", threshold),
        ("lyapunov_exponent", lyapunov_exponent),
    ):
        check_positive_if_concrete(value, name, "valid_prediction_time")
    error = normalized_error(truth, forecast, scale)
    # A non-finite error (a diverged forecast) ends the valid time: NaN > threshold is False.
    exceeded = ~(error <= threshold)
    steps = jnp.where(jnp.any(exceeded), jnp.argmax(exceeded), error.size)
    time = steps * jnp.asarray(dt, error.dtype)
    exponent = jnp.nan if lyapunov_exponent is None else lyapunov_exponent
    truth_ok = jnp.all(jnp.isfinite(jnp.asarray(truth)))
    time = jnp.where(truth_ok, time, jnp.nan)
    return ValidPredictionTime(steps, time, time * exponent)


def _check_scale(scale, dim):
    scale = jnp.asarray(scale)
    if scale.shape not in ((), (dim,)):
        raise ValueError(f"normalized_error: expected scale of shape ({dim},), got {scale.shape}")
    if not isinstance(scale, jax.core.Tracer) and not bool(
        jnp.all((scale > 0) & jnp.isfinite(scale))
    ):
        raise ValueError(f"normalized_error: expected a positive scale, got {scale}")
    return scale


def smape(truth: Float[ArrayLike, " time *dim"], forecast: Float[ArrayLike, " time *dim"]):
    """Symmetric mean absolute percentage error, 200 · mean(|x̂ − x| / (|x̂| + |x|)), in
    percent (0 to 200; a term with x = x̂ = 0 counts as 0; `inf` for a non-finite forecast)."""
    truth, forecast = _pair(truth, forecast, "smape")
    denominator = jnp.abs(forecast) + jnp.abs(truth)
    ratio = jnp.where(
        denominator > 0, jnp.abs(forecast - truth) / jnp.where(denominator > 0, denominator, 1), 0
    )
    return failed_score(truth, forecast, 200 * jnp.mean(ratio))


def nrmse(truth: Float[ArrayLike, " time *dim"], forecast: Float[ArrayLike, " time *dim"]):
    """Root-mean-square error over time and components, each component divided by its
    standard deviation over `truth` (1 if constant): sqrt(mean_t mean_i ((x̂ − x)/σ_i)²)."""
    truth, forecast = _pair(truth, forecast, "nrmse")
    error = normalized_error(truth, forecast)
    return failed_score(truth, forecast, jnp.sqrt(jnp.mean(error**2)))
