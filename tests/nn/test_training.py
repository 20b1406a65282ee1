"""`fit`: convergence, bit-identical resumption from a checkpoint, divergence reporting,
bad data."""

import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np
import optax
import pytest

import jaxdyn as jd
import jaxdyn.nn as nn


def _problem():
    x = jnp.linspace(-1, 1, 64)[:, None]
    return eqx.nn.Linear(1, 1, key=jax.random.PRNGKey(0)), (x, 2 * x[:, 0] + 1)


def _loss(model, batch):
    x, y = batch
    return jnp.mean((jax.vmap(model)(x)[:, 0] - y) ** 2)


def test_fit_converges_on_a_line():
    model, data = _problem()
    result = nn.fit(
        model,
        _loss,
        data,
        steps=400,
        key=jax.random.PRNGKey(1),
        batch_size=16,
        optimizer=optax.adam(0.05),
    )
    assert float(result.losses[-1]) < 1e-4
    assert abs(float(result.model.weight[0, 0]) - 2) < 1e-2


def test_an_interrupted_run_resumes_to_the_same_numbers(tmp_path):
    model, data = _problem()
    kwargs = dict(steps=200, key=jax.random.PRNGKey(1), batch_size=16, checkpoint_every=50)
    whole = nn.fit(model, _loss, data, checkpoint=tmp_path / "a.eqx", **kwargs)
    first = nn.fit(model, _loss, data, checkpoint=tmp_path / "b.eqx", until=120, **kwargs)
    assert first.steps == 120 and np.isnan(np.asarray(first.losses)[120:]).all()
    resumed = nn.fit(model, _loss, data, checkpoint=tmp_path / "b.eqx", **kwargs)
    np.testing.assert_array_equal(resumed.losses, whole.losses)
    np.testing.assert_array_equal(resumed.model.weight, whole.model.weight)


def test_a_diverging_run_stops_with_its_step_and_keeps_the_last_good_model(tmp_path):
    model, data = _problem()
    with pytest.raises(nn.TrainingDiverged, match="non-finite at step") as caught:
        nn.fit(
            model,
            lambda m, b: jnp.exp(1e3 * _loss(m, b)),
            data,
            steps=50,
            key=jax.random.PRNGKey(1),
            checkpoint=tmp_path / "c.eqx",
        )
    assert caught.value.step == 0
    assert bool(jnp.all(jnp.isfinite(caught.value.model.weight)))
    assert (tmp_path / "c.eqx").exists()


def test_a_non_finite_update_is_caught_at_its_step():
    # The loss stays finite, but the optimizer's update at step 3 is NaN: the run stops
    # there with the parameters of step 3, not with NaN ones.
    def poisoned_sgd(at):
        def update(updates, count, params=None):
            scale = jnp.where(count == at, jnp.nan, -0.05)
            return jax.tree.map(lambda u: scale * u, updates), count + 1

        return optax.GradientTransformation(lambda params: jnp.zeros((), jnp.int32), update)

    model, data = _problem()
    with pytest.raises(nn.TrainingDiverged, match="non-finite at step 3") as caught:
        nn.fit(model, _loss, data, steps=20, key=jax.random.PRNGKey(1), optimizer=poisoned_sgd(3))
    assert caught.value.step == 3
    assert bool(jnp.all(jnp.isfinite(caught.value.model.weight)))
    assert isinstance(caught.value, jd.SolverFailure) and "\n" not in str(caught.value)
    # throw=False: the same stop, reported in the result (what a TPU run reads).
    result = nn.fit(
        model, _loss, data, steps=20, key=jax.random.PRNGKey(1), optimizer=poisoned_sgd(3),
        throw=False,
    )  # fmt: skip
    assert result.result == jd.RESULTS.nonfinite_loss and result.steps == 3
    np.testing.assert_array_equal(result.model.weight, caught.value.model.weight)
    assert (
        nn.fit(model, _loss, data, steps=5, key=jax.random.PRNGKey(1)).result
        == jd.RESULTS.successful
    )


@pytest.mark.usefixtures("unchecked")
def test_bad_data_is_named():
    model, (x, y) = _problem()
    for kwargs, name in [
        (dict(steps=0), "steps"), (dict(steps=5, batch_size=0), "batch_size"),
        (dict(steps=5, batch_size=10_000), "batch_size"),
        (dict(steps=5, checkpoint_every=0), "checkpoint_every"),
        (dict(steps=5, until=-1), "until"), (dict(steps=2.5), "steps"),
    ]:  # fmt: skip
        with pytest.raises(ValueError, match=name):
            nn.fit(model, _loss, (x, y), key=jax.random.PRNGKey(0), **kwargs)
    with pytest.raises(ValueError, match="same leading sample axis"):
        nn.fit(model, _loss, (x, y[:10]), steps=1, key=jax.random.PRNGKey(0))
    with pytest.raises(ValueError, match="finite data"):
        nn.fit(model, _loss, (x, y.at[3].set(jnp.nan)), steps=1, key=jax.random.PRNGKey(0))


def test_a_step_aware_loss_sees_each_step_once():
    # loss(model, batch, k) = k: the recorded losses are 0, 1, …, steps − 1, across blocks.
    model, data = _problem()
    result = nn.fit(
        model,
        lambda m, b, k: k.astype(jnp.float32) + 0 * _loss(m, b),
        data,
        steps=25,
        key=jax.random.PRNGKey(1),
        checkpoint_every=10,
        loss_takes_step=True,
    )
    assert np.array_equal(np.asarray(result.losses), np.arange(25))
