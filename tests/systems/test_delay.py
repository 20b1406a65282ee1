"""Delay-differential systems: exact solutions, the fourth order of the scheme, gradients,
and failures reported."""

import math

import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np
import pytest

import jaxdyn as jd
import jaxdyn.systems as sy
from jaxdyn._parameters import parameter
from tests.helpers import FD_RTOL, convergence_order, directional_fd


class LinearDelay(sy.AbstractDelaySystem):
    """ẋ = a x(t − τ)."""

    a: jax.Array = parameter(-1.0)
    tau: float = eqx.field(static=True, default=1.0)

    def rhs(self, t, x, x_delayed):
        return self.a * x_delayed


class SquaredDelay(sy.AbstractDelaySystem):
    """ẋ = x(t − τ)²: with x ≡ 1 in the past, x = 1 + t on [0, τ], then faster than any
    exponential — it blows up in finite time."""

    tau: float = eqx.field(static=True, default=0.5)

    def rhs(self, t, x, x_delayed):
        return x * x_delayed**2


def test_constant_history_matches_the_method_of_steps_exactly(x64):
    # ẋ = −x(t − 1), x ≡ 1 for t ≤ 0: x = 1 − t on [0, 1], t²/2 − 2t + 3/2 on [1, 2]. The
    # pieces are polynomials that RK4 and Hermite interpolation reproduce exactly, provided
    # the derivative's jump at t = 0 is handled (else the error is O(h²)).
    ts = np.array([0.0, 0.3, 1.0, 1.37, 2.0])
    sol = sy.trajectory(LinearDelay(), 2.0, y0=jnp.ones(1), ts=ts, dt=0.1)
    exact = np.where(ts <= 1, 1 - ts, ts**2 / 2 - 2 * ts + 1.5)
    np.testing.assert_allclose(sol.ys[:, 0], exact, atol=1e-13)


def test_fourth_order_on_an_exponential_solution(x64):
    # x = eᵗ solves ẋ = e·x(t − 1) with the history eᵗ.
    system = LinearDelay(a=math.e)
    steps = [1 / 4, 1 / 8, 1 / 16]
    errors = []
    for dt in steps:
        sol = sy.delay_trajectory(system, 4.0, history=jnp.exp, dt=dt, ts=[1.3, 4.0])
        errors.append(float(jnp.max(jnp.abs(sol.ys[:, 0] / jnp.exp(sol.ts) - 1))))
    assert errors[-1] < 1e-6
    assert convergence_order(steps, errors) == pytest.approx(4.0, abs=0.3)


def test_mackey_glass_converges_and_stays_on_its_attractor(x64):
    system = sy.MackeyGlass()
    fine = sy.trajectory(system, 50.0, n_points=11, dt=0.02).ys
    coarse = sy.trajectory(system, 50.0, n_points=11, dt=0.04).ys
    assert float(jnp.max(jnp.abs(fine - coarse))) < 1e-9  # measured: 5e-12
    long = sy.trajectory(system, 2000.0, n_points=2000, t_transient=500.0).ys
    # The published attractor: 0.2 < x < 1.4 (Mackey & Glass 1977, Fig. 2b).
    assert 0.2 < float(long.min()) and float(long.max()) < 1.4


def test_gradient_with_respect_to_a_parameter_matches_finite_differences(x64):
    def final(beta):
        system = sy.MackeyGlass(beta=beta)
        return sy.trajectory(system, 30.0, n_points=2, dt=0.05).ys[-1, 0]

    beta = jnp.asarray(0.2)
    grad = jax.grad(final)(beta)
    fd = directional_fd(final, beta, 1.0)
    assert float(grad) == pytest.approx(float(fd), rel=FD_RTOL)


