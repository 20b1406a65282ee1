"""Tangent dynamics at scale: Lyapunov spectra of flows, PDEs and networks, parameter maps and
covariant vectors, with the published values they are checked against.

    python benchmarks/tangent_dynamics.py [--json benchmarks/results/tangent_cpu.json]
        [--cases ...] [--figure benchmarks/results/lorenz_lambda1_map.png]

Cases (float64 unless named):
- `lambda_map`: Lorenz (σ 10, β 8/3) λ₁(ρ) for 1000 values of ρ ∈ [10, 200], 300 periods
  each (τ a tenth of the period, 10 periods of transient), one compiled call, in float64 and
  float32; wall time including compilation; the figure.
- `kuramoto_sivashinsky`: L = 22, n = 64, ETDRK4 dt = 0.25: the 8 leading exponents over 10⁴
  time units after 10³ (Ding et al., Chaos 26, 2016: 0.043, 0, 0, −0.003, −0.189, −0.256,
  −0.290, −0.310; D_KY 5.198 counts the mean they keep; we project it out: 4.198), and the
  time of the full spectrum (42 directions) per 10⁴ time units.
- `lorenz96`: N = 40, F = 8, the full spectrum over 500 time units (Karimi & Paul, Chaos 20,
  2010 for N = 40: λ₁ ≈ 1.7, 13 positive exponents, D_KY ≈ 27.1; Σλ = −40 exactly).
- `covariant`: Lorenz's covariant vector of λ₂ = 0 against the flow direction f(y).
- `reservoir`: an echo-state network trained on Lorenz (300 and 1000 units, 8000 states):
  the Lyapunov spectrum of the reconstruction run free, beside Lorenz's.
- `shadowing`: Lorenz d⟨z⟩/dρ and dλ₁/dρ at ρ = 28 by NILSS over 150, 500 and 2000 time
  units, against finite differences (1.0036 for ⟨z⟩ from the issue's ensemble; for λ₁ the
  slope over ρ = 26 … 30, 16 independent orbits of 25 000 time units at each, here).
- `hyperbolic_map`: what shadowing leaves out. A dissipatively perturbed cat map of the
  torus, x ↦ A x + ε p(x) mod 1 (A = [[2, 1], [1, 1]], p = (sin 2πx₁ + ½ sin 2π(x₁ + x₂),
  0)/2π, ε = 0.3: uniformly hyperbolic, one unstable direction of two): d⟨J⟩/dε for
  J = cos 2πx₁ + 0.3 sin 2πx₂ and dλ₁/dε (λ₁ = ⟨log‖Df w‖⟩ on the map extended by a unit
  tangent w, as `max_lyapunov_sensitivity` does for flows) by NILSS and by finite
  differences (ε ± 0.05 and ± 0.02, 2000 orbits of 10⁵ and 2·10⁵ steps). NILSS computes the
  shadowing contribution of Ruelle's linear response only; the rest, the unstable
  contribution, is its systematic error even on a uniformly hyperbolic attractor (Ni, SIAM
  J. Numer. Anal. 59, 2021), large when the unstable directions are a large share of all.
- `linear_response`: the whole derivative, shadowing plus the unstable contribution, by
  space-split sensitivity (`tangent.linear_response`): on the perturbed cat map (d⟨J⟩/dε and
  dλ₁/dε, 4 orbits of 10⁶ steps) and on Lorenz (d⟨z⟩/dρ and dλ₁/dρ at ρ = 28, 4 orbits of
  10⁴ time units, 16 for dλ₁/dρ in float64, RK4 dt = 0.01), float64 and float32, against the
  finite differences of `hyperbolic_map` and `shadowing`: the mean over orbits, the spread of
  the orbits' values over √n, and the mean of the reported standard errors over √n; and
  dλ₁/dρ on four orbits with the taper's full weight at 5 and 40 time units (default 15).
- `lambda1_ensemble`: Lorenz dλ₁/dρ by linear response over 32 more float64 orbits.
- `ks_shadowing`: Kuramoto–Sivashinsky d⟨u²⟩/dc (exactly −2⟨u²⟩), d⟨u²⟩/dd + d⟨u²⟩/dh
  (exactly 2⟨u²⟩) and d⟨u²⟩/dh by shadowing at L = 128 over 2000–10 000 time units, against
  the reference that rescaling gives without shadowing: −⟨u²⟩ − (L/2) d⟨u²⟩/dL, ⟨u²⟩(L)
  from plain long runs at L = 112 … 144; NILSS's spread over 12 orbits of 2000 time units.
- `finite_differences`: central differences of ensemble averages
  (`spectral.finite_difference_sensitivity`, `systems.finite_difference_sensitivity`):
  Kuramoto–Sivashinsky at L = 128 (n = 256, 8 orbits of 10⁴ time units, all three
  parameters, against the rescaling reference and identities) and Lorenz d⟨z⟩/dρ and dλ₁/dρ
  (16 orbits of 1000 periods), float64 and float32.
- `delay`: Mackey–Glass (β 0.2, γ 0.1, n 10) at τ = 17 and 23: five exponents over 3·10⁴ time
  units and D_KY (Farmer, Physica D 4, 1982: D ≈ 2.1 and 2.8).
"""

