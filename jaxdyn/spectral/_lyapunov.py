r"""Lyapunov spectra of spectral PDEs: the stepper sampled every τ, handed to the tangent-dynamics
mechanism (`jaxdyn.tangent.lyapunov_spectrum_of_map`).

Convention. Tangent vectors are real fields on the grid (the real and imaginary parts for a
complex field), with the grid's Euclidean inner product — the Fourier coefficients' up to a
constant, since the discrete Fourier transform is unitary up to scale. Directions the stepper
cannot move are projected out: the dealiased modes (which the stepper sets to zero; they would
give exponents of −∞), and the mean (k = 0) when the PDE conserves it (L(0) = 0 and N(u) has no
mean; detected), where it would add a spurious zero exponent and shift D_KY by one.
"""

from collections.abc import Callable

import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np
from jaxtyping import Array, ArrayLike, Float

from .._checks import check_positive, concrete_number
from .._grid import FourierGrid
from .._solution import check_stats
from ..tangent import (
    FiniteDifferences,
    LyapunovSpectrum,
    Shadowing,
    finite_difference_sensitivity as tangent_finite_difference_sensitivity,
    lyapunov_spectrum_of_map,
    shadowing_sensitivity as tangent_shadowing_sensitivity,
)
from ..tangent._differences import RELATIVE_STEP
from ._etd import AbstractStepper
from ._pde import AbstractSemilinearPDE
from ._solve import (
    _check_initial_state,
    _check_pde,
    _initial_spectral,
    _resolve_method,
    _stepper_coefficients,
)

_MAX_DIM_FOR_ALL = 4096


def lyapunov_spectrum(
    pde: AbstractSemilinearPDE,
    grid: FourierGrid,
    u0: Float[ArrayLike, "*state"],
    t1: float,
    *,
    dt: float,
    tau: float | None = None,
    t_transient: float = 0.0,
    n_exponents: int | None = None,
    method: AbstractStepper | str = "ETDRK4",
    conserved_mean: bool | None = None,
    history: bool = False,
    throw: bool = True,
    progress: bool = False,
) -> LyapunovSpectrum:
    """The `n_exponents` largest Lyapunov exponents of u_t = L u + N(u) on `grid`.

    The map is `tau / dt` steps of the fixed-step `method` (default ETDRK4); its Jacobian acts
    on tangent fields through `jax.jvp`, re-orthonormalised every τ (Benettin et al. 1980) over
    `t1` after `t_transient`, from `u0`.

    **Arguments:** `pde`, `grid`, `u0` as for `solve`; `t1` (> 0) the averaging time; `dt` the
    step; `tau` the re-orthonormalisation interval, a whole number of steps (default `dt`);
    `t_transient` (≥ 0); `n_exponents` (default: every direction the stepper moves);
    `conserved_mean`: project the mean out of the tangent space (default: when the PDE
    conserves it, detected from L(0) and N of a random field — under `jit`, pass it and
    `n_exponents`); `history`, `throw`, `progress` as for
    `jaxdyn.tangent.lyapunov_spectrum_of_map`.

    **Returns:** `LyapunovSpectrum(exponents, running, stats)`, exponents per unit time.
    """
    what = "spectral.lyapunov_spectrum"
    _check_pde(pde, grid, what)
    u0 = _check_initial_state(pde, grid, u0, what)
    method = _resolve_method(method, what)
    if not isinstance(method, AbstractStepper):
        raise ValueError(f"{what}: expected a jaxdyn stepper (e.g. 'ETDRK4'), got {method!r}")
    t1 = check_positive(t1, "t1", what)
    dt = check_positive(dt, "dt", what)
    tau = dt if tau is None else check_positive(tau, "tau", what)
    steps_per_tau = round(tau / dt)
    if steps_per_tau < 1 or abs(steps_per_tau * dt - tau) > 1e-9 * tau:
        raise ValueError(f"{what}: expected tau a whole number of steps dt = {dt}, got {tau}")
    t_transient = check_positive(t_transient, "t_transient", what, allow_zero=True)
    if conserved_mean is None:
        conserved_mean = _conserves_mean(pde, grid, u0)
    elif not isinstance(conserved_mean, bool):
        raise ValueError(
            f"{what}: expected conserved_mean True, False or None, got {conserved_mean!r}"
        )
    if n_exponents is not None:
        n_exponents = concrete_number(n_exponents, "n_exponents", what, integer=True)
    if n_exponents is None:
        _, project, flat0, _ = _tangent_problem(
            pde, grid, method, u0, dt, steps_per_tau, conserved_mean
        )
        if flat0.size > _MAX_DIM_FOR_ALL:
            raise ValueError(
                f"{what}: expected n_exponents for a state of {flat0.size} values (all of them "
                f"are computed by default only up to {_MAX_DIM_FOR_ALL})"
            )
        n_exponents = _rank(project, flat0)
    result = _spectrum(
        pde, grid, method, u0, dt, steps_per_tau, conserved_mean, max(1, round(t1 / tau)),
        n_exponents, round(t_transient / tau), tau, bool(history), bool(progress),
    )  # fmt: skip
    return check_stats(result.stats, result, what) if throw else result


