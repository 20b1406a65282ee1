"""The result type every jaxdyn integrator returns."""

from __future__ import annotations

import diffrax
import equinox as eqx
import jax.numpy as jnp
from jaxtyping import Array, Bool, Float, Int, PyTree


class Stats(eqx.Module):
    """How an integration went.

    **Fields:**

    - `num_steps`: accepted steps taken.
    - `num_rejected_steps`: steps rejected by an adaptive controller (0 for fixed steps).
    - `finished`: whether the integration reached `t1` (false when an adaptive solver hit its
      step limit or could not shrink its step further).
    - `blew_up`: whether the state became non-finite (NaN or inf).
    - `blowup_time`: the first time at which the state was seen non-finite: to the step for
      fixed-step methods, to the save interval for diffrax solvers; `inf` when it never was.
    """

    num_steps: Int[Array, "*batch"]
    num_rejected_steps: Int[Array, "*batch"]
    finished: Bool[Array, "*batch"]
    blew_up: Bool[Array, "*batch"]
    blowup_time: Float[Array, "*batch"]

    @property
    def ok(self) -> Bool[Array, "*batch"]:
        """True where the run finished without blowing up."""
        return self.finished & ~self.blew_up


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


def raise_if_failed(solution: Solution, what: str) -> Solution:
    """Raise (via `eqx.error_if`) if the run blew up or did not finish.

    On TPU `eqx.error_if` cannot raise; callers there pass `throw=False` and read `stats`.
    """
    stats = solution.stats
    ys = eqx.error_if(
        solution.ys,
        jnp.any(stats.blew_up),
        f"{what}: the state became non-finite (blow-up). Pass throw=False to get the "
        "partial solution; stats.blowup_time says when it happened.",
    )
    ys = eqx.error_if(
        ys,
        jnp.any(~stats.finished),
        f"{what}: the integration did not reach t1 (step limit or step-size failure). "
        "Pass throw=False to get the partial solution and its stats.",
    )
    return eqx.tree_at(lambda s: s.ys, solution, ys)


def stats_from_diffrax(solution: diffrax.Solution, save_times) -> Stats:
    """Stats of a diffrax run saved at `save_times`, checking finiteness ourselves: diffrax
    reports a NaN state as success under a constant step and as "max steps reached" under an
    adaptive one. Save times the run did not reach (`ts` = inf there) are not inspected."""
    reached = jnp.isfinite(solution.ts)
    state_axes = tuple(range(1, solution.ys.ndim))
    bad = reached & ~jnp.all(jnp.isfinite(solution.ys), axis=state_axes)
    return Stats(
        num_steps=solution.stats["num_accepted_steps"],
        num_rejected_steps=solution.stats["num_rejected_steps"],
        finished=solution.result == diffrax.RESULTS.successful,
        blew_up=jnp.any(bad),
        blowup_time=jnp.min(jnp.where(bad, save_times, jnp.inf)),
    )
