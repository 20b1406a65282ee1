r"""Exact solutions and canonical initial states of the focusing NLSE i ψ_t + a ψ_xx + b|ψ|²ψ = 0.

The four cases of Herho et al., "simple-idealized-1d-nlse" (single soliton, two-soliton
collision, Akhmediev breather, modulation instability). Formulas are written for a = ½, b = 1
and carried to any focusing (a, b) by the symmetry ψ_{a,b}(x, t) = ψ_{½,1}(x/√(2a), t)/√b.
"""

from typing import NamedTuple

import jax
import jax.numpy as jnp
import numpy as np
from jaxtyping import Array, ArrayLike, Complex, PRNGKeyArray

from .._checks import check_positive, concrete_number
from .._grid import FourierGrid
from ._equations import NLSE


def _scales(pde: NLSE) -> tuple[float, float]:
    a, b = float(pde.a), float(pde.b)
    if a * b <= 0:
        raise ValueError(f"NLSE cases: expected a focusing NLSE (a·b > 0), got a = {a}, b = {b}")
    return np.sqrt(2 * a), np.sqrt(b)


def _x(grid: FourierGrid):
    if grid.ndim != 1:
        raise ValueError(f"NLSE cases: expected a 1D grid, got ndim = {grid.ndim}")
    return np.arange(grid.shape[0]) * grid.spacing[0]


def soliton(
    grid: FourierGrid,
    t: float = 0.0,
    *,
    pde: NLSE | None = None,
    amplitude: float = 1.0,
    velocity: float = 0.0,
    position: float | None = None,
    phase: float = 0.0,
    dtype=None,
) -> Complex[Array, " n"]:
    """The bright soliton ψ = A sech(κ(x − x₀ − vt)) exp(i(v x/(2a) + (bA²/2 − v²/(4a)) t + φ)),
    κ = A √(b/(2a)), at time t (exact; periodic images are neglected, so keep κ L ≫ 1).
    `position` x₀ defaults to the domain centre."""
    amplitude = check_positive(amplitude, "amplitude", "soliton")
    velocity = concrete_number(velocity, "velocity", "soliton")
    pde = NLSE() if pde is None else pde
    a, b = float(pde.a), float(pde.b)
    _scales(pde)
    x = _x(grid)
    x0 = grid.length[0] / 2 if position is None else position
    kappa = amplitude * np.sqrt(b / (2 * a))
    # Distance to the nearest periodic image of the centre keeps the envelope periodic.
    s = _periodic_offset(x, x0 + velocity * t, grid.length[0])
    theta = velocity * x / (2 * a) + (b * amplitude**2 / 2 - velocity**2 / (4 * a)) * t + phase
    psi = amplitude / np.cosh(kappa * s) * np.exp(1j * theta)
    return jnp.asarray(psi, dtype=dtype or jnp.result_type(complex))


def two_solitons(
    grid: FourierGrid,
    *,
    pde: NLSE | None = None,
    amplitudes: tuple[float, float] = (1.0, 1.0),
    velocities: tuple[float, float] = (1.0, -1.0),
    positions: tuple[float, float] | None = None,
    phases: tuple[float, float] = (0.0, 0.0),
    dtype=None,
) -> Complex[Array, " n"]:
    """Two well-separated solitons heading for a collision (default: at L/4 and 3L/4)."""
    L = grid.length[0]
    positions = (L / 4, 3 * L / 4) if positions is None else positions
    return sum(
        soliton(grid, pde=pde, amplitude=A, velocity=v, position=x0, phase=p, dtype=dtype)
        for A, v, x0, p in zip(amplitudes, velocities, positions, phases, strict=True)
    )


class CollisionShifts(NamedTuple):
    """What a collision does to each soliton: `position[j]` = δx_j, `phase[j]` = δφ_j."""

    position: tuple[float, float]
    phase: tuple[float, float]


