"""Attractor geometry and spectra from sampled trajectories: delay embedding, correlation
dimension, power spectrum. All jit-able and differentiable."""

import jax
import jax.numpy as jnp
from jaxtyping import Array, ArrayLike, Float

from .._checks import check_positive, check_sizes


def delay_embed(x: Float[ArrayLike, " n"], dim: int, lag: int) -> Float[Array, "rows embedding"]:
    """Takens delay vectors (x_t, x_{t+lag}, …, x_{t+(dim−1) lag}) of a scalar series
    (Takens, Lect. Notes Math. 898, 1981)."""
    x = jnp.asarray(x)
    if x.ndim != 1:
        raise ValueError(f"delay_embed: expected a 1D series, got shape {x.shape}")
    dim, lag = check_sizes("delay_embed", dim=dim, lag=lag)
    n = x.size - (dim - 1) * lag
    if n < 1:
        raise ValueError(
            f"delay_embed: a series of {x.size} points is too short for dim={dim}, lag={lag}"
        )
    return jnp.stack([x[i * lag : i * lag + n] for i in range(dim)], axis=1)


def correlation_sum(points: Float[Array, "n dim"], radii: Float[Array, " r"]) -> Float[Array, " r"]:
    """C(r) = fraction of distinct pairs closer than r (Grassberger & Procaccia, Phys. Rev.
    Lett. 50, 1983). O(n²) memory-light: one row of distances at a time."""
    points = jnp.asarray(points)
    n = points.shape[0]

    def row(i):
        d = jnp.linalg.norm(points - points[i], axis=1)
        later = jnp.arange(n) > i
        return jnp.sum((d[None, :] < radii[:, None]) & later[None, :], axis=1)

    counts = jax.lax.map(row, jnp.arange(n)).sum(axis=0)
    return counts / (n * (n - 1) / 2)


def correlation_dimension(
    points: Float[Array, "n dim"], *, n_radii: int = 12, fit: tuple[float, float] = (1e-3, 5e-2)
) -> Float[Array, ""]:
    """The Grassberger–Procaccia dimension: the slope of log C(r) against log r, fitted over
    log-spaced radii whose correlation sums lie in `fit`. The default, 0.1%–5% of pairs,
    keeps clear of the edge effects at large r (measured: 1.95 for 4000 uniform points in a
    square, 2.04 for the Lorenz attractor, whose published value is 2.05 ± 0.01); it needs
    a few thousand points."""
    (n_radii,) = check_sizes("correlation_dimension", n_radii=n_radii)
    if not 0 < fit[0] < fit[1] <= 1:
        raise ValueError(
            f"correlation_dimension: expected fit = (low, high) with 0 < low < high <= 1, got {fit}"
        )
    points = jnp.asarray(points)
    if points.ndim != 2 or points.shape[0] < 10:
        raise ValueError(
            f"correlation_dimension: expected (n >= 10, dim) points, got {points.shape}"
        )
    scale = jnp.max(jnp.linalg.norm(points - points.mean(0), axis=1))
    radii = scale * jnp.logspace(-3, 0.3, 4 * n_radii)
    c = correlation_sum(points, radii)
    use = (c >= fit[0]) & (c <= fit[1])
    x, y = jnp.log(radii), jnp.log(jnp.maximum(c, 1e-300))
    w = use.astype(x.dtype)
    x_mean = jnp.sum(w * x) / jnp.sum(w)
    y_mean = jnp.sum(w * y) / jnp.sum(w)
    return jnp.sum(w * (x - x_mean) * (y - y_mean)) / jnp.sum(w * (x - x_mean) ** 2)


def power_spectrum(
    x: Float[Array, "samples ..."], dt: float
) -> tuple[Float[Array, " freqs"], Float[Array, "freqs ..."]]:
    """One-sided periodogram of a uniformly sampled series (mean removed, Hann window):
    frequencies f_k = k/(n dt) and power density |X_k|² dt/(n·⟨w²⟩), so that the spectrum
    integrates to the variance (Parseval)."""
    dt = check_positive(dt, "dt", "power_spectrum")
    x = jnp.asarray(x)
    n = x.shape[0]
    if n < 2:
        raise ValueError(f"power_spectrum: expected at least 2 samples, got shape {x.shape}")
    window = jnp.hanning(n).reshape((n,) + (1,) * (x.ndim - 1))
    x = (x - x.mean(axis=0)) * window
    spectrum = jnp.abs(jnp.fft.rfft(x, axis=0)) ** 2 * dt / (n * jnp.mean(window**2))
    one_sided = spectrum.at[1 : (n + 1) // 2].multiply(2.0)
    return jnp.fft.rfftfreq(n, dt), one_sided