import argparse
import json
import time
from pathlib import Path

import jax

jax.config.update("jax_enable_x64", True)  # this script owns its process

import jax.numpy as jnp  # noqa: E402
import numpy as np  # noqa: E402

import jaxdyn as jd  # noqa: E402

sy, sp, ta = jd.systems, jd.spectral, jd.tangent
LORENZ = (0.9056, 0.0, -14.5723)  # Sprott (2003)


def _timed(function):
    start = time.perf_counter()
    out = jax.block_until_ready(function())
    return out, time.perf_counter() - start


def lambda_map(figure=None):
    rhos = np.linspace(10.0, 200.0, 1000)
    period = float(sy.Lorenz.period())
    record = {"n_values": rhos.size, "periods": 300, "period": period}
    for dtype in (jnp.float64, jnp.float32):
        result, seconds = _timed(lambda dtype=dtype: _lambda1_map(rhos, period, dtype))
        lam = np.asarray(result.exponents[:, 0], np.float64)
        record[dtype.__name__] = {
            "seconds_including_compilation": seconds,
            "failed_members": int(np.sum(~np.asarray(result.stats.ok))),
            **{f"lambda1_at_{rho:g}": float(lam[np.argmin(np.abs(rhos - rho))])
               for rho in (15.0, 28.0, 160.0)},
            "fraction_chaotic": float(np.mean(lam > 0.01)),
        }  # fmt: skip
        if dtype is jnp.float64:
            curve = lam
    beta, x = 8 / 3, np.sqrt(8 / 3 * 14)
    jacobian = np.array([[-10, 10, 0], [1, -1, -x], [x, x, -beta]])
    record["fixed_point_exponent_at_15"] = float(np.max(np.linalg.eigvals(jacobian).real))
    if figure:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        fig, ax = plt.subplots(figsize=(7, 3))
        ax.plot(rhos, curve, lw=0.6)
        ax.axhline(0, color="k", lw=0.5)
        ax.set(xlabel="ρ", ylabel="λ₁", title="Lorenz λ₁(ρ): 1000 values, one compiled call")
        fig.tight_layout()
        fig.savefig(figure, dpi=110)
    return record


def _lambda1_map(rhos, period, dtype):
    systems = jax.vmap(lambda rho: sy.Lorenz(rho=rho, beta=8 / 3))(jnp.asarray(rhos))
    systems = jax.tree.map(lambda x: x.astype(dtype), systems)  # every parameter in dtype
    y0 = jnp.asarray([1.0, 1.0, 1.0], dtype)  # 10 periods of transient reach the attractor
    return sy.lyapunov_spectra(systems, y0=y0, t1=300 * period, n_exponents=1, throw=False)


def kuramoto_sivashinsky():
    grid = sp.FourierGrid(64, 22.0)
    u0 = sp.random_field(jax.random.PRNGKey(0), grid, peak_wavenumber=2.0)
    pde = sp.KuramotoSivashinsky()
    result, seconds = _timed(
        lambda: sp.lyapunov_spectrum(pde, grid, u0, 1e4, dt=0.25, t_transient=1e3, n_exponents=8)
    )
    exponents = np.asarray(result.exponents)
    _, full_seconds = _timed(
        lambda: sp.lyapunov_spectrum(pde, grid, u0, 1e3, dt=0.25, t_transient=0.0).exponents
    )
    return {
        "exponents": exponents.tolist(),
        "kaplan_yorke": float(ta.kaplan_yorke_dimension(exponents)),
        "positive": int(np.sum(exponents > 0.005)),
        "near_zero": int(np.sum(np.abs(exponents) <= 0.005)),
        "seconds_8_exponents_1e4": seconds,
        "seconds_full_spectrum_per_1e4": 10 * full_seconds,
    }


