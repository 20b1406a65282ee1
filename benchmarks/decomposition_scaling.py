"""Strong and weak scaling of the domain-decomposed 3D Navier–Stokes step (slabs), over 1, 2, 4
and 8 devices, each count in its own process, with the communication share of a step.

    python benchmarks/decomposition_scaling.py [--json benchmarks/results/decomposition_cpu.json]

- strong: a 64³ ETDRK4 step on P devices;
- weak: a (32P) × 32 × 32 grid on P devices (the same work per device);
- communication: the all-to-all transposes of one step alone (36 per ETDRK4 step of
  NavierStokes3D: 4 stages × 9 transforms), timed as a shard_map of just those, over the
  step time;
- real versus complex transforms: a forward + inverse pair of the real-to-complex transform
  of a 64³ velocity (what jaxdyn does) against the complex-to-complex pair of the same field
  (what a library without a real transform, such as jaxDecomp, would do).

On a CPU the devices are XLA's forced host devices, which share the machine's cores and
memory: the numbers show the overhead of the decomposition and the cores' limit, not a
network. On a GPU/TPU host the real devices are used (counts above those present skipped).
"""

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

DEVICES = (1, 2, 4, 8)
TRANSPOSES_PER_STEP = 36


def _time(run, repeats=3):
    import jax

    jax.block_until_ready(run())  # compile
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        jax.block_until_ready(run())
        best = min(best, time.perf_counter() - start)
    return best


def _step_time(shape, devices, n_steps=10):
    import jax.numpy as jnp

    import jaxdyn.spectral as sp

    mesh = (devices,) if devices > 1 else None
    grid = sp.FourierGrid(shape, device_mesh=mesh)
    pde = sp.NavierStokes3D(viscosity=1 / 1600)
    u0 = grid.place(jnp.asarray(_tg(shape)))
    return _time(lambda: sp.solve(pde, grid, u0, n_steps * 0.01, dt=0.01).ys) / n_steps, grid


def _tg(shape):
    """The Taylor–Green field sampled on any grid of the 2π box (weak scaling refines x)."""
    import numpy as np

    x, y, z = np.meshgrid(*[np.arange(n) * 2 * np.pi / n for n in shape], indexing="ij")
    return np.stack([np.sin(x) * np.cos(y) * np.cos(z), -np.cos(x) * np.sin(y) * np.cos(z),
                     np.zeros_like(x)])  # fmt: skip


def _transpose_time(grid):
    import jax
    import jax.numpy as jnp

    from jaxdyn._decomposition import _devices_axis, _island, spectral_spec

    mesh = grid.device_mesh
    nx, ny, nz = grid.shape
    spectral = jnp.zeros((3, nx, ny, nz // 2 + 1), jnp.complex128)
    spectral = jax.device_put(spectral, jax.sharding.NamedSharding(mesh, spectral_spec(mesh, 4)))

    def local(h):  # there and back: the two transposes of one forward + inverse pair
        axis = _devices_axis(mesh)
        h = jax.lax.all_to_all(h, axis, split_axis=1, concat_axis=2, tiled=True)
        return jax.lax.all_to_all(h, axis, split_axis=2, concat_axis=1, tiled=True)

    spec = spectral_spec(mesh, 4)
    run = jax.jit(_island(local, mesh, spec, spec))
    return _time(lambda: run(spectral)) / 2


def worker(devices: int) -> dict:
    import jax

    jax.config.update("jax_enable_x64", True)
    strong, grid = _step_time((64, 64, 64), devices)
    weak, _ = _step_time((32 * devices, 32, 32), devices)
    record = {"devices": devices, "platform": jax.devices()[0].platform,
              "strong_64_cubed_s_per_step": strong, "weak_32P_32_32_s_per_step": weak}  # fmt: skip
    if devices > 1:
        record["communication_share"] = TRANSPOSES_PER_STEP * _transpose_time(grid) / strong
    record["real_over_complex_transform_time"] = _real_over_complex(grid)
    return record


def _real_over_complex(grid):
    import jax
    import jax.numpy as jnp

    u = grid.place(jnp.asarray(_tg(grid.shape)))
    real = jax.jit(lambda v: grid.ifft(grid.fft(v, True), True))
    full = jax.jit(lambda v: grid.ifft(grid.fft(v, False), False))
    complex_u = grid.place(u.astype(jnp.complex128))
    return _time(lambda: real(u)) / _time(lambda: full(complex_u))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path)
    parser.add_argument("--worker", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.worker)))
        return
    import jax

    accelerator = jax.devices()[0].platform != "cpu"
    records = []
    for devices in DEVICES:
        if accelerator and devices > jax.device_count():
            continue
        env = os.environ.copy()
        if not accelerator:
            env["XLA_FLAGS"] = f"--xla_force_host_platform_device_count={devices}"
        out = subprocess.run(
            [sys.executable, __file__, "--worker", str(devices)],
            capture_output=True, text=True, env=env, check=True,
        ).stdout  # fmt: skip
        records.append(json.loads(out.strip().splitlines()[-1]))
        print(json.dumps(records[-1]))
    if args.json:
        args.json.write_text(json.dumps(records, indent=1) + "\n")


if __name__ == "__main__":
    main()