@eqx.filter_jit
def _spectrum(pde, grid, method, u0, dt, steps_per_tau, conserved_mean, n_steps, n_exponents,
              n_transient, tau, history, progress):  # fmt: skip
    # The maps are built inside the compiled function: built outside, each call would hand
    # lyapunov_spectrum_of_map new closures and compile again.
    step, project, flat0, _ = _tangent_problem(
        pde, grid, method, u0, dt, steps_per_tau, conserved_mean
    )
    return lyapunov_spectrum_of_map(
        step, flat0, n_steps, n_exponents=n_exponents, n_transient=n_transient,
        time_per_step=tau, history=history, tangent_projection=project, throw=False,
        progress=progress,
    )  # fmt: skip


def _tangent_problem(pde, grid, method, u0, dt, steps_per_tau, conserved_mean):
    """The step map, the tangent projection and the initial state, all on flat real vectors."""
    complex_dtype = jnp.result_type(u0.dtype, jnp.complex64)
    shape, is_complex = u0.shape, jnp.iscomplexobj(u0)
    coefficients = _stepper_coefficients(method, pde.linear(grid), dt, complex_dtype)
    real_dtype = jnp.finfo(u0.dtype).dtype

    def flatten(u):
        return jnp.concatenate([u.real.ravel(), u.imag.ravel()]) if is_complex else u.ravel()

    def unflatten(v):
        if is_complex:
            half = v.size // 2
            return jax.lax.complex(v[:half], v[half:]).reshape(shape)
        return v.reshape(shape)

    def keep(u_hat):
        u_hat = pde.dealias(u_hat, grid) if pde.dealiased else u_hat
        return u_hat.at[(..., *(0,) * grid.ndim)].set(0) if conserved_mean else u_hat

    def step(v):
        u_hat = pde.to_spectral(unflatten(v), grid).astype(complex_dtype)

        def one(_, u_hat):
            nonlinear = lambda w: pde.nonlinear(w, grid).astype(complex_dtype)  # noqa: E731
            return method.step(coefficients, u_hat, nonlinear)

        u_hat = jax.lax.fori_loop(0, steps_per_tau, one, u_hat)
        return flatten(pde.to_physical(u_hat, grid).astype(u0.dtype)).astype(real_dtype)

    def project(v):
        u_hat = keep(pde.to_spectral(unflatten(v), grid))
        return flatten(pde.to_physical(u_hat, grid).astype(u0.dtype)).astype(real_dtype)

    def vector_field(v):
        """u_t = L u + N(u) at the flat state v, flat."""
        u_hat = pde.to_spectral(unflatten(v), grid).astype(complex_dtype)
        rate = pde.linear(grid) * u_hat + pde.nonlinear(u_hat, grid)
        return flatten(pde.to_physical(rate, grid).astype(u0.dtype)).astype(real_dtype)

    u_hat0 = _initial_spectral(pde, grid, u0, complex_dtype)
    flat0 = flatten(pde.to_physical(u_hat0, grid).astype(u0.dtype)).astype(real_dtype)
    return step, project, flat0, (vector_field, unflatten)