def test_float32_and_vmap_over_parameters():
    betas = jnp.array([0.18, 0.2, 0.22], jnp.float32)
    run = lambda beta: sy.trajectory(sy.MackeyGlass(beta=beta), 20.0, n_points=5).ys  # noqa: E731
    batched = jax.vmap(run)(betas)
    assert batched.dtype == jnp.float32
    np.testing.assert_allclose(batched[1], run(betas[1]), rtol=1e-6)


def test_blow_up_is_reported_with_its_time():
    sol = sy.trajectory(SquaredDelay(), 5.0, y0=jnp.ones(1), n_points=6, throw=False)
    assert bool(sol.stats.blew_up) and not bool(sol.ok)
    assert 0.5 < float(sol.stats.blowup_time) < 5.0
    with pytest.raises(Exception, match="non-finite"):
        sy.trajectory(SquaredDelay(), 5.0, y0=jnp.ones(1), n_points=6)


@pytest.mark.usefixtures("unchecked")
def test_bad_arguments_are_named():
    with pytest.raises(ValueError, match="fixed-step RK4"):
        sy.trajectory(sy.MackeyGlass(), 1.0, rtol=1e-6)
    with pytest.raises(ValueError, match="dt > 0"):
        sy.trajectory(sy.MackeyGlass(), 1.0, dt=-0.1)
    with pytest.raises(ValueError, match=r"shape \(1,\)"):
        sy.trajectory(sy.MackeyGlass(), 1.0, y0=jnp.ones(3))
    with pytest.raises(ValueError, match="delay systems"):
        sy.trajectory(sy.Lorenz(), 1.0, dt=0.1)
    with pytest.raises(ValueError, match="tau > 0"):
        sy.trajectory(sy.MackeyGlass(tau=0.0), 1.0)


class _LinearDelay(sy.AbstractDelaySystem):
    """ẋ = a x + b x(t − τ): exponents are the real parts of s = a + W_k(bτ e^{−aτ})/τ."""

    a: jax.Array = sy.parameter(-1.0)
    b: jax.Array = sy.parameter(0.5)
    tau: float = eqx.field(default=1.0, static=True, converter=float)

    def rhs(self, t, x, x_delayed):
        return self.a * x + self.b * x_delayed


def test_linear_delay_exponents_are_the_characteristic_roots(x64):
    # Roots by the Lambert W function: −0.31492 (real), then −2.22113 ± 4.444i (a pair).
    from scipy.special import lambertw

    roots = [-1.0 + lambertw(0.5 * np.e, k) for k in (0, -1)]
    result = sy.lyapunov_spectrum(_LinearDelay(), y0=jnp.array([1.0]), t1=400.0, tau=0.5,
                                  t_transient=40.0, period=1.0, n_exponents=3)  # fmt: skip
    expected = [roots[0].real, roots[1].real, roots[1].real]
    np.testing.assert_allclose(result.exponents, expected, atol=2e-3)


def test_mackey_glass_spectrum_at_tau_17(x64):
    # Farmer (Physica D 4, 1982): at τ = 17 one positive exponent and D ≈ 2.1. Measured over
    # 3·10⁴ time units: λ = (0.0049, 0.0000, −0.038, …), D_KY 2.13; this shorter run: 20%.
    result = sy.lyapunov_spectrum(sy.MackeyGlass(tau=17.0), n_exponents=4, t1=6000.0,
                                  t_transient=1000.0)  # fmt: skip
    exponents = np.asarray(result.exponents)
    assert 0.002 < exponents[0] < 0.008 and abs(exponents[1]) < 0.002 and exponents[2] < -0.02
    assert 1.9 < float(jd.tangent.kaplan_yorke_dimension(result)) < 2.4


def test_a_delay_spectrum_needs_a_positive_grid_step():
    with pytest.raises(ValueError, match="dt > 0"):
        sy.lyapunov_spectrum(sy.MackeyGlass(), dt=0.0, t1=10.0)
    with pytest.raises(ValueError, match="dt applies to delay systems"):
        sy.lyapunov_spectrum(sy.Lorenz(), dt=0.1)
