"""Training-step throughput of each jaxdyn.nn model on a small synthetic problem."""

import equinox as eqx
import jax
import jax.numpy as jnp
import optax

from .. import nn
from ._timing import time_compiled


def _train_step(model, loss, batch):
    """One Adam step of `loss(model, batch)`: the function `jaxdyn bench` times."""
    optimizer = optax.adam(1e-3)
    params, static = eqx.partition(model, eqx.is_inexact_array)
    state = optimizer.init(params)

    def step(params, state, batch):
        value, grads = jax.value_and_grad(lambda p: loss(eqx.combine(p, static), batch))(params)
        updates, state = optimizer.update(grads, state, params)
        return optax.apply_updates(params, updates), state, value

    return step, (params, state, batch)


def _cases(key):
    k = jax.random.split(key, 8)
    grid = jnp.zeros((16, 1, 64))
    yield (
        "FNO 1D",
        "batch 16, 64 points, width 24",
        nn.FNO(1, 1, 24, 12, 3, k[0]),
        (lambda m, b: jnp.mean((jax.vmap(m)(b) - b) ** 2)),
        jax.random.normal(k[1], grid.shape),
    )
    sensors, queries = jax.random.normal(k[2], (100, 32)), jax.random.uniform(k[3], (100, 1))
    yield (
        "DeepONet",
        "batch 100, 32 sensors",
        nn.DeepONet(32, 1, 32, 2, 32, k[4]),
        (lambda m, b: jnp.mean(jax.vmap(m)(b[0], b[1]) ** 2)),
        (sensors, queries),
    )
    ts = jnp.linspace(0.0, 0.3, 16)
    yield (
        "NeuralODE",
        "batch 8, 16 times, width 64",
        nn.NeuralODE(3, 64, 2, k[5]),
        (lambda m, b: nn.trajectory_loss(m, ts, b)),
        jax.random.normal(k[6], (8, 16, 3)),
    )
    yield (
        "ShallowPLRNN + GTF",
        "batch 16, 30 steps, latent 16",
        nn.ShallowPLRNN(3, 16, 64, k[7]),
        (lambda m, b: nn.gtf_loss(m, b, 0.3)),
        jax.random.normal(k[0], (16, 31, 3)),
    )
    yield (
        "ALRNN + GTF",
        "batch 16, 30 steps, latent 16, 4 ReLUs",
        nn.ALRNN(3, 16, 4, k[1]),
        (lambda m, b: nn.gtf_loss(m, b, 0.3)),
        jax.random.normal(k[2], (16, 31, 3)),
    )
    yield (
        "DEQ",
        "batch 64, state 32",
        nn.DEQ(4, 32, 1, k[3]),
        (lambda m, b: jnp.mean(jax.vmap(m)(b) ** 2)),
        jax.random.normal(k[4], (64, 4)),
    )

    def heat_residual(m, t, x):  # u_t − u_xx
        u_t = jax.jacfwd(lambda s: m(s, x))(t)
        u_xx = jax.hessian(lambda y: m(t, y)[0])(x)
        return u_t - jnp.trace(u_xx)

    yield (
        "PINN (causal)",
        "8 time slabs x 32 points, width 32",
        nn.PINN(1, 32, 3, k[5]),
        (lambda m, b: nn.causal_loss(m, heat_residual, b[0], b[1], jnp.sin)),
        (jnp.linspace(0.0, 1.0, 8), jax.random.uniform(k[6], (32, 1), maxval=jnp.pi)),
    )


def training_throughput(repeats: int = 5) -> list[dict]:
    """Seconds per training step, compiled, for each network (float32)."""
    results = []
    for name, size, model, loss, batch in _cases(jax.random.PRNGKey(0)):
        step, args = _train_step(model, loss, batch)
        timing = time_compiled(step, *args, repeats=repeats)
        results.append((name, size, timing))
    return results
