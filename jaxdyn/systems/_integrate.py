"""`trajectory`: integrate a system through diffrax, with the run's story in `stats`."""

from collections.abc import Sequence

import diffrax
import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np
from jaxtyping import ArrayLike, Float

from .._checks import check_finite_parameters, check_positive, check_tolerances
from .._integrate import diffrax_solve
from .._results import default_tolerance
from .._sharding import map_batch, shard_batch
from .._solution import Solution, check_solution
from ._arguments import initial_state, time_span
from ._delay import AbstractDelaySystem, delay_trajectory
from ._system import AbstractSystem


def trajectory(
    system: AbstractSystem | AbstractDelaySystem,
    t1: float,
    *,
    y0: Float[ArrayLike, " dim"] | None = None,
    n_points: int | None = None,
    ts: Float[ArrayLike, " times"] | Sequence[float] | None = None,
    t_transient: float = 0.0,
    solver: diffrax.AbstractSolver | None = None,
    rtol: float | None = None,
    atol: float | None = None,
    max_steps: int = 2**20,
    throw: bool = True,
    progress: bool = False,
    dt: float | None = None,
    t0: float = 0.0,
) -> Solution:
    """Integrate dy/dt = f(t, y) from `t0` to `t1`, saving after the transient. Delay
    systems go to `delay_trajectory` (fixed-step RK4 with a history buffer; `dt` is its step,
    and `solver`, `rtol`, `atol`, `max_steps` and `progress` do not apply).

    **Arguments:**

    - `system`: the system (its parameters are fields).
    - `t1`: final time (> t0); `t0`: initial time (default 0; delay systems start at 0).
    - `y0`: initial state (default: the system's point on the attractor), float32 or float64;
      the result has its dtype.
    - `n_points` or `ts`: save `n_points` equally spaced times in [t0 + t_transient, t1]
      (default 1000), or the increasing times `ts` in [t0, t1].
    - `t_transient`: time to integrate before saving starts.
    - `solver`: a diffrax solver (default `Dopri8`, adaptive).
    - `rtol`, `atol`: tolerances of the PID controller (default max(1e-10, 100 ε) for both).
    - `max_steps`: step limit; reaching it is reported in `stats.finished`.
    - `throw`: raise on blow-up or an unfinished run (else read `stats`).
    - `progress`: diffrax's text progress meter.

    **Returns:** `Solution(ts, ys, stats)`.
    """
    if isinstance(system, AbstractDelaySystem):
        if float(t0) != 0.0:
            raise ValueError("trajectory: delay systems start at t0 = 0 (their history)")
        if solver is not None or rtol is not None or atol is not None:
            raise ValueError(
                "trajectory: delay systems are integrated by fixed-step RK4; "
                "expected dt (not solver, rtol or atol)"
            )
        return delay_trajectory(
            system, t1, y0=y0, dt=dt, n_points=n_points, ts=ts, t_transient=t_transient,
            throw=throw,
        )  # fmt: skip
    if not isinstance(system, AbstractSystem):
        raise ValueError(f"trajectory: expected an AbstractSystem, got {type(system).__name__}")
    if dt is not None:
        raise ValueError("trajectory: dt applies to delay systems; expected rtol/atol here")
    check_finite_parameters(system, type(system).__name__)
    y0 = initial_state(system, y0)
    t0, t1, t_transient, save_times = time_span(t1, t_transient, ts, n_points, "trajectory", t0=t0)
    real = y0.dtype
    rtol = default_tolerance(real) if rtol is None else rtol
    rtol, atol = check_tolerances(rtol, rtol if atol is None else atol, real, "trajectory")
    max_steps = check_positive(max_steps, "max_steps", "trajectory", integer=True)
    if solver is not None and not isinstance(solver, diffrax.AbstractSolver):
        raise ValueError(f"trajectory: expected a diffrax solver instance, got {solver!r}")
    solution = _integrate(
        system, solver or diffrax.Dopri8(), y0, jnp.asarray(t0, real), jnp.asarray(t1, real),
        jnp.asarray(save_times, real), jnp.asarray(rtol, real), jnp.asarray(atol, real),
        max_steps, progress,
    )  # fmt: skip
    return check_solution(solution, "trajectory") if throw else solution


@eqx.filter_jit
def _integrate(system, solver, y0, t0, t1, save_times, rtol, atol, max_steps, progress):
    ys, stats = diffrax_solve(
        system.rhs, solver, y0, t0, t1, None, save_times,
        controller=diffrax.PIDController(rtol=rtol, atol=atol), max_steps=max_steps,
        progress="trajectory" if progress else None,
    )  # fmt: skip
    return Solution(save_times, ys, stats)


@eqx.filter_jit
def _ensemble(system, y0s, t1, options, batched_parameters, mesh):
    def one(s, y0):
        return trajectory(s, t1, y0=y0, throw=False, **dict(options))

    if batched_parameters:
        return map_batch(lambda member: one(*member), (system, y0s), mesh)
    return map_batch(lambda y0: one(system, y0), y0s, mesh)


def ensemble(
    system: AbstractSystem,
    y0s: Float[ArrayLike, "batch dim"],
    t1: float,
    *,
    batched_parameters: bool = False,
    throw: bool = True,
    **kwargs,
) -> Solution:
    """Many trajectories at once: `trajectory` vmapped over the initial states `y0s` and, with
    `batched_parameters=True`, over the leading axis of the system's parameters (build such a
    system with `jax.vmap(lambda rho: Lorenz(rho=rho))(rhos)`). With more than one device the
    batch is split across all of them (`jax.shard_map`: each device integrates its own
    members, nothing is gathered), padded to a multiple of the device count. Other arguments
    are those of `trajectory`; every field of the result has a leading batch axis.
    """
    y0s = jnp.asarray(y0s)
    if y0s.ndim != 2:
        raise ValueError(f"ensemble: expected y0s of shape (batch, dim), got {y0s.shape}")
    batch = y0s.shape[0]
    params = eqx.filter(system, eqx.is_array)
    if batched_parameters:
        sizes = {leaf.shape[0] if leaf.ndim else None for leaf in jax.tree.leaves(params)}
        if sizes != {batch}:
            raise ValueError(
                f"ensemble: expected every parameter with a leading axis of {batch}, got {sizes}"
            )
    if batched_parameters:
        (y0s, system), mesh = shard_batch((y0s, system), batch)
    else:
        y0s, mesh = shard_batch(y0s, batch)

    # The options are static (save times and tolerances shape the compiled program): arrays
    # among them travel as tuples, so that equal options reuse the compiled ensemble.
    options = tuple(
        (k, tuple(np.asarray(v).tolist()) if isinstance(v, np.ndarray | jax.Array) else v)
        for k, v in sorted(kwargs.items())
    )
    solution = _ensemble(system, y0s, t1, options, batched_parameters, mesh)
    solution = jax.tree.map(lambda x: x[:batch], solution)
    if not throw:
        return solution
    # Checked on the host when called eagerly (an error_if in the sharded program would
    # gather every result to one device); the message says how many failed and when.
    return check_solution(solution, "ensemble")
