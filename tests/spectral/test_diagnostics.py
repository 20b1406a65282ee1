"""Diagnostics against closed forms and hand-computed values."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import jaxdyn.spectral as sp

GRID = sp.FourierGrid(1024, 60.0)


@pytest.mark.parametrize("a, b", [(0.5, 1.0), (1.0, 2.0)])
def test_soliton_invariants_have_their_closed_forms(x64, a, b):
    # ψ = A sech(κ s) e^{i v x/2a}, κ = A√(b/2a):  M = 2A²/κ,  P = (v/2a) M,
    # H = a κ² M/3 + (v²/4a) M − (b/2)(4A⁴/3κ) = −A⁴ b/(3κ)·... evaluated term by term below.
    A, v = 1.3, 0.7
    pde = sp.NLSE(a=a, b=b)
    psi = sp.soliton(GRID, pde=pde, amplitude=A, velocity=v)
    kappa = A * np.sqrt(b / (2 * a))
    mass = 2 * A**2 / kappa
    np.testing.assert_allclose(sp.mass(psi, GRID), mass, rtol=1e-12)
    np.testing.assert_allclose(sp.momentum(psi, GRID), v / (2 * a) * mass, rtol=1e-12)
    gradient = (2 / 3) * A**2 * kappa + (v / (2 * a)) ** 2 * mass  # ∫|ψ_x|²
    quartic = (4 / 3) * A**4 / kappa  # ∫|ψ|⁴
    np.testing.assert_allclose(
        sp.hamiltonian(pde, psi, GRID), a * gradient - b / 2 * quartic, rtol=1e-11
    )


def test_diagnostics_map_over_leading_axes(x64):
    psis = jnp.stack([sp.soliton(GRID, amplitude=A) for A in (0.5, 1.0, 2.0)])
    np.testing.assert_allclose(sp.mass(psis, GRID), [1.0, 2.0, 4.0], rtol=1e-12)


def test_energy_spectrum_obeys_parseval_and_puts_a_mode_in_its_shell(x64):
    grid = sp.FourierGrid((32, 48), (2 * np.pi, 3 * np.pi))
    u = sp.random_field(jax.random.PRNGKey(3), grid, peak_wavenumber=5.0)
    k, energy = sp.energy_spectrum(u, grid)
    np.testing.assert_allclose(jnp.sum(energy), 0.5 * grid.integrate(u**2), rtol=1e-12)
    x, _ = grid.mesh()
    _, single = sp.energy_spectrum(jnp.sin(3 * x), grid)
    dk = 2 * np.pi / (3 * np.pi)
    assert int(jnp.argmax(single)) == round(3 / dk)
    np.testing.assert_allclose(k[1] - k[0], dk)
    _, batched = sp.energy_spectrum(jnp.stack([u, 2 * u]), grid)
    np.testing.assert_allclose(batched[1], 4 * energy, rtol=1e-12)


def test_enstrophy_of_the_taylor_green_vortex(x64):
    grid = sp.FourierGrid((16, 16))
    x, y = grid.mesh()
    omega = 2 * jnp.sin(x) * jnp.sin(y)
    np.testing.assert_allclose(sp.enstrophy(omega, grid), 0.5 * 4 * np.pi**2, rtol=1e-13)


def test_entropies_of_hand_computed_densities(x64):
    grid = sp.FourierGrid(4, 1.0)
    uniform = jnp.ones(4)
    np.testing.assert_allclose(sp.shannon_entropy(uniform, grid), np.log(4))
    np.testing.assert_allclose(sp.renyi_entropy(uniform, grid, 2.0), np.log(4))
    np.testing.assert_allclose(sp.tsallis_entropy(uniform, grid, 2.0), 1 - 1 / 4)
    delta = jnp.array([0.0, 3.0, 0.0, 0.0])
    assert float(sp.shannon_entropy(delta, grid)) == 0.0
    # |u|² = (1, 1, 2, 0)/4 → p = (1/4, 1/4, 1/2, 0).
    u = jnp.sqrt(jnp.array([1.0, 1.0, 2.0, 0.0]))
    p = np.array([0.25, 0.25, 0.5])
    np.testing.assert_allclose(sp.shannon_entropy(u, grid), -np.sum(p * np.log(p)))
    np.testing.assert_allclose(sp.renyi_entropy(u, grid, 3.0), np.log(np.sum(p**3)) / (1 - 3))
    np.testing.assert_allclose(sp.tsallis_entropy(u, grid, 0.5), (1 - np.sum(p**0.5)) / (0.5 - 1))
    # Rényi → Shannon as α → 1.
    np.testing.assert_allclose(
        sp.renyi_entropy(u, grid, 1 + 1e-7), sp.shannon_entropy(u, grid), rtol=1e-6
    )


@pytest.mark.parametrize(
    "call", [lambda u, g: sp.renyi_entropy(u, g, 1.0), lambda u, g: sp.tsallis_entropy(u, g, 1.0)]
)
def test_entropy_orders_at_one_are_rejected(call):
    with pytest.raises(ValueError, match="!= 1"):
        call(jnp.ones(4), sp.FourierGrid(4))
