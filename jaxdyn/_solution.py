"""The result type every jaxdyn integrator returns, and the one way it raises."""

import equinox as eqx
import numpy as np
from jaxtyping import Array, Bool, Float, Int, PyTree

from ._results import RESULTS, check_result


class Stats(eqx.Module):
    """How an integration went.

    **Fields:**

    - `num_steps`: accepted steps taken.
    - `num_rejected_steps`: steps rejected by an adaptive controller (0 for fixed steps).
    - `result`: a `jaxdyn.RESULTS` item: `successful`, `nonfinite_state` (blow-up),
      `max_steps_reached`, or another diffrax failure.
    - `blowup_time`: the first time at which the state was seen non-finite: to the step for
      fixed-step methods, to the save interval for diffrax solvers; `inf` when it never was.

    `ok`, `blew_up` and `finished` are derived from `result`.
    """

    num_steps: Int[Array, "*batch"]
    num_rejected_steps: Int[Array, "*batch"]
    result: RESULTS
    blowup_time: Float[Array, "*batch"]

    @property
    def ok(self) -> Bool[Array, "*batch"]:
        """True where the run reached t1 with a finite state."""
        return self.result == RESULTS.successful

    @property
    def blew_up(self) -> Bool[Array, "*batch"]:
        """True where the state became non-finite."""
        return self.result == RESULTS.nonfinite_state

    @property
    def finished(self) -> Bool[Array, "*batch"]:
        """False where a step limit or the step-size control stopped the run before t1 (a
        blow-up is reported by `blew_up` instead, whoever stopped the run)."""
        return self.ok | self.blew_up


class Solution(eqx.Module):
    """Times, states and the story of the run: `Solution(ts, ys, stats)`.

    `ys` has a leading axis matching `ts`: `ys[i]` is the state at `ts[i]`.
    """

    ts: Float[Array, " times"]
    ys: PyTree[Array]
    stats: Stats

    @property
    def ok(self) -> Bool[Array, "*batch"]:
        return self.stats.ok


def check_solution(solution: Solution, what: str) -> Solution:
    """`solution`, after raising (`jaxdyn.SolverFailure`, or `eqx.error_if` inside a trace) if
    the run blew up or did not reach t1. On TPU pass `throw=False` and read `stats.result`."""
    ys = check_stats(solution.stats, solution.ys, what)
    return eqx.tree_at(lambda s: s.ys, solution, ys)


def check_stats(stats: Stats, token, what: str):
    """`token`, after raising as `check_solution` does if `stats` report a failure (for
    results that are not a `Solution`, such as a Lyapunov spectrum)."""

    def when(failed: np.ndarray) -> str:
        times = np.asarray(stats.blowup_time)[failed]
        return f" at t = {times.min():.6g}" if np.any(np.isfinite(times)) else ""

    hint = (
        "Pass throw=False to get the partial solution and its stats; a blow-up may need a "
        "smaller step, a step limit a larger max_steps"
    )
    return check_result(stats.result, token, what, hint=hint, details=when)
