"""root_find, fixed_point, argmin: closed forms, finite differences, unrolled gradients and
jaxopt's implicit differentiation on the same problems; failures reported."""

import warnings

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import jaxdyn.implicit as im
from tests.helpers import FD_RTOL, directional_fd

ROOT_SOLVERS = [im.Newton(), im.Newton(linear_solver="gmres"), im.Broyden(), im.Anderson()]


def _square_root(theta, solver=None, **kwargs):
    # z² = θ: z* = √θ, dz*/dθ = 1/(2√θ).
    return im.root_find(lambda z, t: z**2 - t, jnp.ones(1), theta, solver=solver, **kwargs)


@pytest.mark.parametrize("solver", ROOT_SOLVERS[:3], ids=["newton", "jfnk", "broyden"])
def test_scalar_root_and_both_derivative_modes(x64, solver):
    theta = jnp.asarray(2.0)
    solution = _square_root(theta, solver)
    assert bool(solution.stats.converged) and int(solution.stats.num_steps) < 20
    np.testing.assert_allclose(solution.value, [np.sqrt(2.0)], rtol=1e-10)  # the default tol
    exact = 0.5 / np.sqrt(2.0)
    grad = jax.grad(lambda t: _square_root(t, solver).value[0])(theta)
    _, tangent = jax.jvp(lambda t: _square_root(t, solver).value[0], (theta,), (1.0,))
    np.testing.assert_allclose([grad, tangent], [exact, exact], rtol=1e-10)


def _contraction(z, theta):
    matrix, shift = theta
    return jnp.tanh(matrix @ z + shift)


def _theta():
    return (
        jnp.array([[0.3, 0.1, -0.2], [0.05, 0.2, 0.1], [-0.1, 0.15, 0.25]]),
        jnp.array([0.5, -0.2, 0.1]),
    )


def _loss(theta, solver, linear_solver="gmres", tol=1e-13):
    z = im.fixed_point(
        _contraction, jnp.zeros(3), theta, solver=solver, linear_solver=linear_solver, tol=tol
    ).value
    return jnp.sum(z**2) + z[0]


def _unrolled_loss(theta, n=200):
    z = jax.lax.fori_loop(0, n, lambda _, z: _contraction(z, theta), jnp.zeros(3))
    return jnp.sum(z**2) + z[0]


