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


def run_on_forced_host_devices(script: str, n_devices: int = 4, timeout: int = 600) -> str:
    """Run `script` in a fresh Python whose CPU shows `n_devices` devices (the flag must be
    set before JAX starts, and the rest of the suite keeps one device); its stdout, after
    asserting that it succeeded."""
    import os
    import subprocess
    import sys

    flags = f"--xla_force_host_platform_device_count={n_devices}"
    env = os.environ | {"XLA_FLAGS": flags}
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=timeout
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout
