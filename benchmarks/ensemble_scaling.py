"""Sharded-ensemble throughput versus batch size and number of devices, in subprocesses.

    python benchmarks/ensemble_scaling.py [--json benchmarks/results/scaling_cpu.json]

Each device count runs in its own process: on a CPU the devices are XLA's forced host
devices (--xla_force_host_platform_device_count=N), which share the machine's cores, so
the curve shows the sharding overhead and the cores' limit rather than new hardware; on a
GPU/TPU host the real devices are used (counts above the number present are skipped).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

BATCHES = (16, 64, 256, 1024)
DEVICES = (1, 2, 4)


def worker(batches) -> list[dict]:
    from jaxdyn.bench import ensemble_throughput

    return [ensemble_throughput(batch, repeats=3) for batch in batches]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path)
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(BATCHES)))
        return
    import jax

    platform = jax.devices()[0].platform
    rows = []
    for count in DEVICES:
        env = dict(os.environ)
        if platform == "cpu":
            env["XLA_FLAGS"] = f"--xla_force_host_platform_device_count={count}"
        elif count > jax.device_count():
            continue
        else:
            env["CUDA_VISIBLE_DEVICES"] = ",".join(map(str, range(count)))
        out = subprocess.run(
            [sys.executable, __file__, "--worker"], env=env, capture_output=True, text=True,
            check=True,
        )  # fmt: skip
        for row in json.loads(out.stdout.strip().splitlines()[-1]):
            row["devices"] = count
            rows.append(row)
            print(f"{row['size']}: {row['throughput']:.0f} trajectories/s")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        record = {"device": str(jax.devices()[0]), "jax": jax.__version__, "results": rows}
        args.json.write_text(json.dumps(record, indent=1) + "\n")


if __name__ == "__main__":
    main()
