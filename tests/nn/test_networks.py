"""Each network fits a small problem it is known to fit, with a stated error bound (float32;
bounds are about twice the errors measured with these seeds)."""

import math

import jax
import jax.numpy as jnp
import optax
import pytest

import jaxdyn as jd

nn, sp = jd.nn, jd.spectral


def _relative(pred, true):
    return float(jnp.linalg.norm(pred - true) / jnp.linalg.norm(true))


def test_deeponet_learns_the_antiderivative_operator():
    # G(u)(y) = ∫₀ʸ u for u = a sin 2πx + b cos 2πx + c, read at 32 sensors.
    sensors_x = jnp.linspace(0, 1, 32)

    def sample(key, n):
        a, b, c = jax.random.normal(key, (3, n, 1))
        k_y = jax.random.fold_in(key, 1)
        y = jax.random.uniform(k_y, (n, 1))
        u = a * jnp.sin(2 * math.pi * sensors_x) + b * jnp.cos(2 * math.pi * sensors_x) + c
        integral = a * (1 - jnp.cos(2 * math.pi * y)) / (2 * math.pi)
        integral += b * jnp.sin(2 * math.pi * y) / (2 * math.pi) + c * y
        return u, y, integral[:, 0]

    model = nn.DeepONet(32, 1, 32, 2, 32, jax.random.PRNGKey(2))

    def loss(model, batch):
        u, y, target = batch
        return jnp.mean((jax.vmap(model)(u, y) - target) ** 2)

    result = nn.fit(
        model,
        loss,
        sample(jax.random.PRNGKey(0), 500),
        steps=2000,
        key=jax.random.PRNGKey(1),
        batch_size=100,
        optimizer=optax.adam(3e-3),
    )
    u, y, target = sample(jax.random.PRNGKey(5), 200)
    assert _relative(jax.vmap(result.model)(u, y), target) < 0.08  # measured 0.038


def test_fno_learns_one_step_of_burgers():
    grid = sp.FourierGrid(64)
    keys = jax.random.split(jax.random.PRNGKey(0), 300)
    u0 = jax.vmap(lambda k: sp.random_field(k, grid, peak_wavenumber=3.0))(keys)
    pde = sp.Burgers(viscosity=0.05)
    u1 = jax.vmap(lambda u: sp.solve(pde, grid, u, 0.2, dt=0.01).ys[-1])(u0)
    model = nn.FNO(1, 1, 24, 12, 3, jax.random.PRNGKey(1))

    def loss(model, batch):
        return jnp.mean((jax.vmap(model)(batch[0][:, None])[:, 0] - batch[1]) ** 2)

    result = nn.fit(
        model,
        loss,
        (u0[:250], u1[:250]),
        steps=1000,
        key=jax.random.PRNGKey(2),
        batch_size=25,
        optimizer=optax.adam(5e-3),
    )
    predicted = jax.vmap(result.model)(u0[250:, None])[:, 0]
    # Doing nothing (u1 ≈ u0) scores 0.53; measured 0.014 after 1500 steps.
    assert _relative(predicted, u1[250:]) < 0.05


def test_fno_2d_maps_fields_of_any_resolution():
    model = nn.FNO(2, 1, 8, 4, 2, jax.random.PRNGKey(0), ndim=2)
    assert model(jnp.ones((2, 16, 16))).shape == (1, 16, 16)
    assert model(jnp.ones((2, 32, 24))).shape == (1, 32, 24)
    with pytest.raises(ValueError, match=r"expected u \(channels, \*grid\) of shape \(2, \*, \*\)"):
        model(jnp.ones((2, 16)))


def test_neural_ode_fits_short_lorenz_segments():
    lorenz = jd.systems.Lorenz()
    ts = jnp.linspace(0, 0.3, 16)

    def segment(y0):
        return jd.systems.trajectory(lorenz, float(ts[-1]), y0=y0, ts=ts, rtol=1e-5).ys / 20

    y0s = lorenz.default_ic() + 3 * jax.random.normal(jax.random.PRNGKey(3), (32, 3))
    data = jax.vmap(segment)(y0s)
    model = nn.NeuralODE(3, 64, 2, jax.random.PRNGKey(4), tolerance=1e-4)
    result = nn.fit(
        model,
        lambda m, b: nn.trajectory_loss(m, ts, b),
        data,
        steps=500,
        key=jax.random.PRNGKey(5),
        batch_size=8,
        optimizer=optax.adam(3e-3),
    )
    truth = segment(lorenz.default_ic() + 1.0)
    # Relative to the motion over the segment; measured 0.032.
    assert _relative(result.model(ts, truth[0]) - truth[0], truth - truth[0]) < 0.08


