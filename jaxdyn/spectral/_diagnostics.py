"""Conserved quantities, spectra and entropies of fields on a FourierGrid.

Every function acts on the trailing grid axes and maps over any leading (time, batch) axes.
Integrals are over the domain (∫ · dV), computed spectrally.
"""

import jax
import jax.numpy as jnp
import numpy as np
from jax.scipy.special import xlogy
from jaxtyping import Array, Float, Inexact

from .._checks import check_positive, concrete_number
from .._grid import FourierGrid
from ._equations import NLSE


def mass(psi: Inexact[Array, "*batch_and_grid"], grid: FourierGrid) -> Float[Array, "*batch"]:
    """M = ∫ |ψ|² dx, conserved by NLSE."""
    return grid.integrate(jnp.abs(psi) ** 2)


def momentum(
    psi: Inexact[Array, "*batch_and_grid"], grid: FourierGrid, axis: int = 0
) -> Float[Array, "*batch"]:
    """P = ∫ Im(ψ* ∂ψ/∂x_axis) dx, conserved by NLSE (P = v M/(2a) for a soliton of
    velocity v)."""
    return grid.integrate(jnp.imag(jnp.conj(psi) * grid.derivative(psi, axis)))


def hamiltonian(
    pde: NLSE, psi: Inexact[Array, "*batch_and_grid"], grid: FourierGrid
) -> Float[Array, "*batch"]:
    """H = ∫ a |∇ψ|² − (b/2) |ψ|⁴ dx, the NLSE energy: i ψ_t = δH/δψ*."""
    gradient_squared = sum(jnp.abs(grid.derivative(psi, axis)) ** 2 for axis in range(grid.ndim))
    density = pde.a * gradient_squared - 0.5 * pde.b * jnp.abs(psi) ** 4
    return grid.integrate(density)


def enstrophy(omega: Float[Array, "*batch_and_grid"], grid: FourierGrid) -> Float[Array, "*batch"]:
    """Z = ½ ∫ ω² dA."""
    return 0.5 * grid.integrate(omega**2)


def energy_spectrum(
    u: Inexact[Array, "*batch_and_grid"], grid: FourierGrid
) -> tuple[Float[np.ndarray, " shells"], Float[Array, "*batch shells"]]:
    """Shell-summed spectrum E(k) = Σ_{shell} ½ |û_k|² · V/N², so that Σ_k E(k) = ½ ∫ |u|² dV.

    Shell j collects the modes with |k| ∈ [(j − ½) Δk, (j + ½) Δk), Δk = 2π / max(L).
    Returns `(k, E)` with `k = j Δk`. For a velocity field, add the spectra of its components;
    for NavierStokes2D, `pde.velocity(omega, grid)` gives them.
    """
    dk = 2 * np.pi / max(grid.length)
    k_norm = np.sqrt(sum(k**2 for k in np.broadcast_arrays(*_numpy_wavenumbers(grid))))
    shell = np.rint(k_norm / dk).astype(np.int32).reshape(-1)
    n_shells = int(shell.max()) + 1
    u_hat = jnp.fft.fftn(u, axes=grid.axes)
    power = 0.5 * jnp.abs(u_hat) ** 2 * (grid.cell_volume / np.prod(grid.shape))
    batch = power.shape[: power.ndim - grid.ndim]
    flat = jnp.moveaxis(power.reshape(*batch, -1), -1, 0)
    spectrum = jax.ops.segment_sum(flat, jnp.asarray(shell), num_segments=n_shells)
    return np.arange(n_shells) * dk, jnp.moveaxis(spectrum, 0, -1)


def _numpy_wavenumbers(grid: FourierGrid):
    return tuple(
        m * (2 * np.pi / L) for m, L in zip(grid.mode_numbers(False), grid.length, strict=True)
    )


def _density(u, grid: FourierGrid):
    """p = |u|² / Σ|u|² over the grid points."""
    w = jnp.abs(u) ** 2
    return w / jnp.sum(w, axis=grid.axes, keepdims=True)


def shannon_entropy(
    u: Inexact[Array, "*batch_and_grid"], grid: FourierGrid
) -> Float[Array, "*batch"]:
    """S = −Σ p log p of the normalised density p = |u|²/Σ|u|² (0 log 0 = 0). Pass û for
    the spectral entropy."""
    return -jnp.sum(xlogy(p := _density(u, grid), p), axis=grid.axes)


def renyi_entropy(
    u: Inexact[Array, "*batch_and_grid"], grid: FourierGrid, alpha: float
) -> Float[Array, "*batch"]:
    """S_α = log(Σ p^α) / (1 − α), α > 0, α ≠ 1 (Rényi 1961); → Shannon as α → 1."""
    alpha = check_positive(alpha, "alpha", "renyi_entropy")
    if alpha == 1:
        raise ValueError(f"renyi_entropy: expected alpha > 0 and alpha != 1, got {alpha}")
    return jnp.log(jnp.sum(_density(u, grid) ** alpha, axis=grid.axes)) / (1 - alpha)


def tsallis_entropy(
    u: Inexact[Array, "*batch_and_grid"], grid: FourierGrid, q: float
) -> Float[Array, "*batch"]:
    """S_q = (1 − Σ p^q) / (q − 1), q ≠ 1 (Tsallis, J. Stat. Phys. 52, 1988)."""
    q = concrete_number(q, "q", "tsallis_entropy")
    if q == 1:
        raise ValueError("tsallis_entropy: expected q != 1 (q → 1 is the Shannon entropy)")
    return (1 - jnp.sum(_density(u, grid) ** q, axis=grid.axes)) / (q - 1)
