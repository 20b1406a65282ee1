"""`dataset`: the dysts protocol's sampling, reproducibility from the key, standardisation of
the training part, the noise level, and both time units."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import jaxdyn.systems as sy
from tests.test_user_defined import StuartLandau

KEY = jax.random.PRNGKey(0)


def test_protocol_a_defaults_give_1000_plus_200_points_per_period_grid(x64):
    data = sy.dataset("Lorenz", key=KEY)
    assert data.ys.shape == (1, 1200, 3) and data.train.shape == (1, 1000, 3)
    assert data.test.shape == (1, 200, 3)
    assert data.dt == pytest.approx(sy.Lorenz.period() / 100, rel=1e-12)
    np.testing.assert_allclose(np.diff(np.asarray(data.ts)), data.dt, rtol=1e-9)


def test_reproducible_from_the_key_and_standardised_on_the_training_part(x64):
    kwargs = dict(n_periods=3, points_per_period=20, n_initial_conditions=3, noise=0.1)
    first, again = sy.dataset("Lorenz", key=KEY, **kwargs), sy.dataset("Lorenz", key=KEY, **kwargs)
    assert np.array_equal(np.asarray(first.ys), np.asarray(again.ys))  # bit for bit
    other = sy.dataset("Lorenz", key=jax.random.PRNGKey(1), **kwargs)
    assert not np.allclose(np.asarray(other.ys[:, 0]), np.asarray(first.ys[:, 0]))
    train = np.asarray(first.train).reshape(-1, 3)
    np.testing.assert_allclose(train.mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(train.std(axis=0), 1, rtol=1e-12)
    starts = np.asarray(first.ys[:, 0] * first.std + first.mean)
    assert np.all(np.abs(starts[:, 2] - 25) < 25)  # on the attractor: 0 < z < 50
    assert len({tuple(np.round(s, 6)) for s in starts}) == 3  # three different starts


def test_noise_has_the_requested_level(x64):
    kwargs = dict(n_periods=10, points_per_period=40, n_initial_conditions=4, standardize=False)
    clean = sy.dataset("Lorenz", key=KEY, **kwargs)
    noisy = sy.dataset("Lorenz", key=KEY, noise=0.2, **kwargs)
    spread = np.asarray(clean.train).reshape(-1, 3).std(axis=0)
    error = np.asarray(noisy.ys - clean.ys).reshape(-1, 3)
    np.testing.assert_allclose(error.std(axis=0) / spread, 0.2, rtol=0.05)


def test_lyapunov_time_sampling_and_delay_systems(x64):
    data = sy.dataset("Lorenz", key=KEY, unit="lyapunov_time", points_per_period=30, n_periods=2)
    assert data.dt == pytest.approx(sy.Lorenz.lyapunov_time() / 30, rel=1e-12)
    assert data.ys.shape == (1, 60, 3)
    delay = sy.dataset("MackeyGlass", key=KEY, n_initial_conditions=2, n_periods=2)
    assert delay.ys.shape == (2, 200, 1) and bool(jnp.all(jnp.isfinite(delay.ys)))


def test_a_delay_system_starts_from_its_own_orbit_past(x64):
    # A state continued as a constant past is not on a delay system's attractor; each start
    # takes its orbit's past τ as the history, so the data continue that orbit over the next
    # τ to the integrator's accuracy (two RK4 grids offset: measured 2e-4), where a constant
    # history parts from it at once (measured 3 and 6; PiecewiseCircuit blew up from one).
    system = sy.get("IkedaDelay")
    starts = sy._dataset._initial_conditions(system, None, system.period(), 2, KEY)
    ts = np.linspace(0.0, system.tau, 41)
    for past in starts:
        times = past.start + ts  # the orbit the history was read from, continued
        reference = sy.trajectory(system, float(times[-1]), ts=times).ys[:, 0]
        continued = sy.delay_trajectory(system, float(ts[-1]), history=past, ts=ts).ys[:, 0]
        constant = sy.delay_trajectory(system, float(ts[-1]), y0=continued[:1], ts=ts).ys[:, 0]
        assert float(jnp.max(jnp.abs(continued - reference))) < 2e-3
        assert float(jnp.max(jnp.abs(constant - reference))) > 0.5


def test_float32_datasets_stay_in_float32():
    data = sy.dataset("Lorenz", key=KEY, n_periods=2, points_per_period=20)
    assert data.ys.dtype == jnp.float32 and bool(jnp.all(jnp.isfinite(data.ys)))


@pytest.mark.parametrize(
    "system, kwargs, match",
    [
        ("Lorenz", {"unit": "seconds"}, "unit in"),
        ("Lorenz", {"points_per_period": 1}, "points_per_period >= 2"),
        ("NotASystem", {}, "unknown system"),
        (StuartLandau(), {"unit": "lyapunov_time"}, "no known lyapunov time"),
        (3.0, {}, "expected a system or a catalog name"),
    ],
)
def test_bad_input_is_refused(system, kwargs, match, unchecked):
    with pytest.raises(ValueError, match=match):
        sy.dataset(system, key=KEY, **kwargs)
