r"""Forward solvers for F(z) = 0 on a flat vector z: Picard, Anderson, Newton (dense or
Jacobian-free Newton–Krylov) and Broyden. They only compute the solution; derivatives come
from the implicit function theorem (`_implicit.py`), so none of them is ever differentiated.

Every solver stops when ‖F(z)‖∞ ≤ tol·max(1, ‖z‖∞), or at max_iter, or at a non-finite
iterate.
"""

import abc
from collections.abc import Callable

import equinox as eqx
import jax
import jax.numpy as jnp
import lineax as lx
from jaxtyping import Array, Float

from .._results import RESULTS, first_failure
from ._result import SolverStats

Vector = Float[Array, " n"]


def _max_norm(x):
    return jnp.max(jnp.abs(x)) if x.size else jnp.zeros((), x.dtype)


def _threshold(z, tol):
    return tol * jnp.maximum(1.0, _max_norm(z))


def solver_stats(num_steps, residual, z, met_tolerance) -> SolverStats:
    """Stats of a finished iteration: non-finite iterates first, then the tolerance."""
    finite = jnp.all(jnp.isfinite(z)) & jnp.isfinite(residual)
    result = first_failure(~finite, RESULTS.nonfinite_state, ~met_tolerance, RESULTS.nonconvergence)
    return SolverStats(num_steps=num_steps, residual=residual, result=result)


class AbstractRootSolver(eqx.Module):
    """A forward solver for F(z) = 0. Subclasses provide `init` (the solver's state) and
    `step` (one iteration); the loop, the stopping test and the stats are shared."""

    @abc.abstractmethod
    def init(self, F: Callable[[Vector], Vector], z: Vector, residual: Vector):
        """The solver's state before the first step."""

    @abc.abstractmethod
    def step(self, F, z: Vector, residual: Vector, state) -> tuple[Vector, Vector, object]:
        """One iteration: the next iterate, its residual F(z), the new state."""

    def run(self, F, z0: Vector, tol: float, max_iter: int) -> tuple[Vector, SolverStats]:
        residual0 = F(z0)

        def keep_going(carry):
            z, residual, _, k = carry
            finite = jnp.all(jnp.isfinite(z)) & jnp.all(jnp.isfinite(residual))
            return (k < max_iter) & (_max_norm(residual) > _threshold(z, tol)) & finite

        def body(carry):
            z, residual, state, k = carry
            z, residual, state = self.step(F, z, residual, state)
            return z, residual, state, k + 1

        carry = (z0, residual0, self.init(F, z0, residual0), jnp.asarray(0))
        z, residual, _, k = jax.lax.while_loop(keep_going, body, carry)
        size = _max_norm(residual)
        return z, solver_stats(k, size, z, size <= _threshold(z, tol))


class Picard(AbstractRootSolver):
    """Damped Picard iteration z ← z + β F(z); for a fixed point F(z) = f(z) − z this is
    z ← (1 − β) z + β f(z). Converges linearly when f is a contraction."""

    damping: float = eqx.field(static=True, default=1.0)

    def init(self, F, z, residual):
        return None

    def step(self, F, z, residual, state):
        z = z + self.damping * residual
        return z, F(z), state


class Anderson(AbstractRootSolver):
    r"""Anderson acceleration of the map G(z) = z + F(z) (type II, with Tikhonov
    regularisation; Walker & Ni, SIAM J. Numer. Anal. 49, 2011): with the last `memory`
    differences ΔR of residuals and ΔG of map values, γ = argmin ‖r − ΔR γ‖² + λ‖γ‖²,
    z ← G(z) − ΔG γ − (1 − β)(r − ΔR γ), β the `mixing`."""

    memory: int = eqx.field(static=True, default=5)
    mixing: float = eqx.field(static=True, default=1.0)
    regularization: float = eqx.field(static=True, default=1e-10)

    def init(self, F, z, residual):
        zeros = jnp.zeros((self.memory, z.size), z.dtype)
        return zeros, zeros, z + residual, residual, jnp.asarray(0)

    def step(self, F, z, residual, state):
        d_residual, d_map, last_map, last_residual, k = state
        value = z + residual
        slot = k % self.memory
        # The first step has no history: its "difference" rows stay zero (γ = 0 there).
        first = k == 0
        d_residual = d_residual.at[slot].set(jnp.where(first, 0.0, residual - last_residual))
        d_map = d_map.at[slot].set(jnp.where(first, 0.0, value - last_map))
        gram = d_residual @ d_residual.T
        trace = jnp.trace(gram)
        scale = jnp.where(trace > 0, trace, 1.0)
        gram = gram + self.regularization * scale * jnp.eye(self.memory, dtype=z.dtype)
        gamma = jnp.linalg.solve(gram, d_residual @ residual)
        mixed = value - gamma @ d_map - (1 - self.mixing) * (residual - gamma @ d_residual)
        return mixed, F(mixed), (d_residual, d_map, value, residual, k + 1)


