"""The whole linear response by space-split sensitivity: a uniformly hyperbolic map where
shadowing alone is wrong by more than the answer, frame invariance with two unstable
directions, and Lorenz's d⟨z⟩/dρ and dλ₁/dρ against finite differences over many orbits."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import jaxdyn as jd

ta, sy = jd.tangent, jd.systems
CAT = np.array([[2.0, 1.0], [1.0, 1.0]])


def _cat(y, eps):
    """The dissipatively perturbed cat map of tests/tangent/test_shadowing.py: uniformly
    hyperbolic, one unstable direction of two, and its SRB measure moves with ε."""
    kick = jnp.sin(2 * jnp.pi * y[0]) + 0.5 * jnp.sin(2 * jnp.pi * (y[0] + y[1]))
    return jnp.mod(
        jnp.asarray(CAT, y.dtype) @ y + eps * jnp.stack([kick, 0 * kick]) / (2 * jnp.pi), 1.0
    )


def _waves(y, eps):
    return jnp.cos(2 * jnp.pi * y[0]) + 0.3 * jnp.sin(2 * jnp.pi * y[1])


def _cat_with_tangent(z, eps):
    """(x, w) ↦ (f(x), Df w/‖Df w‖): λ₁ is the average of log‖Df w‖."""
    image, pushed = jax.jvp(lambda x: _cat(x, eps), (z[:2],), (z[2:],))
    return jnp.concatenate([image, pushed / jnp.linalg.norm(pushed)])


def _stretch(z, eps):
    return jnp.log(jnp.linalg.norm(jax.jvp(lambda x: _cat(x, eps), (z[:2],), (z[2:],))[1]))


# Finite differences over 2000 orbits of 10⁵ (2·10⁵) steps at ε ± 0.05 (± 0.02)
# (`python benchmarks/tangent_dynamics.py --cases hyperbolic_map`); NILSS: 0.161 and 0.0002.
@pytest.mark.parametrize(
    "step, observable, y0, response, response_error",
    [
        (_cat, _waves, [0.1234, 0.5678], 0.0649, 0.0007),
        (_cat_with_tangent, _stretch, [0.1234, 0.5678, 1.0, 0.0], -0.0149, 0.0001),
    ],
)
@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_the_cat_map_response_matches_finite_differences(
    step, observable, y0, response, response_error, dtype
):
    # Over 4 orbits of 10⁶ steps (benchmark): 0.0658 ± 0.0004 and −0.01487 ± 0.0001
    # (float64), 0.0657 ± 0.0005 and −0.01496 ± 0.00013 (float32); one orbit's scatter, about
    # 0.0008 and 0.0002, matches its reported standard error.
    with jax.enable_x64(dtype == "float64"):
        result = ta.linear_response(
            step, observable, jnp.asarray(y0, dtype), jnp.asarray(0.3, dtype),
            n_steps=1_000_000, correlation_steps=10, n_transient=200,
        )  # fmt: skip
        assert result.n_unstable == 1 and bool(result.stats.ok)
        gradient, error = float(result.gradient), float(result.standard_error)
        assert 0 < error < 0.0015, error
        assert abs(gradient - response) < 4 * np.hypot(error, response_error), (gradient, error)
        total = float(result.shadowing) + float(result.unstable)
        assert abs(total - gradient) < 1e-6 and abs(float(result.unstable)) > 0.003


def test_two_unstable_directions_give_the_same_response_in_any_frame(x64):
    # Two cat maps side by side, the second unperturbed and unobserved: the response is the
    # first map's alone, although the two-vector frame mixes the two unstable directions
    # (M = E'ᵀ Dφ E is not diagonal) and the density's gradient is two-dimensional.
    def pair(z, eps):
        return jnp.concatenate([_cat(z[:2], eps), _cat(z[2:], jnp.asarray(0.3))])

    options = dict(n_steps=4000, correlation_steps=10, n_transient=300)
    one = ta.linear_response(_cat, _waves, jnp.array([0.1234, 0.5678]), jnp.asarray(0.3),
                             n_unstable=1, **options)  # fmt: skip
    two = ta.linear_response(
        pair, lambda z, eps: _waves(z[:2], eps), jnp.array([0.1234, 0.5678, 0.31, 0.77]),
        jnp.asarray(0.3), n_unstable=2, **options,
    )  # fmt: skip
    assert two.n_unstable == 2 and bool(two.stats.ok) and bool(one.stats.ok)
    np.testing.assert_allclose(float(two.gradient), float(one.gradient), rtol=1e-8)
    np.testing.assert_allclose(float(two.unstable), float(one.unstable), rtol=1e-8)


@pytest.fixture(scope="module")
def lorenz():
    with jax.enable_x64(True):
        return sy.Lorenz(beta=8 / 3)


def test_lorenz_mean_z_response_and_jax_grad(x64, lorenz):
    # Finite differences over hundreds of trajectories: d⟨z⟩/dρ = 1.0036 ± 0.001 (the issue).
    # Measured here 1.02 ± 0.017 over 4500 time units; over 4 orbits of 10⁴: 1.00 ± 0.002.
    result = sy.linear_response(lorenz, lambda y: y[2], t1=4500.0)
    gradient, error = float(result.gradient.rho), float(result.standard_error.rho)
    assert result.n_unstable == 1 and error < 0.03
    assert abs(gradient - 1.0036) < max(4 * error, 0.02), (gradient, error)
    # jax.grad of the long-time average calls the same computation
    average = lambda s: sy.long_time_average(s, lambda y: y[2], method="linear_response",  # noqa: E731
                                             t1=4500.0)  # fmt: skip
    assert abs(float(jax.grad(average)(lorenz).rho) - gradient) < 1e-12


@pytest.mark.slow
def test_lorenz_largest_exponent_response(x64, lorenz):
    # Finite differences: 0.0248 ± 0.0002 (80 orbits of 25 000 time units at ρ = 26 … 30,
    # `benchmarks/tangent_dynamics.py --cases shadowing`; the issue: 0.0249 ± 0.0004).
    # Shadowing alone: 0.0216–0.0226. Four orbits of 10⁴ time units: about 0.024 ± 0.002.
    results = [
        sy.linear_response(lorenz, None, y0=jnp.array([1.0, 2.0, 20.0 + k]), t1=10_000.0)
        for k in range(4)
    ]
    gradient = np.mean([float(r.gradient.rho) for r in results])
    error = np.mean([float(r.standard_error.rho) for r in results]) / 2
    assert abs(float(results[0].average) / 0.9056 - 1) < 0.01
    assert abs(gradient - 0.0248) < 3 * error + 0.001, (gradient, error)


@pytest.mark.usefixtures("unchecked")
@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(n_steps=200), r"n_steps >= 2·correlation_steps·\(n_blocks \+ 1\) = 220"),
        (dict(n_blocks=1), "n_blocks >= 2"),
        (dict(n_unstable=None, n_transient=50), "n_transient >= 100"),
        (dict(n_unstable=2), "1 <= n_unstable < 2"),
        (dict(n_unstable=0), "1 <= n_unstable < 2"),
        (dict(observable=lambda y, t: y), "return a scalar"),
        (dict(step="cat"), "callable step"),
        (dict(flow=3), "callable flow"),
        (dict(y0=jnp.ones((2, 2))), "shape \\(dim,\\)"),
        (dict(theta=jnp.arange(2)), "float parameters"),
    ],
)
def test_bad_arguments_are_named(kwargs, match):
    arguments = dict(step=_cat, observable=_waves, y0=jnp.array([0.1, 0.2]),
                     theta=jnp.asarray(0.3), n_steps=1000, correlation_steps=10,
                     n_unstable=1)  # fmt: skip
    arguments |= kwargs
    with pytest.raises(ValueError, match=match):
        ta.linear_response(**arguments)


def test_a_blow_up_is_reported_never_a_number():
    runaway = lambda y, t: jnp.stack([2 * y[0] + t, 0.5 * y[1]]) * (1 + y[0] ** 2)  # noqa: E731
    arguments = (runaway, lambda y, t: y[0], jnp.ones(2), jnp.asarray(1.0))
    options = dict(n_steps=200, correlation_steps=5, n_unstable=1)
    with pytest.raises(jd.SolverFailure, match="non-finite"):
        ta.linear_response(*arguments, **options)
    result = ta.linear_response(*arguments, **options, throw=False)
    assert not bool(result.stats.ok) and np.isfinite(float(result.stats.blowup_time))


@pytest.mark.usefixtures("unchecked")
@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: ta.long_time_average(_cat, _waves, jnp.array([0.1, 0.2]), jnp.asarray(0.3),
                                      method="exact"), "expected method 'shadowing', 'linear"),
        (lambda: sy.long_time_average(sy.Lorenz(), lambda y: y[2], method="exact"),
         "expected method 'shadowing', 'linear_response' or 'finite_differences'"),
        (lambda: sy.long_time_average(sy.Lorenz(), lambda y: y[2], method="linear_response",
                                      segment=1.0), "segment does not apply"),
        (lambda: sy.long_time_average(sy.Lorenz(), lambda y: y[2], method="linear_response",
                                      rtol=1e-6), "rtol does not apply"),
        (lambda: sy.long_time_average(sy.Lorenz(), lambda y: y[2], correlation_time=5.0),
         "correlation_time does not apply"),
        (lambda: sy.linear_response(sy.Lorenz(), "z"), "callable observable"),
        (lambda: sy.linear_response(lambda t, y: y, None), "expected an ODE system"),
    ],
)  # fmt: skip
def test_a_method_or_an_argument_that_does_not_apply_is_refused(call, match):
    with pytest.raises(ValueError, match=match):
        call()
