"""What every implicit solve returns: the solution and how the forward solver went."""

import equinox as eqx
import numpy as np
from jaxtyping import Array, Bool, Float, Int, PyTree

from .._results import RESULTS, check_result, default_tolerance as default_tolerance


class SolverStats(eqx.Module):
    """How a forward solve went.

    **Fields:**

    - `num_steps`: iterations taken.
    - `residual`: the final ‖F(z)‖∞ (for `argmin`, ‖∇g(z)‖∞).
    - `result`: a `jaxdyn.RESULTS` item: `successful`, `nonconvergence` (tolerance not met
      within max_iter) or `nonfinite_state` (a non-finite iterate).

    `converged` is derived from `result`.
    """

    num_steps: Int[Array, "*batch"]
    residual: Float[Array, "*batch"]
    result: RESULTS

    @property
    def converged(self) -> Bool[Array, "*batch"]:
        """True where the residual met the tolerance with a finite iterate."""
        return self.result == RESULTS.successful


class RootSolution(eqx.Module):
    """`RootSolution(value, stats)`: the solution z* (same pytree structure as the initial
    guess) and the forward solver's `SolverStats`. Differentiating `value` with respect to
    θ uses the implicit function theorem, never the solver's iterations."""

    value: PyTree[Array]
    stats: SolverStats


def check_converged(solution: RootSolution, what: str, tol: float, max_iter: int):
    """`solution`, after raising (`jaxdyn.SolverFailure` with the residual and the iteration
    count when called eagerly; `eqx.error_if` inside a trace) if the solve failed."""
    stats = solution.stats

    def details(failed: np.ndarray) -> str:
        residual = np.asarray(stats.residual)[failed].max()
        steps = np.asarray(stats.num_steps)[failed].max()
        return f" (tol = {tol:g}: residual {residual:.3e} after {steps} of max_iter = {max_iter})"

    hint = "Pass throw=False to get the iterate and its stats, or raise max_iter="
    value = check_result(stats.result, solution.value, what, hint=hint, details=details)
    return RootSolution(value, stats)
