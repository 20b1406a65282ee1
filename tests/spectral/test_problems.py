import jax.numpy as jnp
import numpy as np
import pytest

import jaxdyn.spectral as sp


@pytest.mark.parametrize("name", sp.problem_names())
def test_every_problem_builds_a_valid_state_and_takes_steps(name):
    p = sp.problem(name, quick=True)
    assert p.u0.shape == p.pde.field_shape(p.grid)
    assert bool(jnp.all(jnp.isfinite(p.u0)))
    sol = sp.solve(p.pde, p.grid, p.u0, p.t0 + 5 * p.dt, t0=p.t0, dt=p.dt)
    assert bool(sol.ok)


def test_random_field_has_the_requested_rms_and_zero_mean():
    grid = sp.FourierGrid((32, 32))
    from jax import random

    u = sp.random_field(random.PRNGKey(0), grid, rms=2.5, fields=3)
    assert u.shape == (3, 32, 32)
    np.testing.assert_allclose(jnp.sqrt(jnp.mean(u**2, axis=(1, 2))), 2.5, rtol=1e-5)
    np.testing.assert_allclose(jnp.mean(u, axis=(1, 2)), 0.0, atol=1e-6)


def test_unknown_problem_names_suggest_the_closest():
    with pytest.raises(ValueError, match="did you mean kuramoto-sivashinsky"):
        sp.problem("kuramoto-sivashinski")
