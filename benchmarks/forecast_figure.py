"""Valid prediction time against λ₁ over the catalog: does forecast accuracy follow chaoticity?

    python benchmarks/forecast_figure.py benchmarks/results/forecast_b_cpu.json \
        --figure benchmarks/results/forecast_vpt_vs_lambda.png

Reads a protocol B record (`jaxdyn forecast-bench --protocol B --json FILE`): per system and
model the median VPT (in Lyapunov times) over initial conditions, against the system's λ₁ from
the shipped invariants; prints each model's Spearman rank correlation between the two (the
dysts paper's question: VPT measured in Lyapunov times would be flat in λ₁ if chaoticity
alone set the horizon).
"""

import argparse
import json
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

import jaxdyn as jd  # noqa: E402


def _ranks(x):
    """Ranks from 0, ties given their average rank (VPT comes in steps of 1/30)."""
    order = np.argsort(x, kind="stable")
    ranks = np.empty(len(x))
    ranks[order] = np.arange(len(x))
    _, group, counts = np.unique(x, return_inverse=True, return_counts=True)
    return np.bincount(group, ranks)[group] / counts[group]


def spearman(x, y) -> float:
    """Spearman's rank correlation, ties averaged."""
    return float(np.corrcoef(_ranks(np.asarray(x)), _ranks(np.asarray(y)))[0, 1])


def per_system(record: dict) -> dict:
    """{model: {system: median VPT over initial conditions}}."""
    table = {}
    for run in record["runs"]:
        table.setdefault(run["model"], {}).setdefault(run["system"], []).append(run["vpt"])
    return {m: {s: float(np.median(v)) for s, v in rows.items()} for m, rows in table.items()}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("record", type=Path)
    parser.add_argument("--figure", type=Path)
    parser.add_argument(
        "--leave-out",
        default="mean,persistence",
        help="models not drawn (still printed); default: mean,persistence",
    )
    args = parser.parse_args()
    record = json.loads(args.record.read_text())
    if record.get("protocol") != "protocol_b":
        raise SystemExit(f"{args.record}: expected a protocol B record")
    table = per_system(record)
    fig, ax = plt.subplots(figsize=(6.5, 4.2))
    for model, rows in sorted(table.items()):
        systems = sorted(rows)
        lam = [jd.systems.get(s).info().computed.maximum_lyapunov for s in systems]
        vpt = [rows[s] for s in systems]
        rho = spearman(lam, vpt)
        print(f"{model:12s} systems {len(systems):3d}  median VPT {np.median(vpt):5.2f}  "
              f"Spearman(λ₁, VPT) {rho:+.2f}")  # fmt: skip
        if model not in args.leave_out.split(","):
            ax.scatter(lam, vpt, s=10, alpha=0.6, label=f"{model} (ρ_s = {rho:+.2f})")
    ax.set_xscale("log")
    ax.set_xlabel("λ₁ (jaxdyn's computed invariants)")
    ax.set_ylabel("median valid prediction time (Lyapunov times)")
    ax.set_title("Protocol B: forecast horizon against chaoticity")
    ax.legend(fontsize=7)
    fig.tight_layout()
    if args.figure:
        fig.savefig(args.figure, dpi=110)
        print(f"wrote {args.figure}")


if __name__ == "__main__":
    main()
