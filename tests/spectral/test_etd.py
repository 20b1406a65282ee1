"""Exponential integrators: coefficients, measured orders of convergence, float32."""

import jax.numpy as jnp
import numpy as np
import pytest

import jaxdyn.spectral as sp
from jaxdyn.spectral._etd import _cm_alpha, _cm_beta, _cm_gamma, _phi1, _phi2, contour_mean
from tests.helpers import convergence_order, max_abs

PHIS = [_phi1, _phi2, _cm_alpha, _cm_beta, _cm_gamma]


@pytest.mark.parametrize("f", PHIS)
def test_contour_mean_matches_the_direct_formula_where_it_is_accurate(x64, f):
    # |z| ≥ 2 keeps the direct formulas free of cancellation. Complex z (NLSE's L = −iak²)
    # uses the full circle, real z the half circle; both at the default 16 points.
    z = jnp.array([2.5j, -4.0 - 30j, 3.0 + 1j, -1e4 + 0j])
    np.testing.assert_allclose(contour_mean(f, z, 16, 1.0), f(z), rtol=1e-12)
    real = jnp.array([-2.0, -7.5, -100.0, 3.0, -1e4])
    mean = contour_mean(f, real, 16, 1.0)
    assert not jnp.iscomplexobj(mean)
    np.testing.assert_allclose(mean, f(real), rtol=1e-12)


def test_contour_mean_gives_the_taylor_limits_at_zero(x64):
    # φ₁(0) = 1, φ₂(0) = 1/2 and Cox–Matthews' α, β, γ → 1/6 (the RK4 weights); near 0 the
    # Taylor series φ₁(z) = 1 + z/2 + z²/6 + … holds where the direct formula cancels.
    limits = [1.0, 0.5, 1 / 6, 1 / 6, 1 / 6]
    for f, limit in zip(PHIS, limits, strict=True):
        np.testing.assert_allclose(
            contour_mean(f, jnp.array([0.0 + 0j]), 16, 1.0), limit, rtol=1e-13
        )
        np.testing.assert_allclose(contour_mean(f, jnp.array([0.0]), 16, 1.0), limit, rtol=1e-13)
    z = jnp.array([1e-6, -1e-6 + 1e-6j])
    np.testing.assert_allclose(contour_mean(_phi1, z, 16, 1.0), 1 + z / 2 + z**2 / 6, rtol=1e-14)


def _soliton_errors(method, dts, grid, pde, t1=2.0):
    exact = sp.soliton(grid, t1, velocity=0.5)
    u0 = sp.soliton(grid, velocity=0.5)
    return [max_abs(sp.solve(pde, grid, u0, t1, dt=dt, method=method).ys[-1], exact) for dt in dts]


@pytest.mark.parametrize(
    "method, dts",
    [
        (sp.ETDRK1(), [0.04, 0.02, 0.01]),
        (sp.ETDRK2(), [0.04, 0.02, 0.01]),
        (sp.ETDRK3(), [0.08, 0.04, 0.02]),
        (sp.ETDRK4(), [0.1, 0.05, 0.025]),
        (sp.IFRK4(), [0.05, 0.025, 0.0125]),
    ],
    ids=lambda v: type(v).__name__ if not isinstance(v, list) else "",
)
def test_measured_order_on_the_nlse_soliton_equals_the_nominal_order(x64, method, dts):
    # Exact solution as reference; with n = 512 on L = 50 the 2/3-rule cutoff k ≈ 21 leaves a
    # spatial error (~1e-14) far below the time-stepping errors measured here.
    grid = sp.FourierGrid(512, 50.0)
    errors = _soliton_errors(method, dts, grid, sp.NLSE())
    order = convergence_order(dts, errors)
    assert abs(order - method.order) < 0.15, (errors, order)


@pytest.mark.parametrize("method", [sp.ETDRK2(), sp.ETDRK4()], ids=["ETDRK2", "ETDRK4"])
def test_measured_order_on_stiff_kuramoto_sivashinsky(x64, method):
    # Stiff (hL down to −10⁴): the regime the contour integral exists for. Reference: ETDRK4
    # with a step 16 times finer than the finest tested.
    grid = sp.FourierGrid(64, 32 * np.pi)
    (x,) = grid.mesh()
    u0 = jnp.cos(x / 16) * (1 + jnp.sin(x / 16))
    pde = sp.KuramotoSivashinsky()
    reference = sp.solve(pde, grid, u0, 5.0, dt=1 / 320).ys[-1]
    dts = [0.2, 0.1, 0.05]
    errors = [
        max_abs(sp.solve(pde, grid, u0, 5.0, dt=dt, method=method).ys[-1], reference) for dt in dts
    ]
    assert abs(convergence_order(dts, errors) - method.order) < 0.3, errors


def test_float32_runs_in_single_precision_with_its_accuracy():
    grid = sp.FourierGrid(256, 50.0)
    u0 = sp.soliton(grid, velocity=0.5, dtype=jnp.complex64)
    sol = sp.solve(sp.NLSE(), grid, u0, 2.0, dt=0.02)
    assert sol.ys.dtype == jnp.complex64
    assert max_abs(sol.ys[-1], sp.soliton(grid, 2.0, velocity=0.5, dtype=jnp.complex64)) < 5e-5
