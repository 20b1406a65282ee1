"""Distances between the long-term behaviour of a true and a generated system, as in the
generalized-teacher-forcing paper (Hess, Monfared, Brenner & Durstewitz, ICML 2023):
the state-space divergence D_stsp and the power-spectrum Hellinger distance D_H."""

import jax
import jax.numpy as jnp
from jaxtyping import Array, ArrayLike, Float

from .._checks import check_positive, check_sizes
from ._forecast import _pair, failed_score


def state_space_divergence(
    truth: Float[ArrayLike, "time dim"],
    generated: Float[ArrayLike, "generated_time dim"],
    *,
    bins: int = 30,
    smoothing: float = 1e-4,
) -> Float[Array, ""]:
    """D_stsp = KL(p_true ‖ p_gen) = Σ_k p_true(k) log(p_true(k)/p_gen(k)) between the
    occupation histograms of the two trajectories on a grid of `bins` per dimension over the
    true data's bounding box (points outside it fall in the edge bins); empty bins get
    `smoothing` (Laplace) mass before normalising. Meant for low dimensions: the grid has
    bins^dim cells."""
    truth, generated = jnp.asarray(truth), jnp.asarray(generated)
    if (
        truth.ndim != 2 or generated.ndim != 2 or truth.shape[1] != generated.shape[1]
        or 0 in truth.shape or 0 in generated.shape
    ):  # fmt: skip
        raise ValueError(
            f"state_space_divergence: expected non-empty (time, dim) arrays of one dim, got "
            f"{truth.shape} and {generated.shape}"
        )
    (bins,) = check_sizes("state_space_divergence", bins=bins)
    smoothing = check_positive(smoothing, "smoothing", "state_space_divergence")
    low, high = jnp.min(truth, axis=0), jnp.max(truth, axis=0)
    width = jnp.where(high > low, high - low, 1.0)
    cells = bins ** truth.shape[1]

    def histogram(x):
        index = jnp.clip(jnp.floor((x - low) / width * bins).astype(int), 0, bins - 1)
        flat = jnp.ravel_multi_index(tuple(index.T), (bins,) * x.shape[1], mode="clip")
        counts = jnp.zeros(cells, x.dtype).at[flat].add(1.0)
        counts = counts + smoothing
        return counts / jnp.sum(counts)

    p, q = histogram(truth), histogram(generated)
    return failed_score(truth, generated, jnp.sum(p * jnp.log(p / q)))


def power_spectrum_distance(
    truth: Float[ArrayLike, " time *dim"],
    generated: Float[ArrayLike, " time *dim"],
    *,
    smoothing: float = 2.0,
) -> Float[Array, ""]:
    """D_H: the Hellinger distance H(p, q) = sqrt(1 − Σ_f sqrt(p(f) q(f))) between the
    normalised power spectra of each component (each series standardised, its |FFT|²
    smoothed by a Gaussian of `smoothing` frequency bins), averaged over components.
    0 for equal spectra, 1 for spectra with disjoint support, and 1 for a constant generated
    component (no power to compare); `inf` for a non-finite generated series, NaN for a
    non-finite or constant true one."""
    truth, generated = _pair(truth, generated, "power_spectrum_distance")
    smoothing = check_positive(smoothing, "smoothing", "power_spectrum_distance", allow_zero=True)

    def spectrum(x):
        x = (x - jnp.mean(x)) / jnp.where(jnp.std(x) > 0, jnp.std(x), 1.0)
        power = jnp.abs(jnp.fft.rfft(x)) ** 2
        if smoothing > 0:
            radius = int(4 * smoothing)
            offsets = jnp.arange(-radius, radius + 1)
            kernel = jnp.exp(-0.5 * (offsets / smoothing) ** 2)
            power = jnp.convolve(power, kernel / jnp.sum(kernel), mode="same")
        return power / jnp.sum(power)  # 0/0 = NaN for a constant series

    p = jax.vmap(spectrum, in_axes=1)(truth)
    q = jax.vmap(spectrum, in_axes=1)(generated)
    overlap = jnp.sum(jnp.sqrt(p * q), axis=1)
    overlap = jnp.where(jnp.all(jnp.isfinite(q), axis=1), overlap, 0.0)  # constant: no overlap
    distance = jnp.mean(jnp.sqrt(jnp.clip(1 - overlap, 0.0, 1.0)))
    distance = jnp.where(jnp.all(jnp.isfinite(p)), distance, jnp.nan)
    return failed_score(truth, generated, distance)
