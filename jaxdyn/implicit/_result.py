"""What every implicit solve returns: the solution and how the forward solver went."""

from __future__ import annotations

import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np
from jaxtyping import Array, Bool, Float, Int, PyTree


class SolverStats(eqx.Module):
    """How a forward solve went.

    **Fields:**

    - `num_steps`: iterations taken.
    - `residual`: the final ‖F(z)‖∞ (for `argmin`, ‖∇g(z)‖∞).
    - `converged`: whether the residual met the tolerance with a finite iterate.
    """

    num_steps: Int[Array, "*batch"]
    residual: Float[Array, "*batch"]
    converged: Bool[Array, "*batch"]


class RootSolution(eqx.Module):
    """`RootSolution(value, stats)`: the solution z* (same pytree structure as the initial
    guess) and the forward solver's `SolverStats`. Differentiating `value` with respect to
    θ uses the implicit function theorem, never the solver's iterations."""

    value: PyTree[Array]
    stats: SolverStats


def default_tolerance(dtype) -> float:
    """The default stopping tolerance: max(1e-10, 100 ε) for the dtype."""
    return max(1e-10, 100 * float(jnp.finfo(dtype).eps))


def check_converged(solution: RootSolution, what: str, tol: float, max_iter: int):
    """Raise if the forward solve did not converge: on the host with the residual and the
    iteration count when the result is concrete, through `eqx.error_if` inside a trace
    (where only the static settings can be named; read `stats` for the numbers)."""
    stats = solution.stats
    if isinstance(stats.converged, jax.core.Tracer):
        value = eqx.error_if(
            solution.value,
            ~stats.converged,
            f"{what}: no convergence to tol = {tol:g} within max_iter = {max_iter} "
            "iterations (or a non-finite iterate). Pass throw=False and read .stats.",
        )
        return RootSolution(value, stats)
    failed = ~np.asarray(stats.converged)
    if np.any(failed):
        residual = np.asarray(stats.residual)[failed]
        steps = np.asarray(stats.num_steps)[failed]
        raise RuntimeError(
            f"{what}: no convergence to tol = {tol:g}: residual {residual.max():.3e} after "
            f"{steps.max()} of max_iter = {max_iter} iterations"
            + (f" ({failed.sum()} of {failed.size} problems)" if failed.size > 1 else "")
            + ". Pass throw=False to get the iterate and its stats."
        )
    return solution
