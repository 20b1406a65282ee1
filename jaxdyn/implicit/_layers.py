"""Layers whose output is the solution of an equation: a deep-equilibrium layer."""

from collections.abc import Callable

import equinox as eqx
import jax.numpy as jnp
from jaxtyping import Array, Float

from .._checks import check_positive
from ._implicit import fixed_point
from ._root_solvers import AbstractRootSolver, Anderson


class FixedPointLayer(eqx.Module):
    """A deep-equilibrium layer (Bai, Kolter & Koltun, NeurIPS 2019): the output is the
    fixed point z* = cell(z*, x), found by `solver` and differentiated implicitly, so
    training costs one linear solve per backward pass and memory independent of the number
    of forward iterations.

    **Arguments:**

    - `cell`: any callable Module `cell(z, x) -> z` (its parameters train).
    - `state_size`: the length of z (z₀ = 0).
    - `solver`, `tol`, `max_iter`, `linear_solver`: as for `fixed_point`; the backward
      solve defaults to `"anderson"`, which costs about one forward solve for a
      contractive cell (`jaxdyn.bench.equilibrium_forward_backward`).
    """

    cell: Callable
    state_size: int = eqx.field(static=True)
    solver: AbstractRootSolver = Anderson()
    tol: float = eqx.field(static=True, default=1e-6)
    max_iter: int = eqx.field(static=True, default=50)
    linear_solver: str = eqx.field(static=True, default="anderson")

    def __check_init__(self):
        check_positive(self.tol, "tol", "FixedPointLayer")
        check_positive(self.max_iter, "max_iter", "FixedPointLayer", integer=True)
        check_positive(self.state_size, "state_size", "FixedPointLayer", integer=True)

    def __call__(self, x: Float[Array, "..."]) -> Float[Array, " state"]:
        z0 = jnp.zeros(self.state_size, jnp.result_type(x))
        solution = fixed_point(
            _apply_cell, z0, (self.cell, x), solver=self.solver,
            tol=self.tol, max_iter=self.max_iter, linear_solver=self.linear_solver,
            throw=False,
        )  # fmt: skip
        return solution.value


def _apply_cell(z, params):
    cell, x = params
    return cell(z, x)
