"""Benchmark cases for implicit differentiation: the memory and time of a gradient through
a fixed point, implicit versus unrolled, and the backward/forward cost of a deep-equilibrium
solve."""

import jax
import jax.numpy as jnp

from .. import implicit
from ._timing import time_compiled


def equilibrium_problem(size: int = 64, seed: int = 0):
    """z = tanh(W z + x), ‖W‖₂ = 0.9 (a contraction): `(f, W, x)`."""
    key_w, key_x = jax.random.split(jax.random.PRNGKey(seed))
    w = jax.random.normal(key_w, (size, size)) / jnp.sqrt(size)
    w = 0.9 * w / jnp.linalg.norm(w, 2)
    x = jax.random.normal(key_x, (size,))
    return (lambda z, params: jnp.tanh(params[0] @ z + params[1])), w, x


def _implicit_loss(f, n_iterations):
    def loss(w, x):
        # tol = 0: exactly n_iterations Picard steps, then one implicit backward solve.
        z = implicit.fixed_point(
            f, jnp.zeros_like(x), (w, x), solver=implicit.Picard(), tol=0.0,
            max_iter=n_iterations, throw=False,
        ).value  # fmt: skip
        return jnp.sum(z**2)

    return loss


def _unrolled_loss(f, n_iterations):
    def loss(w, x):
        z = jax.lax.fori_loop(0, n_iterations, lambda _, z: f(z, (w, x)), jnp.zeros_like(x))
        return jnp.sum(z**2)

    return loss


def gradient_cost(n_iterations: int, method: str, size: int = 64, repeats: int = 5) -> dict:
    """Compile and run ∂L/∂W for L = ‖z_n‖², z_n after `n_iterations` forward iterations,
    by `method` = "implicit" (one backward linear solve) or "unrolled" (reverse mode through
    the loop). Returns the compiled gradient's temporary memory (XLA's memory analysis) and
    the compile and median run times."""
    f, w, x = equilibrium_problem(size)
    make = {"implicit": _implicit_loss, "unrolled": _unrolled_loss}[method]
    gradient = jax.grad(make(f, n_iterations))
    timing = time_compiled(gradient, w, x, repeats=repeats)
    memory = jax.jit(gradient).lower(w, x).compile().memory_analysis()
    return {
        "method": method,
        "iterations": n_iterations,
        "size": size,
        "temp_bytes": int(memory.temp_size_in_bytes),
        "compile_s": timing.compile_s,
        "run_s": timing.run_s,
    }


def equilibrium_forward_backward(
    size: int = 64, linear_solver: str = "anderson", repeats: int = 5
) -> dict:
    """A deep-equilibrium solve (Anderson to 1e-6) timed forward alone and with its
    gradient (backward solve by `linear_solver`): backward = (forward + backward) −
    forward."""
    f, w, x = equilibrium_problem(size)

    def forward(w, x):
        z = implicit.fixed_point(
            f, jnp.zeros_like(x), (w, x), tol=1e-6, linear_solver=linear_solver, throw=False
        ).value
        return jnp.sum(z**2)

    forward_timing = time_compiled(forward, w, x, repeats=repeats)
    both = time_compiled(jax.value_and_grad(forward), w, x, repeats=repeats)
    backward_s = max(both.run_s - forward_timing.run_s, 0.0)
    return {
        "size": size,
        "forward_s": forward_timing.run_s,
        "backward_s": backward_s,
        "backward_over_forward": backward_s / forward_timing.run_s,
    }