def _rank(project, flat0) -> int:
    """dim P, the trace of the projection's matrix (it depends on the grid alone, so it is
    evaluated now even inside a trace)."""
    with jax.ensure_compile_time_eval():
        eye = jnp.eye(flat0.size, dtype=flat0.dtype)
        return round(float(jnp.trace(jax.vmap(project)(eye))))


def _conserves_mean(pde, grid, u0) -> bool:
    """L(0) = 0 and N(u) has no mean, for a random field: the mean is then invariant."""
    try:
        with jax.ensure_compile_time_eval():
            origin = (..., *(0,) * grid.ndim)
            if np.any(np.abs(np.asarray(pde.linear(grid))[origin]) > 0):
                return False
            real = jnp.finfo(u0.dtype).dtype
            u = jax.random.normal(jax.random.key(1), u0.shape, real).astype(u0.dtype)
            nonlinear = np.asarray(pde.nonlinear(pde.to_spectral(u, grid), grid))
    except (jax.errors.ConcretizationTypeError, jax.errors.TracerArrayConversionError) as error:
        raise ValueError(
            "spectral.lyapunov_spectrum: the PDE's parameters are traced here, so whether it "
            "conserves the mean cannot be detected; expected conserved_mean=True or False"
        ) from error
    scale = float(np.max(np.abs(nonlinear))) or 1.0
    return bool(np.all(np.abs(nonlinear[origin]) <= 1e3 * np.finfo(real).eps * scale))


def shadowing_sensitivity(
    pde: AbstractSemilinearPDE,
    grid: FourierGrid,
    u0: Float[ArrayLike, "*state"],
    observable: Callable[[Array], Array],
    t1: float,
    *,
    dt: float,
    segment: float,
    t_transient: float,
    method: AbstractStepper | str = "ETDRK4",
    n_unstable: int | None = None,
    throw: bool = True,
) -> Shadowing:
    """⟨J(u)⟩ over the PDE's attractor and its derivative with respect to every parameter
    of `pde`, by shadowing (NILSS; `jaxdyn.tangent.shadowing_sensitivity`): the map is one
    step `dt` of `method`, the flow direction u_t is projected out at each `segment` end,
    and the unstable directions are counted over `t_transient` unless `n_unstable` is given.
    `observable` takes the field u (physical space). Where the spectrum has many near-neutral
    exponents (Kuramoto–Sivashinsky at L = 128) the estimate scatters without converging;
    `finite_difference_sensitivity` holds there. **Returns:** `Shadowing(average, gradient,
    n_unstable, exponents, stats)`, the gradient a PDE-shaped pytree.
    """
    what = "spectral.shadowing_sensitivity"
    flat0, (t1, dt, t_transient), params, problem = _average_problem(
        pde, grid, u0, observable, method, t1, dt, t_transient, what
    )
    steps = max(1, round(check_positive(segment, "segment", what) / dt))
    return tangent_shadowing_sensitivity(
        _PDEStep(problem), _OfField(observable, problem), flat0, params,
        n_segments=max(1, round(t1 / (steps * dt))), steps_per_segment=steps, time_per_step=dt,
        flow=_PDEField(problem), n_unstable=n_unstable, n_transient=round(t_transient / dt),
        throw=throw,
    )  # fmt: skip


