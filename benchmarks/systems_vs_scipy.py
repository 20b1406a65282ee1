"""jaxdyn.systems against scipy's DOP853 and dysts, in one process.

    python benchmarks/systems_vs_scipy.py [--json benchmarks/results/systems_cpu.json]

1. One Lorenz trajectory over 100 time units at rtol = atol = 1e-10 (float64): jaxdyn
   (Dopri8, after compilation) vs scipy.integrate.solve_ivp(method="DOP853") vs dysts's
   make_trajectory at its defaults, same span. (End states are not compared: over 100
   time units, about 90 Lyapunov e-foldings, any two solvers' trajectories decorrelate.)
2. Ensemble throughput (trajectories per second) for 1, 64 and 1024 Lorenz initial states.
3. Lorenz's Lyapunov spectrum: seconds including compilation, and its error.
Needs the [peers] extra (scipy, dysts).
"""

from __future__ import annotations

import argparse
import json
import time
import warnings
from pathlib import Path

import jax
import numpy as np

jax.config.update("jax_enable_x64", True)  # this script owns its process

import jax.numpy as jnp  # noqa: E402
from scipy.integrate import solve_ivp  # noqa: E402

import jaxdyn.systems as sy  # noqa: E402
from jaxdyn.bench import time_compiled  # noqa: E402


def single_trajectory(repeats: int) -> dict:
    system = sy.Lorenz()
    y0 = system.default_ic(jnp.float64)
    ours = time_compiled(
        lambda y: sy.trajectory(system, 100.0, y0=y, n_points=2, rtol=1e-10).ys[-1],
        y0,
        repeats=repeats,
    )
    sigma, rho, beta = 10.0, 28.0, 2.667

    def lorenz(t, y):
        return [sigma * (y[1] - y[0]), y[0] * (rho - y[2]) - y[1], y[0] * y[1] - beta * y[2]]

    start = time.perf_counter()
    solve_ivp(lorenz, (0, 100), np.asarray(y0), method="DOP853", rtol=1e-10, atol=1e-10)
    scipy_s = time.perf_counter() - start
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import dysts.flows

        model = dysts.flows.Lorenz()
        start = time.perf_counter()
        model.make_trajectory(int(100 / model.dt), pts_per_period=int(model.period / model.dt))
        dysts_s = time.perf_counter() - start
    return {
        "name": "Lorenz, 100 time units, rtol=atol=1e-10",
        "jaxdyn_s": ours.run_s,
        "jaxdyn_compile_s": ours.compile_s,
        "scipy_dop853_s": scipy_s,
        "dysts_make_trajectory_s": dysts_s,
        "speedup_vs_scipy": scipy_s / ours.run_s,
        "speedup_vs_dysts": dysts_s / ours.run_s,
    }


def ensemble_throughput(batch: int, repeats: int) -> dict:
    y0 = sy.Lorenz().default_ic(jnp.float64)
    y0s = y0 + 0.01 * jax.random.normal(jax.random.PRNGKey(0), (batch, 3), jnp.float64)
    run = time_compiled(
        lambda ys: sy.ensemble(sy.Lorenz(), ys, 10.0, n_points=2, rtol=1e-8, throw=False).ys[:, -1],
        y0s, repeats=repeats,
    )  # fmt: skip
    return {"name": f"Lorenz ensemble, t=10, rtol=1e-8, batch {batch}", "run_s": run.run_s,
            "trajectories_per_s": batch / run.run_s}  # fmt: skip


def lyapunov() -> dict:
    start = time.perf_counter()
    spectrum = np.asarray(sy.lyapunov_spectrum(sy.Lorenz(beta=8 / 3)).exponents)
    seconds = time.perf_counter() - start
    published = np.array(sy.Lorenz.published.lyapunov_spectrum)
    return {"name": "Lorenz Lyapunov spectrum (1000 periods)", "seconds_with_compilation": seconds,
            "spectrum": spectrum.tolist(), "relative_error_l1": abs(spectrum[0] / published[0] - 1),
            "relative_error_l3": abs(spectrum[2] / published[2] - 1)}  # fmt: skip


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    repeats = 3 if args.quick else 7
    results = [lyapunov(), single_trajectory(repeats)]
    results += [ensemble_throughput(b, repeats) for b in (1, 64) + (() if args.quick else (1024,))]
    for r in results:
        print(json.dumps(r))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(
            json.dumps(
                {"device": str(jax.devices()[0]), "jax": jax.__version__, "results": results},
                indent=2,
            )
        )


if __name__ == "__main__":
    main()
