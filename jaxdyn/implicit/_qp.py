"""A differentiable quadratic program (the OptNet layer): solved by jaxopt's OSQP, differentiated
here through the KKT conditions on the active set, in forward and reverse mode.

jaxopt is archived (last release 0.8.5, 2025-04) but its OSQP is the reference solver; it is
imported here, lazily, and nowhere else. Its own implicit differentiation is not used: it
solves the KKT system by conjugate gradients on the normal equations at a fixed 1e-5 relative
tolerance, which loses up to ~1e-3 in the derivative when inequality constraints are active,
and it defines no forward mode.
"""

import functools
import warnings

import equinox as eqx
import jax
import jax.numpy as jnp
from jaxtyping import Array, ArrayLike, Float

from .._checks import check_positive
from .._precision import highest_precision
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
    every one of Q, c, A, b, G, h (Amos & Kolter, "OptNet", ICML 2017), solved by OSQP
    (Stellato et al., Math. Prog. Comp. 12, 2020) in jaxopt.

    The derivative differentiates the KKT conditions on the active set 𝒜 = {i : λᵢ > sᵢ}
    (λ the inequality multipliers, s = h − Gx the slacks): with dλᵢ = 0 off 𝒜,

        [Q   Aᵀ  G𝒜ᵀ] [dx ]     [dQ x + dc + dAᵀν + dGᵀλ]
        [A   0   0  ] [dν ] = − [dA x − db              ]
        [G𝒜  0   0  ] [dλ𝒜]     [dG𝒜 x − dh𝒜           ]

    solved densely (exact to round-off given the solution), as a `jax.custom_jvp`: forward mode
    (`jax.jvp`, `jax.jacfwd`) and reverse mode (by transposition) both work. Strict
    complementarity is assumed (a constraint with λᵢ = sᵢ = 0 has one-sided derivatives);
    linearly dependent active constraints make the system singular and the derivative NaN.

    **Arguments:** `tol` (OSQP's primal and dual tolerance; default max(1e-10, 10³ ε) of the
    inputs' dtype), `max_iter`, `throw` (raise `jaxdyn.SolverFailure` when OSQP does not report
    the problem solved; else read `solve(...).stats`).

    Call it as `layer(Q, c, A=None, b=None, G=None, h=None)`; Q must be symmetric positive
    semidefinite (definite for a unique, differentiable solution).
    """

    tol: float | None = eqx.field(static=True, default=None)
    max_iter: int = eqx.field(static=True, default=10_000)
    throw: bool = eqx.field(static=True, default=True)

    def __check_init__(self):
        if self.tol is not None:
            check_positive(self.tol, "tol", "QPLayer")
        check_positive(self.max_iter, "max_iter", "QPLayer", integer=True)

    @highest_precision
    def solve(
        self,
        Q: Float[ArrayLike, "n n"],
        c: Float[ArrayLike, " n"],
        A: Float[ArrayLike, "m n"] | None = None,
        b: Float[ArrayLike, " m"] | None = None,
        G: Float[ArrayLike, "p n"] | None = None,
        h: Float[ArrayLike, " p"] | None = None,
    ) -> RootSolution:
        """The solution x* with OSQP's stats (iterations, final primal–dual error, result)."""
        Q, c = jnp.asarray(Q), jnp.asarray(c)
        n = c.shape[0] if c.ndim == 1 else -1
        if c.ndim != 1 or Q.shape != (n, n):
            raise ValueError(f"QPLayer: expected Q (n, n) and c (n,), got {Q.shape}, {c.shape}")
        equality = _pair("A", A, "b", b, n)
        inequality = _pair("G", G, "h", h, n)
        tol = self.tol if self.tol is not None else max(1e-10, 1e3 * float(jnp.finfo(c.dtype).eps))
        x, steps, error, status = _solve_qp_compiled(
            (tol, self.max_iter), Q, c, equality, inequality
        )
        result = first_failure(status != _SOLVED, RESULTS.nonconvergence)
        stats = SolverStats(num_steps=steps.astype(int), residual=error, result=result)
        solution = RootSolution(x, stats)
        return check_converged(solution, "QPLayer", tol, self.max_iter) if self.throw else solution

    def __call__(self, Q, c, A=None, b=None, G=None, h=None) -> Float[Array, " n"]:
        return self.solve(Q, c, A, b, G, h).value


def _run_osqp(settings, Q, c, equality, inequality):
    tol, max_iter = settings
    step = _osqp()(tol=tol, maxiter=max_iter).run(
        params_obj=(Q, c), params_eq=equality, params_ineq=inequality
    )
    primal, dual_eq, dual_ineq = step.params
    return primal, dual_eq, dual_ineq, step.state


@functools.partial(jax.custom_jvp, nondiff_argnums=(0,))
def _solve_qp(settings, Q, c, equality, inequality):
    """(x*, iterations, error, status), the last three as floats (no tangents)."""
    x, _, _, state = _run_osqp(settings, Q, c, equality, inequality)
    return _outputs(x, state)


def _outputs(x, state):
    """x* and OSQP's (iterations, error, status) as floats: integer outputs of a custom_jvp
    would need float0 tangents."""
    return x, *(jnp.asarray(v, x.dtype) for v in (state.iter_num, state.error, state.status))


@_solve_qp.defjvp
@highest_precision
def _solve_qp_jvp(settings, primals, tangents):
    Q, c, equality, inequality = primals
    dQ, dc, d_equality, d_inequality = tangents
    x, nu, lam, state = _run_osqp(settings, Q, c, equality, inequality)
    n = x.shape[0]
    A, b = equality if equality is not None else (jnp.zeros((0, n), x.dtype), jnp.zeros(0, x.dtype))
    G, h = (
        inequality
        if inequality is not None
        else (jnp.zeros((0, n), x.dtype), jnp.zeros(0, x.dtype))
    )
    dA, db = d_equality if equality is not None else (jnp.zeros_like(A), jnp.zeros_like(b))
    dG, dh = d_inequality if inequality is not None else (jnp.zeros_like(G), jnp.zeros_like(h))
    nu = jnp.zeros(A.shape[0], x.dtype) if equality is None else nu
    lam = jnp.zeros(G.shape[0], x.dtype) if inequality is None else lam
    active = lam > h - G @ x  # complementarity: the larger of λᵢ and sᵢ is the nonzero one
    m, p = A.shape[0], G.shape[0]
    inactive = jnp.diag(~active).astype(x.dtype)  # dλᵢ = 0 off the active set
    kkt = jnp.block([
        [Q, A.T, G.T],
        [A, jnp.zeros((m, m + p), x.dtype)],
        [jnp.where(active[:, None], G, 0.0), jnp.zeros((p, m), x.dtype), inactive],
    ])  # fmt: skip
    rhs = -jnp.concatenate([
        dQ @ x + dc + dA.T @ nu + dG.T @ lam,
        dA @ x - db,
        jnp.where(active, dG @ x - dh, 0.0),
    ])  # fmt: skip
    dx = jnp.linalg.solve(kkt, rhs)[:n]
    zero = jnp.zeros((), x.dtype)
    return _outputs(x, state), (dx, zero, zero, zero)


# Compiled once per shape and settings: eager calls with new values reuse it.
_solve_qp_compiled = jax.jit(_solve_qp, static_argnums=0)


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