def lorenz96():
    n = 40
    y0 = 8.0 + 0.01 * jnp.sin(jnp.arange(n))
    result, seconds = _timed(
        lambda: sy.lyapunov_spectrum(
            sy.Lorenz96(f=8.0), y0=y0, t1=500.0, tau=0.1, t_transient=50.0
        )  # fmt: skip
    )
    exponents = np.asarray(result.exponents)
    return {
        "exponents": exponents.tolist(),
        "lambda1": float(exponents[0]),
        # positive, the flow's own zero exponent (the one nearest 0) set aside
        "positive": int(np.sum(np.delete(exponents, np.argmin(np.abs(exponents))) > 0)),
        "kaplan_yorke": float(ta.kaplan_yorke_dimension(exponents)),
        "sum": float(exponents.sum()),
        "seconds": seconds,
    }


def covariant():
    system = sy.Lorenz(beta=8 / 3)
    y0 = sy.trajectory(system, 20.0, n_points=2).ys[-1]
    step = sy.flow_map(system, 0.05, rtol=1e-9, atol=1e-9)
    result, seconds = _timed(
        lambda: ta.covariant_lyapunov_vectors(
            step, y0, 1000, n_transient=500, n_future=500, time_per_step=0.05
        )  # fmt: skip
    )
    flow = jax.vmap(lambda y: system.rhs(0.0, y))(result.states)
    flow = flow / jnp.linalg.norm(flow, axis=1, keepdims=True)
    sine = np.asarray(jnp.linalg.norm(jnp.cross(flow, result.vectors[:, :, 1]), axis=1))
    return {"mean_abs_sine": float(sine.mean()), "max_abs_sine": float(sine.max()),
            "exponents": np.asarray(result.exponents).tolist(), "seconds": seconds}  # fmt: skip


def reservoir():
    dt, n = 0.02, 8000
    ys = sy.trajectory(sy.Lorenz(beta=8 / 3), (n + 1000) * dt, n_points=n + 1000, rtol=1e-10).ys
    out = {"true": list(LORENZ)}
    for size in (300, 1000):
        esn = jd.nn.EchoStateNetwork(3, size, jax.random.PRNGKey(0)).fit(ys[:n])
        result, seconds = _timed(
            lambda esn=esn: jd.nn.lyapunov_spectrum(
                esn, ys[n : n + 500], 20_000, time_per_step=dt, n_transient=1000
            )  # fmt: skip
        )
        out[f"esn{size}"] = {"exponents": np.asarray(result.exponents).tolist(), "seconds": seconds}
    return out


def _summary(result, seconds):
    return {"average": float(result.average), "d_drho": float(result.gradient.rho),
            "seconds": seconds}  # fmt: skip


def shadowing():
    lorenz = sy.Lorenz(beta=8 / 3)
    out = {"finite_differences": {"mean_z": 1.0036}}
    for t1 in (150.0, 500.0, 2000.0):
        mean_z, seconds = _timed(
            lambda t1=t1: sy.shadowing_sensitivity(lorenz, lambda y: y[2], t1=t1)
        )
        out[f"mean_z_t{t1:g}"] = _summary(mean_z, seconds)
        lambda1, seconds = _timed(lambda t1=t1: sy.max_lyapunov_sensitivity(lorenz, t1=t1))
        out[f"lambda1_t{t1:g}"] = _summary(lambda1, seconds)
    out["finite_differences"]["lambda1"], seconds = _timed(_lambda1_slope)
    out["finite_differences"]["lambda1"]["seconds"] = seconds
    return out


