"""Steady states of PDEs on a FourierGrid, and their parameter derivatives."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import jaxdyn.spectral as sp
from tests.helpers import FD_RTOL, directional_fd


class ForcedElliptic(sp.AbstractSemilinearPDE):
    """u_t = u_xx − u − u³ + a f(x): its steady state solves the monotone elliptic problem
    −u'' + u + u³ = a f, unique for every a."""

    amplitude: jax.Array = sp.parameter(1.0)
    forcing: jax.Array = sp.parameter(0.0)

    def linear(self, grid):
        return -grid.wavenumber_norm_squared(real=True) - 1.0

    def nonlinear(self, u_hat, grid):
        u = self.to_physical(u_hat, grid)
        return self.dealias(self.to_spectral(-(u**3) + self.amplitude * self.forcing, grid), grid)


def _manufactured(grid):
    # u* = sin x + ½cos 2x is the steady state when f = −u*'' + u* + u*³ and a = 1.
    (x,) = grid.mesh()
    u = jnp.sin(x) + 0.5 * jnp.cos(2 * x)
    u_xx = -jnp.sin(x) - 2 * jnp.cos(2 * x)
    return u, -u_xx + u + u**3


def test_steady_state_is_the_manufactured_solution(x64):
    grid = sp.FourierGrid(64, 2 * np.pi)
    exact, forcing = _manufactured(grid)
    solution = sp.steady_state(ForcedElliptic(forcing=forcing), grid, jnp.zeros(64))
    assert bool(solution.stats.converged) and int(solution.stats.num_steps) < 10
    np.testing.assert_allclose(solution.value, exact, atol=1e-11)


def test_steady_state_converges_in_float32_at_the_default_tolerance():
    # Unscaled, the residual's rounding floor ε·max|L| (≈ 4e-5 here) sits above the default
    # tolerance 100 ε = 1.2e-5 and Newton never stops; the scaled residual measures u's error.
    grid = sp.FourierGrid(64, 2 * np.pi)
    exact, forcing = _manufactured(grid)
    solution = sp.steady_state(ForcedElliptic(forcing=forcing), grid, jnp.zeros(64))
    assert solution.value.dtype == jnp.float32 and bool(solution.stats.converged)
    np.testing.assert_allclose(solution.value, exact, atol=5e-5)


def test_parameter_derivative_matches_finite_differences(x64):
    grid = sp.FourierGrid(64, 2 * np.pi)
    _, forcing = _manufactured(grid)
    weights = jnp.cos(grid.mesh()[0]) + 0.3

    def observable(amplitude):
        pde = ForcedElliptic(amplitude=amplitude, forcing=forcing)
        return jnp.mean(weights * sp.steady_state(pde, grid, jnp.zeros(64)).value ** 2)

    grad = jax.grad(observable)(1.0)
    fd = directional_fd(observable, jnp.asarray(1.0), 1.0)
    assert float(grad) == pytest.approx(float(fd), rel=FD_RTOL)


@pytest.mark.usefixtures("unchecked")
@pytest.mark.usefixtures("unchecked")
def test_steady_state_rejects_bad_input():
    grid = sp.FourierGrid(16, 2 * np.pi)
    with pytest.raises(ValueError, match=r"shape \(16,\)"):
        sp.steady_state(sp.AllenCahn(), grid, jnp.zeros(8))
    with pytest.raises(ValueError, match="real-valued"):
        sp.steady_state(sp.NLSE(), grid, jnp.zeros(16, complex))
