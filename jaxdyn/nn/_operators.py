"""Neural operators: the Fourier neural operator and DeepONet."""

import equinox as eqx
import jax
import jax.numpy as jnp
from jaxtyping import Array, Float, PRNGKeyArray

from .._checks import check_shape, check_sizes
from .._precision import highest_precision
from ._layers import MLP, SpectralConv


class FNO(eqx.Module):
    """Fourier neural operator on a periodic 1D or 2D grid (Li et al., ICLR 2021):
    lift pointwise to `width` channels, `depth` Fourier layers v ↦ GELU(F⁻¹(R·Fv) + Wv), and
    project pointwise; input (in_channels, *grid) → output (out_channels, *grid), any grid
    size with at least 2·modes points per axis (resolution-independent weights)."""

    lift: eqx.nn.Conv
    spectral: list[SpectralConv]
    pointwise: list[eqx.nn.Conv]
    project: eqx.nn.Conv
    ndim: int = eqx.field(static=True)

    def __init__(self, in_channels: int, out_channels: int, width: int, modes: int,
                 depth: int, key: PRNGKeyArray, *, ndim: int = 1):  # fmt: skip
        if ndim not in (1, 2):
            raise ValueError(f"FNO: expected ndim 1 or 2, got {ndim}")
        width, modes, depth = check_sizes("FNO", width=width, modes=modes, depth=depth)
        keys = jax.random.split(key, 2 * depth + 2)
        conv = lambda a, b, k: eqx.nn.Conv(ndim, a, b, kernel_size=1, key=k)  # noqa: E731
        self.ndim = ndim
        self.lift = conv(in_channels, width, keys[0])
        self.spectral = [
            SpectralConv(width, width, (modes,) * ndim, k) for k in keys[1 : depth + 1]
        ]
        self.pointwise = [conv(width, width, k) for k in keys[depth + 1 : 2 * depth + 1]]
        self.project = conv(width, out_channels, keys[-1])

    @highest_precision
    def __call__(self, u: Float[Array, "c_in ..."]) -> Float[Array, "c_out ..."]:
        u = check_shape(
            u, (self.lift.in_channels, *[None] * self.ndim), "FNO", "u (channels, *grid)"
        )
        v = self.lift(u)
        for spectral, pointwise in zip(self.spectral, self.pointwise, strict=True):
            v = jax.nn.gelu(spectral(v) + pointwise(v))
        return self.project(v)


class DeepONet(eqx.Module):
    """DeepONet (Lu et al., Nat. Mach. Intell. 3, 2021): G(u)(y) = Σ_k b_k(u) t_k(y) + β,
    the branch net b reading u at `n_sensors` fixed sensors, the trunk net t reading the
    query point y."""

    branch: MLP
    trunk: MLP
    bias: Float[Array, ""]

    def __init__(self, n_sensors: int, query_size: int, width: int, depth: int,
                 n_basis: int, key: PRNGKeyArray, activation: str = "tanh"):  # fmt: skip
        n_sensors, query_size, width, depth, n_basis = check_sizes(
            "DeepONet", n_sensors=n_sensors, query_size=query_size, width=width, depth=depth,
            n_basis=n_basis,
        )  # fmt: skip
        k1, k2 = jax.random.split(key)
        self.branch = MLP(n_sensors, n_basis, width, depth, k1, activation)
        self.trunk = MLP(query_size, n_basis, width, depth, k2, activation)
        self.bias = jnp.zeros(())

    @highest_precision
    def __call__(self, sensors: Float[Array, " n_sensors"], query: Float[Array, " query"]):
        sensors = check_shape(sensors, (self.branch.layers[0].in_features,), "DeepONet", "sensors")
        query = check_shape(query, (self.trunk.layers[0].in_features,), "DeepONet", "query")
        return jnp.dot(self.branch(sensors), jax.nn.tanh(self.trunk(query))) + self.bias