def collision_shifts(
    pde: NLSE | None = None,
    amplitudes: tuple[float, float] = (1.0, 1.0),
    velocities: tuple[float, float] = (1.0, -1.0),
) -> CollisionShifts:
    """Position and phase shifts the two solitons suffer in a collision, by inverse
    scattering (Zakharov & Shabat, Sov. Phys. JETP 34, 62, 1972). After the collision soliton j
    is A_j sech(κ_j(x − x_j − v_j t − δx_j)) exp(i(v_j x/(2a) + ω_j t + φ_j + δφ_j)).

    For a = ½, b = 1, with eigenvalues ζ_j = (v_j + iA_j)/2, f the faster soliton and s the
    slower:

        δx_f = ℓ/A_f,  δx_s = −ℓ/A_s,  ℓ = log|(ζ_f − ζ_s*)/(ζ_f − ζ_s)|²,
        δφ_f = 2 arg[(ζ_f − ζ_s*)/(ζ_f − ζ_s)],  δφ_s = −2 arg[(ζ_s − ζ_f*)/(ζ_s − ζ_f)],

    so each soliton jumps forward along its own direction of motion. Checked against `solve` to
    1e-4 in `tests/spectral/test_nlse_cases.py`.
    """
    pde = NLSE() if pde is None else pde
    x_scale, psi_scale = _scales(pde)
    amplitudes = tuple(float(A) * psi_scale for A in amplitudes)
    velocities = tuple(float(v) / x_scale for v in velocities)
    if velocities[0] == velocities[1]:
        raise ValueError("collision_shifts: expected different velocities (no collision otherwise)")
    f, s = (0, 1) if velocities[0] > velocities[1] else (1, 0)
    zeta = [(v + 1j * A) / 2 for v, A in zip(velocities, amplitudes, strict=True)]
    log_ratio = np.log(np.abs((zeta[f] - np.conj(zeta[s])) / (zeta[f] - zeta[s])) ** 2)
    position, phase = [0.0, 0.0], [0.0, 0.0]
    position[f] = x_scale * log_ratio / amplitudes[f]
    position[s] = -x_scale * log_ratio / amplitudes[s]
    phase[f] = 2 * np.angle((zeta[f] - np.conj(zeta[s])) / (zeta[f] - zeta[s]))
    phase[s] = -2 * np.angle((zeta[s] - np.conj(zeta[f])) / (zeta[s] - zeta[f]))
    return CollisionShifts(tuple(map(float, position)), tuple(map(float, phase)))


def akhmediev_period(modulation: float = 0.25, pde: NLSE | None = None) -> float:
    """Spatial period 2π/Ω of the Akhmediev breather, Ω = 2√(1 − 2α) (scaled for (a, b))."""
    if not 0 < modulation < 0.5:
        raise ValueError(f"akhmediev: expected 0 < modulation < 1/2, got {modulation}")
    x_scale, _ = _scales(NLSE() if pde is None else pde)
    return float(x_scale * 2 * np.pi / (2 * np.sqrt(1 - 2 * modulation)))


def akhmediev_breather(
    grid: FourierGrid,
    t: float = 0.0,
    *,
    pde: NLSE | None = None,
    modulation: float = 0.25,
    dtype=None,
) -> Complex[Array, " n"]:
    """The Akhmediev breather on a background of amplitude 1/√b (exact, periodic in x):

        ψ = [(1 − 4α) cosh(βt) + √(2α) cos(Ωx) + iβ sinh(βt)] / [√(2α) cos(Ωx) − cosh(βt)] e^{it},

    Ω = 2√(1 − 2α), β = √(8α(1 − 2α)), peak at t = 0 (Akhmediev, Eleonskii & Kulagin, Theor.
    Math. Phys. 72, 1987; form of Dudley et al., Opt. Express 17, 21497, 2009, eq. 1).
    The domain must hold a whole number of periods (`akhmediev_period`).
    """
    pde = NLSE() if pde is None else pde
    x_scale, psi_scale = _scales(pde)
    period = akhmediev_period(modulation, pde)
    periods = grid.length[0] / period
    if abs(periods - round(periods)) > 1e-9 * periods or round(periods) < 1:
        raise ValueError(
            f"akhmediev_breather: expected a domain length that is a multiple of the period "
            f"{period:.12g}, got {grid.length[0]}"
        )
    alpha = modulation
    omega, beta = 2 * np.sqrt(1 - 2 * alpha), np.sqrt(8 * alpha * (1 - 2 * alpha))
    x = _x(grid) / x_scale - grid.length[0] / (2 * x_scale)  # peak at the domain centre
    c = np.sqrt(2 * alpha) * np.cos(omega * x)
    numerator = (1 - 4 * alpha) * np.cosh(beta * t) + c + 1j * beta * np.sinh(beta * t)
    psi = numerator / (c - np.cosh(beta * t)) * np.exp(1j * t) / psi_scale
    return jnp.asarray(psi, dtype=dtype or jnp.result_type(complex))


