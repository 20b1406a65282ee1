"""`solve`: integrate a semilinear PDE by an exponential stepper or any diffrax solver."""

import math
from collections.abc import Sequence

import diffrax
import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np
from jaxtyping import ArrayLike, Inexact

from .._checks import (
    check_finite,
    check_finite_parameters,
    check_positive,
    check_tolerances,
    concrete_times,
    narrowed_input,
)
from .._grid import FourierGrid
from .._integrate import diffrax_solve, fixed_step_loop
from .._sharding import map_batch, shard_batch
from .._solution import Solution, check_solution
from ._etd import ETDRK1, ETDRK2, ETDRK3, ETDRK4, IFRK4, AbstractStepper
from ._pde import AbstractSemilinearPDE

_STEPPERS = {cls.__name__.lower(): cls for cls in (ETDRK1, ETDRK2, ETDRK3, ETDRK4, IFRK4)}
_DEFAULT_ADAPTIVE_MAX_STEPS = 100_000


def solve(
    pde: AbstractSemilinearPDE,
    grid: FourierGrid,
    u0: Inexact[ArrayLike, "*state"],
    t1: float,
    *,
    dt: float,
    method: AbstractStepper | diffrax.AbstractSolver | str = "ETDRK4",
    t0: float = 0.0,
    saveat: int | ArrayLike | Sequence[float] | None = None,
    rtol: float | None = None,
    atol: float | None = None,
    max_steps: int | None = None,
    throw: bool = True,
    progress: bool = False,
) -> Solution:
    """Integrate u_t = L u + N(u) from `u0` at `t0` to `t1` on a periodic grid.

    Two roads from the same PDE:

    - a jaxdyn stepper (`ETDRK1`–`ETDRK4`, `IFRK4`, or its name): fixed steps of at most `dt`,
      shortened so that every save time is a step boundary (the step used is
      (t1 − t0)/stats.num_steps); exponential coefficients are computed once per solve.
    - a diffrax solver instance (e.g. `diffrax.Dopri8()`), integrating the Fourier
      coefficients; adaptive with a PID controller when `rtol`/`atol` are given (initial step
      `dt`), else fixed steps of `dt` with dense-output saves.

    The state lives in Fourier space during the run; saved states are returned in physical
    space, in the precision of `u0` (complex for complex PDEs such as NLSE). For dealiased
    PDEs (all nonlinear ones) `u0` is first projected onto the 2/3-rule modes, so `ys[0]`
    at `t0` is that projection. On a grid with a `device_mesh` the state is split over the
    devices throughout (`u0` is placed so; the transforms are distributed), and so are `ys`.

    **Arguments:**

    - `pde`, `grid`: the equation and its grid.
    - `u0`: initial state of shape `pde.field_shape(grid)`; vmap over `solve` for batches.
    - `t1`, `dt`, `t0`: concrete numbers, `dt > 0`, `t1 > t0`.
    - `method`: a stepper, its name, or a diffrax solver (default ETDRK4).
    - `saveat`: `None` (only `t1`), an int n (n equally spaced times from t0 to t1), or an
      increasing array of times in [t0, t1] (equally spaced for fixed-step steppers).
    - `rtol`, `atol`: tolerances of the adaptive diffrax road (rtol at least 10 ε of the
      state's precision). States at save times the run did not reach are `inf`.
    - `max_steps`: step limit of the diffrax road (default: enough for fixed steps, 10⁵ for
      adaptive ones).
    - `throw`: raise if the state became non-finite or the run did not reach t1; with
      `throw=False` the failure is only reported in `stats` (use this on TPU).
    - `progress`: print the progress to stderr while running.

    **Returns:** `Solution(ts, ys, stats)` with `ys[i]` the state at `ts[i]`.
    """
    _check_pde(pde, grid, "solve")
    u0 = grid.place(_check_initial_state(pde, grid, u0, "solve"))
    road, arguments = _plan(u0.dtype, t1, dt, method, t0, saveat, rtol, atol, max_steps, "solve")
    solution = _solve(road, u0, pde, grid, arguments, progress)
    return check_solution(solution, "solve") if throw else solution


