"""QPLayer (OptNet on jaxopt's OSQP) and FixedPointLayer (deep equilibrium)."""

import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np
import pytest

import jaxdyn.implicit as im
from tests.helpers import directional_fd


def _qp_problem():
    q = jnp.array([[3.0, 0.5, 0.2], [0.5, 2.0, 0.3], [0.2, 0.3, 1.5]])
    c = jnp.array([-1.0, 0.5, -0.3])
    a = jnp.array([[1.0, 1.0, 1.0]])
    b = jnp.array([1.0])
    g = -jnp.eye(3)  # x ≥ 0
    h = jnp.zeros(3)
    return q, c, a, b, g, h


def _kkt_solution(q, c, a, b):
    n, m = q.shape[0], a.shape[0]
    kkt = jnp.block([[q, a.T], [a, jnp.zeros((m, m))]])
    return jnp.linalg.solve(kkt, jnp.concatenate([-c, b]))[:n]


def test_equality_constrained_qp_matches_the_kkt_solution_and_its_derivatives(x64):
    q, c, a, b, _, _ = _qp_problem()
    layer = im.QPLayer()
    np.testing.assert_allclose(layer(q, c, a, b), _kkt_solution(q, c, a, b), atol=1e-7)
    loss = lambda f: lambda *p: jnp.sum(f(*p) * jnp.array([1.0, 2.0, 3.0]))  # noqa: E731
    ours = jax.grad(loss(layer), argnums=(0, 1, 2, 3))(q, c, a, b)
    exact = jax.grad(loss(_kkt_solution), argnums=(0, 1, 2, 3))(q, c, a, b)
    # Q is symmetric: only the symmetric part of ∂L/∂Q is defined by the problem.
    symmetric = lambda m: (m + m.T) / 2  # noqa: E731
    np.testing.assert_allclose(symmetric(ours[0]), symmetric(exact[0]), atol=1e-5)
    for mine, theirs in zip(ours[1:], exact[1:], strict=True):
        np.testing.assert_allclose(mine, theirs, atol=1e-5)


def test_inequality_constrained_qp_gradients_match_finite_differences(x64):
    # At the solution x₂ = 0 is active and stays so under small perturbations.
    q, c, a, b, g, h = _qp_problem()
    c = c.at[2].set(2.0)
    layer = im.QPLayer()
    solution = layer.solve(q, c, a, b, g, h)
    assert bool(solution.stats.converged)
    assert abs(float(solution.value[2])) < 1e-7 and float(jnp.min(solution.value[:2])) > 0.1
    weights = jnp.array([1.0, -2.0, 0.5])

    def loss(q, c, a, b, g, h):
        return jnp.sum(layer(q, c, a, b, g, h) * weights)

    params = (q, c, a, b, g, h)
    grads = jax.grad(loss, argnums=range(6))(*params)
    for i, (param, grad) in enumerate(zip(params, grads, strict=True)):
        direction = jax.random.normal(jax.random.PRNGKey(i), param.shape, param.dtype)
        if i == 0:
            direction = direction + direction.T  # Q stays symmetric
        fd = directional_fd(
            lambda p, i=i: loss(*params[:i], p, *params[i + 1 :]), param, direction, h=1e-5
        )
        assert float(jnp.sum(grad * direction)) == pytest.approx(float(fd), rel=1e-4, abs=1e-6)


@pytest.mark.usefixtures("unchecked")
def test_qp_layer_bad_input():
    q, c, a, b, g, h = _qp_problem()
    with pytest.raises(ValueError, match=r"Q \(n, n\)"):
        im.QPLayer()(q[:2], c)
    with pytest.raises(ValueError, match="pass both A and b"):
        im.QPLayer()(q, c, A=a)
    with pytest.raises(ValueError, match=r"G of shape \(m, 3\)"):
        im.QPLayer()(q, c, G=g[:, :2], h=h)


class _Cell(eqx.Module):
    weight: jax.Array
    inject: jax.Array

    def __call__(self, z, x):
        return jnp.tanh(self.weight @ z + self.inject @ x)


def _deq(key):
    k1, k2 = jax.random.split(key)
    cell = _Cell(
        0.3 * jax.random.normal(k1, (4, 4)) / 2, jax.random.normal(k2, (4, 2))
    )  # contractive: ‖W‖ < 1
    return im.FixedPointLayer(cell, state_size=4, tol=1e-12, max_iter=200)