def _lambda1_slope(copies: int = 16, t1: float = 25_000.0) -> dict:
    """dλ₁/dρ of Lorenz at 28 by finite differences: λ₁ at ρ = 26 … 30 over `copies`
    independent orbits of `t1` each (one batched call; copies differ in ρ by 1e-9, which
    decorrelates their orbits within tens of time units and moves λ₁ by 1e-11), the slope
    fitted by least squares with its standard error."""
    base = np.repeat(np.arange(26.0, 31.0), copies)
    rhos = base + 1e-9 * np.tile(np.arange(copies), 5)
    systems = jax.vmap(lambda rho: sy.Lorenz(rho=rho, beta=8 / 3))(jnp.asarray(rhos))
    lam = np.asarray(sy.lyapunov_spectra(
        systems, y0=jnp.array([1.0, 2.0, 20.0]), t1=t1, tau=0.15, t_transient=100.0,
        n_exponents=1,
    ).exponents[:, 0])  # fmt: skip
    (slope, intercept), residuals = np.polyfit(base - 28.0, lam, 1, cov=False, full=True)[:2]
    sigma = np.sqrt(residuals[0] / (lam.size - 2))
    error = sigma / np.sqrt(np.sum((base - 28.0) ** 2))
    return {"slope": float(slope), "standard_error": float(error),
            "lambda1_at_28": float(intercept), "orbits": int(lam.size),
            "time_units_each": t1}  # fmt: skip


_CAT = np.array([[2.0, 1.0], [1.0, 1.0]])


def _cat_map(x, eps):
    kick = jnp.stack(
        [jnp.sin(2 * np.pi * x[0]) + 0.5 * jnp.sin(2 * np.pi * (x[0] + x[1])), 0 * x[0]]
    )
    return jnp.mod(jnp.asarray(_CAT, x.dtype) @ x + eps * kick / (2 * np.pi), 1.0)


def _cat_observable(x, eps):
    return jnp.cos(2 * np.pi * x[0]) + 0.3 * jnp.sin(2 * np.pi * x[1])


def _cat_extended(z, eps):
    """(x, w) ↦ (f(x), Df w/‖Df w‖): the map with a unit tangent vector."""
    image, pushed = jax.jvp(lambda x: _cat_map(x, eps), (z[:2],), (z[2:],))
    return jnp.concatenate([image, pushed / jnp.linalg.norm(pushed)])


def _cat_expansion(z, eps):
    return jnp.log(jnp.linalg.norm(jax.jvp(lambda x: _cat_map(x, eps), (z[:2],), (z[2:],))[1]))


def _cat_average(eps, step, observable, n_steps, orbits=2000, warmup=100):
    """⟨observable⟩ over `orbits` orbits of `step` (uniform starts, tangent (1, 0)), with its
    standard error."""
    x0 = jax.random.uniform(jax.random.PRNGKey(1), (orbits, 2), jnp.float64)
    z0 = jnp.concatenate([x0, jnp.tile(jnp.array([1.0, 0.0]), (orbits, 1))], axis=1)
    step = jax.vmap(step, (0, None))
    observe = jax.vmap(observable, (0, None))

    @jax.jit
    def run(z):
        z = jax.lax.fori_loop(0, warmup, lambda _, z: step(z, eps), z)
        body = lambda _, carry: (step(carry[0], eps), carry[1] + observe(carry[0], eps))  # noqa: E731
        return jax.lax.fori_loop(0, n_steps, body, (z, jnp.zeros(orbits)))[1] / n_steps

    per_orbit = np.asarray(run(z0))
    return per_orbit.mean(), per_orbit.std() / np.sqrt(orbits)


def hyperbolic_map(eps=0.3):
    out = {"eps": eps}
    z0 = jnp.array([0.1234, 0.5678, 1.0, 0.0])
    state_observable = lambda z, e: _cat_observable(z[:2], e)  # noqa: E731
    for name, observable, delta, n_steps in (
        ("mean_J", state_observable, 0.05, 100_000),
        ("lambda1", _cat_expansion, 0.02, 200_000),
    ):  # fmt: skip
        (plus, s_plus), (minus, s_minus) = (
            _cat_average(eps + sign * delta, _cat_extended, observable, n_steps)
            for sign in (1, -1)
        )  # fmt: skip
        nilss, seconds = _timed(lambda observable=observable: ta.shadowing_sensitivity(
            _cat_extended, observable, z0, jnp.asarray(eps), n_segments=8000,
            steps_per_segment=10, n_transient=200,
        ))  # fmt: skip
        out[name] = {
            "finite_differences": (plus - minus) / (2 * delta),
            "finite_differences_error": float(np.hypot(s_plus, s_minus) / (2 * delta)),
            "nilss": float(nilss.gradient), "nilss_average": float(nilss.average),
            "n_unstable": nilss.n_unstable, "nilss_seconds": seconds,
        }  # fmt: skip
    return out


