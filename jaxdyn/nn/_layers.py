"""Building blocks: polynomial-composition activations, an MLP, random Fourier features and
spectral convolutions."""

import math
from collections.abc import Callable

import equinox as eqx
import jax
import jax.numpy as jnp
from jaxtyping import Array, Float, PRNGKeyArray

from .._checks import check_positive, check_shape, check_sizes
from .._precision import highest_precision


class PolyReLU(eqx.Module):
    """PolyReLU(x) = Σ_{i=1}^{r} a_i ReLU(x)^i with trainable a (Zhuo et al., "Polynomial
    Composition Activations", ICLR 2025); a starts at (1, 0, …): a plain ReLU."""

    coefficients: Float[Array, " order"]

    def __init__(self, order: int = 3):
        self.coefficients = jnp.zeros(order).at[0].set(1.0)

    def __call__(self, x):
        relu = jax.nn.relu(x)
        powers = jnp.stack([relu ** (i + 1) for i in range(self.coefficients.size)])
        return jnp.tensordot(self.coefficients, powers, axes=1)


class PolyNorm(eqx.Module):
    """PolyNorm(x) = Σ_{i=1}^{r} a_i x^i / RMS(x^i), the powers normalised over the feature
    vector (Zhuo et al., ICLR 2025); a starts at 1/r."""

    coefficients: Float[Array, " order"]
    eps: float = eqx.field(static=True, default=1e-6)

    def __init__(self, order: int = 3):
        self.coefficients = jnp.full(order, 1.0 / order)

    def __call__(self, x):
        powers = [x ** (i + 1) for i in range(self.coefficients.size)]
        normed = jnp.stack([p / jnp.sqrt(jnp.mean(p**2) + self.eps) for p in powers])
        return jnp.tensordot(self.coefficients, normed, axes=1)


_ACTIVATIONS: dict[str, Callable] = {
    "tanh": jnp.tanh,
    "relu": jax.nn.relu,
    "gelu": jax.nn.gelu,
    "silu": jax.nn.silu,
}


class MLP(eqx.Module):
    """A multilayer perceptron x ↦ W_L σ(… σ(W_1 x + b_1) …) + b_L with `depth` hidden layers
    of `width`, σ one of "tanh", "relu", "gelu", "silu", "polyrelu", "polynorm" (the last two
    trainable, one per layer)."""

    layers: list[eqx.nn.Linear]
    activations: list

    def __init__(self, in_size: int, out_size: int, width: int, depth: int, key: PRNGKeyArray,
                 activation: str = "tanh"):  # fmt: skip
        in_size, out_size, width, depth = check_sizes(
            "MLP", in_size=in_size, out_size=out_size, width=width, depth=depth
        )
        if activation not in (*_ACTIVATIONS, "polyrelu", "polynorm"):
            choices = [*_ACTIVATIONS, "polyrelu", "polynorm"]
            raise ValueError(f"MLP: expected activation in {choices}, got {activation!r}")
        sizes = [in_size, *[width] * depth, out_size]
        keys = jax.random.split(key, len(sizes) - 1)
        self.layers = [
            eqx.nn.Linear(a, b, key=k) for a, b, k in zip(sizes, sizes[1:], keys, strict=False)
        ]
        make = {"polyrelu": PolyReLU, "polynorm": PolyNorm}.get(activation)
        self.activations = [make() if make else _ACTIVATIONS[activation] for _ in range(depth)]

    @highest_precision
    def __call__(self, x: Float[Array, " in_size"]) -> Float[Array, " out_size"]:
        x = check_shape(x, (self.layers[0].in_features,), "MLP", "input")
        for layer, activation in zip(self.layers[:-1], self.activations, strict=True):
            x = activation(layer(x))
        return self.layers[-1](x)