def test_deep_equilibrium_layer_gradients_equal_unrolled(x64):
    layer = _deq(jax.random.PRNGKey(0))
    x = jnp.array([0.5, -1.0])

    def loss(layer):
        return jnp.sum(layer(x) ** 2)

    def unrolled(layer):
        z = jax.lax.fori_loop(0, 300, lambda _, z: layer.cell(z, x), jnp.zeros(4))
        return jnp.sum(z**2)

    ours = eqx.filter_grad(loss)(layer)
    reference = eqx.filter_grad(unrolled)(layer)
    np.testing.assert_allclose(ours.cell.weight, reference.cell.weight, rtol=1e-8, atol=1e-12)
    np.testing.assert_allclose(ours.cell.inject, reference.cell.inject, rtol=1e-8, atol=1e-12)
    z = layer(x)
    np.testing.assert_allclose(z, layer.cell(z, x), atol=1e-11)


def test_deep_equilibrium_layer_batches_with_vmap():
    layer = _deq(jax.random.PRNGKey(1))
    xs = jax.random.normal(jax.random.PRNGKey(2), (5, 2))
    batched = jax.vmap(layer)(xs)
    np.testing.assert_allclose(batched[3], layer(xs[3]), rtol=1e-5, atol=1e-6)


def _active_set_problem(dtype):
    # 6 variables, 4 general inequality rows of which rows 0 and 1 are active at x*, one
    # equality: the case where jaxopt's own backward pass (normal-equations CG at 1e-5) lost
    # up to ~1e-3 in the derivative.
    k1, k2, k3, k4 = jax.random.split(jax.random.PRNGKey(7), 4)
    m = jax.random.normal(k1, (6, 6), dtype)
    q = m @ m.T + 0.5 * jnp.eye(6, dtype=dtype)
    c, g = jax.random.normal(k2, (6,), dtype), jax.random.normal(k3, (4, 6), dtype)
    a = jax.random.normal(k4, (1, 6), dtype)
    x_free = jnp.linalg.solve(q, -c)
    h = g @ x_free - jnp.array([0.5, 0.5, -1.0, -1.0], dtype)
    return q, c, a, a @ x_free + 0.3, g, h


def _active_set_sensitivity(q, a, g_active):
    """∂x*/∂h_active and ∂x*/∂c from the equality-constrained KKT system on the active set."""
    n, k = q.shape[0], a.shape[0] + g_active.shape[0]
    constraints = jnp.concatenate([a, g_active])
    kkt = jnp.block([[q, constraints.T], [constraints, jnp.zeros((k, k))]])
    inverse = jnp.linalg.inv(kkt)
    return inverse[:n, n + a.shape[0] :], -inverse[:n, :n]


def test_qp_derivatives_with_active_inequalities_are_exact_in_both_modes(x64):
    q, c, a, b, g, h = _active_set_problem(jnp.float64)
    layer = im.QPLayer()
    x = layer(q, c, a, b, g, h)
    slack = h - g @ x
    assert np.all(np.abs(slack[:2]) < 1e-8) and np.all(slack[2:] > 0.1)  # rows 0, 1 active
    dx_dh_active, dx_dc = _active_set_sensitivity(q, a, g[:2])
    for jacobian in (jax.jacrev, jax.jacfwd):
        dx_dh = jacobian(lambda h: layer(q, c, a, b, g, h))(h)
        np.testing.assert_allclose(dx_dh[:, :2], dx_dh_active, atol=1e-8)
        np.testing.assert_allclose(dx_dh[:, 2:], 0.0, atol=1e-8)  # inactive rows: no effect
        np.testing.assert_allclose(jacobian(lambda c: layer(q, c, a, b, g, h))(c), dx_dc, atol=1e-8)
    # Every argument, reverse mode against central differences of the layer itself.
    weights = jnp.arange(1.0, 7.0)
    params = (q, c, a, b, g, h)
    grads = jax.grad(lambda *p: weights @ layer(*p), argnums=range(6))(*params)
    for i, (param, grad) in enumerate(zip(params, grads, strict=True)):
        direction = jax.random.normal(jax.random.PRNGKey(10 + i), param.shape)
        if i == 0:
            direction = direction + direction.T  # Q stays symmetric

        def along(t, i=i, direction=direction):
            moved = list(params)
            moved[i] = params[i] + t * direction
            return weights @ layer(*moved)

        np.testing.assert_allclose(
            jnp.sum(grad * direction), directional_fd(along, 0.0, 1.0), rtol=1e-6
        )
