"""Each equation against an exact solution, an invariant or a published rate."""

import diffrax
import jax
import jax.numpy as jnp
import numpy as np
import pytest

import jaxdyn.spectral as sp
from tests.helpers import max_abs


def test_advection_diffusion_translates_and_decays_each_mode_exactly(x64):
    grid = sp.FourierGrid((16, 12), (2 * np.pi, 4 * np.pi))
    x, y = grid.mesh()
    c, D, t = jnp.array([0.7, -0.3]), 0.05, 1.3
    pde = sp.AdvectionDiffusion(velocity=c, diffusivity=D)

    def exact(t):
        phase1 = 2 * (x - c[0] * t) + 0.5 * (y - c[1] * t)
        phase2 = 3 * (x - c[0] * t)
        return jnp.sin(phase1) * jnp.exp(-D * 4.25 * t) + jnp.cos(phase2) * jnp.exp(-D * 9 * t)

    sol = sp.solve(pde, grid, exact(0.0), t, dt=0.1, saveat=3)
    assert max_abs(sol.ys, jnp.stack([exact(s) for s in sol.ts])) < 1e-13


def test_burgers_matches_the_cole_hopf_solution(x64):
    # u = −2ν φ_x/φ with φ solving the heat equation from φ₀ = exp(cos x / 2ν) (u₀ = sin x):
    # φ evolves exactly in Fourier space on a fine grid (Whitham, Linear and Nonlinear Waves §4.4).
    nu, t1 = 0.1, 1.0
    fine = sp.FourierGrid(1024)
    (xf,) = fine.mesh()
    phi_hat = jnp.fft.fft(jnp.exp(jnp.cos(xf) / (2 * nu)))
    (k,) = fine.wavenumbers(real=False)
    phi_hat = phi_hat * jnp.exp(-nu * k**2 * t1)
    phi = jnp.real(jnp.fft.ifft(phi_hat))
    exact_fine = -2 * nu * jnp.real(jnp.fft.ifft(1j * k * phi_hat)) / phi

    grid = sp.FourierGrid(256)
    (x,) = grid.mesh()
    sol = sp.solve(sp.Burgers(viscosity=nu), grid, jnp.sin(x), t1, dt=2e-3)
    assert max_abs(sol.ys[-1], exact_fine[::4]) < 1e-10


def test_kdv_soliton_travels_at_its_speed(x64):
    # Centred far from the boundary and wrapped to the nearest periodic image, so the profile
    # is periodic to ~e⁻⁴⁰ and the 2/3-rule projection of u₀ removes nothing measurable.
    c, x0, t1, L = 2.0, 27.0, 3.0, 60.0
    grid = sp.FourierGrid(256, L)
    (x,) = grid.mesh()

    def exact(t):
        s = jnp.mod(x - x0 - c * t + L / 2, L) - L / 2
        return c / 2 / jnp.cosh(jnp.sqrt(c) / 2 * s) ** 2

    sol = sp.solve(sp.KdV(), grid, exact(0.0), t1, dt=1e-3)
    assert max_abs(sol.ys[-1], exact(t1)) < 1e-7


def test_navier_stokes_taylor_green_vortex_decays_exactly(x64):
    grid = sp.FourierGrid((32, 32))
    x, y = grid.mesh()
    nu = 0.05
    omega0 = 2 * jnp.sin(x) * jnp.sin(y)  # ψ = sin x sin y: J(ψ, ω) ≡ 0
    sol = sp.solve(sp.NavierStokes2D(viscosity=nu), grid, omega0, 2.0, dt=0.05, saveat=5)
    expected = jnp.stack([omega0 * jnp.exp(-2 * nu * t) for t in sol.ts])
    assert max_abs(sol.ys, expected) < 1e-13


def test_navier_stokes_advection_term_equals_the_analytic_jacobian(x64):
    # ω = sin x cos y + cos 2x  ⇒  ψ = ½ sin x cos y + ¼ cos 2x,  u = ψ_y,  v = −ψ_x.
    grid = sp.FourierGrid((32, 32))
    x, y = grid.mesh()
    pde = sp.NavierStokes2D()
    omega = jnp.sin(x) * jnp.cos(y) + jnp.cos(2 * x)
    u = -0.5 * jnp.sin(x) * jnp.sin(y)
    v = -(0.5 * jnp.cos(x) * jnp.cos(y) - 0.5 * jnp.sin(2 * x))
    omega_x = jnp.cos(x) * jnp.cos(y) - 2 * jnp.sin(2 * x)
    omega_y = -jnp.sin(x) * jnp.sin(y)
    n_hat = pde.nonlinear(pde.to_spectral(omega, grid), grid)
    assert max_abs(pde.to_physical(n_hat, grid), -(u * omega_x + v * omega_y)) < 1e-13
    u_num, v_num = pde.velocity(omega, grid)
    assert max_abs(u_num, u) < 1e-14 and max_abs(v_num, v) < 1e-14


def test_kolmogorov_flow_settles_on_its_laminar_profile(x64):
    # Steady laminar state of ν∇²ω − μω − A k_f cos(k_f y) = 0:  ω = −A k_f cos(k_f y)/(ν k_f² + μ).
    grid = sp.FourierGrid((16, 16))
    _, y = grid.mesh()
    pde = sp.NavierStokes2D(viscosity=0.5, drag=0.1, forcing_amplitude=1.0, forcing_mode=2)
    laminar = -2.0 * jnp.cos(2 * y) / (0.5 * 4 + 0.1)
    sol = sp.solve(pde, grid, jnp.zeros(grid.shape), 20.0, dt=0.05)
    assert max_abs(sol.ys[-1], laminar) < 1e-12