def linear_response():
    """`tangent.linear_response` over independent orbits, in both precisions."""
    out = {}
    lorenz = sy.Lorenz(beta=8 / 3)
    cases = {
        "cat_mean_J": lambda dtype, k: ta.linear_response(
            _cat_map, _cat_observable, jnp.array([0.1234 + 0.1 * k, 0.5678], dtype),
            jnp.asarray(0.3, dtype), n_steps=1_000_000, correlation_steps=10, n_transient=200,
        ),
        "cat_lambda1": lambda dtype, k: ta.linear_response(
            _cat_extended, _cat_expansion, jnp.array([0.1234 + 0.1 * k, 0.5678, 1.0, 0.0], dtype),
            jnp.asarray(0.3, dtype), n_steps=1_000_000, correlation_steps=10, n_transient=200,
        ),
        "lorenz_mean_z": lambda dtype, k: sy.linear_response(
            jax.tree.map(lambda x: x.astype(dtype), lorenz), lambda y: y[2],
            y0=jnp.array([1.0, 2.0, 20.0 + k], dtype), t1=10_000.0, dt=0.01,
        ),
        "lorenz_lambda1": lambda dtype, k: sy.linear_response(
            jax.tree.map(lambda x: x.astype(dtype), lorenz), None,
            y0=jnp.array([1.0, 2.0, 20.0 + k], dtype), t1=10_000.0, dt=0.01,
        ),
    }  # fmt: skip
    for name, run in cases.items():
        for dtype in (jnp.float64, jnp.float32):
            values, errors, seconds = [], [], 0.0
            orbits = 16 if (name, dtype) == ("lorenz_lambda1", jnp.float64) else 4
            for k in range(orbits):
                result, spent = _timed(lambda run=run, dtype=dtype, k=k: run(dtype, k))
                derivative = lambda x: float(jax.tree.leaves(x)[0])  # noqa: E731
                if name.startswith("lorenz"):
                    derivative = lambda x: float(x.rho)  # noqa: E731
                values.append(derivative(result.gradient))
                errors.append(derivative(result.standard_error))
                seconds += spent
            out[f"{name}_{dtype.__name__}"] = {
                "mean": float(np.mean(values)), "values": values,
                "spread_over_sqrt_n": float(np.std(values, ddof=1) / np.sqrt(orbits)),
                "reported_error_over_sqrt_n": float(np.mean(errors) / np.sqrt(orbits)),
                "seconds_per_orbit": seconds / orbits,
            }  # fmt: skip
            print(name, dtype.__name__, out[f"{name}_{dtype.__name__}"], flush=True)
    # the taper: the first four float64 orbits again with 5 and 40 time units of full weight
    for correlation_time in (5.0, 40.0):
        values = [float(sy.linear_response(
            lorenz, None, y0=jnp.array([1.0, 2.0, 20.0 + k]), t1=10_000.0, dt=0.01,
            correlation_time=correlation_time,
        ).gradient.rho) for k in range(4)]  # fmt: skip
        out[f"lorenz_lambda1_float64_taper{correlation_time:g}"] = {
            "mean": float(np.mean(values)), "values": values,
        }  # fmt: skip
        print(correlation_time, values, flush=True)
    return out


def lambda1_ensemble(first: int = 16, orbits: int = 32):
    """Lorenz dλ₁/dρ by linear response over `orbits` more float64 orbits of 10⁴ time units
    (y0 = (1, 2, 20 + k), k = `first` …), independent of `linear_response`'s 16: together they
    resolve a bias of a few percent against finite differences."""
    lorenz = sy.Lorenz(beta=8 / 3)
    values, errors = [], []
    for k in range(first, first + orbits):
        result = sy.linear_response(lorenz, None, y0=jnp.array([1.0, 2.0, 20.0 + k]), t1=10_000.0,
                                    dt=0.01)  # fmt: skip
        values.append(float(result.gradient.rho))
        errors.append(float(result.standard_error.rho))
        print(k, values[-1], errors[-1], flush=True)
    return {"first": first, "values": values, "errors": errors, "mean": float(np.mean(values)),
            "spread_over_sqrt_n": float(np.std(values, ddof=1) / np.sqrt(orbits))}  # fmt: skip