def ensemble(
    pde: AbstractSemilinearPDE,
    grid: FourierGrid,
    u0s: Inexact[ArrayLike, " batch *state"],
    t1: float,
    *,
    dt: float,
    method: AbstractStepper | diffrax.AbstractSolver | str = "ETDRK4",
    t0: float = 0.0,
    saveat: int | ArrayLike | Sequence[float] | None = None,
    rtol: float | None = None,
    atol: float | None = None,
    max_steps: int | None = None,
    throw: bool = True,
    progress: bool = False,
) -> Solution:
    """`solve` for a batch of initial states `u0s` (leading batch axis), in one compiled call.

    With more than one device the batch is padded to a multiple of the device count and split
    across all of them under `jax.shard_map`: each device integrates its own members, FFTs
    included, with no communication at all (plain `vmap` over a batch-sharded array may
    gather the whole batch onto every device around `jnp.fft`; jax #15680). Same arguments
    as `solve`, each member's run identical to `solve`'s.

    **Returns:** `Solution` whose every field has a leading batch axis (as for
    `systems.ensemble`); with `throw=True`, raises if any member failed (naming how many).
    """
    _check_pde(pde, grid, "ensemble")
    if grid.device_mesh is not None:
        raise ValueError(
            "ensemble: this grid is split over a device mesh, which an ensemble's batch "
            "cannot also be; use a grid without a mesh (the batch is split instead) or solve "
            "the members one by one on the split grid"
        )
    u0s = _check_initial_state(pde, grid, u0s, "ensemble", batched=True)
    road, arguments = _plan(u0s.dtype, t1, dt, method, t0, saveat, rtol, atol, max_steps,
                            "ensemble")  # fmt: skip
    batch = u0s.shape[0]
    u0s, mesh = shard_batch(u0s, batch)
    solution = _ensemble(road, u0s, pde, grid, arguments, progress, mesh)
    solution = jax.tree.map(lambda x: x[:batch], solution)
    # Checked on the host (an error check inside the split program would gather the stats).
    return check_solution(solution, "ensemble") if throw else solution


@eqx.filter_jit
def _solve(road, u0, pde, grid, arguments, progress):
    return road(u0, pde, grid, *arguments, progress)


@eqx.filter_jit
def _ensemble(road, u0s, pde, grid, arguments, progress, mesh):
    return map_batch(lambda u0: road(u0, pde, grid, *arguments, progress), u0s, mesh)


def _plan(dtype, t1, dt, method, t0, saveat, rtol, atol, max_steps, what):
    """The road (`_fixed_road` or `_diffrax_road`) and its arguments after the PDE and grid:
    every option checked, times and tolerances as arrays of the state's precision."""
    t0, t1, dt = _check_times(t0, t1, dt, what)
    save_times = _save_times(saveat, t0, t1, what)
    method = _resolve_method(method, what)
    real = jnp.finfo(dtype).dtype
    if isinstance(method, AbstractStepper):
        if rtol is not None or atol is not None or max_steps is not None:
            raise ValueError(
                f"{what}: rtol/atol/max_steps apply to diffrax solvers; {type(method).__name__} "
                "takes fixed steps (pass e.g. method=diffrax.Dopri8() for adaptive stepping)"
            )
        n_pre, n_per_save, dt_used = _fixed_step_plan(save_times, t0, dt, what)
        return _fixed_road, (
            method, jnp.asarray(t0, real), jnp.asarray(dt_used, real),
            jnp.asarray(save_times, real), n_pre, n_per_save,
        )  # fmt: skip
    if (rtol is None) != (atol is None):
        rtol, atol = (rtol, rtol) if atol is None else (atol, atol)
    if rtol is not None:
        rtol, atol = check_tolerances(rtol, atol, real, what)
    if max_steps is None:
        fixed = rtol is None
        max_steps = math.ceil((t1 - t0) / dt) + 1 if fixed else _DEFAULT_ADAPTIVE_MAX_STEPS
    max_steps = check_positive(max_steps, "max_steps", what, integer=True)
    controller = (
        diffrax.ConstantStepSize()
        if rtol is None
        else diffrax.PIDController(rtol=jnp.asarray(rtol, real), atol=jnp.asarray(atol, real))
    )
    return _diffrax_road, (
        method, controller, jnp.asarray(t0, real), jnp.asarray(t1, real),
        jnp.asarray(dt, real), jnp.asarray(save_times, real), int(max_steps),
    )  # fmt: skip


