"""Lyapunov spectra of spectral PDEs through their stepper: Kuramoto–Sivashinsky on L = 22."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import jaxdyn as jd

sp = jd.spectral
GRID = sp.FourierGrid(64, 22.0)


@pytest.fixture(scope="module")
def spectra():
    """KS, L = 22, n = 64, ETDRK4 dt = 0.25: six exponents over 400 time units after 100,
    with the mean projected out (the default, detected) and kept."""
    with jax.enable_x64(True):
        u0 = sp.random_field(jax.random.PRNGKey(0), GRID, peak_wavenumber=2.0)
        run = lambda mean: sp.lyapunov_spectrum(  # noqa: E731
            sp.KuramotoSivashinsky(), GRID, u0, 400.0, dt=0.25, t_transient=100.0,
            n_exponents=6, conserved_mean=mean,
        )  # fmt: skip
        return np.asarray(run(None).exponents), np.asarray(run(False).exponents)


def test_kuramoto_sivashinsky_l22_has_one_positive_and_two_neutral_exponents(spectra):
    # Long runs give (0.048, 0, 0, −0.003, −0.189, −0.256) (Ding et al., Chaos 26, 2016;
    # benchmarks/tangent_dynamics.py: 0.049, −0.001, −0.002, −0.003, −0.190, −0.246 over
    # 10⁴ time units); 400 time units resolve λ₁ to about 20% and the fourth only to −0.02.
    projected, _ = spectra
    assert 0.035 < projected[0] < 0.065, projected
    assert np.all(np.abs(projected[1:3]) < 0.01) and -0.05 < projected[3] < 0.01, projected
    assert np.all(projected[4:] < -0.15), projected


def test_keeping_the_conserved_mean_adds_a_neutral_exponent_and_shifts_d_ky_by_one(spectra):
    # The mean's tangent is neutral (L(0) = 0, N has no mean): one more exponent near 0, the
    # rest unchanged, so the Kaplan–Yorke dimension (≈ 4.2, the published value) grows by 1.
    projected, kept = spectra
    neutral = lambda s: int(np.sum(np.abs(s) < 0.05))  # noqa: E731
    assert neutral(kept) == neutral(projected) + 1, (projected, kept)
    d_projected = float(jd.tangent.kaplan_yorke_dimension(projected))
    d_kept = float(jd.tangent.kaplan_yorke_dimension(kept))
    assert abs(d_projected - 4.2) < 0.1 and abs(d_kept - d_projected - 1) < 0.05, (
        d_projected,
        d_kept,
    )


def test_the_default_counts_every_direction_the_stepper_moves():
    # n = 16, dealiased to wavenumbers 1..5 (the mean conserved): 10 real directions.
    grid = sp.FourierGrid(16, 22.0)
    (x,) = grid.mesh()
    result = sp.lyapunov_spectrum(sp.KuramotoSivashinsky(), grid, jnp.sin(2 * np.pi * x / 22),
                                  2.0, dt=0.25)  # fmt: skip
    assert result.exponents.shape == (10,) and bool(result.stats.ok)
    assert result.exponents.dtype == jnp.float32  # the precision of u0
    with pytest.raises(ValueError, match="n_exponents <= 10"):
        sp.lyapunov_spectrum(sp.KuramotoSivashinsky(), grid, jnp.sin(x), 2.0, dt=0.25,
                             n_exponents=11)  # fmt: skip


def test_a_mean_that_is_not_conserved_is_kept():
    # Swift–Hohenberg's L(0) = r − 1 ≠ 0: the mean is a direction like any other (n = 16: 11).
    grid = sp.FourierGrid(16, 20.0)
    (x,) = grid.mesh()
    result = sp.lyapunov_spectrum(sp.SwiftHohenberg(), grid, 0.1 * jnp.sin(x), 1.0, dt=0.25)
    assert result.exponents.shape == (11,)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(tau=0.3), "whole number of steps"),
        (dict(method="diffrax"), "method"),
        (dict(conserved_mean="yes"), "conserved_mean True, False or None"),
    ],
)
@pytest.mark.usefixtures("unchecked")
def test_bad_arguments_are_named(kwargs, match):
    grid = sp.FourierGrid(16, 22.0)
    (x,) = grid.mesh()
    with pytest.raises(ValueError, match=match):
        sp.lyapunov_spectrum(sp.KuramotoSivashinsky(), grid, jnp.sin(x), 1.0, dt=0.25, **kwargs)
