"""The kernels `jaxdyn bench` times, suite by suite, on whatever device JAX sees.

Every case compiles ahead of time (compile time reported apart), warms up, and reports the
median of repeated runs with `block_until_ready`. A result is a dict with the keys of
`RESULT_KEYS`; `bound_fraction` is, for spectral steps, the time of the FFTs a step needs
(measured alone, same sizes) over the time of the step, and None elsewhere.
"""

from collections.abc import Callable

import jax
import jax.numpy as jnp

from .. import spectral as sp, systems as sy
from ._implicit import equilibrium_forward_backward, gradient_cost
from ._nn import training_throughput
from ._timing import fft_roundtrip_seconds, time_compiled

RESULT_KEYS = ("name", "size", "compile_s", "run_s", "throughput", "unit", "bound_fraction")


def _result(name, size, compile_s, run_s, throughput, unit, bound_fraction=None) -> dict:
    values = (name, size, compile_s, run_s, throughput, unit, bound_fraction)
    return dict(zip(RESULT_KEYS, values, strict=True))


# Spectral cases: (name, PDE, grid, dt, single-field FFT round trips per ETDRK4 step).
def _spectral_cases(quick: bool):
    ks = [256] if quick else [256, 1024, 4096]
    nlse = [512] if quick else [512, 2048]
    ns = [64] if quick else [64, 128, 256]
    for n in ks:  # four nonlinear evaluations, one rfft + one irfft each
        yield "KS 1D ETDRK4 step", sp.KuramotoSivashinsky(), sp.FourierGrid(n, 32 * jnp.pi), 0.1, 4
    for n in nlse:  # four evaluations of i|ψ|²ψ, one complex FFT pair each
        yield "NLSE 1D ETDRK4 step", sp.NLSE(), sp.FourierGrid(n, 50.0), 1e-3, 4
    for n in ns:  # four evaluations of Basdevant's form, two transform pairs each
        yield (
            "Navier-Stokes 2D ETDRK4 step",
            sp.NavierStokes2D(viscosity=1e-3),
            sp.FourierGrid((n, n)),
            1e-3,
            8,
        )
    for n in [32] if quick else [32, 64]:  # four evaluations of u × ω: nine transforms each
        yield (
            "Navier-Stokes 3D ETDRK4 step",
            sp.NavierStokes3D(),
            sp.FourierGrid((n,) * 3),
            1e-2,
            18,
        )


def spectral(quick: bool = False, repeats: int = 5) -> list[dict]:
    """ETDRK4 steps of KS, NLSE, 2D and 3D Navier–Stokes, and the raw FFTs of the same sizes."""
    steps = 50 if quick else 200
    results = []
    for name, pde, grid, dt, pairs in _spectral_cases(quick):
        if pde.complex_state:
            u0 = sp.soliton(grid, velocity=1.0).astype(jnp.complex64)
        elif grid.ndim == 3:
            u0 = jnp.asarray(sp.taylor_green_vortex(grid), jnp.float32)
        else:
            u0 = sp.random_field(jax.random.PRNGKey(0), grid, peak_wavenumber=4.0)
        size = "×".join(map(str, grid.shape))
        n_steps = steps if grid.ndim < 3 else steps // 10  # a 3D step costs 10³–10⁵ times more
        run = lambda u: sp.solve(pde, grid, u, n_steps * dt, dt=dt).ys[-1]  # noqa: B023, E731
        timing = time_compiled(run, u0, repeats=repeats)
        pair = fft_roundtrip_seconds(grid.shape, 1, u0.dtype, repeats=repeats)
        per_step = timing.run_s / n_steps
        results.append(
            _result(
                name,
                size,
                timing.compile_s,
                per_step,
                1 / per_step,
                "steps/s",
                pairs * pair / per_step,
            )
        )
        kind = "complex" if pde.complex_state else "real"
        results.append(_result(f"FFT round trip ({kind})", size, None, pair, 1 / pair, "pairs/s"))
    return results


def systems(quick: bool = False, repeats: int = 5) -> list[dict]:
    """Lorenz ensembles (`ensemble_throughput`) at several batch sizes, and Lorenz's Lyapunov
    spectrum (QR every τ = period/10)."""
    system = sy.Lorenz()
    batches = (1, 64) if quick else (1, 64, 1024)
    results = [ensemble_throughput(batch, repeats) for batch in batches]
    periods = 100 if quick else 1000
    t1 = periods * system.info().period
    timing = time_compiled(
        lambda y0: sy.lyapunov_spectrum(system, y0=y0, t1=t1).exponents,
        system.default_ic(),
        repeats=1 if quick else 3,
    )
    results.append(
        _result(
            "Lorenz Lyapunov spectrum",
            f"{periods} periods",
            timing.compile_s,
            timing.run_s,
            periods * 10 / timing.run_s,
            "QR steps/s",
        )  # fmt: skip
    )
    return results


def ensemble_throughput(batch: int, repeats: int = 5) -> dict:
    """Lorenz trajectories to t = 10 (Dopri8, rtol = 1e-5, float32) from `batch` initial
    states at once, sharded over the devices JAX sees when there are several."""
    system = sy.Lorenz()
    y0s = system.default_ic() + 0.1 * jax.random.normal(jax.random.PRNGKey(batch), (batch, 3))
    run = lambda y0s: sy.ensemble(system, y0s, 10.0, n_points=2, rtol=1e-5).ys  # noqa: E731
    timing = time_compiled(run, y0s, repeats=repeats)
    size = f"batch={batch}, {jax.device_count()} device(s)"
    return _result("Lorenz ensemble (Dopri8)", size, timing.compile_s, timing.run_s,
                   batch / timing.run_s, "trajectories/s")  # fmt: skip


