"""A differentiable quadratic program (the OptNet layer) on jaxopt's OSQP.

jaxopt is archived (last release 0.8.5, 2025-04) but its OSQP with implicit differentiation
of the KKT conditions is what only it offers; it is imported here, lazily, and nowhere else.
"""

from __future__ import annotations

import warnings

import equinox as eqx
import jax.numpy as jnp
from jaxtyping import Array, Float

from .._results import RESULTS, first_failure
from ._result import RootSolution, SolverStats, check_converged

_SOLVED = 1  # jaxopt.BoxOSQP status code


def _osqp():
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=DeprecationWarning, module="jaxopt")
        warnings.filterwarnings("ignore", message=".*JAXopt is no longer maintained.*")
        from jaxopt import OSQP
    return OSQP


class QPLayer(eqx.Module):
    """x* = argmin ½xᵀQx + cᵀx  subject to  Ax = b, Gx ≤ h, differentiable with respect to
    every one of Q, c, A, b, G, h through the KKT conditions (Amos & Kolter, "OptNet",
    ICML 2017), solved by OSQP (Stellato et al., Math. Prog. Comp. 12, 2020) in jaxopt.

    **Arguments:** `tol` (OSQP's primal and dual tolerance), `max_iter`, `throw` (raise
    when OSQP does not report the problem solved; else read `solve(...).stats`).

    Call it as `layer(Q, c, A=None, b=None, G=None, h=None)`; Q must be symmetric positive
    semidefinite (definite for a unique, differentiable solution).
    """

    tol: float = eqx.field(static=True, default=1e-10)
    max_iter: int = eqx.field(static=True, default=10_000)
    throw: bool = eqx.field(static=True, default=True)

    def solve(
        self,
        Q: Float[Array, "n n"],
        c: Float[Array, " n"],
        A: Float[Array, "m n"] | None = None,
        b: Float[Array, " m"] | None = None,
        G: Float[Array, "p n"] | None = None,
        h: Float[Array, " p"] | None = None,
    ) -> RootSolution:
        """The solution x* with OSQP's stats (iterations, final primal–dual error)."""
        Q, c = jnp.asarray(Q), jnp.asarray(c)
        n = c.shape[0] if c.ndim == 1 else -1
        if c.ndim != 1 or Q.shape != (n, n):
            raise ValueError(f"QPLayer: expected Q (n, n) and c (n,), got {Q.shape}, {c.shape}")
        equality = _pair("A", A, "b", b, n)
        inequality = _pair("G", G, "h", h, n)
        solver = _osqp()(tol=self.tol, maxiter=self.max_iter)
        step = solver.run(params_obj=(Q, c), params_eq=equality, params_ineq=inequality)
        state = step.state
        result = first_failure(state.status != _SOLVED, RESULTS.nonconvergence)
        stats = SolverStats(num_steps=state.iter_num, residual=state.error, result=result)
        solution = RootSolution(step.params.primal, stats)
        return (
            check_converged(solution, "QPLayer", self.tol, self.max_iter)
            if self.throw
            else solution
        )

    def __call__(self, Q, c, A=None, b=None, G=None, h=None) -> Float[Array, " n"]:
        return self.solve(Q, c, A, b, G, h).value


def _pair(matrix_name, matrix, vector_name, vector, n):
    if matrix is None and vector is None:
        return None
    if matrix is None or vector is None:
        raise ValueError(f"QPLayer: pass both {matrix_name} and {vector_name}, or neither")
    matrix, vector = jnp.asarray(matrix), jnp.asarray(vector)
    if matrix.ndim != 2 or matrix.shape[1] != n or vector.shape != (matrix.shape[0],):
        raise ValueError(
            f"QPLayer: expected {matrix_name} of shape (m, {n}) and {vector_name} of shape "
            f"(m,), got {matrix.shape} and {vector.shape}"
        )
    return matrix, vector
