"""`solve`: save times, errors, blow-up reports, vmap, grad, no recompilation, diffrax road."""

import diffrax
import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np
import pytest

import jaxdyn as jd
import jaxdyn.spectral as sp
from tests.helpers import FD_RTOL, directional_fd, max_abs, random_direction

GRID = sp.FourierGrid(32, 22.0)
KS = sp.KuramotoSivashinsky()


def _u0(dtype=None):
    (x,) = GRID.mesh(dtype)
    return jnp.cos(2 * np.pi * x / 22.0) + 0.1 * jnp.sin(4 * np.pi * x / 22.0)


def test_save_times_none_int_and_array():
    u0 = _u0()
    assert np.allclose(sp.solve(KS, GRID, u0, 1.0, dt=0.1).ts, [1.0])
    sol = sp.solve(KS, GRID, u0, 1.0, dt=0.1, saveat=5)
    np.testing.assert_allclose(sol.ts, np.linspace(0, 1, 5))
    np.testing.assert_allclose(sol.ys[0], u0, atol=1e-6)  # u₀ is already band-limited
    assert sol.ys.shape == (5, 32) and int(sol.stats.num_steps) == 12  # 0.25/0.1 → 3 steps each
    sol = sp.solve(KS, GRID, u0, 1.0, dt=0.1, saveat=[0.5, 0.75, 1.0])
    assert sol.ys.shape == (3, 32) and int(sol.stats.num_steps) == 12  # 6 steps to 0.5, 3 + 3


def test_save_times_agree_between_one_run_and_restarts(x64):
    u0 = _u0()
    full = sp.solve(KS, GRID, u0, 2.0, dt=0.05, saveat=3)
    half = sp.solve(KS, GRID, u0, 1.0, dt=0.05)
    rest = sp.solve(KS, GRID, half.ys[-1], 2.0, t0=1.0, dt=0.05)
    assert max_abs(full.ys[1], half.ys[-1]) < 1e-14
    assert max_abs(full.ys[2], rest.ys[-1]) < 1e-13


@pytest.mark.usefixtures("unchecked")
@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(u0=jnp.zeros(31)), r"u0 of shape \(32,\)"),
        (dict(dt=0.0), "dt > 0"),
        (dict(dt=-0.1), "dt > 0"),
        (dict(t1=0.0), "t1 > t0"),
        (dict(u0=jnp.full(32, jnp.nan)), "u0: expected finite"),
        (dict(u0=jnp.zeros(32, jnp.complex64)), "evolves a real field"),
        (dict(method="rk45"), "ETDRK1, ETDRK2, ETDRK3, ETDRK4, IFRK4"),
        (dict(method=object()), "diffrax solver"),
        (dict(rtol=1e-6), "rtol/atol/max_steps apply to diffrax"),
        (dict(method=diffrax.Dopri8(), rtol=1e-10), "below what float32 resolves"),
        (dict(saveat=[0.1, 0.3, 0.4]), "equally spaced"),
        (dict(saveat=[0.5, 0.2]), "increasing times"),
        (dict(saveat=[0.0, 2.0]), r"in \[t0, t1\]"),
        (dict(saveat=0), "saveat >= 1"),
        (dict(pde=sp.KuramotoSivashinsky(diffusion=jnp.inf)), "finite parameters"),
        (dict(pde="KS"), "AbstractSemilinearPDE"),
        (dict(u0=jnp.zeros(32, jnp.float16)), "float32/64"),
    ],
)
@pytest.mark.usefixtures("unchecked")
def test_bad_input_raises_a_value_error_naming_the_expectation(kwargs, match):
    args = dict(pde=KS, grid=GRID, u0=_u0(), t1=1.0, dt=0.1) | kwargs
    with pytest.raises(ValueError, match=match):
        sp.solve(args.pop("pde"), args.pop("grid"), args.pop("u0"), args.pop("t1"), **args)


@pytest.mark.usefixtures("unchecked")
@pytest.mark.usefixtures("unchecked")
def test_traced_times_are_rejected_with_a_clear_message():
    with pytest.raises(ValueError, match="concrete numbers"):
        jax.jit(lambda t1: sp.solve(KS, GRID, _u0(), t1, dt=0.1).ys)(1.0)


def test_blow_up_is_reported_with_its_time_or_raised():
    # Anti-diffusion makes every mode grow like exp(k² t): the state overflows in finite time.
    pde = sp.AllenCahn(diffusivity=-1.0)
    grid = sp.FourierGrid(64)
    (x,) = grid.mesh()
    sol = sp.solve(pde, grid, jnp.cos(x), 20.0, dt=0.1, saveat=11, throw=False)
    assert bool(sol.stats.blew_up) and not bool(sol.ok)
    assert 0.0 < float(sol.stats.blowup_time) < 20.0
    assert np.all(np.isfinite(np.asarray(sol.ys[0])))
    with pytest.raises(jd.SolverFailure, match=r"^solve: the state became non-finite .* at t = "):
        sp.solve(pde, grid, jnp.cos(x), 20.0, dt=0.1)
    healthy = sp.solve(KS, GRID, _u0(), 1.0, dt=0.1)
    assert bool(healthy.ok) and float(healthy.stats.blowup_time) == np.inf


