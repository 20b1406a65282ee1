r"""Solutions defined by an optimality condition, differentiated by the implicit function
theorem (Blondel et al., "Efficient and Modular Implicit Differentiation", NeurIPS 2022).

If F(z*(θ), θ) = 0 and ∂F/∂z is invertible there, then
    ∂z*/∂θ = −(∂F/∂z)⁻¹ ∂F/∂θ,
so a Jacobian-vector product of z* costs one linear solve with ∂F/∂z, and a vector-Jacobian
product one solve with its transpose — whatever the forward solver did and however many
iterations it took. `jax.lax.custom_root` supplies the rule in both modes; the solves are
matrix-free lineax solves (`_linear.py`).
"""

from collections.abc import Callable

import equinox as eqx
import jax
import jax.numpy as jnp
from jax.flatten_util import ravel_pytree
from jaxtyping import PyTree

from .._checks import check_positive, narrowed_input
from .._precision import highest_precision
from ._linear import check_linear_solver, tangent_solve
from ._minimisers import LBFGS, AbstractMinimiser
from ._result import RootSolution, SolverStats, check_converged, default_tolerance
from ._root_solvers import AbstractRootSolver, Anderson, Newton


@highest_precision
def root_find(
    F: Callable[[PyTree, PyTree], PyTree],
    z0: PyTree,
    theta: PyTree,
    *,
    solver: AbstractRootSolver | None = None,
    tol: float | None = None,
    max_iter: int = 100,
    linear_solver: str = "gmres",
    throw: bool = True,
) -> RootSolution:
    """Solve F(z, θ) = 0 for z, differentiably in θ.

    **Arguments:**

    - `F`: the residual, `F(z, theta)`, with the same pytree structure as `z`.
    - `z0`: the initial guess (any pytree of float arrays).
    - `theta`: the parameters (any pytree); `jax.grad`/`jax.jvp` with respect to them go
      through the implicit function theorem.
    - `solver`: `Newton()` (default), `Broyden()`, `Anderson()` or `Picard()`.
    - `tol`: stop when ‖F‖∞ ≤ tol·max(1, ‖z‖∞) (default max(1e-10, 100 ε); 0 runs exactly
      `max_iter` iterations, reported as not converged unless F vanishes).
    - `max_iter`: the iteration limit.
    - `linear_solver`: the backward solve with ∂F/∂z: `"gmres"` (default), `"normal_cg"`
      (least squares: also defined where ∂F/∂z is singular), `"dense"` (LU), `"cg"`
      (symmetric positive definite ∂F/∂z only), or `"anderson"` (for a fixed point of a
      contraction: the backward solve as an Anderson-accelerated fixed-point iteration,
      about as costly as the forward one).
    - `throw`: raise if the solver did not converge (else read `.stats`).

    **Returns:** `RootSolution(value, stats)`.
    """
    solver = Newton() if solver is None else solver
    return _solve(F, z0, theta, solver, tol, max_iter, linear_solver, throw, "root_find")


@highest_precision
def fixed_point(
    f: Callable[[PyTree, PyTree], PyTree],
    z0: PyTree,
    theta: PyTree,
    *,
    solver: AbstractRootSolver | None = None,
    tol: float | None = None,
    max_iter: int = 100,
    linear_solver: str = "gmres",
    throw: bool = True,
) -> RootSolution:
    """Solve z = f(z, θ), differentiably in θ: the root of F(z, θ) = f(z, θ) − z, by
    `Anderson()` acceleration by default. Arguments as for `root_find`."""
    solver = Anderson() if solver is None else solver
    residual = _FixedPointResidual(f)
    return _solve(residual, z0, theta, solver, tol, max_iter, linear_solver, throw, "fixed_point")


