"""Central differences of ensemble averages: the stated truncation on a closed form, Lorenz's
d⟨z⟩/dρ and dλ₁/dρ against long finite-difference references in float64 and float32, the
Kuramoto–Sivashinsky rescaling identities, failures reported, bad arguments refused."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import jaxdyn as jd

ta, sy, sp = jd.tangent, jd.systems, jd.spectral


def _cubic(y, theta):
    return 0.5 * y + theta["a"] ** 3 + theta["b"]


def _first(y, theta):
    return y[0]


def test_a_cubic_has_the_stated_truncation_and_a_zero_parameter_an_absolute_step(x64):
    # y ↦ y/2 + a³ + b settles on y = 2(a³ + b): J̄ = 2(a³ + b), and the central difference
    # of 2a³ is 6a² + 2δ² (J̄‴δ²/6), δ = 0.05·|a| = 0.1; b = 0 takes δ = 0.05 and is exact.
    theta = {"a": jnp.asarray(2.0), "b": jnp.asarray(0.0)}
    result = ta.finite_difference_sensitivity(
        _cubic, _first, jnp.array([[0.0], [1.0], [-3.0]]), theta, n_steps=20, n_transient=80
    )
    np.testing.assert_allclose(result.average, 16.0, rtol=1e-12)
    np.testing.assert_allclose(result.gradient["a"], 24.0 + 2 * 0.1**2, rtol=1e-10)
    np.testing.assert_allclose(result.gradient["b"], 2.0, rtol=1e-10)
    np.testing.assert_allclose([result.standard_error["a"], result.average_error], 0, atol=1e-9)
    assert result.averages.shape == (5, 3) and bool(jnp.all(result.stats.ok))


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_lorenz_derivatives_match_long_finite_differences(dtype):
    # References: d⟨z⟩/dρ 1.0036 ± 0.001 (the issue's, hundreds of trajectories); dλ₁/dρ
    # 0.02476 ± 0.00017 (λ₁ at ρ = 26…30, 16 orbits of 25 000 time units each, README).
    with jax.enable_x64(dtype == "float64"):
        lorenz = sy.Lorenz(beta=8 / 3)
        z = sy.finite_difference_sensitivity(lorenz, lambda y: y[2])
        lam = sy.finite_difference_sensitivity(lorenz, None)
        grad = jax.grad(
            lambda s: sy.long_time_average(s, lambda y: y[2], method="finite_differences")
        )(lorenz)
        assert z.gradient.rho.dtype == np.dtype(dtype)
        dz, dz_error = float(z.gradient.rho), float(z.standard_error.rho)
        dlam, dlam_error = float(lam.gradient.rho), float(lam.standard_error.rho)
        lam1, grad_rho = float(lam.average), float(grad.rho)
    assert 0 < dz_error < 0.01 and 0 < dlam_error < 0.002
    assert abs(dz - 1.0036) < 4 * np.hypot(dz_error, 0.001)
    assert abs(dlam - 0.02476) < 4 * np.hypot(dlam_error, 0.00017)
    assert abs(lam1 - 0.9056) < 0.01  # λ₁ itself (Sprott 2003)
    np.testing.assert_allclose(grad_rho, dz, rtol=1e-6)


def test_kuramoto_sivashinsky_meets_its_rescaling_identities(x64):
    # u/c solves the c = 1 equation and (d, h) map to the unit equation on L√(d/h), so
    # d⟨u²⟩/dc = −2⟨u²⟩ and d⟨u²⟩/dd + d⟨u²⟩/dh = 2⟨u²⟩; each within 5 standard errors.
    grid = sp.FourierGrid(32, 22.0)
    keys = jax.random.split(jax.random.PRNGKey(3), 6)
    u0s = jnp.stack([sp.random_field(k, grid, peak_wavenumber=2.0) for k in keys])
    result = sp.finite_difference_sensitivity(
        sp.KuramotoSivashinsky(), grid, u0s, lambda u: jnp.mean(u**2), 1500.0, dt=0.25,
        t_transient=100.0,
    )  # fmt: skip
    g, e = result.gradient, result.standard_error
    assert result.averages.shape == (7, 6)
    assert abs(g.convection + 2 * result.average) < 5 * e.convection
    assert abs(g.diffusion + g.hyperdiffusion - 2 * result.average) < 5 * np.hypot(
        e.diffusion, e.hyperdiffusion
    )
    assert e.convection < 0.5


def test_a_member_that_blows_up_is_reported(x64):
    # y ↦ θ y at θ = 1: the member at θ + δ grows like 1.05ⁿ and overflows; the rest do not.
    grow = lambda y, t: t * y  # noqa: E731
    args = (grow, _first, jnp.ones((2, 1)), jnp.asarray(1.0))
    with pytest.raises(jd.SolverFailure, match="2 of 6 in the batch failed"):
        ta.finite_difference_sensitivity(*args, n_steps=20_000)
    result = ta.finite_difference_sensitivity(*args, n_steps=20_000, throw=False)
    failed = np.asarray(result.stats.blew_up)
    np.testing.assert_array_equal(failed, [[False, False], [True, True], [False, False]])
    assert np.all(np.isfinite(result.stats.blowup_time[1]))
    assert not np.isfinite(result.gradient)


_CONTRACTION = (lambda y, t: 0.5 * y + t, _first)


@pytest.mark.usefixtures("unchecked")
@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: ta.finite_difference_sensitivity(*_CONTRACTION, jnp.zeros(2), 1.0, n_steps=5),
         "expected a float y0 of shape \\(orbits, dim\\) with at least 2 orbits"),
        (lambda: ta.finite_difference_sensitivity(*_CONTRACTION, jnp.zeros((1, 2)), 1.0,
                                                  n_steps=5), "at least 2 orbits"),
        (lambda: ta.finite_difference_sensitivity(*_CONTRACTION, jnp.zeros((2, 2), int), 1.0,
                                                  n_steps=5), "expected a float y0"),
        (lambda: ta.finite_difference_sensitivity(*_CONTRACTION, jnp.full((2, 1), jnp.nan),
                                                  1.0, n_steps=5), "y0"),
        (lambda: ta.finite_difference_sensitivity(*_CONTRACTION, jnp.zeros((2, 1)), 1.0,
                                                  n_steps=5, relative_step=0.6),
         "expected relative_step in \\(0, 0.5\\]"),
        (lambda: ta.finite_difference_sensitivity("step", _first, jnp.zeros((2, 1)), 1.0,
                                                  n_steps=5), "expected a callable step"),
        (lambda: ta.finite_difference_sensitivity(*_CONTRACTION, jnp.zeros((2, 1)), 1,
                                                  n_steps=5), "expected float parameters"),
        (lambda: sy.finite_difference_sensitivity(sy.Lorenz(), lambda y: y[2], n_orbits=1),
         "expected n_orbits >= 2"),
        (lambda: sy.long_time_average(sy.Lorenz(), lambda y: y[2], n_orbits=4),
         "n_orbits does not apply to method='shadowing'"),
        (lambda: sy.long_time_average(sy.Lorenz(), lambda y: y[2], method="finite_differences",
                                      segment=1.0), "segment does not apply"),
        (lambda: sp.finite_difference_sensitivity(sp.KuramotoSivashinsky(), sp.FourierGrid(8),
                                                  jnp.zeros(8), jnp.mean, 1.0, dt=0.25,
                                                  t_transient=0.0), "expected u0s of shape"),
        (lambda: sy.finite_difference_sensitivity(sp.KuramotoSivashinsky(), lambda y: y[2]),
         "expected an ODE system"),
        (lambda: sy.finite_difference_sensitivity(sy.Lorenz(), "z"), "expected a callable"),
        (lambda: sp.finite_difference_sensitivity(sp.KuramotoSivashinsky(), sp.FourierGrid(8),
                                                  jnp.zeros((2, 8)), "J", 1.0, dt=0.25,
                                                  t_transient=0.0), "expected a callable"),
        (lambda: sp.finite_difference_sensitivity(sp.KuramotoSivashinsky(), sp.FourierGrid(8),
                                                  jnp.zeros((2, 8)), jnp.mean, 1.0, dt=0.25,
                                                  t_transient=0.0, method="Euler"),
         "expected method to be one of"),
    ],
)  # fmt: skip
def test_bad_arguments_are_refused(call, match):
    with pytest.raises(ValueError, match=match):
        call()
