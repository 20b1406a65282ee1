r"""The one integration core every pillar runs on.

- `rk4_step`: classical fourth-order Runge–Kutta (Kutta 1901), the only RK4 in jaxdyn.
- `fixed_step_loop`: a `lax.scan` over fixed steps of any step map, saving at step boundaries
  (never by interpolation), detecting the first non-finite state, with an optional progress
  meter; used by the exponential steppers, the delay integrator, periodic orbits and the
  recurrent-network rollouts.
- `diffrax_solve`: `diffrax.diffeqsolve` with the checks diffrax leaves to its caller (a NaN
  state is "successful" under a constant step and "max steps reached" under an adaptive one).

Both loops return the same `Stats`; neither raises: callers decide with `throw=` through
`jaxdyn._results.check_result`. Why not diffrax's constant-step loop for the steppers: it
clips the last step to reach a save time (which breaks coefficients computed once for one
dt), saves by interpolation, and costs 4x per step (measured: ETDRK4 as a diffrax solver
with its coefficients cached per step size, Kuramoto–Sivashinsky n = 256, float32, 72 ms
against 18 ms per 1000 steps on a 2-core CPU; equal to 5e-7 after 10 steps).
"""

from collections.abc import Callable

import diffrax
import jax
import jax.numpy as jnp

from ._precision import highest_precision
from ._progress import diffrax_meter, progress_callback
from ._results import RESULTS, first_failure
from ._solution import Stats


def rk4_step(f: Callable, y, h, k1=None):
    """One classical RK4 step of y' = f(c, y), where `c` ∈ {0, ½, 1} is the stage's node as a
    fraction of the step (a Python float: the caller maps it to a time, or to the delayed
    value that belongs to it). `k1 = f(0, y)` may be passed when already known. Order 4."""
    k1 = f(0.0, y) if k1 is None else k1
    k2 = f(0.5, jax.tree.map(lambda y, k: y + h / 2 * k, y, k1))
    k3 = f(0.5, jax.tree.map(lambda y, k: y + h / 2 * k, y, k2))
    k4 = f(1.0, jax.tree.map(lambda y, k: y + h * k, y, k3))
    return jax.tree.map(
        lambda y, a, b, c, d: y + h / 6 * (a + 2 * b + 2 * c + d), y, k1, k2, k3, k4
    )


def all_finite(tree) -> jax.Array:
    """True when every entry of every array in `tree` is finite."""
    leaves = [jnp.all(jnp.isfinite(x)) for x in jax.tree.leaves(tree)]
    return jnp.all(jnp.stack(leaves)) if leaves else jnp.array(True)


@highest_precision
def fixed_step_loop(
    step: Callable,
    state,
    *,
    n_pre: int,
    n_per_save: int,
    n_saves: int,
    observe: Callable = lambda state: state,
    t0=0.0,
    dt=1.0,
    is_finite: Callable = all_finite,
    remat: bool = True,
    progress: str | None = None,
):
    """Advance `state` by `state = step(state, n)` (n the step index from 0), save
    `observe(state)` after `n_pre` steps and then every `n_per_save` steps, `n_saves` saves in
    all: `n_pre + n_per_save·(n_saves − 1)` steps.

    `is_finite(state)` is checked after every step; the first failing step is reported as
    `RESULTS.nonfinite_state` with `blowup_time = t0 + (n + 1)·dt`, the end of the first step
    that produced one (the loop carries on: a non-finite state stays non-finite, and the
    caller's `throw` decides). With `remat`, each
    step and each save interval is rematerialised in reverse mode, which bounds the memory of
    `jax.grad` through the loop by the number of saves, not steps. `progress`, a label, draws
    a meter (`jaxdyn._progress`) from the compiled loop, about a hundred updates in all.

    **Returns:** `(saves, final_state, stats)`, `saves` the stacked observations.
    """
    total = n_pre + n_per_save * (n_saves - 1)
    update = progress_callback(progress, total)

    def one(carry, _):
        state, count, bad_step = carry
        state = step(state, count)
        bad_step = jnp.where((bad_step < 0) & ~is_finite(state), count, bad_step)
        count = count + 1
        update(count)
        return (state, count, bad_step), None

    if remat:
        # Inside scan, prevent_cse=False is safe and keeps the forward pass free of barriers.
        one = jax.checkpoint(one, prevent_cse=False)

    def advance(carry, n):
        return jax.lax.scan(one, carry, length=n)[0] if n else carry

    def interval(carry, _):
        carry = advance(carry, n_per_save)
        return carry, observe(carry[0])

    if remat:
        interval = jax.checkpoint(interval, prevent_cse=False)

    carry = advance((state, jnp.array(0), jnp.array(-1)), n_pre)
    first = observe(carry[0])
    carry, later = jax.lax.scan(interval, carry, length=n_saves - 1)
    saves = jax.tree.map(lambda a, b: jnp.concatenate([a[None], b]), first, later)
    state, num_steps, bad_step = carry
    blew_up = bad_step >= 0
    stats = Stats(
        num_steps=num_steps,
        num_rejected_steps=jnp.zeros_like(num_steps),
        result=first_failure(blew_up, RESULTS.nonfinite_state),
        blowup_time=jnp.where(blew_up, t0 + (bad_step + 1) * jnp.asarray(dt), jnp.inf),
    )
    return saves, state, stats


@highest_precision
def diffrax_solve(
    vector_field: Callable,
    solver: diffrax.AbstractSolver,
    y0,
    t0,
    t1,
    dt0,
    save_times,
    *,
    controller: diffrax.AbstractStepSizeController,
    max_steps: int,
    observe: Callable | None = None,
    adjoint: diffrax.AbstractAdjoint | None = None,
    progress: str | None = None,
):
    """Integrate y' = vector_field(t, y) with diffrax, saving `observe(t, y)` (default y) at
    `save_times` (None: at t1 only, the solver's own end state, not an interpolation; its
    forward-mode derivative is the one Lyapunov vectors need). Never raises: the diffrax
    result is promoted into `RESULTS`, and a non-finite saved state is reported as
    `RESULTS.nonfinite_state` with `blowup_time` the first such save time.

    **Returns:** `(saves, stats)`; saves at times the run did not reach are `inf`.
    """
    fn = (lambda t, y, args: y) if observe is None else (lambda t, y, args: observe(t, y))
    sol = diffrax.diffeqsolve(
        diffrax.ODETerm(lambda t, y, args: vector_field(t, y)), solver, t0, t1, dt0, y0,
        saveat=diffrax.SaveAt(ts=save_times, t1=save_times is None, fn=fn),
        stepsize_controller=controller,
        max_steps=max_steps, throw=False, adjoint=adjoint or diffrax.RecursiveCheckpointAdjoint(),
        progress_meter=diffrax_meter(progress),
    )  # fmt: skip
    reached = jnp.isfinite(sol.ts)
    finite = jax.vmap(all_finite)(sol.ys)
    bad = reached & ~finite
    blew_up = jnp.any(bad)
    stats = Stats(
        num_steps=sol.stats["num_accepted_steps"],
        num_rejected_steps=sol.stats["num_rejected_steps"],
        result=first_failure(blew_up, RESULTS.nonfinite_state, True, RESULTS.promote(sol.result)),
        blowup_time=jnp.min(jnp.where(bad, sol.ts, jnp.inf)),
    )
    return sol.ys, stats
