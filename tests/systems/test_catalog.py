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
DELAY = [name for name in NAMES if isinstance(sy.get(name), sy.AbstractDelaySystem)]


@pytest.mark.parametrize("name", NAMES)
def test_rhs_and_defaults_equal_dysts(x64, name):
    # NaN where both are NaN (e.g. a fractional power of a negative state) counts as equal.
    ours, theirs = sy.get(name), getattr(dysts_flows, name)()
    info = ours.info()
    for parameter, value in info.parameters.items():
        np.testing.assert_allclose(getattr(ours, parameter), value, err_msg=parameter)
    rng = np.random.default_rng(0)
    if name in DELAY:
        for x, x_delayed in rng.normal(scale=2.0, size=(5, 2)):
            expected = theirs._rhs(x, x_delayed, 0.0, *theirs.param_list)
            np.testing.assert_allclose(ours.rhs(0.0, x, x_delayed), expected, rtol=1e-12)
        return
    for y in rng.normal(scale=2.0, size=(5, info.dimension)):
        expected = np.asarray(theirs.rhs(y, 0.0), dtype=float)
        np.testing.assert_allclose(ours.rhs(0.0, jnp.asarray(y)), expected, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("name", NAMES)
def test_every_system_runs_twenty_periods_from_its_default_state(name):
    system = sy.get(name)
    sol = sy.trajectory(system, 20 * system.info().period, n_points=50, throw=False)
    assert bool(sol.ok), (name, sol.stats)
    assert bool(jnp.all(jnp.isfinite(sol.ys)))


def test_lorenz96_takes_any_number_of_sites(x64):
    y = np.random.default_rng(1).normal(size=40)
    expected = dysts_flows.Lorenz96().rhs(y, 0.0)
    np.testing.assert_allclose(sy.Lorenz96().rhs(0.0, jnp.asarray(y)), expected, rtol=1e-13)
    assert sy.trajectory(sy.Lorenz96(f=8.0), 1.0, y0=y, n_points=3).ys.shape == (3, 40)
    with pytest.raises(ValueError, match="or longer"):
        sy.trajectory(sy.Lorenz96(), 1.0, y0=np.ones(3))


def test_the_catalog_is_the_whole_database():
    assert len(NAMES) == 135 and len(DELAY) == 6
    assert all(sy.get(name).has_info() for name in NAMES)
    assert jax.tree.leaves(sy.get("SprottA")) == []  # a system without parameters
