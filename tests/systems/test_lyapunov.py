"""Lyapunov spectra against published values and exact identities."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import jaxdyn as jd
import jaxdyn.systems as sy


@pytest.fixture(scope="module")
def lorenz_spectrum():
    with jax.enable_x64(True):
        return np.asarray(sy.lyapunov_spectrum(sy.Lorenz(beta=8 / 3)).exponents)


def test_lorenz_spectrum_matches_the_published_values(lorenz_spectrum):
    # (0.9056, 0, −14.5723): Sprott, Chaos and Time-Series Analysis (2003), Appendix A.
    published = sy.Lorenz.published.lyapunov_spectrum
    np.testing.assert_allclose(lorenz_spectrum[[0, 2]], np.array(published)[[0, 2]], rtol=0.01)
    assert abs(lorenz_spectrum[1]) < 0.01 * published[0]


def test_lorenz_exponents_sum_to_the_mean_trace_of_the_jacobian(x64, lorenz_spectrum):
    # Σλ = ⟨tr J⟩ = −(σ + 1 + β), constant for Lorenz; measured along a trajectory too.
    system = sy.Lorenz(beta=8 / 3)
    ys = sy.trajectory(system, 50.0, n_points=200).ys
    traces = jax.vmap(lambda y: jnp.trace(system.jacobian(0.0, y)))(ys)
    np.testing.assert_allclose(traces, -(10 + 1 + 8 / 3), rtol=1e-12)
    np.testing.assert_allclose(lorenz_spectrum.sum(), -(10 + 1 + 8 / 3), rtol=1e-3)


def test_lorenz_kaplan_yorke_dimension(lorenz_spectrum):
    np.testing.assert_allclose(
        sy.kaplan_yorke_dimension(lorenz_spectrum),
        sy.Lorenz.published.kaplan_yorke_dimension,
        rtol=0.01,
    )


def test_rossler_largest_exponent_matches_the_published_value(x64):
    # 0.0714: Sprott (2003), Appendix A, for a = b = 0.2, c = 5.7. Over the default 1000
    # periods one orbit's estimate still wanders by about 2.5% (0.0697 measured on one orbit,
    # 0.0723 on another after 2000); 4000 periods (2.4e4 time units) settle it to 0.1%.
    largest = sy.max_lyapunov(sy.Rossler(), t1=4000 * sy.Rossler().period())
    np.testing.assert_allclose(largest, sy.Rossler.published.lyapunov_spectrum[0], rtol=0.02)


def test_henon_map_spectrum_and_its_exact_sum(x64):
    # λ₁ = 0.41922 (Sprott 2003); λ₁ + λ₂ = log|det J| = log b exactly, at every step.
    def henon(y):
        return jnp.stack([1 - 1.4 * y[0] ** 2 + y[1], 0.3 * y[0]])

    spectrum = sy.lyapunov_spectrum_of_map(
        henon, jnp.array([0.1, 0.1]), 20_000, n_transient=100
    ).exponents
    np.testing.assert_allclose(spectrum.sum(), np.log(0.3), rtol=1e-12)
    np.testing.assert_allclose(spectrum[0], 0.41922, rtol=0.01)


def test_linear_map_exponents_are_the_log_moduli_of_its_eigenvalues(x64):
    matrix = jnp.array([[2.0, 1.0, 0.0], [0.0, 0.5, 0.0], [0.0, 0.0, -0.25]])
    spectrum = sy.lyapunov_spectrum_of_map(
        lambda y: matrix @ y, jnp.ones(3), 200, n_transient=50, time_per_step=0.5
    ).exponents  # the transient aligns the (generic) start basis with the Schur vectors
    np.testing.assert_allclose(spectrum, np.log([2.0, 0.5, 0.25]) / 0.5, rtol=1e-10, atol=1e-12)


def test_kaplan_yorke_dimension_by_hand():
    assert float(sy.kaplan_yorke_dimension(jnp.array([-1.0, -2.0]))) == 0.0
    np.testing.assert_allclose(sy.kaplan_yorke_dimension(jnp.array([1.0, -0.5, -2.0])), 2.25)
    np.testing.assert_allclose(sy.kaplan_yorke_dimension(jnp.array([0.5, -1.0])), 1.5)
    assert float(sy.kaplan_yorke_dimension(jnp.array([1.0, 0.5]))) == 2.0


@pytest.mark.usefixtures("unchecked")
def test_bad_arguments_and_diverging_orbits_are_reported():
    with pytest.raises(ValueError, match="n_exponents"):
        sy.lyapunov_spectrum_of_map(lambda y: y, jnp.ones(2), 10, n_exponents=3)
    with pytest.raises(jd.SolverFailure, match=r"^lyapunov_spectrum_of_map: .*non-finite.*at t"):
        sy.lyapunov_spectrum_of_map(lambda y: y * y + 1.0, jnp.ones(1), 50)
    diverged = sy.lyapunov_spectrum_of_map(lambda y: y * y + 1.0, jnp.ones(1), 50, throw=False)
    assert bool(diverged.stats.blew_up) and diverged.stats.result == jd.RESULTS.nonfinite_state
    assert bool(jnp.isnan(sy.kaplan_yorke_dimension(diverged)))  # never a good-looking number
    with pytest.raises(ValueError, match=r"expected step to map float32\(2,\) to itself"):
        sy.lyapunov_spectrum_of_map(lambda y: y[:1], jnp.ones(2), 10)
    with pytest.raises(ValueError, match="got float64"), jax.enable_x64(True):
        sy.lyapunov_spectrum_of_map(lambda y: y * jnp.ones(2), jnp.ones(2, jnp.float32), 10)


def test_history_gives_running_estimates_that_end_at_the_result(x64):
    result = sy.lyapunov_spectrum_of_map(lambda y: 0.5 * y, jnp.ones(2), 20, history=True)
    assert result.running.shape == (20, 2)
    np.testing.assert_allclose(result.running[-1], result.exponents, rtol=1e-12)
    np.testing.assert_allclose(result.running[0], np.log(0.5), rtol=1e-12)


def test_lorenz_lambda1_map_over_rho_in_one_call(x64):
    # ρ = 15: C± is stable, λ₁ = Re of its leading Jacobian eigenvalue (a complex pair);
    # ρ = 160: inside a periodic window, λ₁ = 0; ρ = 28: Sprott's 0.9056 (over 1000 time
    # units: over 300, λ₁ still spreads by ±2% from one orbit segment to the next).
    rhos = jnp.array([15.0, 28.0, 160.0])
    systems = jax.vmap(lambda rho: sy.Lorenz(rho=rho, beta=8 / 3))(rhos)
    result = sy.lyapunov_spectra(systems, t1=1000.0, tau=0.1, t_transient=50.0)
    assert result.exponents.shape == (3, 3) and result.stats.num_steps.shape == (3,)
    beta, x = 8 / 3, np.sqrt(8 / 3 * 14)
    jacobian = np.array([[-10, 10, 0], [1, -1, -x], [x, x, -beta]])
    leading = np.max(np.linalg.eigvals(jacobian).real)
    assert abs(float(result.exponents[0, 0]) - leading) < 1e-3
    assert abs(float(result.exponents[1, 0]) / 0.9056 - 1) < 0.01
    assert abs(float(result.exponents[2, 0])) < 0.01
    # Each member equals its own unbatched run.
    alone = sy.lyapunov_spectrum(sy.Lorenz(rho=160.0, beta=8 / 3), t1=1000.0, tau=0.1,
                                 t_transient=50.0)  # fmt: skip
    np.testing.assert_allclose(result.exponents[2], alone.exponents, rtol=1e-6, atol=1e-8)


def test_lorenz96_exponents_sum_to_minus_n_the_trace_identity(x64):
    # tr Df = −N for every state, so Σλ = −N (= −40) over any averaging time (Liouville).
    n = 40
    y0 = 8.0 + 0.01 * jnp.sin(jnp.arange(n))
    result = sy.lyapunov_spectrum(sy.Lorenz96(f=8.0), y0=y0, t1=10.0, tau=0.1, t_transient=5.0)
    np.testing.assert_allclose(float(jnp.sum(result.exponents)), -n, rtol=1e-3)


@pytest.mark.usefixtures("unchecked")
def test_a_parameter_map_needs_one_batch_axis():
    with pytest.raises(ValueError, match="same leading batch axis"):
        sy.lyapunov_spectra(sy.Lorenz(), t1=1.0, tau=0.1, t_transient=0.0)
    with pytest.raises(ValueError, match="ODE system with batched parameters"):
        sy.lyapunov_spectra("Lorenz")


def test_progress_bars_leave_the_spectrum_unchanged(capfd):
    quiet = sy.lyapunov_spectrum(sy.Lorenz(), t1=5.0, t_transient=1.0)
    shown = sy.lyapunov_spectrum(sy.Lorenz(), t1=5.0, t_transient=1.0, progress=True)
    jax.effects_barrier()
    err = capfd.readouterr().err
    assert "Lyapunov transient" in err and "Lyapunov spectrum" in err and "100%" in err
    np.testing.assert_array_equal(np.asarray(quiet.exponents), np.asarray(shown.exponents))


def test_a_step_spanning_more_e_folds_than_the_arithmetic_resolves_is_flagged(x64):
    # A = R diag(e, e^−a) Rᵀ has exponents 1 and −a exactly. One step spans 1 + a e-folds;
    # past log(1/ε) ≈ 36 the second vector's growth is lost in round-off (flagged from 29,
    # where R₂₂ is known to 1e-3), and the run says so rather than return a number.
    c, s = np.cos(0.3), np.sin(0.3)
    rotation = jnp.array([[c, -s], [s, c]])

    def linear(a):
        matrix = rotation @ jnp.diag(jnp.exp(jnp.array([1.0, -a]))) @ rotation.T
        return lambda y: matrix @ y

    lost = sy.lyapunov_spectrum_of_map(linear(45.0), jnp.ones(2), 50, throw=False)
    assert lost.stats.result == jd.RESULTS.tangent_resolution_lost
    assert float(lost.step_spread) > jd.tangent.spread_limit(jnp.float64) > 28
    with pytest.raises(jd.SolverFailure, match="shorten the step"):
        sy.lyapunov_spectrum_of_map(linear(45.0), jnp.ones(2), 50)
    kept = sy.lyapunov_spectrum_of_map(linear(20.0), jnp.ones(2), 50, n_transient=10)
    np.testing.assert_allclose(kept.exponents, [1.0, -20.0], atol=1e-5)
    assert float(kept.step_spread) == pytest.approx(21.0)


def test_a_slow_fast_flow_gets_a_shorter_default_step(x64):
    # CellCycle: τ = period/10 = 20.5 spans about 39 e-folds between its first and last
    # tangent vectors, more than rtol = 1e-9 resolves (Σλ then missed ⟨tr Df⟩ by 2%). A τ you
    # pass is kept and the run flagged; the default is shortened until it resolves.
    system = sy.CellCycle()
    period = system.period()
    given = sy.lyapunov_spectrum(system, t1=5 * period, tau=period / 10, t_transient=period,
                                 throw=False)  # fmt: skip
    assert given.stats.result == jd.RESULTS.tangent_resolution_lost
    default = sy.lyapunov_spectrum(system, t1=5 * period, t_transient=period)
    assert float(default.step_spread) < jd.tangent.spread_limit(jnp.float64, 1e-9)