@highest_precision
def argmin(
    g: Callable[[PyTree, PyTree], jax.Array],
    x0: PyTree,
    theta: PyTree,
    *,
    solver: AbstractMinimiser | AbstractRootSolver | None = None,
    tol: float | None = None,
    max_iter: int = 1000,
    linear_solver: str = "cg",
    throw: bool = True,
) -> RootSolution:
    """Minimise the scalar g(x, θ) over x, differentiably in θ: the optimality condition
    ∇ₓg(x, θ) = 0, differentiated with the Hessian (symmetric: CG by default). `solver` is a
    minimiser (`LBFGS()` default, `BFGS()`, `GradientDescent()`) or a root solver applied to
    ∇ₓg (e.g. `Newton()`). `tol` bounds the steps for minimisers, ‖∇ₓg‖ for root solvers."""
    solver = LBFGS() if solver is None else solver
    return _solve(
        _Gradient(g), x0, theta, solver, tol, max_iter, linear_solver, throw, "argmin",
        objective=g,
    )  # fmt: skip


# The residuals are Modules, not closures, so that the compiled solve is reused whenever the
# user passes the same function again (a new closure per call would compile anew).
class _FixedPointResidual(eqx.Module):
    f: Callable

    def __call__(self, z, theta):
        return jax.tree.map(jnp.subtract, self.f(z, theta), z)


class _Gradient(eqx.Module):
    g: Callable

    def __call__(self, x, theta):
        return jax.grad(self.g)(x, theta)


def _solve(F, z0, theta, solver, tol, max_iter, linear_solver, throw, what, objective=None):
    check_linear_solver(linear_solver, what)
    if not callable(F):
        raise ValueError(f"{what}: expected a callable F(z, theta), got {F!r}")
    if not isinstance(solver, AbstractRootSolver | AbstractMinimiser):
        raise ValueError(f"{what}: expected a jaxdyn.implicit solver, got {solver!r}")
    if isinstance(solver, AbstractMinimiser) and objective is None:
        raise ValueError(f"{what}: {type(solver).__name__} minimises; expected a root solver")
    max_iter = check_positive(max_iter, "max_iter", what, integer=True)
    z0 = jax.tree.map(lambda x: narrowed_input(x, what, "z0"), z0)
    z0_flat, _ = ravel_pytree(z0)
    if z0_flat.size == 0 or not jnp.issubdtype(z0_flat.dtype, jnp.floating):
        raise ValueError(f"{what}: expected a non-empty float initial guess, got {z0_flat.dtype}")
    tol = (
        default_tolerance(z0_flat.dtype)
        if tol is None
        else check_positive(tol, "tol", what, allow_zero=True)
    )
    solution = _solve_compiled(F, z0, theta, solver, tol, max_iter, linear_solver, what, objective)
    return check_converged(solution, what, tol, max_iter) if throw else solution


@eqx.filter_jit
def _solve_compiled(F, z0, theta, solver, tol, max_iter, linear_solver, what, objective):
    z0_flat, unravel = ravel_pytree(z0)

    def residual(z_flat):
        return ravel_pytree(F(unravel(z_flat), theta))[0]

    shape = jax.eval_shape(residual, z0_flat)
    if shape.shape != z0_flat.shape:
        raise ValueError(
            f"{what}: expected the residual to have the shape of z ({z0_flat.size} numbers), "
            f"got {shape.shape[0] if shape.shape else 1}"
        )

    def solve(residual_fn, z_init):
        if isinstance(solver, AbstractMinimiser):
            g = lambda z: objective(unravel(z), theta)  # noqa: E731
            z, stats = solver.run(g, z_init, tol, max_iter)
        else:
            z, stats = solver.run(residual_fn, z_init, tol, max_iter)
        # custom_root's JVP rule mishandles integer and boolean auxiliary outputs: carry
        # the stats as floats and restore their types after.
        return z, jax.tree.map(lambda x: x.astype(z.dtype), stats)

    symmetric = objective is not None
    z_flat, stats = jax.lax.custom_root(
        residual, z0_flat, solve, tangent_solve(linear_solver, symmetric), has_aux=True
    )
    stats = jax.tree.map(jax.lax.stop_gradient, stats)
    stats = SolverStats(
        num_steps=stats.num_steps.astype(int),
        residual=stats.residual,
        result=jax.tree.map(lambda v: v.astype(jnp.int32), stats.result),
    )
    return RootSolution(unravel(z_flat), stats)
