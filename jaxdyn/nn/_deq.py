"""A deep-equilibrium network whose cell is a contraction, so its fixed point exists, is
unique, and the forward iteration converges."""

import equinox as eqx
import jax
import jax.numpy as jnp
from jaxtyping import Array, Float, PRNGKeyArray

from .._checks import check_positive, check_shape, check_sizes
from .._precision import highest_precision
from ..implicit import FixedPointLayer


class _ContractiveCell(eqx.Module):
    """f(z, x) = tanh(W z + U x + b) with W rescaled to ‖W‖₂ ≤ γ < 1: tanh is 1-Lipschitz,
    so f is a γ-contraction in z."""

    weight: Float[Array, "state state"]
    injection: eqx.nn.Linear
    contraction: float = eqx.field(static=True)

    def effective_weight(self) -> Float[Array, "state state"]:
        norm = jnp.linalg.norm(self.weight, ord=2)
        return self.weight * (self.contraction / jnp.maximum(norm, self.contraction))

    def __call__(self, z, x):
        return jnp.tanh(self.effective_weight() @ z + self.injection(x))


class DEQ(eqx.Module):
    """Deep-equilibrium network (Bai, Kolter & Koltun, NeurIPS 2019): y = V z* + c with
    z* = tanh(W z* + U x + b), found by Anderson acceleration and differentiated implicitly
    (`jaxdyn.implicit.FixedPointLayer`: one linear solve per backward pass, memory
    independent of the forward iterations). W is kept at spectral norm ≤ `contraction` < 1,
    which makes z ↦ tanh(W z + U x + b) a contraction: z* exists, is unique, and depends
    smoothly on x and the parameters (Banach).

    **Arguments:** `in_size`, `state_size`, `out_size`, `key`; `contraction` γ ∈ (0, 1);
    `tol`, `max_iter` for the forward solve (the fixed-point error after k Picard steps is
    at most γᵏ‖z₁ − z₀‖/(1 − γ), so `max_iter` bounds the error even when `tol` is not
    met; Anderson is faster). For the solver's statistics, call
    `jaxdyn.implicit.fixed_point(cell, z0, x)` with `self.equilibrium.cell`."""

    equilibrium: FixedPointLayer
    readout: eqx.nn.Linear

    def __init__(self, in_size: int, state_size: int, out_size: int, key: PRNGKeyArray, *,
                 contraction: float = 0.9, tol: float = 1e-6, max_iter: int = 50):  # fmt: skip
        in_size, state_size, out_size, max_iter = check_sizes(
            "DEQ", in_size=in_size, state_size=state_size, out_size=out_size, max_iter=max_iter
        )
        tol = check_positive(tol, "tol", "DEQ")
        if not 0 < contraction < 1:
            raise ValueError(f"DEQ: expected 0 < contraction < 1, got {contraction}")
        k1, k2, k3 = jax.random.split(key, 3)
        weight = jax.random.normal(k1, (state_size, state_size)) / jnp.sqrt(state_size)
        cell = _ContractiveCell(weight, eqx.nn.Linear(in_size, state_size, key=k2), contraction)
        self.equilibrium = FixedPointLayer(cell, state_size, tol=tol, max_iter=max_iter)
        self.readout = eqx.nn.Linear(state_size, out_size, key=k3)

    @highest_precision
    def __call__(self, x: Float[Array, " in_size"]) -> Float[Array, " out_size"]:
        x = check_shape(x, (self.equilibrium.cell.injection.in_features,), "DEQ", "x")
        return self.readout(self.equilibrium(x))
