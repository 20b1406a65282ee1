"""The trace identity over the catalog: for every ODE system, the sum of its Lyapunov spectrum
equals the long-run average of tr Df along its orbit (Liouville's formula: the volume of the
tangent space grows at the rate tr Df).

    python benchmarks/catalog_trace_identity.py [--json benchmarks/results/trace_identity_cpu.json]
        [--names Lorenz Rossler ...] [--periods 300]

For each system: the full spectrum by `lyapunov_spectrum` (defaults: τ = period/10, 10 periods
of transient, float64) over `periods` dominant periods, and ⟨tr Df⟩ over the same orbit
segment (a trajectory from the same state, 20 samples per period, trapezoidal). Both are
estimates of the same limit; their relative difference says whether the run converged (or,
if it does not shrink with the length, that something is wrong).
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

sy = jd.systems


def identity(name: str, periods: int) -> dict:
    system = sy.get(name)
    period = float(system.period())
    t1 = periods * period
    start = time.perf_counter()
    y0 = sy.trajectory(system, 10 * period, n_points=2).ys[-1]  # the transient, once
    spectrum = sy.lyapunov_spectrum(system, y0=y0, t1=t1, t_transient=0.0, throw=False)
    n = 20 * periods + 1
    ys = sy.trajectory(system, t1, y0=y0, n_points=n, throw=False).ys
    traces = jax.vmap(lambda y: jnp.trace(system.jacobian(0.0, y)))(ys)
    mean_trace = float(jnp.trapezoid(traces, dx=t1 / (n - 1)) / t1)
    total = float(jnp.sum(spectrum.exponents))
    return {
        "name": name,
        "dimension": int(y0.size),
        "sum_of_exponents": total,
        "mean_trace": mean_trace,
        "relative_difference": abs(total - mean_trace) / max(abs(mean_trace), 1e-12),
        "lambda1": float(spectrum.exponents[0]),
        "ok": bool(spectrum.stats.ok) and bool(np.all(np.isfinite(np.asarray(ys)))),
        "seconds": time.perf_counter() - start,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path)
    parser.add_argument("--names", nargs="+")
    parser.add_argument("--periods", type=int, default=300)
    args = parser.parse_args()
    names = args.names or [
        n for n in sy.names() if not isinstance(sy.get(n), sy.AbstractDelaySystem)
    ]
    results = []
    for name in names:
        try:
            results.append(identity(name, args.periods))
        except Exception as error:  # noqa: BLE001 - a system that fails is recorded, not fatal
            results.append({"name": name, "error": f"{type(error).__name__}: {error}"[:300]})
        print(json.dumps(results[-1]), flush=True)
    measured = [r for r in results if "relative_difference" in r]
    summary = {
        "systems": len(results),
        "within_1_percent": sum(r["relative_difference"] <= 0.01 for r in measured),
        "failed": [r["name"] for r in results if "error" in r or not r.get("ok", True)],
        "worst": sorted(measured, key=lambda r: -r["relative_difference"])[:10],
    }
    print(json.dumps(summary, indent=1))
    if args.json:
        record = {"device": str(jax.devices()[0]), "jax": jax.__version__,
                  "periods": args.periods, "summary": summary, "results": results}  # fmt: skip
        args.json.write_text(json.dumps(record, indent=1) + "\n")


if __name__ == "__main__":
    main()
