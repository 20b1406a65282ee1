"""Equilibria and periodic orbits, and their derivatives with respect to parameters, against
closed forms."""

import math

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import jaxdyn.systems as sy
from jaxdyn._parameters import parameter


class StuartLandau(sy.AbstractSystem):
    """The Hopf normal form ż = (μ + iω)z − (1 − ib)|z|²z in (x, y): a limit cycle of radius
    √μ and period T = 2π/(ω + bμ), with Floquet multipliers 1 and exp(−2μT)."""

    mu: jax.Array = parameter(1.0)
    omega: jax.Array = parameter(2.0)
    b: jax.Array = parameter(0.5)

    def rhs(self, t, state):
        x, y = state
        r2 = x**2 + y**2
        return jnp.stack(
            [
                self.mu * x - self.omega * y - r2 * (x + self.b * y),
                self.omega * x + self.mu * y + r2 * (self.b * x - y),
            ]
        )


def test_lorenz_equilibria_and_their_parameter_derivative(x64):
    # C± = (±√(β(ρ − 1)), ±√(β(ρ − 1)), ρ − 1) and the origin.
    system = sy.Lorenz()
    guesses = jnp.array([[8.0, 8.0, 25.0], [-9.0, -7.0, 30.0], [0.3, -0.2, 0.1]])
    solution = sy.equilibria(system, guesses)
    beta, rho = float(system.beta), float(system.rho)
    c = math.sqrt(beta * (rho - 1))
    expected = [[c, c, rho - 1], [-c, -c, rho - 1], [0, 0, 0]]
    np.testing.assert_allclose(solution.value, expected, atol=1e-12)
    assert np.all(np.asarray(solution.stats.num_steps) < 10)

    def x_plus(rho):
        return sy.equilibria(sy.Lorenz(rho=rho), guesses[0]).value[0]

    np.testing.assert_allclose(jax.grad(x_plus)(rho), beta / (2 * c), rtol=1e-10)
    _, tangent = jax.jvp(x_plus, (jnp.asarray(rho),), (jnp.asarray(1.0),))
    np.testing.assert_allclose(tangent, beta / (2 * c), rtol=1e-10)


def test_stuart_landau_orbit_period_and_its_derivatives(x64):
    mu, omega, b = 1.0, 2.0, 0.5

    def orbit(mu, b):
        return sy.periodic_orbit(StuartLandau(mu=mu, b=b), jnp.array([1.1, 0.0]), 2.0)

    result = orbit(mu, b)
    period = 2 * math.pi / (omega + b * mu)
    assert float(result.period) == pytest.approx(period, rel=1e-9)
    assert float(jnp.linalg.norm(result.state)) == pytest.approx(math.sqrt(mu), rel=1e-9)
    multipliers = np.sort(np.abs(np.asarray(result.floquet_multipliers)))
    np.testing.assert_allclose(multipliers, [math.exp(-2 * mu * period), 1.0], rtol=1e-7)
    d_mu, d_b = jax.grad(lambda mu, b: orbit(mu, b).period, argnums=(0, 1))(mu, b)
    np.testing.assert_allclose(d_mu, -2 * math.pi * b / (omega + b * mu) ** 2, rtol=1e-8)
    np.testing.assert_allclose(d_b, -2 * math.pi * mu / (omega + b * mu) ** 2, rtol=1e-8)


@pytest.mark.usefixtures("unchecked")
def test_bad_guesses_are_named():
    with pytest.raises(ValueError, match=r"shape \(dim,\) or \(k, dim\)"):
        sy.equilibria(sy.Lorenz(), jnp.ones((2, 2, 3)))
    with pytest.raises(ValueError, match="period_guess > 0"):
        sy.periodic_orbit(sy.Lorenz(), jnp.ones(3), -1.0)
    with pytest.raises(RuntimeError, match="no convergence"):
        sy.equilibria(StuartLandau(mu=-1.0, omega=0.0), jnp.array([5.0, 5.0]), max_iter=1)
