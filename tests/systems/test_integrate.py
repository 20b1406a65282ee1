"""`trajectory`: accuracy, dtypes, batching, gradients, metadata and failure reports."""

import diffrax
import jax
import jax.numpy as jnp
import numpy as np
import pytest

import jaxdyn as jd
import jaxdyn.systems as sy
from jaxdyn._parameters import parameter
from tests.helpers import FD_RTOL, directional_fd, max_abs, run_on_forced_host_devices


class Blowup(sy.AbstractSystem):
    """ẏ = y²: y(t) = y₀/(1 − y₀ t) blows up at t = 1/y₀."""

    rate: jax.Array = parameter(1.0)

    def rhs(self, t, y):
        return self.rate * y**2


def test_lorenz_trajectory_converges_with_the_tolerance(x64):
    system = sy.Lorenz()
    # Over t = 2 chaos amplifies local errors by about e^{0.9·2} ≈ 6.
    reference = sy.trajectory(system, 2.0, n_points=11, rtol=1e-13).ys
    loose = sy.trajectory(system, 2.0, n_points=11, rtol=1e-8).ys
    assert max_abs(loose, reference) < 1e-5
    assert max_abs(reference[0], system.default_ic()) == 0.0


def test_float32_trajectories_run_in_float32():
    sol = sy.trajectory(sy.Rossler(), 10.0, n_points=5)
    assert sol.ys.dtype == jnp.float32 and bool(sol.ok)


def test_transient_and_save_times():
    sol = sy.trajectory(sy.Lorenz(), 2.0, t_transient=1.0, n_points=3)
    np.testing.assert_allclose(sol.ts, [1.0, 1.5, 2.0])
    sol = sy.trajectory(sy.Lorenz(), 2.0, ts=[0.5, 2.0])
    assert sol.ys.shape == (2, 3)


def test_vmap_over_initial_states_and_parameters_equals_a_loop(x64):
    y0s = sy.Lorenz().default_ic() + jnp.array([[0.0, 0, 0], [1.0, 0, 0], [0, 0, 2.0]])
    rhos = jnp.array([28.0, 30.0, 35.0])

    def final(y0, rho):
        return sy.trajectory(sy.Lorenz(rho=rho), 2.0, y0=y0, n_points=2).ys[-1]

    batched = jax.vmap(final)(y0s, rhos)
    looped = jnp.stack([final(y, r) for y, r in zip(y0s, rhos, strict=True)])
    assert max_abs(batched, looped) < 1e-10


def test_gradient_of_a_time_average_matches_central_differences(x64):
    def mean_z(rho):
        return jnp.mean(sy.trajectory(sy.Lorenz(rho=rho), 1.0, n_points=50, rtol=1e-12).ys[:, 2])

    np.testing.assert_allclose(
        jax.grad(mean_z)(28.0), directional_fd(mean_z, 28.0, 1.0), rtol=FD_RTOL
    )


def test_systems_outside_the_database_need_an_initial_state():
    with pytest.raises(ValueError, match="pass y0"):
        sy.trajectory(Blowup(), 0.5)
    sol = sy.trajectory(Blowup(), 0.5, y0=jnp.array([1.0]), n_points=2)
    np.testing.assert_allclose(sol.ys[-1], 2.0, rtol=1e-5)  # y₀/(1 − y₀t) at t = 1/2


def test_blow_up_and_step_limits_are_reported_with_their_time():
    sol = sy.trajectory(Blowup(), 2.0, y0=jnp.array([1.0]), n_points=5, throw=False)
    assert not bool(sol.stats.finished) and not bool(sol.ok)
    with pytest.raises(jd.SolverFailure, match="maximum number of solver steps"):
        sy.trajectory(Blowup(), 2.0, y0=jnp.array([1.0]), n_points=5)
    short = sy.trajectory(sy.Lorenz(), 50.0, n_points=5, max_steps=10, throw=False)
    assert not bool(short.stats.finished)
    # Saves the run reached are returned; the ones it did not are inf, never NaN.
    assert np.all(np.isfinite(np.asarray(short.ys[0]))) and not np.any(np.isnan(short.ys))


def test_a_start_time_for_non_autonomous_systems(x64):
    # Torus: y(t) = ((r + a cos nt) cos t, (r + a cos nt) sin t, a sin nt) solves it exactly.
    system = sy.Torus()
    a, n, r = (float(p) for p in (system.a, system.n, system.r))

    def exact(t):
        tube = r + a * np.cos(n * t)
        return np.array([tube * np.cos(t), tube * np.sin(t), a * np.sin(n * t)])

    sol = sy.trajectory(system, 2.0, t0=1.0, y0=exact(1.0), ts=[1.0, 1.5, 2.0], rtol=1e-12)
    np.testing.assert_allclose(sol.ys, np.stack([exact(t) for t in (1.0, 1.5, 2.0)]), atol=1e-9)


