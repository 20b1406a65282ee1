"""Every catalog system against dysts (Gilpin 2021), the reference it reproduces."""

import warnings

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import jaxdyn.systems as sy

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # dysts warns that numba is absent; it is not needed here
    dysts_flows = pytest.importorskip("dysts.flows")

NAMES = sy.names()


@pytest.mark.parametrize("name", NAMES)
def test_rhs_and_defaults_equal_dysts(x64, name):
    ours, theirs = sy.get(name), getattr(dysts_flows, name)()
    info = ours.info()
    for parameter, value in info.parameters.items():
        np.testing.assert_allclose(getattr(ours, parameter), value, err_msg=parameter)
    points = np.random.default_rng(0).normal(scale=2.0, size=(5, info.dimension))
    for y in points:
        expected = np.asarray(theirs.rhs(y, 0.0), dtype=float)
        np.testing.assert_allclose(ours.rhs(0.0, jnp.asarray(y)), expected, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("name", NAMES)
def test_every_system_runs_twenty_periods_from_its_default_state(name):
    system = sy.get(name)
    sol = sy.trajectory(system, 20 * system.info().period, n_points=50, throw=False)
    assert bool(sol.ok), (name, sol.stats)
    assert bool(jnp.all(jnp.isfinite(sol.ys)))


def test_the_catalog_holds_only_systems_the_database_describes():
    assert len(NAMES) >= 50
    assert all(sy.get(name).has_info() for name in NAMES)
    assert jax.tree.leaves(sy.get("SprottA")) == []  # a system without parameters
