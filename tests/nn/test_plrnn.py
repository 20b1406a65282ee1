"""Piecewise-linear RNNs and generalized teacher forcing: learning a known map, the GTF
forcing-strength bound by hand, and the boundedness of the clipped shallow PLRNN."""

import math

import equinox as eqx
import jax
import jax.numpy as jnp
import optax
import pytest

import jaxdyn.nn as nn


@pytest.mark.parametrize(
    "make, bound",
    [
        (lambda k: nn.ALRNN(2, 6, 2, k), 0.3),  # measured 0.14
        (lambda k: nn.ShallowPLRNN(2, 4, 32, k), 0.5),  # measured 0.26
        (lambda k: nn.PLRNN(2, 8, k), 1.0),  # measured 0.53
    ],
    ids=["alrnn", "shallow-plrnn", "plrnn"],
)
def test_piecewise_linear_rnns_learn_a_rotation_with_gtf(make, bound):
    # x_{t+1} = R(0.3) x_t; trained with generalized teacher forcing (α = 0.3), then run free
    # for 30 steps from a training initial state.
    angle = 0.3
    rotation = jnp.array([[math.cos(angle), -math.sin(angle)], [math.sin(angle), math.cos(angle)]])

    def orbit(x):
        return jax.lax.scan(lambda x, _: (rotation @ x, rotation @ x), x, length=30)[1]

    x0s = jax.random.normal(jax.random.PRNGKey(0), (64, 2))
    sequences = jax.vmap(lambda x: jnp.concatenate([x[None], orbit(x)]))(x0s)
    result = nn.fit(
        make(jax.random.PRNGKey(1)),
        lambda m, b: nn.gtf_loss(m, b, 0.3),
        sequences,
        steps=1500,
        key=jax.random.PRNGKey(2),
        batch_size=16,
        optimizer=optax.adam(3e-3),
    )
    generated = result.model.generate(sequences[0, 0], 30)
    assert float(jnp.max(jnp.abs(generated - sequences[0, 1:]))) < bound


def _linear_shallow_plrnn(diagonal):
    # W₁ = 0: z_{t+1} = A z_t, whose Jacobian is diag(A) everywhere.
    model = nn.ShallowPLRNN(2, 2, 8, jax.random.PRNGKey(0))
    model = eqx.tree_at(lambda m: m.w1, model, jnp.zeros_like(model.w1))
    return eqx.tree_at(lambda m: m.diagonal, model, jnp.asarray(diagonal))


@pytest.mark.parametrize("diagonal, expected", [([2.0, 0.5], 0.5), ([0.9, -4.0], 0.75)])
def test_gtf_alpha_bound_by_hand(diagonal, expected):
    # ‖J‖₂ = max|A_i| = G on every state, so α* = 1 − 1/G.
    sequences = jax.random.normal(jax.random.PRNGKey(1), (3, 10, 2))
    alpha = nn.gtf_alpha_bound(_linear_shallow_plrnn(diagonal), sequences)
    assert abs(float(alpha) - expected) < 1e-6


def test_gtf_alpha_bound_is_zero_for_a_contraction():
    sequences = jax.random.normal(jax.random.PRNGKey(1), (3, 10, 2))
    assert float(nn.gtf_alpha_bound(_linear_shallow_plrnn([0.5, -0.8]), sequences)) == 0.0


def test_clipped_shallow_plrnn_stays_bounded_where_the_plain_one_blows_up():
    # |ReLU(a + h) − ReLU(a)| ≤ |h|, so ‖z_t‖∞ ≤ ‖z_0‖∞ + (‖W₁‖∞ ‖h₂‖∞ + ‖h₁‖∞)/(1 − max|A|).
    keys = jax.random.split(jax.random.PRNGKey(3), 4)

    def make(clipped):
        model = nn.ShallowPLRNN(3, 3, 16, keys[0], clipped=clipped)
        model = eqx.tree_at(lambda m: m.w1, model, 3 * jax.random.normal(keys[1], (3, 16)))
        model = eqx.tree_at(lambda m: m.hidden_bias, model, jax.random.normal(keys[2], (16,)))
        return eqx.tree_at(lambda m: m.bias, model, 0.5 * jax.random.normal(keys[3], (3,)))

    x0 = jnp.array([1.0, -1.0, 0.5])
    clipped, plain = make(True), make(False)
    w1_norm = float(jnp.max(jnp.sum(jnp.abs(clipped.w1), axis=1)))
    bound = 1.0 + (
        w1_norm * float(jnp.max(jnp.abs(clipped.hidden_bias)))
        + float(jnp.max(jnp.abs(clipped.bias)))
    ) / (1 - float(jnp.max(jnp.abs(clipped.diagonal))))
    assert float(jnp.max(jnp.abs(clipped.generate(x0, 2000)))) <= bound
    assert not bool(jnp.all(jnp.abs(plain.generate(x0, 2000)) < bound))