def test_pinn_with_causal_weights_solves_the_heat_equation():
    # u_t = u_xx on [0, 2π], u(0, x) = sin x, u = 0 at both ends: u = e^{−t} sin x.
    model = nn.PINN(1, 32, 3, jax.random.PRNGKey(7))

    def residual(m, t, x):
        u = lambda t, x: m(t, x)[0]  # noqa: E731
        return jax.grad(u, 0)(t, x) - jax.hessian(u, 1)(t, x)[0, 0]

    times = jnp.linspace(0, 1, 12)
    points = jnp.linspace(0, 2 * math.pi, 24)[:, None]

    def loss(m, _):
        ends = jax.vmap(
            lambda t: m(t, jnp.zeros(1))[0] ** 2 + m(t, jnp.full(1, 2 * math.pi))[0] ** 2
        )
        return nn.causal_loss(m, residual, times, points, jnp.sin, epsilon=1.0) + jnp.mean(
            ends(times)
        )

    result = nn.fit(
        model,
        loss,
        jnp.zeros((1, 1)),
        steps=2000,
        key=jax.random.PRNGKey(8),
        optimizer=optax.adam(3e-3),
    )
    t, x = (
        a.ravel() for a in jnp.meshgrid(jnp.linspace(0, 1, 11), jnp.linspace(0, 2 * math.pi, 33))
    )
    predicted = jax.vmap(lambda t, x: result.model(t, x[None])[0])(t, x)
    assert float(jnp.max(jnp.abs(predicted - jnp.exp(-t) * jnp.sin(x)))) < 0.05  # measured 0.021


def test_causal_weights_by_hand():
    weights = nn.causal_weights(jnp.array([1.0, 2.0, 0.5]), epsilon=0.5)
    assert jnp.allclose(weights, jnp.exp(-0.5 * jnp.array([0.0, 1.0, 3.0])))


_KEY = jax.random.PRNGKey(0)


@pytest.mark.usefixtures("unchecked")
@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: nn.MLP(3, 1, 8, 1, _KEY)(jnp.ones(4)), r"MLP: expected input of shape \(3,\)"),
        (
            lambda: nn.DeepONet(10, 1, 8, 1, 4, _KEY)(jnp.ones(9), jnp.ones(1)),
            r"DeepONet: expected sensors of shape \(10,\)",
        ),
        (
            lambda: nn.DeepONet(10, 2, 8, 1, 4, _KEY)(jnp.ones(10), jnp.ones(1)),
            r"DeepONet: expected query of shape \(2,\)",
        ),
        (
            lambda: nn.NeuralODE(3, 8, 1, _KEY)(jnp.linspace(0, 1, 5), jnp.ones(2)),
            r"NeuralODE: expected y0 of shape \(3,\)",
        ),
        (
            lambda: nn.trajectory_loss(
                nn.NeuralODE(3, 8, 1, _KEY), jnp.linspace(0, 1, 5), jnp.ones((2, 4, 3))
            ),
            r"trajectory_loss: expected ys \(batch, len\(ts\), dim\) of shape \(\*, 5, 3\)",
        ),
        (lambda: nn.PINN(2, 8, 1, _KEY)(0.0, jnp.ones(3)), r"PINN: expected x of shape \(2,\)"),
        (
            lambda: nn.FNO(2, 1, 8, 4, 1, _KEY)(jnp.ones((1, 16))),
            r"FNO: expected u \(channels, \*grid\) of shape \(2, \*\)",
        ),
        (
            lambda: nn.SpectralConv(1, 1, 8, _KEY)(jnp.ones((1, 8))),
            r"SpectralConv: expected at least \(14,\) grid points",
        ),
        (
            lambda: nn.gtf_loss(nn.PLRNN(3, 4, _KEY), jnp.ones((2, 10, 2)), 0.1),
            r"gtf_loss: expected sequences of shape \(\*, \*, 3\)",
        ),
    ],
    ids=[
        "mlp",
        "deeponet-sensors",
        "deeponet-query",
        "node",
        "node-loss",
        "pinn",
        "fno",
        "spectral-conv",
        "gtf",
    ],
)
def test_wrong_shapes_are_named(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_deq_fits_a_sine_and_stays_a_contraction():
    x = jnp.linspace(-jnp.pi, jnp.pi, 64)[:, None]
    y = jnp.sin(2 * x)
    model = nn.DEQ(1, 16, 1, jax.random.PRNGKey(0), contraction=0.9)

    def loss(m, batch):
        return jnp.mean((jax.vmap(m)(batch[0]) - batch[1]) ** 2)

    result = nn.fit(
        model, loss, (x, y), steps=800, key=jax.random.PRNGKey(1), optimizer=optax.adam(1e-2)
    )
    error = float(jnp.max(jnp.abs(jax.vmap(result.model)(x) - y)))
    assert error < 0.05, error  # measured 0.022; untrained 1.18
    cell = result.model.equilibrium.cell
    assert float(jnp.linalg.norm(cell.effective_weight(), ord=2)) <= 0.9 + 1e-6
    # z* is the fixed point: one more cell application leaves it in place.
    z = result.model.equilibrium(x[5])
    assert float(jnp.max(jnp.abs(cell(z, x[5]) - z))) < 1e-5