def test_vmap_over_initial_states_and_parameters_equals_a_loop(x64):
    u0s = jnp.stack([_u0(), 0.5 * _u0(), _u0()[::-1]])
    viscosities = jnp.array([0.8, 1.0, 1.2])

    def run(u0, d):
        return sp.solve(sp.KuramotoSivashinsky(diffusion=d), GRID, u0, 2.0, dt=0.05).ys[-1]

    batched = jax.vmap(run)(u0s, viscosities)
    looped = jnp.stack([run(u, d) for u, d in zip(u0s, viscosities, strict=True)])
    assert max_abs(batched, looped) < 1e-13


def test_gradients_match_central_differences(x64):
    u0 = _u0()

    def loss(u0, c, d):
        pde = sp.KuramotoSivashinsky(convection=c, diffusion=d)
        ys = sp.solve(pde, GRID, u0, 2.0, dt=0.05, saveat=5).ys
        return jnp.mean(ys**2)

    g_u0, g_c, g_d = jax.grad(loss, argnums=(0, 1, 2))(u0, 1.0, 1.0)
    direction = random_direction(u0)
    fd_u0 = directional_fd(lambda u: loss(u, 1.0, 1.0), u0, direction)
    np.testing.assert_allclose(jnp.vdot(g_u0, direction), fd_u0, rtol=FD_RTOL)
    np.testing.assert_allclose(
        g_c, directional_fd(lambda c: loss(u0, c, 1.0), 1.0, 1.0), rtol=FD_RTOL
    )
    np.testing.assert_allclose(
        g_d, directional_fd(lambda d: loss(u0, 1.0, d), 1.0, 1.0), rtol=FD_RTOL
    )


def test_gradient_through_complex_nlse_matches_central_differences(x64):
    grid = sp.FourierGrid(64, 30.0)

    def loss(b):
        ys = sp.solve(sp.NLSE(b=b), grid, sp.soliton(grid, velocity=0.3), 1.0, dt=0.05).ys
        return jnp.sum(jnp.abs(ys[-1] - sp.soliton(grid, 1.0, velocity=0.3)) ** 2)

    np.testing.assert_allclose(jax.grad(loss)(1.2), directional_fd(loss, 1.2, 1.0), rtol=FD_RTOL)


def test_new_parameter_values_do_not_recompile():
    @eqx.filter_jit
    @eqx.debug.assert_max_traces(max_traces=1)
    def run(pde, u0):
        return sp.solve(pde, GRID, u0, 1.0, dt=0.1).ys

    run(sp.KuramotoSivashinsky(diffusion=1.0), _u0())
    run(sp.KuramotoSivashinsky(diffusion=0.7), 2 * _u0())


def test_dtypes_follow_the_initial_state(x64):
    assert sp.solve(KS, GRID, _u0(jnp.float32), 1.0, dt=0.1).ys.dtype == jnp.float32
    assert sp.solve(KS, GRID, _u0(jnp.float64), 1.0, dt=0.1).ys.dtype == jnp.float64
    real_psi = jnp.abs(sp.soliton(sp.FourierGrid(32, 20.0)))
    ys = sp.solve(sp.NLSE(), sp.FourierGrid(32, 20.0), real_psi, 0.5, dt=0.1).ys
    assert ys.dtype == jnp.complex128


def test_adaptive_dopri8_conserves_nlse_mass_to_1e_10(x64):
    # The reference solver of Herho et al. (DOP853, L = 50, n = 512) on the moving soliton.
    grid = sp.FourierGrid(512, 50.0)
    pde = sp.NLSE()
    u0 = sp.soliton(grid, velocity=1.0, position=20.0)
    sol = sp.solve(
        pde, grid, u0, 5.0, dt=1e-3, method=diffrax.Dopri8(), rtol=1e-10, atol=1e-10, saveat=11
    )
    mass = sp.mass(sol.ys, grid)
    assert bool(sol.ok) and int(sol.stats.num_steps) > 0
    assert float(jnp.max(jnp.abs(mass / mass[0] - 1))) < 1e-10
    assert max_abs(sol.ys[-1], sp.soliton(grid, 5.0, velocity=1.0, position=20.0)) < 1e-7


def test_diffrax_road_accepts_uneven_save_times_and_reports_step_limits(x64):
    u0 = _u0()
    ts = [0.1, 0.35, 1.0]
    sol = sp.solve(
        KS, GRID, u0, 1.0, dt=0.01, method=diffrax.Tsit5(), rtol=1e-8, atol=1e-8, saveat=ts
    )
    reference = sp.solve(KS, GRID, u0, 1.0, dt=0.01, saveat=[0.0, 0.35, 0.7]).ys[1]
    assert max_abs(sol.ys[1], reference) < 1e-6
    short = sp.solve(
        KS, GRID, u0, 1.0, dt=0.01, method=diffrax.Tsit5(), rtol=1e-8, max_steps=5, throw=False
    )
    assert not bool(short.stats.finished)
    with pytest.raises(jd.SolverFailure, match="maximum number of solver steps"):
        sp.solve(KS, GRID, u0, 1.0, dt=0.01, method=diffrax.Tsit5(), rtol=1e-8, max_steps=5)


@pytest.mark.parametrize("saveat", [None, 3])
def test_progress_is_printed_to_stderr(capfd, saveat):
    jax.block_until_ready(sp.solve(KS, GRID, _u0(), 1.0, dt=0.1, saveat=saveat, progress=True).ys)
    jax.effects_barrier()
    err = capfd.readouterr().err
    assert "100%" in err and err.endswith("\n")