def finite_difference_sensitivity(
    pde: AbstractSemilinearPDE,
    grid: FourierGrid,
    u0s: Float[ArrayLike, "orbits ..."],
    observable: Callable[[Array], Array],
    t1: float,
    *,
    dt: float,
    t_transient: float,
    relative_step: float = RELATIVE_STEP,
    method: AbstractStepper | str = "ETDRK4",
    throw: bool = True,
) -> FiniteDifferences:
    """⟨J(u)⟩ over the PDE's attractor and its derivative with respect to every parameter
    of `pde` by central differences of ensemble averages
    (`jaxdyn.tangent.finite_difference_sensitivity`): each of the N orbits from `u0s`
    (N >= 2) runs `t_transient` and then `t1` more, steps `dt` of `method`, at the parameters
    and at each one moved by ±`relative_step` of itself. No hyperbolicity is assumed, so it
    holds where shadowing does not (Kuramoto–Sivashinsky at large L).
    **Returns:** `FiniteDifferences(average, gradient, standard_error, average_error,
    averages, stats)`, the gradient and its errors PDE-shaped pytrees, averages and stats
    (2p + 1, N).
    """
    what = "spectral.finite_difference_sensitivity"
    flat, (t1, dt, t_transient), params, problem = _average_problem(
        pde, grid, u0s, observable, method, t1, dt, t_transient, what, batched=True
    )
    return tangent_finite_difference_sensitivity(
        _PDEStep(problem), _OfField(observable, problem), flat, params,
        n_steps=max(1, round(t1 / dt)), n_transient=round(t_transient / dt),
        relative_step=relative_step, throw=throw,
    )  # fmt: skip


def _average_problem(pde, grid, u0, observable, method, t1, dt, t_transient, what, batched=False):
    """The checks and the step-map problem shared by the derivatives of a PDE's long-time
    averages: (flat initial state(s), (t1, dt, t_transient), parameters, `_Problem`)."""
    _check_pde(pde, grid, what)
    u0 = _check_initial_state(pde, grid, u0, what, batched=batched)
    if not callable(observable):
        raise ValueError(f"{what}: expected a callable observable J(u), got {observable!r}")
    method = _resolve_method(method, what)
    if not isinstance(method, AbstractStepper):
        raise ValueError(f"{what}: expected a jaxdyn stepper (e.g. 'ETDRK4'), got {method!r}")
    t1, dt = check_positive(t1, "t1", what), check_positive(dt, "dt", what)
    t_transient = check_positive(t_transient, "t_transient", what, allow_zero=True)
    flatten = lambda u: _tangent_problem(pde, grid, method, u, dt, 1, False)[2]  # noqa: E731
    flat = jax.vmap(flatten)(u0) if batched else flatten(u0)
    params, static = eqx.partition(pde, eqx.is_inexact_array)
    problem = _Problem(static, grid, method, u0[0] if batched else u0, dt)
    return flat, (t1, dt, t_transient), params, problem


# Modules, not closures: equal problems are equal static arguments, so a second call with
# new parameter values reuses the compiled shadowing run. The maps are rebuilt at trace time
# from the PDE with the (differentiated) parameters, coefficients included.
class _Problem(eqx.Module):
    static: AbstractSemilinearPDE
    grid: FourierGrid
    method: AbstractStepper
    template: Array
    dt: float = eqx.field(static=True)

    def maps(self, params):
        pde = eqx.combine(params, self.static)
        return _tangent_problem(pde, self.grid, self.method, self.template, self.dt, 1, False)


class _PDEStep(eqx.Module):
    problem: _Problem

    def __call__(self, v, params):
        return self.problem.maps(params)[0](v)


class _PDEField(eqx.Module):
    problem: _Problem

    def __call__(self, v, params):
        return self.problem.maps(params)[3][0](v)


class _OfField(eqx.Module):
    observable: Callable
    problem: _Problem

    def __call__(self, v, params):
        return self.observable(self.problem.maps(params)[3][1](v))
