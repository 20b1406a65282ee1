"""Neural ODE: an MLP vector field integrated by diffrax (Chen et al., NeurIPS 2018)."""

import diffrax
import equinox as eqx
import jax
from jaxtyping import Array, Float, PRNGKeyArray

from .._checks import check_shape, check_sizes
from .._precision import highest_precision
from ._layers import MLP

_ADJOINTS = {
    "checkpoint": diffrax.RecursiveCheckpointAdjoint,  # exact gradients, O(log n) memory
    "backsolve": diffrax.BacksolveAdjoint,  # the continuous adjoint: O(1) memory
}


class NeuralODE(eqx.Module):
    """dy/dt = f_θ(y), f_θ an MLP; `__call__(ts, y0)` returns y at the times `ts` (Tsit5,
    adaptive, rtol = atol = `tolerance`). `adjoint` = "checkpoint" (discretise-then-optimise,
    exact gradients of the numerical solution) or "backsolve" (the continuous adjoint ODE)."""

    vector_field: MLP
    adjoint: str = eqx.field(static=True)
    tolerance: float = eqx.field(static=True)

    def __init__(
        self,
        dim: int,
        width: int,
        depth: int,
        key: PRNGKeyArray,
        *,
        activation: str = "tanh",
        adjoint: str = "checkpoint",
        tolerance: float = 1e-6,
    ):
        dim, width, depth = check_sizes("NeuralODE", dim=dim, width=width, depth=depth)
        if adjoint not in _ADJOINTS:
            raise ValueError(f"NeuralODE: expected adjoint in {list(_ADJOINTS)}, got {adjoint!r}")
        self.vector_field = MLP(dim, dim, width, depth, key, activation)
        self.adjoint, self.tolerance = adjoint, float(tolerance)

    @highest_precision
    def __call__(
        self, ts: Float[Array, " times"], y0: Float[Array, " dim"]
    ) -> Float[Array, "times dim"]:
        ts = check_shape(ts, (None,), "NeuralODE", "ts")
        y0 = check_shape(y0, (self.vector_field.layers[0].in_features,), "NeuralODE", "y0")
        solution = diffrax.diffeqsolve(
            diffrax.ODETerm(lambda t, y, args: self.vector_field(y)), diffrax.Tsit5(), ts[0],
            ts[-1], None, y0, saveat=diffrax.SaveAt(ts=ts),
            stepsize_controller=diffrax.PIDController(rtol=self.tolerance, atol=self.tolerance),
            adjoint=_ADJOINTS[self.adjoint](), max_steps=16_384,
        )  # fmt: skip
        return solution.ys


def trajectory_loss(model: NeuralODE, ts, ys: Float[Array, "batch times dim"]) -> Float[Array, ""]:
    """Mean squared error of the model's trajectories from each ys[b, 0] against ys."""
    ts = check_shape(ts, (None,), "trajectory_loss", "ts")
    dim = model.vector_field.layers[0].in_features
    ys = check_shape(ys, (None, ts.shape[0], dim), "trajectory_loss", "ys (batch, len(ts), dim)")
    predictions = jax.vmap(lambda y: model(ts, y[0]))(ys)
    return ((predictions - ys) ** 2).mean()
