"""The Taylor–Green vortex at Re = 1600 (Brachet et al., J. Fluid Mech. 130, 1983): kinetic
energy and its dissipation rate ε(t) = ν⟨|ω|²⟩ from `spectral.NavierStokes3D`, ETDRK4, 2/3
dealiasing, float64; the peak of ε (reference: about 0.0127 near t ≈ 9 at converged
resolution) and the time per step.

    python benchmarks/taylor_green.py [--n 64] [--t1 12] [--dt 0.02] [--mesh 4]
        [--json benchmarks/results/taylor_green_cpu.json]

The run advances in chunks of 0.1 time units (one compiled `solve`, reused) and evaluates E
and ε between them, so no 3D history is stored. `--mesh P` splits the grid over P devices
(slabs; on a CPU these are forced host devices, set before JAX starts).
"""

import argparse
import json
import os
import sys
import time
from pathlib import Path


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=64)
    parser.add_argument("--t1", type=float, default=12.0)
    parser.add_argument("--dt", type=float, default=0.02)
    parser.add_argument("--every", type=float, default=0.1)
    parser.add_argument("--mesh", type=int, default=0)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    if args.mesh > 1:
        os.environ["XLA_FLAGS"] = f"--xla_force_host_platform_device_count={args.mesh}"
    import jax
    import jax.numpy as jnp
    import numpy as np

    jax.config.update("jax_enable_x64", True)
    import jaxdyn.spectral as sp

    mesh = (args.mesh,) if args.mesh > 1 else None
    grid = sp.FourierGrid((args.n,) * 3, device_mesh=mesh)
    pde = sp.NavierStokes3D(viscosity=1 / 1600)
    u = grid.place(jnp.asarray(sp.taylor_green_vortex(grid)))
    n_chunks = round(args.t1 / args.every)
    times, energy, dissipation = [0.0], [float(pde.kinetic_energy(u, grid))], []
    dissipation.append(float(pde.dissipation_rate(u, grid)))
    steps, elapsed = 0, 0.0
    for i in range(n_chunks):
        start = time.perf_counter()
        solution = sp.solve(pde, grid, u, (i + 1) * args.every, t0=i * args.every, dt=args.dt)
        u = jax.block_until_ready(solution.ys[-1])
        if i:  # the first chunk compiles
            elapsed += time.perf_counter() - start
            steps += int(solution.stats.num_steps)
        times.append((i + 1) * args.every)
        energy.append(float(pde.kinetic_energy(u, grid)))
        dissipation.append(float(pde.dissipation_rate(u, grid)))
        print(f"t = {times[-1]:5.2f}  E = {energy[-1]:.6f}  ε = {dissipation[-1]:.6f}",
              file=sys.stderr, flush=True)  # fmt: skip
    peak = int(np.argmax(dissipation))
    record = {
        "case": "Taylor–Green vortex, Re = 1600",
        "n": args.n, "dt": args.dt, "devices": max(1, args.mesh),
        "platform": jax.devices()[0].platform,
        "peak_time": times[peak], "peak_dissipation": dissipation[peak],
        "reference": {"peak_time": 9.0, "peak_dissipation": 0.0127,
                      "source": "Brachet et al., J. Fluid Mech. 130 (1983)"},
        "seconds_per_step": elapsed / max(steps, 1),
        "times": times, "energy": energy, "dissipation": dissipation,
    }  # fmt: skip
    print(json.dumps({k: v for k, v in record.items() if not isinstance(v, list)}, indent=1))
    if args.json:
        records = json.loads(args.json.read_text()) if args.json.exists() else []
        records = [r for r in records if (r["n"], r["devices"]) != (args.n, record["devices"])]
        args.json.write_text(json.dumps([*records, record], indent=1) + "\n")


if __name__ == "__main__":
    main()
