r"""Equilibria and periodic orbits of a flow, differentiable with respect to its parameters
through the implicit function theorem (`jaxdyn.implicit`)."""

from __future__ import annotations

import equinox as eqx
import jax
import jax.numpy as jnp
from jaxtyping import Array, ArrayLike, Complex, Float

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

    tol = default_tolerance(guesses.dtype) if tol is None else float(tol)

    def one(guess):
        return root_find(
            lambda y, system: system.rhs(jnp.zeros((), y.dtype), y), guess, system,
            solver=solver, tol=tol, max_iter=max_iter, linear_solver="dense", throw=False,
        )  # fmt: skip

    solution = one(guesses) if guesses.ndim == 1 else jax.vmap(one)(guesses)
    return check_converged(solution, "equilibria", tol, max_iter) if throw else solution


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

    def step(y, k):
        t = k * h
        k1 = system.rhs(t, y)
        k2 = system.rhs(t + h / 2, y + h / 2 * k1)
        k3 = system.rhs(t + h / 2, y + h / 2 * k2)
        k4 = system.rhs(t + h, y + h * k3)
        return y + h / 6 * (k1 + 2 * k2 + 2 * k3 + k4), None

    return jax.lax.scan(step, y, jnp.arange(n_steps, dtype=y.dtype))[0]


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
    if not float(period_guess) > 0:
        raise ValueError(f"periodic_orbit: expected period_guess > 0, got {period_guess}")
    if n_steps < 1:
        raise ValueError(f"periodic_orbit: expected n_steps >= 1, got {n_steps}")
    anchor = jax.lax.stop_gradient(y_guess)
    normal = jax.lax.stop_gradient(system.rhs(jnp.zeros((), y_guess.dtype), anchor))

    def residual(z, system):
        y, period = z
        return _flow(system, y, period, n_steps) - y, jnp.dot(y - anchor, normal)

    z0 = (y_guess, jnp.asarray(period_guess, y_guess.dtype))
    solution = root_find(
        residual, z0, system, solver=Newton(), tol=tol, max_iter=max_iter,
        linear_solver="dense", throw=throw,
    )  # fmt: skip
    y, period = solution.value
    monodromy = jax.jacfwd(lambda y0: _flow(system, y0, period, n_steps))(jax.lax.stop_gradient(y))
    multipliers = jnp.linalg.eigvals(monodromy)
    return PeriodicOrbit(y, period, multipliers, solution.stats)
