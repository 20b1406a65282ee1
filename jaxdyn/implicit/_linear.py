"""The backward linear solve of implicit differentiation, through lineax, matrix-free.

Differentiating F(z*(θ), θ) = 0 gives ∂F/∂z · ż = −∂F/∂θ · θ̇ (forward mode) and, transposed,
(∂F/∂z)ᵀ λ = v̄ (reverse mode). `tangent_solve` hands JAX that solve and its transpose
(`jax.lax.custom_linear_solve`), each a lineax solve on the Jacobian-vector (or
vector-Jacobian) product alone; the Jacobian is formed only by the dense solver.
"""

import equinox as eqx
import jax
import jax.numpy as jnp
import lineax as lx

from .._precision import highest_precision
from ._root_solvers import Anderson

LINEAR_SOLVERS = ("gmres", "cg", "normal_cg", "dense", "anderson")


def check_linear_solver(name: str, what: str) -> None:
    if name not in LINEAR_SOLVERS:
        raise ValueError(f"{what}: expected linear_solver in {LINEAR_SOLVERS}, got {name!r}")


def _tolerance(dtype) -> float:
    # Relative accuracy an iterative solve can reach on a moderately conditioned system
    # (cond·ε): asking for 100 ε in float64 makes GMRES stagnate.
    return max(1e-12, 100 * float(jnp.finfo(dtype).eps))


def _lineax_solver(name: str, dtype, size: int):
    tol = _tolerance(dtype)
    if name == "gmres":
        return lx.GMRES(rtol=tol, atol=tol, max_steps=10 * size + 50, restart=min(size, 50))
    if name == "cg":
        return lx.CG(rtol=tol, atol=tol, max_steps=10 * size + 50)
    if name == "normal_cg":
        return lx.Normal(lx.CG(rtol=tol, atol=tol, max_steps=10 * size + 50))
    return lx.LU()


def _anderson(matvec, b):
    """Solve A x = b as the fixed point x = x + A x − b, by Anderson acceleration: for a
    fixed point z = f(z) (A = ∂f/∂z − I) this is the iteration the forward solve used, and
    it converges whenever f is a contraction — at the forward solve's cost, where a Krylov
    method's orthogonalisation would dominate for a small, cheap f."""
    tol = _tolerance(b.dtype)
    x, stats = Anderson().run(lambda x: matvec(x) - b, jnp.zeros_like(b), tol, 10 * b.size + 50)
    return x, stats.converged


def _solve(matvec, b, name: str, symmetric: bool):
    if name == "anderson":
        x, converged = _anderson(matvec, b)
        return eqx.error_if(
            x, ~converged,
            "implicit: the backward fixed-point iteration (linear_solver='anderson') did not "
            "converge (is the map a contraction at z*?); use linear_solver='gmres'.",
        )  # fmt: skip
    structure = jax.eval_shape(lambda: b)
    tags = (lx.symmetric_tag, lx.positive_semidefinite_tag) if name == "cg" else ()
    if name == "cg" and not symmetric:
        raise ValueError("implicit: linear_solver='cg' needs a symmetric ∂F/∂z (use argmin)")
    operator = lx.FunctionLinearOperator(matvec, structure, tags=tags)
    solution = lx.linear_solve(operator, b, _lineax_solver(name, b.dtype, b.size), throw=False)
    x = solution.value
    failed = (solution.result != lx.RESULTS.successful) | ~jnp.all(jnp.isfinite(x))
    return eqx.error_if(
        x,
        failed,
        f"implicit: the backward linear system ∂F/∂z (solver {name!r}) is singular or "
        "could not be solved: z* is not an isolated solution, so its derivative with "
        "respect to θ is not defined (linear_solver='normal_cg' gives the least-squares one).",
    )


def tangent_solve(name: str, symmetric: bool = False):
    """A `tangent_solve` for `jax.lax.custom_root`: solves g(x) = y for the linear map g,
    and its transpose for reverse mode, with the named lineax solver."""

    @highest_precision
    def solve_tangent(g, y):
        solve = lambda mv, b: _solve(mv, b, name, symmetric)  # noqa: E731
        if symmetric:
            return jax.lax.custom_linear_solve(g, y, solve=solve, symmetric=True)
        return jax.lax.custom_linear_solve(g, y, solve=solve, transpose_solve=solve)

    return solve_tangent
