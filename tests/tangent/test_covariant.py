"""Covariant Lyapunov vectors (Ginelli et al. 2007): against a direct computation on the Hénon
map, and the flow direction of Lorenz's neutral vector."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import jaxdyn as jd

ta, sy = jd.tangent, jd.systems


def _henon(y, a=1.4, b=0.3):
    return jnp.stack([1 - a * y[0] ** 2 + y[1], b * y[0]])


def _sine_of_angle(u, v):
    u, v = u / np.linalg.norm(u), v / np.linalg.norm(v)
    return abs(u[0] * v[1] - u[1] * v[0])


def test_henon_vectors_equal_the_directions_of_past_and_future_products(x64):
    # Directly: the unstable vector at y_k is Dstep(y_{k−1})⋯Dstep(y_{k−m})·u for almost any u;
    # the stable one is Dstep(y_k)⁻¹⋯Dstep(y_{k+m−1})⁻¹·w (m = 60; the gap is 2.1 per step).
    result = ta.covariant_lyapunov_vectors(_henon, jnp.array([0.1, 0.1]), 200, n_transient=100)
    np.testing.assert_allclose(result.exponents, [0.42, -1.62], atol=0.06)  # 200 steps' worth
    jacobian = jax.jit(jax.jacfwd(_henon))
    ys = np.asarray(result.states)
    for k in (70, 100, 130):
        unstable, stable = np.array([1.0, 0.3]), np.array([0.2, 1.0])
        for j in range(k - 60, k):
            unstable = jacobian(ys[j]) @ unstable
            unstable /= np.linalg.norm(unstable)
        for j in range(k + 60, k, -1):
            stable = np.linalg.solve(jacobian(ys[j - 1]), stable)
            stable /= np.linalg.norm(stable)
        vectors = np.asarray(result.vectors[k])
        assert _sine_of_angle(vectors[:, 0], unstable) < 1e-12
        assert _sine_of_angle(vectors[:, 1], stable) < 1e-12
    np.testing.assert_allclose(np.linalg.norm(result.vectors, axis=1), 1.0, rtol=1e-12)


def test_lorenz_neutral_vector_is_the_flow_direction(x64):
    # The covariant vector of λ₂ = 0 is f(y) itself (time translation). Measured: mean
    # |sin angle| 1e-9 (target 1e-3) with τ = 0.05, 300 steps on each side.
    system = sy.Lorenz(beta=8 / 3)
    y0 = sy.trajectory(system, 20.0, n_points=2).ys[-1]
    step = sy.flow_map(system, 0.05, rtol=1e-9, atol=1e-9)
    result = ta.covariant_lyapunov_vectors(step, y0, 200, n_transient=300, n_future=300,
                                           time_per_step=0.05)  # fmt: skip
    flow = jax.vmap(lambda y: system.rhs(0.0, y))(result.states)
    flow = flow / jnp.linalg.norm(flow, axis=1, keepdims=True)
    sine = jnp.linalg.norm(jnp.cross(flow, result.vectors[:, :, 1]), axis=1)
    assert float(jnp.mean(sine)) < 1e-3 and bool(result.stats.ok)
    assert result.exponents[0] > 0.5 and result.exponents[2] < -13


def test_float32_vectors_keep_the_flow_direction():
    system = sy.Lorenz(beta=8 / 3)
    y0 = sy.trajectory(system, 20.0, n_points=2).ys[-1]
    step = sy.flow_map(system, 0.05, rtol=1e-6, atol=1e-6)
    # The backward pass converges as e^{−(λ₁ − λ₂) t}: 300 steps of 0.05 give 1e-6.
    result = ta.covariant_lyapunov_vectors(step, y0, 50, n_transient=300, n_future=300,
                                           time_per_step=0.05)  # fmt: skip
    assert result.vectors.dtype == jnp.float32
    flow = jax.vmap(lambda y: system.rhs(0.0, y))(result.states)
    flow = flow / jnp.linalg.norm(flow, axis=1, keepdims=True)
    assert float(jnp.mean(jnp.linalg.norm(jnp.cross(flow, result.vectors[:, :, 1]), axis=1))) < 1e-3


def test_a_blow_up_is_reported_not_returned_as_vectors():
    runaway = lambda y: y**2 + 2.0  # noqa: E731
    with pytest.raises(jd.SolverFailure, match="non-finite"):
        ta.covariant_lyapunov_vectors(runaway, jnp.ones(2), 20)
    result = ta.covariant_lyapunov_vectors(runaway, jnp.ones(2), 20, throw=False)
    assert bool(result.stats.blew_up)


@pytest.mark.usefixtures("unchecked")
@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(n_vectors=3), "1 <= n_vectors <= 2"),
        (dict(n_future=0), "n_future > 0"),
        (dict(step="henon"), "callable step map"),
        (dict(y0=jnp.ones(3)), "expected step to map"),
    ],
)
def test_bad_arguments_are_named(kwargs, match):
    arguments = dict(step=_henon, y0=jnp.array([0.1, 0.1]), n_steps=5) | kwargs
    with pytest.raises(ValueError, match=match):
        ta.covariant_lyapunov_vectors(**arguments)
