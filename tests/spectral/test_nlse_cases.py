"""The four NLSE cases of Herho et al.: soliton, collision, Akhmediev breather, MI."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import jaxdyn.spectral as sp
from tests.helpers import max_abs


def _residual(pde, grid, psi_of_t, t=0.3, h=1e-4):
    """i ψ_t + a ψ_xx + b|ψ|²ψ with ψ_t by a fourth-order central difference."""
    psi_t = (
        -psi_of_t(t + 2 * h) + 8 * psi_of_t(t + h) - 8 * psi_of_t(t - h) + psi_of_t(t - 2 * h)
    ) / (12 * h)
    psi = psi_of_t(t)
    return 1j * psi_t + pde.a * grid.derivative(psi, order=2) + pde.b * jnp.abs(psi) ** 2 * psi


@pytest.mark.parametrize("a, b", [(0.5, 1.0), (1.5, 0.4)])
def test_soliton_solves_the_nlse_for_any_focusing_coefficients(x64, a, b):
    # L = 120 keeps the widest soliton here (κ ≈ 0.4) below 1e-10 at the boundary.
    # The carrier e^{ivx/2a} is made periodic (three wavelengths on L) so the profile has no
    # jump for ψ_xx to amplify.
    L = 120.0
    grid = sp.FourierGrid(1024, L)
    pde = sp.NLSE(a=a, b=b)
    v = 2 * a * 3 * 2 * np.pi / L
    residual = _residual(
        pde, grid, lambda t: sp.soliton(grid, t, pde=pde, amplitude=1.1, velocity=v)
    )
    assert float(jnp.max(jnp.abs(residual))) < 1e-9


@pytest.mark.parametrize("a, b", [(0.5, 1.0), (1.5, 0.4)])
def test_akhmediev_breather_solves_the_nlse(x64, a, b):
    pde = sp.NLSE(a=a, b=b)
    grid = sp.FourierGrid(256, 2 * sp.akhmediev_period(0.3, pde))
    residual = _residual(
        pde, grid, lambda t: sp.akhmediev_breather(grid, t, pde=pde, modulation=0.3)
    )
    assert float(jnp.max(jnp.abs(residual))) < 1e-9
    far = sp.akhmediev_breather(grid, -30.0, pde=pde, modulation=0.3)
    np.testing.assert_allclose(jnp.abs(far), 1 / np.sqrt(b), rtol=1e-9)  # plane-wave background


def test_solver_follows_the_akhmediev_breather_through_its_peak(x64):
    grid = sp.FourierGrid(256, 2 * sp.akhmediev_period(0.25))
    sol = sp.solve(
        sp.NLSE(), grid, sp.akhmediev_breather(grid, -4.0), 4.0, t0=-4.0, dt=2e-3, saveat=5
    )
    exact = jnp.stack([sp.akhmediev_breather(grid, float(t)) for t in sol.ts])
    assert max_abs(sol.ys, exact) < 1e-8
    peak = jnp.max(jnp.abs(sol.ys[2]))  # t = 0: 1 + 2√(2α) = 1 + √2 for α = 1/4
    np.testing.assert_allclose(peak, 1 + np.sqrt(2), rtol=1e-8)


@pytest.mark.parametrize(
    "amplitudes, velocities",
    [((1.0, 1.0), (1.0, -1.0)), ((1.2, 0.8), (1.5, -1.0)), ((0.7, 1.3), (-0.9, 0.4))],
)
def test_two_soliton_collision_shifts_match_inverse_scattering(x64, amplitudes, velocities):
    # Soliton 0 starts on the left moving right, except in the last case, where the labels are
    # swapped (soliton 0 is the slower one, on the right): the prediction must follow. The run
    # ends when the pair is as far apart again as at the start (20), long before it would meet
    # again through the periodic boundary.
    L = 80.0
    t1 = 2 * 20.0 / abs(velocities[0] - velocities[1])
    grid = sp.FourierGrid(1024, L)
    start = (30.0, 50.0) if velocities[0] > velocities[1] else (50.0, 30.0)
    u0 = sp.two_solitons(grid, amplitudes=amplitudes, velocities=velocities, positions=start)
    sol = sp.solve(sp.NLSE(), grid, u0, t1, dt=2.5e-3)
    free = np.mod(np.array(start) + np.array(velocities) * t1, L)
    centres = sp.soliton_centers(sol.ys[-1], grid, free, halfwidth=9.0)
    phases = sp.soliton_phases(
        sol.ys[-1], grid, t1, centres, amplitudes=amplitudes, velocities=velocities
    )
    theory = sp.collision_shifts(amplitudes=amplitudes, velocities=velocities)
    np.testing.assert_allclose(centres - free, theory.position, atol=2e-3)
    np.testing.assert_allclose(np.angle(np.exp(1j * (phases - theory.phase))), 0.0, atol=5e-4)


def test_modulation_instability_grows_at_the_benjamin_feir_rate(x64):
    # One seeded sideband at the fastest-growing κ = √(b/a) A₀ = √2; linear regime.
    kappa = np.sqrt(2.0)
    grid = sp.FourierGrid(64, 4 * 2 * np.pi / kappa)
    (x,) = grid.mesh()
    sol = sp.solve(sp.NLSE(), grid, 1 + 1e-8 * jnp.cos(kappa * x), 6.0, dt=0.01, saveat=3)
    sideband = jnp.abs(jnp.fft.fft(sol.ys, axis=-1)[:, 4])
    rate = jnp.log(sideband[2] / sideband[1]) / 3.0
    np.testing.assert_allclose(rate, sp.modulation_instability_gain(kappa), rtol=2e-3)
    np.testing.assert_allclose(sp.modulation_instability_gain(kappa), 1.0)  # g_max = b A₀²


def test_modulation_instability_seed_is_a_noisy_plane_wave():
    grid = sp.FourierGrid(4096, 100.0)
    psi = sp.modulation_instability(grid, jax.random.PRNGKey(0), amplitude=2.0, noise=0.01)
    np.testing.assert_allclose(jnp.mean(psi), 2.0, atol=1e-3)
    np.testing.assert_allclose(jnp.std(psi), 0.02, rtol=0.05)


def test_bad_case_parameters_are_rejected():
    with pytest.raises(ValueError, match="focusing"):
        sp.soliton(sp.FourierGrid(64), pde=sp.NLSE(b=-1.0))
    with pytest.raises(ValueError, match="multiple of the period"):
        sp.akhmediev_breather(sp.FourierGrid(64, 10.0))
    with pytest.raises(ValueError, match="0 < modulation < 1/2"):
        sp.akhmediev_period(0.6)
    with pytest.raises(ValueError, match="1D grid"):
        sp.soliton(sp.FourierGrid((16, 16)))