def modulation_instability(
    grid: FourierGrid,
    key: PRNGKeyArray,
    *,
    amplitude: float = 1.0,
    noise: float = 1e-3,
    dtype=None,
) -> Complex[Array, " n"]:
    """A plane wave A₀ (1 + ε ξ(x)) seeded with complex white noise ξ of unit variance."""
    amplitude = check_positive(amplitude, "amplitude", "modulation_instability")
    noise = check_positive(noise, "noise", "modulation_instability", allow_zero=True)
    dtype = dtype or jnp.result_type(complex)
    xi = jax.random.normal(key, grid.shape, dtype=dtype)
    return (amplitude * (1 + noise * xi)).astype(dtype)


def modulation_instability_gain(
    wavenumber: ArrayLike, pde: NLSE | None = None, amplitude: float = 1.0
) -> Array:
    """Growth rate g(κ) = |κ| √(a (2 b A₀² − a κ²)) of a perturbation of wavenumber κ on the
    plane wave A₀ (zero outside the band a κ² < 2 b A₀²); maximal g = b A₀² at κ² = b A₀²/a
    (Benjamin & Feir 1967; Agrawal, *Nonlinear Fiber Optics*, §5.1)."""
    amplitude = check_positive(amplitude, "amplitude", "modulation_instability_gain")
    pde = NLSE() if pde is None else pde
    k = jnp.asarray(wavenumber)
    inside = pde.a * (2 * pde.b * amplitude**2 - pde.a * k**2)
    return jnp.abs(k) * jnp.sqrt(jnp.maximum(inside, 0.0))


def soliton_centers(
    psi: Complex[Array, " n"], grid: FourierGrid, guesses, halfwidth: float
) -> np.ndarray:
    """Centres of mass of |ψ|² within `halfwidth` of each guess (periodic), on the host:
    a soliton's position to well below the grid spacing."""
    x = _x(grid)
    density = np.abs(np.asarray(psi)) ** 2
    centres = []
    for guess in np.atleast_1d(guesses):
        s = _periodic_offset(x, guess, grid.length[0])
        w = density * (np.abs(s) < halfwidth)
        centres.append(guess + np.sum(s * w) / np.sum(w))
    return np.array(centres)


def soliton_phases(
    psi: Complex[Array, " n"],
    grid: FourierGrid,
    t: float,
    centres,
    *,
    pde: NLSE | None = None,
    amplitudes,
    velocities,
    halfwidth: float = 3.0,
) -> np.ndarray:
    """The phase φ of each soliton A sech(κ(x − c)) exp(i(v x/(2a) + (bA²/2 − v²/(4a)) t + φ))
    near its centre c, in (−π, π]: the |ψ|-weighted mean of ψ times the conjugate carrier."""
    pde = NLSE() if pde is None else pde
    a, b = float(pde.a), float(pde.b)
    x = _x(grid)
    psi = np.asarray(psi)
    phases = []
    for c, A, v in zip(np.atleast_1d(centres), amplitudes, velocities, strict=True):
        near = np.abs(_periodic_offset(x, c, grid.length[0])) < halfwidth
        carrier = v * x[near] / (2 * a) + (b * A**2 / 2 - v**2 / (4 * a)) * t
        phases.append(np.angle(np.sum(psi[near] * np.abs(psi[near]) * np.exp(-1j * carrier))))
    return np.array(phases)


def _periodic_offset(x, centre, length):
    """x − centre wrapped into [−L/2, L/2)."""
    return np.mod(x - centre + length / 2, length) - length / 2
