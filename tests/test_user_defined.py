"""A system and a PDE defined here, outside the catalog, work with every function of their
pillar: trajectory, Lyapunov spectrum, equilibria, periodic orbit; solve and steady state."""

from typing import ClassVar

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import jaxdyn.spectral as sp
import jaxdyn.systems as sy


class StuartLandau(sy.AbstractSystem):
    """ż = (μ + iω) z − |z|² z in real form: a stable limit cycle of radius √μ, period 2π/ω;
    Lyapunov exponents 0 (along the cycle) and −2μ (across it)."""

    mu: jax.Array = sy.parameter(1.0)
    omega: jax.Array = sy.parameter(2.0)
    default_state: ClassVar = (1.0, 0.0)
    dominant_period: ClassVar = np.pi

    def rhs(self, t, y):
        x, v = y
        r2 = x**2 + v**2
        return jnp.stack(
            [self.mu * x - self.omega * v - r2 * x, self.omega * x + self.mu * v - r2 * v]
        )


class Damped(sp.AbstractSemilinearPDE):
    """u_t = u_xx − u + f(x): steady state û = f̂/(1 + k²)."""

    def linear(self, grid):
        return -grid.wavenumber_norm_squared(real=True) - 1.0

    def nonlinear(self, u_hat, grid):
        (x,) = grid.mesh()
        return self.to_spectral(jnp.cos(x), grid) + 0 * u_hat


def test_user_system_metadata_and_trajectory(x64):
    system = StuartLandau()
    assert system.dimension == 2 and system.period() == np.pi and not system.has_info()
    sol = sy.trajectory(system, 10.0, n_points=3)
    np.testing.assert_allclose(jnp.linalg.norm(sol.ys[-1]), 1.0, rtol=1e-8)


def test_user_system_lyapunov_equilibria_and_orbit(x64):
    system = StuartLandau()
    spectrum = sy.lyapunov_spectrum(system, t1=100.0).exponents
    np.testing.assert_allclose(spectrum, [0.0, -2.0], atol=2e-2)
    origin = sy.equilibria(system, jnp.array([0.1, -0.1]))
    np.testing.assert_allclose(origin.value, 0.0, atol=1e-12)
    orbit = sy.periodic_orbit(system, jnp.array([1.0, 0.0]), 3.0, n_steps=400)
    np.testing.assert_allclose(orbit.period, np.pi, rtol=1e-8)


def test_user_system_without_metadata_asks_for_the_period(x64):
    class Bare(sy.AbstractSystem):
        def rhs(self, t, y):
            return -y

    with pytest.raises(ValueError, match="pass period="):
        sy.lyapunov_spectrum(Bare(), y0=jnp.ones(2))
    spectrum = sy.lyapunov_spectrum(Bare(), y0=jnp.ones(2), period=1.0, t1=20.0).exponents
    np.testing.assert_allclose(spectrum, [-1.0, -1.0], rtol=1e-6)


def test_user_pde_solve_and_steady_state(x64):
    grid = sp.FourierGrid(32)
    (x,) = grid.mesh()
    exact = jnp.cos(x) / 2
    steady = sp.steady_state(Damped(), grid, jnp.zeros(32))
    np.testing.assert_allclose(steady.value, exact, atol=1e-10)
    late = sp.solve(Damped(), grid, jnp.zeros(32), 30.0, dt=0.05).ys[-1]
    np.testing.assert_allclose(late, exact, atol=1e-10)


def test_lyapunov_time_from_the_class_or_the_literature():
    assert StuartLandau.lyapunov_time() is None  # no positive exponent known
    np.testing.assert_allclose(sy.Lorenz.lyapunov_time(), 1 / 0.9056)  # Sprott (2003)

    class Known(StuartLandau):
        maximum_lyapunov: ClassVar = 0.5

    assert Known.lyapunov_time() == 2.0


@pytest.mark.usefixtures("unchecked")
def test_a_bad_period_is_refused_even_when_the_horizons_are_given():
    with pytest.raises(ValueError, match="period > 0"):
        sy.lyapunov_spectrum(StuartLandau(), period=-1.0, tau=0.1, t1=1.0, t_transient=0.0)
    with pytest.raises(ValueError, match="expected n_points to be an integer, got 2.5"):
        sy.trajectory(StuartLandau(), 1.0, n_points=2.5)