# ---------------------------------------------------------------------------- checks
def _check_pde(pde, grid, what):
    if not isinstance(pde, AbstractSemilinearPDE):
        raise ValueError(f"{what}: expected an AbstractSemilinearPDE, got {type(pde).__name__}")
    if not isinstance(grid, FourierGrid):
        raise ValueError(f"{what}: expected a FourierGrid, got {type(grid).__name__}")
    check_finite_parameters(pde, what)


def _check_initial_state(pde, grid, u0, what, batched=False):
    name = "u0s" if batched else "u0"
    u0 = narrowed_input(u0, what, name)
    field = pde.field_shape(grid)
    if batched and (u0.ndim != len(field) + 1 or u0.shape[1:] != field or not u0.shape[0]):
        raise ValueError(
            f"{what}: expected u0s of shape (batch, *{field}) for {type(pde).__name__} on "
            f"this grid, with batch >= 1; got {u0.shape}"
        )
    if not batched and u0.shape != field:
        raise ValueError(
            f"{what}: expected u0 of shape {field} for {type(pde).__name__} on this grid, "
            f"got {u0.shape} (spectral.ensemble integrates batches)"
        )
    if jnp.issubdtype(u0.dtype, jnp.integer) or u0.dtype == jnp.bool_:
        u0 = u0.astype(jnp.result_type(float))
    if u0.dtype not in (jnp.float32, jnp.float64, jnp.complex64, jnp.complex128):
        raise ValueError(
            f"{what}: expected {name} of a float32/64 or complex64/128 dtype, got {u0.dtype}"
        )
    if jnp.iscomplexobj(u0) and not pde.complex_state:
        raise ValueError(f"{what}: {type(pde).__name__} evolves a real field; got complex {name}")
    if pde.complex_state:
        u0 = u0.astype(jnp.result_type(u0.dtype, jnp.complex64))
    return check_finite(u0, f"{what}: {name}")


def _check_times(t0, t1, dt, what):
    try:
        t0, t1, dt = float(t0), float(t1), float(dt)
    except (TypeError, jax.errors.ConcretizationTypeError) as error:
        raise ValueError(
            f"{what}: expected concrete numbers for t0, t1 and dt (the number of steps is part "
            "of the compiled program)"
        ) from error
    if not all(map(math.isfinite, (t0, t1, dt))):
        raise ValueError(f"{what}: expected finite t0, t1, dt, got {t0}, {t1}, {dt}")
    if dt <= 0:
        raise ValueError(f"{what}: expected dt > 0, got dt = {dt}")
    if t1 <= t0:
        raise ValueError(f"{what}: expected t1 > t0, got t0 = {t0}, t1 = {t1}")
    return t0, t1, dt


def _save_times(saveat, t0, t1, what) -> np.ndarray:
    if saveat is None:
        return np.array([t1])
    if isinstance(saveat, int | np.integer):
        if saveat < 1:
            raise ValueError(f"{what}: expected saveat >= 1 snapshots, got {saveat}")
        return np.array([t1]) if saveat == 1 else np.linspace(t0, t1, int(saveat))
    ts = concrete_times(saveat, what)
    span = 1e-12 * max(abs(t0), abs(t1), 1.0)
    if ts.size == 0 or np.any(np.diff(ts) <= 0) or ts[0] < t0 - span or ts[-1] > t1 + span:
        raise ValueError(
            f"{what}: expected saveat as increasing times in [t0, t1] = [{t0}, {t1}], "
            f"got {saveat!r}"
        )
    return np.clip(ts, t0, t1)


def _resolve_method(method, what):
    if isinstance(method, str) and method.lower() in _STEPPERS:
        return _STEPPERS[method.lower()]()
    if isinstance(method, AbstractStepper | diffrax.AbstractSolver):
        return method
    names = ", ".join(cls.__name__ for cls in _STEPPERS.values())
    raise ValueError(
        f"{what}: expected method to be one of {names} (or its name), or a diffrax solver "
        f"instance such as diffrax.Dopri8(); got {method!r}"
    )