class Newton(AbstractRootSolver):
    """Newton's method z ← z − α J⁻¹F(z), J = ∂F/∂z. `linear_solver="dense"` forms J by
    forward-mode autodiff and factorises it (small z); `"gmres"` never forms it: each
    Newton step solves J δ = F by GMRES on Jacobian–vector products (Jacobian-free
    Newton–Krylov; Knoll & Keyes, J. Comput. Phys. 193, 2004). With `backtracking`, α
    halves (at most 30 times) until ‖F‖∞ decreases, which globalises the method from poor
    guesses; near a simple root α = 1 and convergence is quadratic."""

    linear_solver: str = eqx.field(static=True, default="dense")
    krylov_rtol: float = eqx.field(static=True, default=1e-10)
    backtracking: bool = eqx.field(static=True, default=True)

    def __check_init__(self):
        if self.linear_solver not in ("dense", "gmres"):
            raise ValueError(
                f"Newton: expected linear_solver 'dense' or 'gmres', got {self.linear_solver!r}"
            )

    def init(self, F, z, residual):
        return None

    def step(self, F, z, residual, state):
        if self.linear_solver == "dense":
            delta = jnp.linalg.solve(jax.jacfwd(F)(z), residual)
        else:
            operator = lx.JacobianLinearOperator(lambda y, _: F(y), z, jac="fwd")
            solver = lx.GMRES(rtol=self.krylov_rtol, atol=self.krylov_rtol, max_steps=10 * z.size)
            delta = lx.linear_solve(operator, residual, solver, throw=False).value
        if not self.backtracking:
            z = z - delta
            return z, F(z), state
        size = _max_norm(residual)

        def worse(carry):
            alpha, _, new_residual, tries = carry
            new_size = _max_norm(new_residual)
            improved = jnp.isfinite(new_size) & (new_size < (1 - 1e-4 * alpha) * size)
            return ~improved & (tries < 30)

        def halve(carry):
            alpha, _, _, tries = carry
            alpha = alpha / 2
            z_try = z - alpha * delta
            return alpha, z_try, F(z_try), tries + 1

        z_try = z - delta
        one = jnp.ones((), z.dtype)
        _, z, residual, _ = jax.lax.while_loop(worse, halve, (one, z_try, F(z_try), 0))
        return z, residual, state


class Broyden(AbstractRootSolver):
    """Broyden's "good" method: Newton with the inverse Jacobian H ≈ J⁻¹ formed once at the
    initial guess and then updated by rank one, H ← H + (s − Hy) sᵀH / (sᵀHy), s = Δz,
    y = ΔF (Broyden, Math. Comp. 19, 1965). Superlinear; one F evaluation per step."""

    def init(self, F, z, residual):
        return jnp.linalg.inv(jax.jacfwd(F)(z))

    def step(self, F, z, residual, inverse):
        s = -inverse @ residual
        z_next = z + s
        residual_next = F(z_next)
        hy = inverse @ (residual_next - residual)
        denominator = s @ hy
        safe = jnp.where(jnp.abs(denominator) > 0, denominator, 1.0)
        update = jnp.outer(s - hy, s @ inverse) / safe
        inverse = inverse + jnp.where(jnp.abs(denominator) > 0, update, 0.0)
        return z_next, residual_next, inverse
