"""The trace identity over the catalog, on the same orbit: for every ODE system, the sum of its
Lyapunov spectrum equals the average of tr Df along the orbit the spectrum was computed on
(Liouville: log |det Dφ_T| = ∫₀ᵀ tr Df dt, and Σ log R_ii = log |det Dφ_T| for the full
spectrum whatever the starting basis).

    python benchmarks/catalog_trace_identity.py [--json benchmarks/results/trace_identity_cpu.json]
        [--names Lorenz Rossler ...] [--periods 50]

The shipped invariants (`info().computed`) compare Σλ with ⟨tr Df⟩ over *other* orbits from
the same states, so their agreement is limited by how fast each system mixes
(GuckenheimerHolmes' orbit averages of tr Df spread by 25% between initial conditions over
300 periods). Here `systems.trace_identity` integrates the orbit, its tangents and ∫ tr Df
as one system, with QR every τ as `lyapunov_spectrum` chooses it, from a state after 10
periods: the difference measures the tangent computation alone. The relative difference is
taken against max(|⟨tr Df⟩|, max |λᵢ| of the shipped spectrum, 10⁻⁶) (volume-preserving
flows have tr Df = 0).
"""

import argparse
import json
import time
from pathlib import Path

import jax

jax.config.update("jax_enable_x64", True)  # this script owns its process

import numpy as np  # noqa: E402

import jaxdyn as jd  # noqa: E402

sy = jd.systems


def identity(name: str, periods: float) -> dict:
    system = sy.get(name)
    period = float(system.period())
    y0 = sy.trajectory(system, 10 * period, n_points=2).ys[-1]
    start = time.perf_counter()
    result = sy.trace_identity(system, y0=y0, t1=periods * period, throw=False)
    total, trace = float(result.sum_of_exponents), float(result.mean_trace)
    spectrum = system.info().computed.lyapunov_spectrum
    scale = max(abs(trace), max(abs(x) for x in spectrum), 1e-6)  # as `trace_mismatch`
    return {
        "name": name, "sum_of_exponents": total, "mean_trace": trace,
        "relative_difference": abs(total - trace) / scale,
        "ok": bool(result.stats.ok) and bool(np.isfinite(total + trace)),
        "seconds": time.perf_counter() - start,
    }  # fmt: skip


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path)
    parser.add_argument("--names", nargs="+")
    parser.add_argument("--periods", type=float, default=50.0)
    args = parser.parse_args()
    names = args.names or [
        n for n in sy.names()
        if not isinstance(sy.get(n), sy.AbstractDelaySystem) and sy.get(n).info().computed
    ]  # fmt: skip
    results = []
    for name in names:
        try:
            results.append(identity(name, args.periods))
        except Exception as error:  # noqa: BLE001 - a system that fails is recorded, not fatal
            results.append({"name": name, "error": f"{type(error).__name__}: {error}"[:300]})
        print(json.dumps(results[-1]), flush=True)
        jax.clear_caches()  # each system's programs are its own: do not hold them all
    measured = [r for r in results if r.get("ok")]
    summary = {
        "systems": len(results),
        "within_1e-6": sum(r["relative_difference"] <= 1e-6 for r in measured),
        "within_1_percent": sum(r["relative_difference"] <= 0.01 for r in measured),
        "failed": [r["name"] for r in results if not r.get("ok")],
        "worst": sorted(measured, key=lambda r: -r["relative_difference"])[:5],
    }
    print(json.dumps(summary, indent=1))
    if args.json:
        record = {"device": str(jax.devices()[0]), "jax": jax.__version__,
                  "periods": args.periods, "summary": summary, "results": results}  # fmt: skip
        args.json.write_text(json.dumps(record, indent=1) + "\n")


if __name__ == "__main__":
    main()