def _fixed_step_plan(save_times, t0, dt, what) -> tuple[int, int, float]:
    """Steps before the first save, steps between saves, and the step size, such that every
    save time is a step boundary and the step is at most dt."""
    gaps = np.diff(save_times)
    if gaps.size and not np.allclose(gaps, gaps[0], rtol=1e-9, atol=0):
        raise ValueError(
            f"{what}: fixed-step methods need equally spaced save times; got "
            f"{save_times!r}. Use saveat=<int> or an adaptive diffrax solver."
        )
    spacing = gaps[0] if gaps.size else save_times[0] - t0
    if spacing <= 0:  # a single save at t0
        return 0, 1, dt
    n_per_save = max(1, math.ceil(spacing / dt - 1e-9))
    dt_used = spacing / n_per_save
    offset = (save_times[0] - t0) / dt_used
    if abs(offset - round(offset)) > 1e-6:
        raise ValueError(
            f"{what}: the first save time {save_times[0]} must lie a whole number of steps "
            f"({dt_used:g}) after t0 = {t0} for fixed-step methods"
        )
    return round(offset), n_per_save, dt_used


# ---------------------------------------------------------------------------- roads
def _stepper_coefficients(method, linear, dt, complex_dtype):
    """The stepper's coefficients in the state's precision; real when L is real (dissipative
    PDEs), which halves the cost of applying them to the complex state."""
    linear = jnp.asarray(linear)
    dtype = complex_dtype if jnp.iscomplexobj(linear) else jnp.finfo(complex_dtype).dtype
    coefficients = method.coefficients(linear.astype(dtype), dt)
    return jax.tree.map(lambda c: c.astype(dtype), coefficients)


def _initial_spectral(pde, grid, u0, complex_dtype):
    u_hat = pde.to_spectral(u0, grid).astype(complex_dtype)
    return pde.dealias(u_hat, grid) if pde.dealiased else u_hat


def _fixed_road(u0, pde, grid, method, t0, dt, save_times, n_pre, n_per_save, progress):
    complex_dtype = jnp.result_type(u0.dtype, jnp.complex64)
    coefficients = _stepper_coefficients(method, pde.linear(grid), dt, complex_dtype)

    def nonlinear(u_hat):
        return pde.nonlinear(u_hat, grid).astype(complex_dtype)

    def physical(u_hat):
        return pde.to_physical(u_hat, grid).astype(u0.dtype)

    ys, _, stats = fixed_step_loop(
        lambda u_hat, n: method.step(coefficients, u_hat, nonlinear),
        _initial_spectral(pde, grid, u0, complex_dtype),
        n_pre=n_pre, n_per_save=n_per_save, n_saves=save_times.shape[0], observe=physical,
        t0=t0, dt=dt, progress="solve" if progress else None,
    )  # fmt: skip
    return Solution(save_times, ys, stats)


def _diffrax_road(u0, pde, grid, solver, controller, t0, t1, dt, save_times, max_steps, progress):
    # diffrax integrates the real view (Re û, Im û): its complex support is experimental,
    # and the error norm of the adaptive controller is then the plain RMS over both parts.
    complex_dtype = jnp.result_type(u0.dtype, jnp.complex64)
    linear = jnp.asarray(pde.linear(grid), complex_dtype)

    def as_complex(y):
        return jax.lax.complex(y[0], y[1])

    def vector_field(t, y):
        u_hat = as_complex(y)
        f = linear * u_hat + pde.nonlinear(u_hat, grid).astype(complex_dtype)
        return jnp.stack([f.real, f.imag])

    def physical(t, y):
        return pde.to_physical(as_complex(y), grid).astype(u0.dtype)

    u_hat0 = _initial_spectral(pde, grid, u0, complex_dtype)
    ys, stats = diffrax_solve(
        vector_field, solver, jnp.stack([u_hat0.real, u_hat0.imag]), t0, t1, dt, save_times,
        controller=controller, max_steps=max_steps, observe=physical,
        progress="solve" if progress else None,
    )  # fmt: skip
    return Solution(save_times, ys, stats)
