"""Lyapunov spectra of networks run free: exact for maps and flows whose spectrum is known, and
a reservoir trained on Lorenz reproduces Lorenz's leading exponents."""

import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np
import pytest

import jaxdyn as jd

nn = jd.nn
KEY = jax.random.PRNGKey(0)


def test_a_linear_plrnn_has_the_logarithms_of_its_diagonal(x64):
    # W = 0: z ↦ A z + h, so λᵢ = log aᵢ / Δt exactly, once the transient has aligned the
    # basis with the axes.
    model = eqx.tree_at(lambda m: m.weights, nn.PLRNN(3, 4, KEY), jnp.zeros((4, 4)))
    result = nn.lyapunov_spectrum(model, jnp.ones((5, 3)), 100, time_per_step=0.5, n_exponents=4,
                                  n_transient=3000)  # fmt: skip
    expected = np.sort(np.log(np.asarray(model.diagonal)))[::-1] / 0.5
    np.testing.assert_allclose(result.exponents, expected, rtol=1e-10)


def test_a_neural_ode_gradient_flow_has_the_eigenvalues_at_its_stable_point(x64):
    # f(y) = −W₁ᵀ tanh(W₁ y): a gradient flow into y = 0 with Jacobian −W₁ᵀW₁ there, so the
    # exponents are the eigenvalues of −W₁ᵀW₁ once the orbit has settled.
    model = nn.NeuralODE(3, 3, 1, KEY)
    w1 = jnp.array([[1.0, 0.2, 0.0], [0.0, 0.7, 0.1], [0.3, 0.0, 0.4]])
    zero = jnp.zeros(3)
    model = eqx.tree_at(
        lambda m: (m.vector_field.layers[0].weight, m.vector_field.layers[0].bias,
                   m.vector_field.layers[1].weight, m.vector_field.layers[1].bias),
        model, (w1, zero, -w1.T, zero),
    )  # fmt: skip
    result = nn.lyapunov_spectrum(model, 0.1 * jnp.ones((1, 3)), 200, time_per_step=0.5,
                                  n_transient=100)  # fmt: skip
    expected = np.sort(np.linalg.eigvalsh(-np.asarray(w1.T @ w1)))[::-1]
    np.testing.assert_allclose(result.exponents, expected, rtol=2e-3)


def test_a_reservoir_trained_on_lorenz_has_lorenz_leading_exponents(x64):
    # Measured with 300 units and 8000 training states: (0.898, 0.000, −7.51) against
    # (0.9056, 0, −14.57); the contracting exponent is the one a reservoir does not learn.
    dt, n_train = 0.02, 3000
    ys = jd.systems.trajectory(jd.systems.Lorenz(beta=8 / 3), 80.0, n_points=4000, rtol=1e-10).ys
    esn = nn.EchoStateNetwork(3, 200, KEY).fit(ys[:n_train])
    result = nn.lyapunov_spectrum(esn, ys[n_train : n_train + 300], 5000, time_per_step=dt,
                                  n_transient=500, n_exponents=2)  # fmt: skip
    assert abs(result.exponents[0] / 0.9056 - 1) < 0.15 and abs(result.exponents[1]) < 0.05, (
        result.exponents
    )


@pytest.mark.usefixtures("unchecked")
def test_bad_models_and_contexts_are_named():
    with pytest.raises(ValueError, match="expected a PLRNN, ShallowPLRNN, ALRNN"):
        nn.lyapunov_spectrum(nn.MLP(3, 3, 4, 1, KEY), jnp.ones((5, 3)), 10)
    with pytest.raises(ValueError, match="context"):
        nn.lyapunov_spectrum(nn.PLRNN(3, 4, KEY), jnp.ones((5, 2)), 10)
