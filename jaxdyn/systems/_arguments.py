"""Argument checks shared by the integrators: the time span, the save times, the initial
state. Each failure is a `ValueError` that names the expected value."""

import math

import jax
import jax.numpy as jnp
import numpy as np
from jaxtyping import Array

from .._checks import check_finite, concrete_number, narrowed_input

_DEFAULT_POINTS = 1000


def time_span(
    t1, t_transient, ts, n_points, what: str, t0=0.0
) -> tuple[float, float, float, np.ndarray]:
    """`(t0, t1, t_transient, save_times)` as concrete numbers: `n_points` equally spaced
    times in [t0 + t_transient, t1] (default 1000), or the increasing times `ts` in
    [t0, t1]."""
    t0, t1 = _concrete(t0, "t0", what), _concrete(t1, "t1", what)
    t_transient = _concrete(t_transient, "t_transient", what)
    if not t1 > t0:
        raise ValueError(f"{what}: expected t1 > t0 = {t0:g}, got {t1}")
    if not 0 <= t_transient < t1 - t0:
        raise ValueError(f"{what}: expected 0 <= t_transient < t1 - t0, got {t_transient}")
    if ts is not None and n_points is not None:
        raise ValueError(f"{what}: pass either ts or n_points, not both")
    if ts is None:
        n = _DEFAULT_POINTS
        if n_points is not None:
            n = concrete_number(n_points, "n_points", what, integer=True)
        if n < 2:
            raise ValueError(f"{what}: expected n_points >= 2, got {n_points}")
        return t0, t1, t_transient, np.linspace(t0 + t_transient, t1, n)
    ts = np.asarray(ts, dtype=np.float64).reshape(-1)
    if ts.size == 0 or np.any(np.diff(ts) <= 0) or ts[0] < t0 or ts[-1] > t1:
        raise ValueError(f"{what}: expected ts increasing within [t0, t1] = [{t0}, {t1}], got {ts}")
    return t0, t1, t_transient, ts


def initial_state(system, y0) -> Array:
    """`y0` (default: the system's own) as a finite float32/64 vector of the right length.
    Systems outside the database have no recorded dimension: y0 defines it."""
    name = type(system).__name__
    y0 = system.default_ic() if y0 is None else narrowed_input(y0, name, "y0")
    if not system.has_info() and system.default_state is None:
        expected = (y0.size,)
    elif system.variable_dimension and y0.ndim == 1 and y0.size >= system.dimension:
        expected = y0.shape
    else:
        expected = (system.dimension,)
    if y0.shape != expected:
        more = " or longer" if system.variable_dimension else ""
        raise ValueError(f"{name}: expected y0 of shape {expected}{more}, got {y0.shape}")
    if not jnp.issubdtype(y0.dtype, jnp.floating):
        y0 = y0.astype(jnp.result_type(float))
    if y0.dtype not in (jnp.float32, jnp.float64):
        raise ValueError(f"{name}: expected a float32/64 y0, got {y0.dtype}")
    return check_finite(y0, f"{name}: y0")


def _concrete(value, name, what) -> float:
    try:
        value = float(value)
    except (TypeError, jax.errors.ConcretizationTypeError) as error:
        raise ValueError(f"{what}: expected a concrete number for {name}") from error
    if not math.isfinite(value):
        raise ValueError(f"{what}: expected a finite {name}, got {value}")
    return value