class RandomFourierFeatures(eqx.Module):
    """γ(x) = (cos 2πBx, sin 2πBx) with a fixed Gaussian B ~ N(0, σ²) of `n_features` rows:
    lets a network fit high frequencies despite its spectral bias (Tancik et al., NeurIPS
    2020). B is not trained."""

    frequencies: Float[Array, "n_features in_size"]

    def __init__(self, in_size: int, n_features: int, scale: float, key: PRNGKeyArray):
        in_size, n_features = check_sizes(
            "RandomFourierFeatures", in_size=in_size, n_features=n_features
        )
        scale = check_positive(scale, "scale", "RandomFourierFeatures")
        self.frequencies = scale * jax.random.normal(key, (n_features, in_size))

    @highest_precision
    def __call__(self, x: Float[Array, " in_size"]) -> Float[Array, " 2*n_features"]:
        phase = 2 * math.pi * jax.lax.stop_gradient(self.frequencies) @ x
        return jnp.concatenate([jnp.cos(phase), jnp.sin(phase)])


class SpectralConv(eqx.Module):
    """The Fourier layer of an FNO on a periodic grid (1D or 2D): v ↦ F⁻¹(R · F v) on the
    lowest `modes` wavenumbers per axis (both signs along the first axis in 2D), R a
    trainable complex tensor (in_channels × out_channels per mode) (Li et al., ICLR 2021).
    R is stored as real and imaginary parts: optax's updates assume real parameters."""

    real: Float[Array, "blocks c_in c_out ..."]
    imag: Float[Array, "blocks c_in c_out ..."]
    modes: tuple[int, ...] = eqx.field(static=True)

    def __init__(self, in_channels: int, out_channels: int, modes: int | tuple[int, ...],
                 key: PRNGKeyArray):  # fmt: skip
        modes = tuple(modes) if isinstance(modes, tuple | list) else (modes,)
        check_sizes("SpectralConv", in_channels=in_channels, out_channels=out_channels)
        if len(modes) not in (1, 2):
            raise ValueError(f"SpectralConv: expected 1 or 2 dimensions of modes, got {modes}")
        modes = tuple(check_positive(m, "modes", "SpectralConv", integer=True) for m in modes)
        self.modes = modes
        scale = 1 / (in_channels * out_channels)
        blocks = 2 ** (len(modes) - 1)  # 2D keeps the low positive and negative rows
        shape = (blocks, in_channels, out_channels, *modes)
        k1, k2 = jax.random.split(key)
        self.real = scale * jax.random.uniform(k1, shape)
        self.imag = scale * jax.random.uniform(k2, shape)

    @highest_precision
    def __call__(self, v: Float[Array, "c_in ..."]) -> Float[Array, "c_out ..."]:
        # The kept modes must exist: m ≤ n//2 + 1 on the last (rfft) axis, 2m ≤ n on the first.
        least = (
            (2 * self.modes[0] - 2,)
            if len(self.modes) == 1
            else (2 * self.modes[0], 2 * self.modes[1] - 2)
        )
        grid = v.shape[1:]
        v = check_shape(
            v,
            (self.real.shape[1], *[None] * len(self.modes)),
            "SpectralConv",
            "v (channels, *grid)",
        )
        if any(n < m for n, m in zip(grid, least, strict=True)):
            raise ValueError(
                f"SpectralConv: expected at least {least} grid points for modes {self.modes}, "
                f"got {grid}"
            )
        axes = tuple(range(1, v.ndim))
        v_hat = jnp.fft.rfftn(v, axes=axes)
        weights = (self.real + 1j * self.imag).astype(v_hat.dtype)
        out = jnp.zeros((weights.shape[2], *v_hat.shape[1:]), v_hat.dtype)
        if len(self.modes) == 1:
            (m,) = self.modes
            out = out.at[:, :m].set(jnp.einsum("ix,iox->ox", v_hat[:, :m], weights[0]))
        else:
            m1, m2 = self.modes
            for block, rows in enumerate((slice(0, m1), slice(-m1, None))):
                index = (slice(None), rows, slice(0, m2))
                out = out.at[index].set(jnp.einsum("ixy,ioxy->oxy", v_hat[index], weights[block]))
        return jnp.fft.irfftn(out, s=grid, axes=axes).astype(v.dtype)