def delay():
    out = {}
    for tau in (17.0, 23.0):
        result, seconds = _timed(
            lambda tau=tau: sy.lyapunov_spectrum(
                sy.MackeyGlass(tau=tau), n_exponents=5, t1=30_000.0, t_transient=2000.0
            )  # fmt: skip
        )
        out[f"mackey_glass_tau{tau:g}"] = {
            "exponents": np.asarray(result.exponents).tolist(),
            "kaplan_yorke": float(ta.kaplan_yorke_dimension(result)), "seconds": seconds,
        }  # fmt: skip
    return out


def ks_shadowing():
    """Kuramoto–Sivashinsky shadowing: the exact identities d⟨u²⟩/dc = −2⟨u²⟩ and
    d⟨u²⟩/dd + d⟨u²⟩/dh = 2⟨u²⟩ (L = 22 and 128), d⟨u²⟩/dh at L = 128 over growing
    horizons and two resolutions, its spread over 12 orbits, and the reference from the
    rescaling identity (the issue's −1.75 ± 0.1)."""
    out = {}
    horizons = (2000.0, 5000.0, 10000.0)
    runs = [(22.0, 64, 2.0, 1000.0, 20.0, 0),
            *[(128.0, n, 8.0, t1, 10.0, 0) for n in (128, 256) for t1 in horizons],
            *[(128.0, 128, 8.0, 2000.0, 10.0, seed) for seed in range(1, 13)]]  # fmt: skip
    spread = []
    for length, n, peak, t1, segment, seed in runs:
        grid = sp.FourierGrid(n, length)
        u0 = sp.random_field(jax.random.PRNGKey(seed), grid, peak_wavenumber=peak)
        result, seconds = _timed(
            lambda grid=grid, u0=u0, t1=t1, segment=segment: sp.shadowing_sensitivity(
                sp.KuramotoSivashinsky(), grid, u0, lambda u: jnp.mean(u**2), t1, dt=0.25,
                segment=segment, t_transient=500.0,
            )
        )  # fmt: skip
        row = {
            "average": float(result.average), "n_unstable": result.n_unstable,
            "d_dconvection": float(result.gradient.convection),
            "d_dhyperdiffusion": float(result.gradient.hyperdiffusion),
            "d_ddiffusion": float(result.gradient.diffusion),
            "scaling_identity_error": float(
                (result.gradient.diffusion + result.gradient.hyperdiffusion)
                / (2 * result.average) - 1
            ), "seconds": seconds,
        }  # fmt: skip
        if seed:
            spread.append(row["d_dhyperdiffusion"])
        else:
            out[f"L{length:g}_n{n}_t{t1:g}"] = row
    out["L128_n128_t2000_orbits"] = {
        "d_dhyperdiffusion": spread, "mean": float(np.mean(spread)),
        "standard_deviation": float(np.std(spread, ddof=1)),
        "standard_error": float(np.std(spread, ddof=1) / np.sqrt(len(spread))),
    }  # fmt: skip
    out["scaling_reference_L128"], _ = _timed(_ks_scaling_reference)
    return out


