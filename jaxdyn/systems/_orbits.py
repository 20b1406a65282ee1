r"""Equilibria and periodic orbits of a flow, differentiable with respect to its parameters
through the implicit function theorem (`jaxdyn.implicit`)."""

import equinox as eqx
import jax
import jax.numpy as jnp
from jaxtyping import Array, ArrayLike, Complex, Float

from .._checks import check_positive
from .._integrate import fixed_step_loop, rk4_step
from ..implicit import (
    AbstractRootSolver,
    Newton,
    RootSolution,
    SolverStats,
    check_converged,
    default_tolerance,
    root_find,
)
from ._system import AbstractSystem


def equilibria(
    system: AbstractSystem,
    guesses: Float[ArrayLike, "*batch dim"],
    *,
    solver: AbstractRootSolver | None = None,
    tol: float | None = None,
    max_iter: int = 50,
    throw: bool = True,
) -> RootSolution:
    """Equilibria f(y*) = 0 of an autonomous system, by Newton from each guess (shape
    (dim,) or (k, dim); a batch is solved with `vmap`). The value's derivative with respect
    to the system's parameters follows from ∂y*/∂θ = −(∂f/∂y)⁻¹ ∂f/∂θ; stability from
    `jnp.linalg.eigvals(system.jacobian(0.0, y))`."""
    guesses = jnp.asarray(guesses)
    if guesses.ndim not in (1, 2) or not jnp.issubdtype(guesses.dtype, jnp.floating):
        raise ValueError(
            f"equilibria: expected float guesses of shape (dim,) or (k, dim), got "
            f"{guesses.dtype}{guesses.shape}"
        )

    tol = (
        default_tolerance(guesses.dtype)
        if tol is None
        else check_positive(tol, "tol", "equilibria", allow_zero=True)
    )
    max_iter = check_positive(max_iter, "max_iter", "equilibria", integer=True)
    solution = _equilibria(system, guesses, solver, tol, max_iter)
    return check_converged(solution, "equilibria", tol, max_iter) if throw else solution


def _rest(y, system):
    return system.rhs(jnp.zeros((), y.dtype), y)


@eqx.filter_jit
def _equilibria(system, guesses, solver, tol, max_iter):
    def one(guess):
        return root_find(
            _rest, guess, system, solver=solver, tol=tol, max_iter=max_iter,
            linear_solver="dense", throw=False,
        )  # fmt: skip

    return one(guesses) if guesses.ndim == 1 else jax.vmap(one)(guesses)


class PeriodicOrbit(eqx.Module):
    """A periodic orbit y(t + T) = y(t): a point on it, the period T, the Floquet
    multipliers (eigenvalues of the monodromy matrix ∂φ_T/∂y; one of them is 1, along the
    flow) and the Newton solve's stats."""

    state: Float[Array, " dim"]
    period: Float[Array, ""]
    floquet_multipliers: Complex[Array, " dim"]
    stats: SolverStats


def _flow(system, y, period, n_steps):
    """y ↦ φ_T(y) by `n_steps` classical RK4 steps of h = T/n: a smooth function of y, T
    and θ (the step count is fixed), so Newton and the implicit function theorem can
    differentiate it in either mode; error O(h⁴)."""
    h = period / n_steps

    def step(y, n):
        return rk4_step(lambda c, y: system.rhs((n + c) * h, y), y, h)

    _, y, _ = fixed_step_loop(step, y, n_pre=n_steps, n_per_save=1, n_saves=1, remat=False)
    return y


class _Shooting(eqx.Module):
    """The shooting residual (φ_T(y) − y, (y − anchor)·normal) for θ = (system, anchor,
    normal): a Module, so repeated calls reuse the compiled solve."""

    n_steps: int = eqx.field(static=True)

    def __call__(self, z, theta):
        (y, period), (system, anchor, normal) = z, theta
        return _flow(system, y, period, self.n_steps) - y, jnp.dot(y - anchor, normal)


def periodic_orbit(
    system: AbstractSystem,
    y_guess: Float[ArrayLike, " dim"],
    period_guess: float,
    *,
    n_steps: int = 1000,
    tol: float | None = None,
    max_iter: int = 50,
    throw: bool = True,
) -> PeriodicOrbit:
    """A periodic orbit by single shooting: Newton on (y, T) for
    φ_T(y) − y = 0 and the phase condition (y − y_guess)·f(y_guess) = 0 (the orbit crosses
    the plane through the guess normal to the flow there), with φ_T computed by `n_steps`
    RK4 steps. The point and period are differentiable with respect to the system's
    parameters by the implicit function theorem (e.g. dT/dθ).

    Reference: Seydel, *Practical Bifurcation and Stability Analysis* (Springer 2010), §7.3.
    """
    y_guess = jnp.asarray(y_guess)
    if y_guess.ndim != 1 or not jnp.issubdtype(y_guess.dtype, jnp.floating):
        raise ValueError(
            f"periodic_orbit: expected a float y_guess of shape (dim,), got {y_guess.shape}"
        )
    period_guess = check_positive(period_guess, "period_guess", "periodic_orbit")
    n_steps = check_positive(n_steps, "n_steps", "periodic_orbit", integer=True)
    anchor = jax.lax.stop_gradient(y_guess)
    normal = jax.lax.stop_gradient(system.rhs(jnp.zeros((), y_guess.dtype), anchor))
    z0 = (y_guess, jnp.asarray(period_guess, y_guess.dtype))
    tol = default_tolerance(y_guess.dtype) if tol is None else tol
    solution = root_find(
        _Shooting(n_steps), z0, (system, anchor, normal), solver=Newton(), tol=tol,
        max_iter=max_iter, linear_solver="dense", throw=False,
    )  # fmt: skip
    if throw:
        solution = check_converged(solution, "periodic_orbit", tol, max_iter)
    y, period = solution.value
    multipliers = _floquet_multipliers(system, jax.lax.stop_gradient(y), period, n_steps)
    return PeriodicOrbit(y, period, multipliers, solution.stats)


@eqx.filter_jit
def _floquet_multipliers(system, y, period, n_steps):
    """Eigenvalues of the monodromy matrix ∂φ_T/∂y."""
    return jnp.linalg.eigvals(jax.jacfwd(lambda y0: _flow(system, y0, period, n_steps))(y))