@pytest.mark.usefixtures("unchecked")
@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(t1=-1.0), "t1 > t0"),
        (dict(y0=jnp.ones(2)), r"y0 of shape \(3,\)"),
        (dict(y0=jnp.array([1.0, jnp.nan, 0.0])), "y0: expected finite"),
        (dict(system=sy.Lorenz(rho=jnp.nan)), "finite parameters"),
        (dict(t_transient=5.0), "t_transient < t1"),
        (dict(ts=[0.5, 0.2]), "increasing"),
        (dict(rtol=1e-12), "below what float32 resolves"),
        (dict(system="Lorenz"), "AbstractSystem"),
    ],
)
def test_bad_input_raises_a_value_error_naming_the_expectation(kwargs, match):
    args = dict(system=sy.Lorenz(), t1=1.0) | kwargs
    with pytest.raises(ValueError, match=match):
        sy.trajectory(args.pop("system"), args.pop("t1"), **args)


@pytest.mark.parametrize("cls", [sy.Lorenz, sy.Rossler])
def test_defaults_and_metadata_are_the_published_ones(cls):
    info = cls.info()
    system = cls()
    for name, value in info.parameters.items():
        np.testing.assert_allclose(getattr(system, name), value)
    assert system.dimension == len(info.initial_conditions) == 3
    assert info.period > 0 and info.dt > 0 and info.citation


def test_custom_solver_is_used(x64):
    sol = sy.trajectory(sy.Lorenz(), 1.0, n_points=3, solver=diffrax.Tsit5(), rtol=1e-10)
    reference = sy.trajectory(sy.Lorenz(), 1.0, n_points=3, rtol=1e-12)
    assert max_abs(sol.ys, reference.ys) < 1e-7


def test_ensemble_over_states_and_parameters_equals_a_loop(x64):
    y0s = sy.Lorenz().default_ic() + jnp.array([[0.0, 0, 0], [1.0, 0, 0], [0, 0, 2.0]])
    rhos = jnp.array([28.0, 30.0, 35.0])
    systems = jax.vmap(lambda rho: sy.Lorenz(rho=rho))(rhos)
    batched = sy.ensemble(systems, y0s, 2.0, batched_parameters=True, n_points=3)
    assert batched.ys.shape == (3, 3, 3) and batched.stats.num_steps.shape == (3,)
    for i in range(3):
        single = sy.trajectory(sy.Lorenz(rho=rhos[i]), 2.0, y0=y0s[i], n_points=3)
        assert max_abs(batched.ys[i], single.ys) < 1e-10
    with pytest.raises(ValueError, match="leading axis of 2"):
        sy.ensemble(systems, y0s[:2], 2.0, batched_parameters=True)


def test_ensemble_names_the_members_that_failed():
    y0s = jnp.array([[0.1], [1.0], [0.2]])  # ẏ = y² blows up at t = 1/y₀: only member 1 by t = 2
    with pytest.raises(
        jd.SolverFailure, match=r"^ensemble: .*\(1 of 3 in the batch failed, first 1\)"
    ):
        sy.ensemble(Blowup(), y0s, 2.0, n_points=3)
    sol = sy.ensemble(Blowup(), y0s, 2.0, n_points=3, throw=False)
    np.testing.assert_array_equal(sol.stats.ok, [True, False, True])


SHARDED = """
import jax, jax.numpy as jnp, numpy as np
jax.config.update("jax_enable_x64", True)
import jaxdyn.systems as sy
assert jax.device_count() == 4
for batch in (6, 8):  # 6 is padded to a multiple of 4
    y0s = sy.Lorenz().default_ic() + 0.1 * jnp.arange(float(batch))[:, None]
    sol = sy.ensemble(sy.Lorenz(), y0s, 2.0, n_points=3)
    loop = np.stack([sy.trajectory(sy.Lorenz(), 2.0, y0=y, n_points=3).ys for y in y0s])
    assert sol.ys.shape == (batch, 3, 3)
    assert np.max(np.abs(np.asarray(sol.ys) - loop)) < 1e-10
spec = sol.ys.sharding.spec  # batch 8: each device holds its quarter
assert len(sol.ys.sharding.device_set) == 4 and spec and spec[0] == "batch", sol.ys.sharding
# Each device integrates its own members: no collective in the compiled ensemble.
from jaxdyn._sharding import shard_batch
from jaxdyn.systems._integrate import _ensemble
padded, mesh = shard_batch(y0s, batch)
text = _ensemble.lower(sy.Lorenz(), padded, 2.0, (("n_points", 3),), False, mesh)
assert "all-gather" not in text.lowered.compile().as_text()
# Batched Lyapunov spectra split the same way and equal the one-device answers.
rhos = jnp.array([15.0, 28.0, 160.0])
spectra = sy.lyapunov_spectra(jax.vmap(lambda r: sy.Lorenz(rho=r))(rhos), t1=5.0)
for rho, exponents in zip(rhos, spectra.exponents):
    one = sy.lyapunov_spectrum(sy.Lorenz(rho=rho), t1=5.0).exponents
    assert np.max(np.abs(np.asarray(exponents) - np.asarray(one))) < 1e-10
print("sharded over", len(sol.ys.sharding.device_set), "devices")
"""


def test_sharded_ensemble_on_four_forced_host_devices_equals_a_loop():
    stdout = run_on_forced_host_devices(SHARDED, 4)
    assert "sharded over" in stdout
