"""jaxdyn.spectral against exponax on the same PDEs, same method (ETDRK4), same process.

    python benchmarks/spectral_vs_exponax.py [--quick] [--json benchmarks/results/cpu.json]

Reports run times after compilation, the speed-up (exponax time / jaxdyn time), the fraction
of the FFT bound reached (time of the FFTs one step needs / time of the step), and the
largest difference between the two libraries after 10 steps (they solve the same equations;
over long chaotic rollouts float32 rounding differences grow at the Lyapunov rate, so the
cross-check uses a short one). Needs the [peers] extra (exponax).
"""

from __future__ import annotations

import argparse
import json
import platform
from pathlib import Path

import exponax
import jax
import jax.numpy as jnp
import numpy as np

import jaxdyn.spectral as sp
from jaxdyn.bench import fft_roundtrip_seconds, time_compiled


def kuramoto_sivashinsky(batch: int, steps: int):
    n, length, dt = 256, 32 * np.pi, 0.1
    grid = sp.FourierGrid(n, length)
    keys = jax.random.split(jax.random.PRNGKey(0), batch)
    u0 = jax.vmap(lambda k: sp.random_field(k, grid, peak_wavenumber=6.0))(keys)
    pde = sp.KuramotoSivashinsky()
    peer = exponax.stepper.KuramotoSivashinskyConservative(1, length, n, dt, order=4)
    return dict(
        name="KS 1D ETDRK4", size=f"n={n}, batch={batch}, {steps} steps", grid=grid, pde=pde,
        u0=u0, peer_u0=u0[:, None, :], peer=peer, dt=dt, steps=steps,
        fft_pairs_per_step=4,  # four nonlinear evaluations, one rfft + one irfft each
    )  # fmt: skip


def navier_stokes(batch: int, steps: int):
    n, dt, nu = 128, 0.01, 1e-3
    grid = sp.FourierGrid((n, n))
    keys = jax.random.split(jax.random.PRNGKey(0), batch)
    u0 = jax.vmap(lambda k: sp.random_field(k, grid, peak_wavenumber=4.0, rms=5.0))(keys)
    pde = sp.NavierStokes2D(viscosity=nu)
    peer = exponax.stepper.NavierStokesVorticity(2, 2 * np.pi, n, dt, diffusivity=nu, order=4)
    # exponax takes vorticity clockwise-positive (u = ∂_y Δ⁻¹ω): its ω is minus ours.
    return dict(
        name="Navier-Stokes 2D ETDRK4", size=f"{n}², batch={batch}, {steps} steps", grid=grid,
        pde=pde, u0=u0, peer_u0=-u0[:, None], peer_sign=-1, peer=peer, dt=dt, steps=steps,
        # four evaluations of 2 inverse + 2 forward transforms (Basdevant's form)
        fft_pairs_per_step=8,
    )  # fmt: skip


def _rollouts(case, steps):
    grid, pde, dt = case["grid"], case["pde"], case["dt"]

    def ours(u0):
        return jax.vmap(lambda u: sp.solve(pde, grid, u, steps * dt, dt=dt).ys[-1])(u0)

    return ours, jax.vmap(exponax.repeat(case["peer"], steps))


def run_case(case, repeats):
    grid, steps = case["grid"], case["steps"]
    ours, theirs = _rollouts(case, steps)
    mine = time_compiled(ours, case["u0"], repeats=repeats)
    peer = time_compiled(theirs, case["peer_u0"], repeats=repeats)
    short_ours, short_theirs = (jax.jit(f) for f in _rollouts(case, 10))
    short_mine = short_ours(case["u0"])
    short_peer = case.get("peer_sign", 1) * short_theirs(case["peer_u0"])[:, 0]
    batch = case["u0"].shape[0]
    pair = fft_roundtrip_seconds(grid.shape, batch, case["u0"].dtype, repeats=repeats)
    bound = steps * case["fft_pairs_per_step"] * pair
    scale = float(jnp.max(jnp.abs(short_peer)))
    return {
        "name": case["name"],
        "size": case["size"],
        "jaxdyn_s": mine.run_s,
        "exponax_s": peer.run_s,
        "speedup": peer.run_s / mine.run_s,
        "jaxdyn_compile_s": mine.compile_s,
        "exponax_compile_s": peer.compile_s,
        "fft_bound_fraction_jaxdyn": bound / mine.run_s,
        "fft_bound_fraction_exponax": bound / peer.run_s,
        "max_relative_difference_10_steps": float(jnp.max(jnp.abs(short_mine - short_peer)))
        / scale,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer steps and repeats")
    parser.add_argument("--json", type=Path, help="write the results here")
    args = parser.parse_args()
    steps, repeats = (100, 3) if args.quick else (1000, 7)
    cases = [
        kuramoto_sivashinsky(1, steps),
        kuramoto_sivashinsky(64, steps),
        navier_stokes(1, steps // 5),
        navier_stokes(8, steps // 5),
    ]
    results = []
    header = ["case", "size", "jaxdyn s", "exponax s", "speed-up", "FFT bound (jaxdyn / exponax)"]
    print("| " + " | ".join([*header, "max rel. diff (10 steps)"]) + " |")
    print("|---|---|---|---|---|---|---|")
    for case in cases:
        r = run_case(case, repeats)
        results.append(r)
        print(
            f"| {r['name']} | {r['size']} | {r['jaxdyn_s']:.4f} | {r['exponax_s']:.4f} | "
            f"{r['speedup']:.2f}x | {r['fft_bound_fraction_jaxdyn']:.0%} / "
            f"{r['fft_bound_fraction_exponax']:.0%} | "
            f"{r['max_relative_difference_10_steps']:.1e} |",
            flush=True,
        )
    record = {
        "device": str(jax.devices()[0]),
        "device_kind": jax.devices()[0].device_kind,
        "cpu": platform.processor() or platform.machine(),
        "jax": jax.__version__,
        "exponax": exponax.__version__ if hasattr(exponax, "__version__") else "unknown",
        "results": results,
    }
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(record, indent=2))
        print(f"wrote {args.json}")


if __name__ == "__main__":
    main()
