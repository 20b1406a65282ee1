"""Conserved quantities, spectra and entropies of fields on a FourierGrid.

Every function acts on the trailing grid axes and maps over any leading (time, batch) axes.
Integrals are over the domain (∫ · dV), computed spectrally.
"""

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
    real = not jnp.iscomplexobj(u)
    modes = np.broadcast_arrays(*grid.mode_numbers(real))
    k_norm = np.sqrt(
        sum((m * (2 * np.pi / L)) ** 2 for m, L in zip(modes, grid.length, strict=True))
    )
    valid = grid.spectral_valid(real)  # padding slots of a split 2D grid: no mode, no power
    shell = np.where(valid, np.rint(k_norm / dk), 0).astype(np.int32)
    n_shells = int(shell.max()) + 1
    # A real field's half spectrum holds each mode with 0 < m_z < n_z/2 for itself and its
    # conjugate: counted twice. (grid.fft: on a split grid the transform stays distributed,
    # and the shell sums below are local scatters plus one small all-reduce.)
    weight = np.ones(shell.shape)
    if real:
        m_last, n_last = modes[-1], grid.shape[-1]
        weight = np.where((m_last > 0) & (2 * m_last < n_last), 2.0, 1.0) * valid
    u_hat = grid.fft(u, real)
    scale = weight * (grid.cell_volume / np.prod(grid.shape))
    power = 0.5 * jnp.abs(u_hat) ** 2 * jnp.asarray(scale, jnp.finfo(u_hat.dtype).dtype)
    batch = power.shape[: power.ndim - grid.ndim]
    spectrum = jnp.zeros((*batch, n_shells), power.dtype).at[..., shell].add(power)
    return np.arange(n_shells) * dk, spectrum


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
