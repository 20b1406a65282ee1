"""Pointwise forecast errors: valid prediction time, sMAPE, NRMSE.

All take `truth` and `forecast` of shape (time, dim) (a 1D series counts as dim 1) and jit.
"""

from __future__ import annotations

from typing import NamedTuple

import jax.numpy as jnp
from jaxtyping import Array, ArrayLike, Float, Int


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
    return truth, forecast


def normalized_error(
    truth: Float[ArrayLike, "time dim"],
    forecast: Float[ArrayLike, "time dim"],
    scale: Float[ArrayLike, " dim"] | None = None,
) -> Float[Array, " time"]:
    """e(t) = sqrt(mean_i ((x̂_i(t) − x_i(t)) / σ_i)²), σ_i the standard deviation of
    component i over `truth` (or the attractor's `scale`, if given)."""
    truth, forecast = _pair(truth, forecast, "normalized_error")
    scale = jnp.std(truth, axis=0) if scale is None else jnp.asarray(scale)
    return jnp.sqrt(jnp.mean(((forecast - truth) / scale) ** 2, axis=1))


class ValidPredictionTime(NamedTuple):
    """How long a forecast stays valid: in steps, in time units, and in Lyapunov times."""

    steps: Int[Array, ""]
    time: Float[Array, ""]
    lyapunov_times: Float[Array, ""]


def valid_prediction_time(
    truth: Float[ArrayLike, "time dim"],
    forecast: Float[ArrayLike, "time dim"],
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
    error = normalized_error(truth, forecast, scale)
    exceeded = error > threshold
    steps = jnp.where(jnp.any(exceeded), jnp.argmax(exceeded), error.size)
    time = steps * jnp.asarray(dt, error.dtype)
    exponent = jnp.nan if lyapunov_exponent is None else lyapunov_exponent
    return ValidPredictionTime(steps, time, time * exponent)


def smape(truth: Float[ArrayLike, "time dim"], forecast: Float[ArrayLike, "time dim"]):
    """Symmetric mean absolute percentage error, 200 · mean(|x̂ − x| / (|x̂| + |x|)), in
    percent (0 to 200; a term with x = x̂ = 0 counts as 0)."""
    truth, forecast = _pair(truth, forecast, "smape")
    denominator = jnp.abs(forecast) + jnp.abs(truth)
    ratio = jnp.where(
        denominator > 0, jnp.abs(forecast - truth) / jnp.where(denominator > 0, denominator, 1), 0
    )
    return 200 * jnp.mean(ratio)


def nrmse(truth: Float[ArrayLike, "time dim"], forecast: Float[ArrayLike, "time dim"]):
    """Root-mean-square error over time and components, each component divided by its
    standard deviation over `truth`: sqrt(mean_t mean_i ((x̂ − x)/σ_i)²)."""
    error = normalized_error(truth, forecast)
    return jnp.sqrt(jnp.mean(error**2))
