"""Turn the recorded benchmark results into the README's tables and figure.

    python benchmarks/report.py [--results benchmarks/results] [--device cpu]

Reads `<device>.json`-style files written by the other scripts in this folder (exponax,
systems, implicit, scaling, and `jaxdyn bench --json bench_<device>.json`), prints Markdown
tables, and draws `benchmarks/results/<device>_summary.png`: sharded-ensemble throughput
versus batch size per device count, and implicit versus unrolled gradient memory.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def _load(folder: Path, name: str):
    path = folder / name
    return json.loads(path.read_text()) if path.exists() else None


def bench_table(record) -> str:
    rows = [
        "| kernel | size | compile s | run s | throughput | FFT bound |",
        "|---|---|---|---|---|---|",
    ]
    for r in record["results"]:
        compile_s = "" if r["compile_s"] is None else f"{r['compile_s']:.2f}"
        bound = "" if r["bound_fraction"] is None else f"{r['bound_fraction']:.0%}"
        rows.append(
            f"| {r['name']} | {r['size']} | {compile_s} | {r['run_s']:.3g} | "
            f"{r['throughput']:.4g} {r['unit']} | {bound} |"
        )
    return "\n".join(rows)


def scaling_table(record) -> str:
    batches = sorted({int(r["size"].split(",")[0].split("=")[1]) for r in record["results"]})
    devices = sorted({r["devices"] for r in record["results"]})
    rows = ["| devices | " + " | ".join(f"batch {b}" for b in batches) + " |"]
    rows.append("|---" * (len(batches) + 1) + "|")
    for d in devices:
        cells = [f"{r['throughput']:.0f}" for r in record["results"] if r["devices"] == d]
        rows.append(f"| {d} | " + " | ".join(cells) + " |")
    return "\n".join(rows)


def figure(scaling, implicit, path: Path) -> None:
    fig, axes = plt.subplots(1, 2, figsize=(10, 3.8), layout="constrained")
    if scaling:
        for d in sorted({r["devices"] for r in scaling["results"]}):
            rows = [r for r in scaling["results"] if r["devices"] == d]
            batches = [int(r["size"].split(",")[0].split("=")[1]) for r in rows]
            axes[0].loglog(batches, [r["throughput"] for r in rows], "o-", label=f"{d} device(s)")
        axes[0].set(xlabel="batch", ylabel="trajectories / s", title="Sharded Lorenz ensembles")
        axes[0].legend()
    if implicit:
        for method in ("implicit", "unrolled"):
            rows = [r for r in implicit["memory_and_time"] if r["method"] == method]
            axes[1].loglog(
                [r["iterations"] for r in rows], [r["temp_bytes"] / 1024 for r in rows], "o-",
                label=method,
            )  # fmt: skip
        axes[1].set(xlabel="forward iterations", ylabel="gradient memory (KiB)",
                    title="Implicit vs unrolled gradient")  # fmt: skip
        axes[1].legend()
    fig.savefig(path, dpi=110)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--results", type=Path, default=Path(__file__).parent / "results")
    parser.add_argument("--device", default="cpu")
    args = parser.parse_args()
    bench = _load(args.results, f"bench_{args.device}.json")
    scaling = _load(args.results, f"scaling_{args.device}.json")
    implicit = _load(args.results, f"implicit_{args.device}.json")
    if bench:
        print(f"### jaxdyn bench ({bench['device']}, jax {bench['jax']})\n")
        print(bench_table(bench) + "\n")
    if scaling:
        print(f"### Sharded ensembles, trajectories/s ({scaling['device']})\n")
        print(scaling_table(scaling) + "\n")
    path = args.results / f"{args.device}_summary.png"
    figure(scaling, implicit, path)
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
