"""Every matrix product in a numerical kernel asks for full float32 precision.

On a TPU, a float32 `dot_general` at the default precision runs as one bfloat16 pass (about 3
significant digits); `Precision.HIGHEST` makes it float32-accurate. This walks the jaxprs of
the hot functions, sub-jaxprs included (scan and while bodies, custom derivatives, and the
backward pass where one is traced), and asserts that every `dot_general` carries HIGHEST.
"""

import jax
import jax.numpy as jnp
import pytest

import jaxdyn as jd

sp, sy, im, nn, tangent = jd.spectral, jd.systems, jd.implicit, jd.nn, jd.tangent
KEY = jax.random.PRNGKey(0)
MATRIX = jnp.array([[0.3, 0.1, -0.2], [0.05, 0.2, 0.1], [-0.1, 0.15, 0.25]])
SERIES = jnp.sin(jnp.arange(240.0)[:, None] * jnp.array([0.1, 0.13, 0.17]))


def _subjaxprs(value):
    if isinstance(value, jax.extend.core.ClosedJaxpr):
        yield value.jaxpr
    elif isinstance(value, jax.extend.core.Jaxpr):
        yield value
    elif isinstance(value, tuple | list):
        for item in value:
            yield from _subjaxprs(item)


def _dot_precisions(jaxpr):
    for equation in jaxpr.eqns:
        if equation.primitive.name == "dot_general":
            yield equation.params["precision"]
        for value in equation.params.values():
            for sub in _subjaxprs(value):
                yield from _dot_precisions(sub)


def _esn():
    return nn.EchoStateNetwork(3, 20, KEY, washout=10).fit(SERIES[:200])


def _gtf(model):
    sequences = SERIES[None, :20] + jnp.zeros((2, 1, 1))
    return jax.grad(lambda m: nn.gtf_loss(m, sequences, 0.2))(model)


def _qp(h):
    q = jnp.eye(2) * 2.0 + 0.5
    return im.QPLayer()(q, jnp.ones(2), None, None, jnp.eye(2), h)


KERNELS = {
    "EchoStateNetwork.fit": lambda: _esn(),
    "EchoStateNetwork.forecast": lambda: _esn().forecast(SERIES[200:], 10),
    "PLRNN generate and GTF gradient": lambda: (
        nn.PLRNN(3, 5, KEY).generate(SERIES[0], 10),
        _gtf(nn.PLRNN(3, 5, KEY)),
    ),
    "ShallowPLRNN generate and GTF gradient": lambda: (
        nn.ShallowPLRNN(3, 3, 8, KEY).generate(SERIES[0], 10),
        _gtf(nn.ShallowPLRNN(3, 3, 8, KEY)),
    ),
    "ALRNN generate and GTF gradient": lambda: (
        nn.ALRNN(3, 5, 2, KEY).generate(SERIES[0], 10),
        _gtf(nn.ALRNN(3, 5, 2, KEY)),
    ),
    "MLP and its gradient": lambda: jax.grad(lambda x: nn.MLP(3, 1, 8, 2, KEY)(x)[0])(SERIES[0]),
    "DeepONet": lambda: nn.DeepONet(3, 1, 8, 2, 4, KEY)(SERIES[0], jnp.ones(1)),
    "FNO": lambda: nn.FNO(1, 1, 4, 3, 2, KEY)(SERIES[None, :16, 0]),
    "DEQ": lambda: nn.DEQ(3, 4, 2, KEY)(SERIES[0]),
    "NeuralODE": lambda: nn.NeuralODE(3, 8, 1, KEY)(jnp.linspace(0, 0.1, 3), SERIES[0]),
    "PINN": lambda: nn.PINN(1, 8, 2, KEY)(jnp.asarray(0.1), jnp.ones(1)),
    "lyapunov_spectrum_of_map": lambda: tangent.lyapunov_spectrum_of_map(
        lambda y: jnp.tanh(MATRIX @ y) * 2.0, jnp.ones(3), 5
    ),
    "systems.lyapunov_spectrum (a matrix right-hand side)": lambda: sy.lyapunov_spectrum(
        sy.BeerRNN(), t1=2.0, tau=1.0, t_transient=0.0
    ),
    "root_find and its gradient": lambda: jax.grad(
        lambda t: jnp.sum(im.root_find(lambda z, t: MATRIX @ z + z - t, jnp.zeros(3), t).value)
    )(jnp.ones(3)),
    "argmin and its gradient": lambda: jax.grad(
        lambda t: jnp.sum(
            im.argmin(
                lambda x, t: x @ (MATRIX @ MATRIX.T + jnp.eye(3)) @ x - t @ x, jnp.zeros(3), t
            ).value
        )  # fmt: skip
    )(jnp.ones(3)),
    "QPLayer and its gradient": lambda: jax.grad(lambda h: jnp.sum(_qp(h)))(jnp.ones(2)),
    "spectral.solve (two-layer QG)": lambda: sp.solve(
        sp.QGTwoLayer(), sp.FourierGrid((16, 16)), jnp.zeros((2, 16, 16)), 0.1, dt=0.05
    ),
}


@pytest.mark.parametrize("name", list(KERNELS))
def test_every_matrix_product_asks_for_highest_precision(name):
    jaxpr = jax.make_jaxpr(KERNELS[name])().jaxpr
    precisions = list(_dot_precisions(jaxpr))
    highest = (jax.lax.Precision.HIGHEST, jax.lax.Precision.HIGHEST)
    assert all(p == highest for p in precisions), (name, precisions)


def test_the_walk_finds_products_and_sees_a_default_precision():
    jaxpr = jax.make_jaxpr(lambda: jax.lax.scan(lambda c, _: (MATRIX @ c, None), jnp.ones(3),
                                                 length=2))().jaxpr  # fmt: skip
    assert list(_dot_precisions(jaxpr)) == [None]
