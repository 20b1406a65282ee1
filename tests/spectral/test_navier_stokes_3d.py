"""3D Navier–Stokes (rotational form): exact Beltrami decay, a forced steady state, the
nonlinear term against the convective form, and the energy budget of the Taylor–Green vortex."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import jaxdyn.spectral as sp

GRID = sp.FourierGrid((16, 16, 16))


@pytest.mark.parametrize("mode", [1, 2])
def test_abc_flow_decays_exactly(x64, mode):
    # A Beltrami field has u × ω = 0: u(t) = e^{−ν k² t} u(0) (Dombre et al. 1986).
    pde, u0 = sp.NavierStokes3D(viscosity=0.1), jnp.asarray(sp.abc_flow(GRID, mode, 1.0, 0.7, 0.4))
    sol = sp.solve(pde, GRID, u0, 2.0, dt=0.05, saveat=3)
    for t, u in zip(sol.ts, sol.ys, strict=True):
        assert float(jnp.max(jnp.abs(u - jnp.exp(-0.1 * mode**2 * t) * u0))) < 1e-10


def test_abc_flow_decays_in_float32():
    pde, u0 = sp.NavierStokes3D(viscosity=0.1), jnp.asarray(sp.abc_flow(GRID), jnp.float32)
    sol = sp.solve(pde, GRID, u0, 2.0, dt=0.05)
    assert sol.ys.dtype == jnp.float32
    assert float(jnp.max(jnp.abs(sol.ys[-1] - jnp.exp(-0.2) * u0))) < 1e-5


def test_abc_forcing_holds_its_flow_steady(x64):
    k, nu = 2, 0.05  # forcing amplitude ν k² balances the viscous decay of the ABC flow
    pde = sp.NavierStokes3D(viscosity=nu, forcing_amplitude=nu * k**2, forcing_mode=k)
    u0 = jnp.asarray(sp.abc_flow(GRID, k))
    sol = sp.solve(pde, GRID, u0, 3.0, dt=0.1)
    assert float(jnp.max(jnp.abs(sol.ys[-1] - u0))) < 1e-12


def _divergence_free_field(key):
    """Taylor–Green plus a random band-limited perturbation, projected."""
    pde = sp.NavierStokes3D()
    noise = jax.random.normal(key, (3, *GRID.shape))
    noise_hat = pde.dealias(pde.to_spectral(noise, GRID), GRID)
    u_hat = pde.to_spectral(jnp.asarray(sp.taylor_green_vortex(GRID)), GRID)
    return pde.project(u_hat + 0.05 * noise_hat, GRID)


def test_rotational_form_equals_the_projected_convective_form(x64):
    # u × ω = −(u·∇)u + ∇|u|²/2: the two differ by a gradient, which the projection removes.
    pde = sp.NavierStokes3D()
    u_hat = _divergence_free_field(jax.random.PRNGKey(0))
    u = pde.to_physical(u_hat, GRID)
    convective = jnp.stack([
        sum(u[j] * pde.to_physical(pde.derivative(u_hat[i], GRID, j), GRID) for j in range(3))
        for i in range(3)
    ])  # fmt: skip
    expected = pde.project(pde.dealias(pde.to_spectral(-convective, GRID), GRID), GRID)
    got = pde.nonlinear(u_hat, GRID)
    assert float(jnp.max(jnp.abs(got - expected)) / jnp.max(jnp.abs(expected))) < 1e-12
    k = pde.wavenumbers(GRID, got)
    divergence = sum(k[i] * got[i] for i in range(3))
    assert float(jnp.max(jnp.abs(divergence)) / jnp.max(jnp.abs(got))) < 1e-13


def test_taylor_green_energy_budget(x64):
    # E(0) = 1/8, ε(0) = 3ν/4 in closed form, and E(t) − E(0) = −∫ε dt (Simpson over saves).
    pde = sp.NavierStokes3D(viscosity=0.05)
    u0 = jnp.asarray(sp.taylor_green_vortex(GRID))
    assert abs(float(pde.kinetic_energy(u0, GRID)) - 0.125) < 1e-15
    assert abs(float(pde.dissipation_rate(u0, GRID)) - 0.75 * 0.05) < 1e-15
    sol = sp.solve(pde, GRID, u0, 2.0, dt=0.01, saveat=41)
    energy = pde.kinetic_energy(sol.ys, GRID)
    rate = np.asarray(pde.dissipation_rate(sol.ys, GRID))
    h = float(sol.ts[1] - sol.ts[0])
    integral = h / 3 * (rate[0] + rate[-1] + 4 * rate[1:-1:2].sum() + 2 * rate[2:-1:2].sum())
    assert abs(float(energy[-1] - energy[0]) + integral) < 1e-7 * float(energy[0])
    _, spectrum = sp.energy_spectrum(sol.ys[-1], GRID)  # Parseval on the 3D half spectrum
    assert abs(float(jnp.sum(spectrum)) / (2 * np.pi) ** 3 - float(energy[-1])) < 1e-14


def test_bad_grids_and_modes_are_refused():
    with pytest.raises(ValueError, match="ndim in"):
        sp.NavierStokes3D().linear(sp.FourierGrid((16, 16)))
    with pytest.raises(ValueError, match="cubic 3D grid"):
        sp.abc_flow(sp.FourierGrid((16, 16, 8)))
    with pytest.raises(ValueError, match=r"mode in \[1, n/3\]"):
        sp.solve(sp.NavierStokes3D(forcing_mode=6), GRID, jnp.zeros((3, *GRID.shape)), 1.0, dt=1)
    with pytest.raises(ValueError, match=r"mode in \[1, n/3\]"):
        sp.abc_flow(GRID, mode=6)