def _allen_cahn_energy(pde, u, grid):
    gradient = grid.derivative(u)
    density = 0.5 * pde.diffusivity * gradient**2 + 0.25 * pde.reaction * (1 - u**2) ** 2
    return grid.integrate(density)


def test_allen_cahn_is_a_bounded_gradient_flow(x64):
    grid = sp.FourierGrid(128, 2 * np.pi)
    field = sp.random_field(jax.random.PRNGKey(1), grid, peak_wavenumber=6.0)
    u0 = 0.9 * field / jnp.max(jnp.abs(field))
    pde = sp.AllenCahn(diffusivity=1e-2)
    sol = sp.solve(pde, grid, u0, 10.0, dt=0.01, saveat=21)
    energy = np.asarray(_allen_cahn_energy(pde, sol.ys, grid))
    assert np.all(np.diff(energy) < 1e-12)  # free energy never increases
    # Maximum principle |u| ≤ max(1, max|u₀|) = 1, up to the spectral (Gibbs) error of the
    # resolved interfaces (width √(2D) ≈ 3 grid spacings).
    assert float(jnp.max(jnp.abs(sol.ys))) < 1.0 + 1e-2


def test_swift_hohenberg_small_amplitude_growth_rate(x64):
    # Linear regime: a mode of wavenumber k grows at σ = r − (1 − k²)².
    grid = sp.FourierGrid(64, 16 * np.pi)
    (x,) = grid.mesh()
    pde = sp.SwiftHohenberg(r=0.2)
    k = 0.875  # mode 7 on L = 16π
    sol = sp.solve(pde, grid, 1e-8 * jnp.cos(k * x), 5.0, dt=0.1)
    growth = jnp.log(jnp.max(jnp.abs(sol.ys[-1])) / 1e-8) / 5.0
    np.testing.assert_allclose(growth, 0.2 - (1 - k**2) ** 2, rtol=1e-6)


def test_gray_scott_uniform_state_follows_the_reaction_kinetics(x64):
    grid = sp.FourierGrid((8, 8), 2.5)
    pde = sp.GrayScott(feed=0.035, kill=0.065)
    state = jnp.array([0.6, 0.3])
    u0 = jnp.broadcast_to(state[:, None, None], (2, *grid.shape))
    sol = sp.solve(pde, grid, u0, 20.0, dt=0.05)

    def kinetics(t, y, args):
        u, v = y
        return jnp.stack([-u * v**2 + pde.feed * (1 - u), u * v**2 - (pde.feed + pde.kill) * v])

    ode = diffrax.diffeqsolve(
        diffrax.ODETerm(kinetics), diffrax.Dopri8(), 0.0, 20.0, 0.05, state,
        stepsize_controller=diffrax.PIDController(rtol=1e-12, atol=1e-12),
    )  # fmt: skip
    assert max_abs(sol.ys[-1][:, 0, 0], ode.ys[-1]) < 1e-9
    assert max_abs(sol.ys[-1], sol.ys[-1][:, :1, :1]) < 1e-14  # stays uniform


def test_qg_phillips_baroclinic_growth_rate(x64):
    # Equal layers, β = 0: σ = k (U/2) √((k_d² − K²)/(k_d² + K²)) for U = U₁ − U₂
    # (Phillips 1954; Vallis, AOFD 2nd ed. §9.5).
    grid = sp.FourierGrid((16, 16))
    x, _ = grid.mesh()
    kd = 4.0
    pde = sp.QGTwoLayer(
        beta=0.0, shear=1.0, deformation_wavenumber=kd, bottom_drag=0.0, hyperviscosity=0.0
    )
    psi1 = 1e-6 * jnp.cos(x)
    f = kd**2 / 2
    q0 = jnp.stack([-psi1 - f * psi1, f * psi1])  # ψ₂ = 0
    sol = sp.solve(pde, grid, q0, 20.0, dt=0.02, saveat=5)
    amplitude = jnp.sqrt(jnp.sum(sol.ys**2, axis=(1, 2, 3)))
    rate = (jnp.log(amplitude[-1]) - jnp.log(amplitude[-2])) / 5.0
    np.testing.assert_allclose(rate, 0.5 * np.sqrt((kd**2 - 1) / (kd**2 + 1)), rtol=1e-6)


def test_qg_inversion_recovers_the_stream_function(x64):
    grid = sp.FourierGrid((16, 16))
    pde = sp.QGTwoLayer()
    psi = sp.random_field(jax.random.PRNGKey(0), grid, fields=2)
    f = 0.5 * pde.deformation_wavenumber**2
    lap = lambda p: grid.derivative(p, 0, 2) + grid.derivative(p, 1, 2)
    q = jnp.stack([lap(psi[0]) + f * (psi[1] - psi[0]), lap(psi[1]) + f * (psi[0] - psi[1])])
    psi_back = pde.to_physical(pde.stream_function_hat(pde.to_spectral(q, grid), grid), grid)
    assert max_abs(psi_back, psi) < 1e-12


@pytest.mark.parametrize(
    "pde, shape",
    [(sp.KdV(), (16, 16)), (sp.KuramotoSivashinsky(), (8, 8)), (sp.NavierStokes2D(), (16,))],
    ids=["KdV-2D", "KS-2D", "NS-1D"],
)
def test_equations_reject_grids_of_the_wrong_dimension(pde, shape):
    grid = sp.FourierGrid(shape)
    with pytest.raises(ValueError, match="ndim"):
        sp.solve(pde, grid, jnp.zeros(grid.shape), 1.0, dt=0.1)
