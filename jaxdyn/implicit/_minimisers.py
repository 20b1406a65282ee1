"""Forward solvers for argmin_z g(z): gradient descent, BFGS and L-BFGS from optimistix.
Like the root solvers they only compute z*; its derivative comes from the implicit function
theorem applied to ∇g(z*) = 0."""

import abc

import equinox as eqx
import jax
import jax.numpy as jnp
import optimistix as optx

from .._checks import check_positive
from ._root_solvers import solver_stats


class AbstractMinimiser(eqx.Module):
    """A forward solver for argmin g: `optimiser(tol)` is the optimistix solver it runs."""

    @abc.abstractmethod
    def optimiser(self, tol: float) -> optx.AbstractMinimiser:
        """The optimistix minimiser with tolerance `tol` on steps and values."""

    def run(self, g, z0, tol: float, max_iter: int):
        solution = optx.minimise(
            lambda z, _: g(z), self.optimiser(tol), z0, max_steps=max_iter, throw=False
        )
        z = solution.value
        residual = jnp.max(jnp.abs(jax.grad(g)(z)))
        met = solution.result == optx.RESULTS.successful
        return z, solver_stats(solution.stats["num_steps"], residual, z, met)


class GradientDescent(AbstractMinimiser):
    """z ← z − η∇g(z), with a fixed learning rate η."""

    learning_rate: float = eqx.field(static=True, default=1e-2)

    def __check_init__(self):
        check_positive(self.learning_rate, "learning_rate", "GradientDescent")

    def optimiser(self, tol):
        return optx.GradientDescent(learning_rate=self.learning_rate, rtol=tol, atol=tol)


class BFGS(AbstractMinimiser):
    """Quasi-Newton with the dense BFGS inverse-Hessian update and a backtracking line search
    (Nocedal & Wright, *Numerical Optimization*, 2006, §6.1)."""

    def optimiser(self, tol):
        return optx.BFGS(rtol=tol, atol=tol)


class LBFGS(AbstractMinimiser):
    """Limited-memory BFGS (Liu & Nocedal, Math. Program. 45, 1989): the inverse Hessian
    from the last few steps only, for large z."""

    def optimiser(self, tol):
        return optx.LBFGS(rtol=tol, atol=tol)
