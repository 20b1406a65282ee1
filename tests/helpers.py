"""Shared numerics for the tests: convergence orders, finite differences, tolerances."""

import jax
import jax.numpy as jnp
import numpy as np

# Central differences in float64 with h = 1e-6 are good to ~1e-8 relative for O(1) functions.
FD_STEP = 1e-6
FD_RTOL = 1e-5


def convergence_order(step_sizes, errors) -> float:
    """Least-squares slope of log(error) against log(step size)."""
    return float(np.polyfit(np.log(step_sizes), np.log(errors), 1)[0])


def directional_fd(f, x, direction, h=FD_STEP):
    """(f(x + h d) − f(x − h d)) / 2h."""
    return (f(x + h * direction) - f(x - h * direction)) / (2 * h)


def random_direction(x, seed=0):
    d = jax.random.normal(jax.random.PRNGKey(seed), jnp.shape(x), jnp.result_type(x))
    return d / jnp.linalg.norm(d)


def max_abs(a, b) -> float:
    return float(jnp.max(jnp.abs(jnp.asarray(a) - jnp.asarray(b))))