@pytest.mark.parametrize(
    "solver", [im.Picard(), *ROOT_SOLVERS], ids=["picard", "newton", "jfnk", "broyden", "anderson"]
)
def test_implicit_equals_unrolled_on_a_contractive_fixed_point(x64, solver):
    implicit = jax.grad(_loss)(_theta(), solver)
    unrolled = jax.grad(_unrolled_loss)(_theta())
    for a, b in zip(jax.tree.leaves(implicit), jax.tree.leaves(unrolled), strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("linear_solver", ["gmres", "normal_cg", "dense", "anderson"])
def test_backward_linear_solvers_agree_with_finite_differences(x64, linear_solver):
    grad = jax.grad(_loss)(_theta(), im.Anderson(), linear_solver)
    matrix, shift = _theta()
    direction = jnp.array([0.3, -0.4, 0.5])
    fd = directional_fd(lambda s: _loss((matrix, s), im.Anderson()), shift, direction)
    np.testing.assert_allclose(grad[1] @ direction, fd, rtol=FD_RTOL)


def test_forward_mode_equals_reverse_mode(x64):
    matrix, shift = _theta()
    solve = lambda s: im.fixed_point(_contraction, jnp.zeros(3), (matrix, s)).value  # noqa: E731
    np.testing.assert_allclose(jax.jacfwd(solve)(shift), jax.jacrev(solve)(shift), rtol=1e-10)


def test_pytree_unknowns_and_parameters(x64):
    # z = {"a": a, "b": b} with a = cos(b)·p, b = sin(a)·q + r; θ = {"p", "q": (q, r)}.
    def f(z, theta):
        q, r = theta["q"]
        return {"a": jnp.cos(z["b"]) * theta["p"], "b": jnp.sin(z["a"]) * q + r}

    theta = {"p": jnp.array([0.4, 0.3]), "q": (jnp.asarray(0.5), jnp.array([0.1, -0.2]))}
    z0 = {"a": jnp.zeros(2), "b": jnp.zeros(2)}

    def loss(theta):
        z = im.fixed_point(f, z0, theta).value
        return jnp.sum(z["a"] * z["b"]) + jnp.sum(z["b"])

    grad = jax.grad(loss)(theta)
    fd = directional_fd(lambda p: loss({**theta, "p": p}), theta["p"], jnp.array([1.0, 0.0]))
    np.testing.assert_allclose(grad["p"][0], fd, rtol=FD_RTOL)
    q_fd = directional_fd(lambda q: loss({**theta, "q": (q, theta["q"][1])}), theta["q"][0], 1.0)
    np.testing.assert_allclose(grad["q"][0], q_fd, rtol=FD_RTOL)


def _ridge_data():
    x = jax.random.normal(jax.random.PRNGKey(0), (30, 4), jnp.float64)
    y = x @ jnp.array([1.0, -2.0, 0.5, 0.0]) + 0.1 * jax.random.normal(jax.random.PRNGKey(1), (30,))
    return x, y


def _ridge_objective(w, lam, x, y):
    return 0.5 * jnp.sum((x @ w - y) ** 2) + 0.5 * lam * jnp.sum(w**2)


@pytest.mark.parametrize(
    "solver",
    [im.LBFGS(), im.BFGS(), im.GradientDescent(learning_rate=0.01), im.Newton()],
    ids=["lbfgs", "bfgs", "gd", "newton"],
)
def test_ridge_regression_solution_path(x64, solver):
    # w(λ) = (XᵀX + λI)⁻¹Xᵀy and dw/dλ = −(XᵀX + λI)⁻¹ w(λ).
    x, y = _ridge_data()
    lam = jnp.asarray(3.0)

    def solve(lam):
        g = lambda w, lam: _ridge_objective(w, lam, x, y)  # noqa: E731
        return im.argmin(g, jnp.zeros(4), lam, solver=solver, tol=1e-12, max_iter=20_000).value

    system = x.T @ x + lam * jnp.eye(4)
    exact = jnp.linalg.solve(system, x.T @ y)
    np.testing.assert_allclose(solve(lam), exact, rtol=1e-7, atol=1e-9)
    np.testing.assert_allclose(
        jax.jacrev(solve)(lam), -jnp.linalg.solve(system, exact), rtol=1e-6, atol=1e-9
    )


def test_bilevel_gradient_of_a_validation_loss(x64):
    # V(λ) = ½‖X_v w(λ) − y_v‖², dV/dλ = r_vᵀ X_v dw/dλ with dw/dλ = −(XᵀX + λI)⁻¹ w.
    x, y = _ridge_data()
    x_train, y_train, x_valid, y_valid = x[:20], y[:20], x[20:], y[20:]

    def validation(lam):
        g = lambda w, lam: _ridge_objective(w, lam, x_train, y_train)  # noqa: E731
        w = im.argmin(g, jnp.zeros(4), lam, tol=1e-12).value
        return 0.5 * jnp.sum((x_valid @ w - y_valid) ** 2)

    lam = 2.0
    system = x_train.T @ x_train + lam * jnp.eye(4)
    w = jnp.linalg.solve(system, x_train.T @ y_train)
    expected = (x_valid @ w - y_valid) @ x_valid @ -jnp.linalg.solve(system, w)
    np.testing.assert_allclose(jax.grad(validation)(lam), expected, rtol=1e-6)


def _jaxopt():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        import jaxopt
    return jaxopt


def test_gradients_equal_jaxopts_implicit_differentiation(x64):
    jaxopt = _jaxopt()
    x, y = _ridge_data()

    def ours(lam):
        g = lambda w, lam: _ridge_objective(w, lam, x, y)  # noqa: E731
        return jnp.sum(im.argmin(g, jnp.zeros(4), lam, tol=1e-12).value)

    def theirs(lam):
        solver = jaxopt.LBFGS(fun=_ridge_objective, tol=1e-12, maxiter=1000, implicit_diff=True)
        return jnp.sum(solver.run(jnp.zeros(4), lam, x, y).params)

    np.testing.assert_allclose(jax.grad(ours)(3.0), jax.grad(theirs)(3.0), rtol=1e-7)

    matrix, shift = _theta()

    def ours_fixed(shift):
        return _loss((matrix, shift), im.Anderson())

    def theirs_fixed(shift):
        solver = jaxopt.AndersonAcceleration(
            fixed_point_fun=lambda z, shift: _contraction(z, (matrix, shift)), tol=1e-12,
            implicit_diff=True,
        )  # fmt: skip
        z = solver.run(jnp.zeros(3), shift).params
        return jnp.sum(z**2) + z[0]

    np.testing.assert_allclose(
        jax.grad(ours_fixed)(shift), jax.grad(theirs_fixed)(shift), rtol=1e-8
    )


def test_vmap_and_jit_equal_a_loop(x64):
    thetas = jnp.array([2.0, 3.0, 5.0])
    batched = jax.jit(jax.vmap(lambda t: _square_root(t).value))(thetas)
    np.testing.assert_allclose(batched[:, 0], [_square_root(t).value[0] for t in thetas])
    grads = jax.vmap(jax.grad(lambda t: _square_root(t).value[0]))(thetas)
    np.testing.assert_allclose(grads, 0.5 / np.sqrt(thetas), rtol=1e-10)


def test_float32_works():
    solution = _square_root(jnp.float32(2.0))
    assert solution.value.dtype == jnp.float32
    # The float32 default tolerance is 100 ε relative on the residual.
    assert abs(float(solution.value[0]) - np.sqrt(2.0)) < 2e-5
    grad = jax.grad(lambda t: _square_root(t).value[0])(jnp.float32(2.0))
    assert abs(float(grad) - 0.5 / np.sqrt(2.0)) < 2e-5


def test_no_convergence_is_reported_with_residual_and_iterations():
    # z² = −2 has no real root.
    with pytest.raises(RuntimeError, match=r"residual .* after 20 of max_iter = 20"):
        _square_root(-2.0, max_iter=20)
    solution = _square_root(-2.0, max_iter=20, throw=False)
    assert not bool(solution.stats.converged) and int(solution.stats.num_steps) == 20
    with pytest.raises(Exception, match="no convergence"):
        jax.jit(lambda t: _square_root(t, max_iter=20).value)(-2.0)


def test_a_singular_backward_system_is_reported(x64):
    # A z = θ·1 with A singular: every z with z₀ + z₁ = θ solves it; start on one.
    matrix = jnp.ones((2, 2))
    residual = lambda z, t: matrix @ z - t * jnp.ones(2)  # noqa: E731
    z0 = jnp.array([0.5, 0.5])

    def first(t, linear_solver):
        return im.root_find(residual, z0, t, linear_solver=linear_solver).value[0]

    for linear_solver in ("gmres", "dense"):
        with pytest.raises(Exception, match="singular"):
            jax.grad(first)(1.0, linear_solver)
    # normal CG returns the least-squares derivative, ½ for each component.
    grad = jax.grad(lambda t: im.root_find(residual, z0, t, linear_solver="normal_cg").value[0])
    assert float(grad(1.0)) == pytest.approx(0.5)


@pytest.mark.usefixtures("unchecked")
@pytest.mark.usefixtures("unchecked")
def test_bad_arguments_are_named():
    with pytest.raises(ValueError, match="shape of z"):
        im.root_find(lambda z, t: jnp.append(z, t), jnp.ones(2), 1.0)
    with pytest.raises(ValueError, match="float initial guess"):
        im.root_find(lambda z, t: z - t, jnp.ones(2, int), 1.0)
    with pytest.raises(ValueError, match="linear_solver"):
        im.root_find(lambda z, t: z - t, jnp.ones(2), 1.0, linear_solver="lu")
    with pytest.raises(ValueError, match="max_iter"):
        im.root_find(lambda z, t: z - t, jnp.ones(2), 1.0, max_iter=0)
    with pytest.raises(ValueError, match="root solver"):
        im.root_find(lambda z, t: z - t, jnp.ones(2), 1.0, solver=im.LBFGS())
    with pytest.raises(ValueError, match="linear_solver 'dense' or 'gmres'"):
        im.Newton(linear_solver="cg")
