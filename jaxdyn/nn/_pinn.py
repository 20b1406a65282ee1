r"""Physics-informed networks for time-dependent problems, with causal training.

u_θ(t, x) is an MLP; the loss is the mean squared PDE residual at collocation points plus
the initial (and any boundary) condition misfit. Causal weighting (Wang, Sankaran &
Perdikaris, "Respecting causality is all you need for training physics-informed neural
networks", CMAME 421, 2024): with the residual loss L_i of the i-th of M time slabs,
L = (1/M) Σ_i w_i L_i,  w_i = exp(−ε Σ_{k<i} L_k), the weights held constant in the
gradient, so later times are trained only once earlier ones are resolved.
"""

from collections.abc import Callable

import equinox as eqx
import jax
import jax.numpy as jnp
from jaxtyping import Array, Float, PRNGKeyArray

from .._checks import check_shape, check_sizes
from .._precision import highest_precision
from ._layers import MLP, RandomFourierFeatures


class PINN(eqx.Module):
    """u(t, x) for x in `space_dim` dimensions: an MLP on (t, x), optionally through random
    Fourier features of scale `fourier_scale` (0: none)."""

    features: RandomFourierFeatures | None
    network: MLP
    space_dim: int = eqx.field(static=True)

    def __init__(self, space_dim: int, width: int, depth: int, key: PRNGKeyArray, *,
                 out_size: int = 1, activation: str = "tanh", fourier_features: int = 0,
                 fourier_scale: float = 1.0):  # fmt: skip
        space_dim, width, depth, out_size = check_sizes(
            "PINN", space_dim=space_dim, width=width, depth=depth, out_size=out_size
        )
        k1, k2 = jax.random.split(key)
        self.space_dim = space_dim
        in_size = 1 + space_dim
        if fourier_features:
            self.features = RandomFourierFeatures(in_size, fourier_features, fourier_scale, k1)
            in_size = 2 * fourier_features
        else:
            self.features = None
        self.network = MLP(in_size, out_size, width, depth, k2, activation)

    @highest_precision
    def __call__(self, t: Float[Array, ""], x: Float[Array, " space"]) -> Float[Array, " out"]:
        t = check_shape(t, (), "PINN", "t")
        x = check_shape(jnp.atleast_1d(x), (self.space_dim,), "PINN", "x")
        z = jnp.concatenate([t[None], x])
        return self.network(self.features(z) if self.features is not None else z)


def causal_weights(slab_losses: Float[Array, " slabs"], epsilon: float) -> Float[Array, " slabs"]:
    """w_i = exp(−ε Σ_{k<i} L_k), without gradient (Wang et al. 2024, eq. 13)."""
    previous = jnp.cumsum(slab_losses) - slab_losses
    return jax.lax.stop_gradient(jnp.exp(-epsilon * previous))


def causal_loss(
    model: PINN,
    residual: Callable[[PINN, Float[Array, ""], Float[Array, " space"]], Float[Array, "..."]],
    times: Float[Array, " slabs"],
    points: Float[Array, "n space"],
    initial: Callable[[Float[Array, " space"]], Float[Array, " out"]],
    *,
    epsilon: float = 1.0,
) -> Float[Array, ""]:
    """The causally weighted physics loss on a (time slab × space point) collocation grid
    plus the initial-condition misfit at the points: `residual(model, t, x)` is the PDE
    residual of u = model at (t, x) (written with `jax.jacfwd`/`jax.grad` of the model),
    `initial(x)` the initial state u(0, x)."""
    squared = jax.vmap(lambda t: jax.vmap(lambda x: jnp.sum(residual(model, t, x) ** 2))(points))(
        times
    )
    slab_losses = jnp.mean(squared, axis=1)
    physics = jnp.mean(causal_weights(slab_losses, epsilon) * slab_losses)
    start = jnp.zeros((), points.dtype)
    misfit = jax.vmap(lambda x: jnp.sum((model(start, x) - initial(x)) ** 2))(points)
    return physics + jnp.mean(misfit)