def finite_differences():
    """Central differences of ensemble averages on Kuramoto–Sivashinsky at L = 128 and on
    Lorenz, in float64 and float32."""
    out = {}
    grid = sp.FourierGrid(256, 128.0)
    keys = jax.random.split(jax.random.PRNGKey(1), 8)
    fields = jnp.stack([sp.random_field(k, grid, peak_wavenumber=8.0) for k in keys])
    for dtype in (jnp.float64, jnp.float32):
        result, seconds = _timed(
            lambda dtype=dtype: sp.finite_difference_sensitivity(
                sp.KuramotoSivashinsky(), grid, fields.astype(dtype), lambda u: jnp.mean(u**2),
                10_000.0, dt=0.25, t_transient=500.0,
            )
        )  # fmt: skip
        g, e = result.gradient, result.standard_error
        out[f"ks_L128_{jnp.dtype(dtype).name}"] = {
            "average": float(result.average), "average_error": float(result.average_error),
            **{f"d_d{name}": float(getattr(g, name)) for name in _KS_PARAMETERS},
            **{f"d_d{name}_error": float(getattr(e, name)) for name in _KS_PARAMETERS},
            "averages": np.asarray(result.averages).tolist(), "seconds": seconds,
        }  # fmt: skip
        for label, observable in (("z", lambda y: y[2]), ("lambda1", None)):
            with jax.enable_x64(dtype == jnp.float64):  # the system's dtype follows the mode
                result, seconds = _timed(
                    lambda o=observable: sy.finite_difference_sensitivity(sy.Lorenz(beta=8 / 3), o)
                )
            out[f"lorenz_{label}_{jnp.dtype(dtype).name}"] = {
                "average": float(result.average), "d_drho": float(result.gradient.rho),
                "d_drho_error": float(result.standard_error.rho), "seconds": seconds,
            }  # fmt: skip
    return out


_KS_PARAMETERS = ("convection", "diffusion", "hyperdiffusion")


def _ks_scaling_reference(lengths=(112.0, 120.0, 128.0, 136.0, 144.0), orbits=8) -> dict:
    """d⟨u²⟩/dh at L = 128 without shadowing: rescaling maps (d, h) to the unit equation on
    the domain L√(d/h), so ⟨u²⟩ = (d³/h)·F(L√(d/h)) and d⟨u²⟩/dh = −F − (L/2)·F′(L). F(L)
    by plain long runs (n = 256, `orbits` orbits of 10⁴ time units at each L, one
    `spectral.ensemble` call each), F′ by a least-squares line through them."""
    means, errors = [], []
    for length in lengths:
        grid = sp.FourierGrid(256, length)
        keys = jax.random.split(jax.random.PRNGKey(1), orbits)
        u0s = jnp.stack([sp.random_field(k, grid, peak_wavenumber=8.0) for k in keys])
        sol = sp.ensemble(sp.KuramotoSivashinsky(), grid, u0s, 10_500.0, dt=0.25, saveat=4201)
        energy = (np.asarray(sol.ys)[:, 200:] ** 2).mean(axis=(1, 2))  # after 500 units
        means.append(float(energy.mean()))
        errors.append(float(energy.std(ddof=1) / np.sqrt(orbits)))
    x = np.asarray(lengths) - 128.0
    slope, intercept = np.polyfit(x, means, 1)
    slope_error = float(np.sqrt(np.mean(np.square(errors)) / np.sum(x**2)))
    error = float(np.hypot(np.mean(errors), 64 * slope_error))
    return {"lengths": list(lengths), "mean_u2": means, "standard_errors": errors,
            "d_dlength": float(slope), "d_dhyperdiffusion": float(-intercept - 64 * slope),
            "d_dhyperdiffusion_error": error}  # fmt: skip


CASES = {
    "lambda_map": lambda_map, "kuramoto_sivashinsky": kuramoto_sivashinsky,
    "lorenz96": lorenz96, "covariant": covariant, "reservoir": reservoir,
    "shadowing": shadowing, "hyperbolic_map": hyperbolic_map,
    "linear_response": linear_response, "lambda1_ensemble": lambda1_ensemble, "delay": delay,
    "ks_shadowing": ks_shadowing, "finite_differences": finite_differences,
}  # fmt: skip


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, help="record here; other cases' records are kept")
    parser.add_argument("--cases", nargs="+", choices=list(CASES), default=list(CASES))
    parser.add_argument("--figure", type=Path, help="the λ₁(ρ) figure (lambda_map)")
    args = parser.parse_args()
    results = {}
    if args.json and args.json.exists():
        results = {r["case"]: r for r in json.loads(args.json.read_text())["results"]}
    for name in args.cases:
        value = CASES[name](args.figure) if name == "lambda_map" else CASES[name]()
        results[name] = {"case": name, **value}
        print(json.dumps(results[name]), flush=True)
        if args.json:
            ordered = [results[k] for k in CASES if k in results]
            record = {"device": str(jax.devices()[0]), "jax": jax.__version__, "results": ordered}
            args.json.write_text(json.dumps(record, indent=1) + "\n")


if __name__ == "__main__":
    main()