def implicit(quick: bool = False, repeats: int = 5) -> list[dict]:
    """Gradients through a fixed point, implicit versus unrolled, and a deep-equilibrium
    solve forward and backward."""
    results = []
    for n in (100,) if quick else (10, 100, 1000):
        for method in ("implicit", "unrolled"):
            r = gradient_cost(n, method, repeats=repeats)
            results.append(
                _result(
                    f"fixed-point gradient ({method})",
                    f"64 unknowns, {n} iterations",
                    r["compile_s"],
                    r["run_s"],
                    1 / r["run_s"],
                    "gradients/s",
                )  # fmt: skip
            )
    for size in (64,) if quick else (64, 512):
        r = equilibrium_forward_backward(size, repeats=repeats)
        total = r["forward_s"] + r["backward_s"]
        results.append(
            _result(
                "deep-equilibrium forward + backward",
                f"{size} unknowns",
                None,
                total,
                1 / total,
                "solves/s",
            )  # fmt: skip
        )
    return results


def networks(quick: bool = False, repeats: int = 5) -> list[dict]:
    """One Adam training step of each network (FNO, DeepONet, neural ODE, shallow PLRNN with
    GTF) on synthetic data of realistic small sizes."""
    return [
        _result(
            f"{name} training step",
            size,
            timing.compile_s,
            timing.run_s,
            1 / timing.run_s,
            "steps/s",
        )  # fmt: skip
        for name, size, timing in training_throughput(repeats)
    ]


def tangent(quick: bool = False, repeats: int = 3) -> list[dict]:
    """Tangent dynamics: Lorenz λ₁(ρ) over a batch of ρ ∈ [10, 200] in one call
    (`lyapunov_spectra`, one tangent vector, τ = period/10), the 8 leading exponents of
    Kuramoto–Sivashinsky (L = 22, n = 64, ETDRK4 dt = 0.25) over 10³ time units, and Lorenz's
    dλ₁/dρ by linear response (`systems.linear_response`) over 3000 time units."""
    period = sy.Lorenz.period()
    batch, periods = (64, 10) if quick else (1000, 30)
    y0 = jnp.ones(3)

    def lambda_map(rhos):
        systems = jax.vmap(lambda rho: sy.Lorenz(rho=rho, beta=8 / 3))(rhos)
        return sy.lyapunov_spectra(systems, y0=y0, t1=periods * period, t_transient=period,
                                   n_exponents=1, throw=False).exponents  # fmt: skip

    timing = time_compiled(lambda_map, jnp.linspace(10.0, 200.0, batch), repeats=repeats)
    results = [
        _result(
            "Lorenz λ₁(ρ) map",
            f"{batch} values × {periods} periods, {jax.device_count()} device(s)",
            timing.compile_s,
            timing.run_s,
            batch * periods / timing.run_s,
            "value·periods/s",
        )  # fmt: skip
    ]
    grid, horizon = sp.FourierGrid(64, 22.0), 100.0 if quick else 1000.0
    u0 = sp.random_field(jax.random.PRNGKey(0), grid, peak_wavenumber=2.0)
    pde = sp.KuramotoSivashinsky()

    def spectrum(u):  # inside jit: the conserved mean and the count are given, not detected
        return sp.lyapunov_spectrum(
            pde, grid, u, horizon, dt=0.25, n_exponents=8, conserved_mean=True
        ).exponents

    timing = time_compiled(spectrum, u0, repeats=1)
    results.append(
        _result("KS L=22 Lyapunov spectrum (8)", f"n=64, {horizon:g} time units",
                timing.compile_s, timing.run_s, horizon / timing.run_s, "time units/s")
    )  # fmt: skip
    horizon = 600.0 if quick else 3000.0

    def response(y):  # dλ₁/dρ, the whole linear response, on the extended six-dimensional flow
        return sy.linear_response(sy.Lorenz(beta=8 / 3), None, y0=y, t1=horizon, n_unstable=1,
                                  throw=False).gradient.rho  # fmt: skip

    timing = time_compiled(response, y0, repeats=1)
    results.append(
        _result("Lorenz dλ₁/dρ linear response", f"dt = period/100, {horizon:g} time units",
                timing.compile_s, timing.run_s, horizon / timing.run_s, "time units/s")
    )  # fmt: skip
    return results


SUITES: dict[str, Callable[..., list[dict]]] = {
    "spectral": spectral,
    "systems": systems,
    "implicit": implicit,
    "nn": networks,
    "tangent": tangent,
}


def run_suites(names: list[str], quick: bool = False) -> list[dict]:
    """Run the named suites (keys of `SUITES`) in order."""
    unknown = [name for name in names if name not in SUITES]
    if unknown:
        raise ValueError(f"bench: unknown suite(s) {unknown}; expected some of {list(SUITES)}")
    repeats = 3 if quick else 7
    return [result for name in names for result in SUITES[name](quick, repeats)]


def format_table(results: list[dict]) -> str:
    """A fixed-width table of results, one row per kernel."""
    header = (
        f"{'kernel':38s} {'size':30s} {'compile s':>9s} {'run s':>10s} {'throughput':>11s} "
        f"{'unit':15s} {'FFT bound':>9s}"
    )
    lines = [header, "-" * len(header)]
    for r in results:
        compile_s = "" if r["compile_s"] is None else f"{r['compile_s']:.2f}"
        bound = "" if r["bound_fraction"] is None else f"{r['bound_fraction']:.0%}"
        lines.append(
            f"{r['name']:38s} {r['size']:30s} {compile_s:>9s} {r['run_s']:>10.3g} "
            f"{r['throughput']:>11.4g} {r['unit']:15s} {bound:>9s}"
        )
    return "\n".join(lines)
