"""jaxdyn.spectral against a plain NumPy ETDRK4, the code a user would otherwise write.

    python benchmarks/spectral_vs_numpy.py [--json benchmarks/results/numpy_cpu.json]

Kuramoto–Sivashinsky u_t = −u u_x − u_xx − u_xxxx on L = 32π, n = 256, dt = 0.1: the
Cox–Matthews ETDRK4 scheme with Kassam–Trefethen contour-integral coefficients written in
NumPy (float64, numpy.fft) against jaxdyn's ETDRK4 (float64, after compilation), same
process, batch 1 and 64. The two agree to rounding after 10 steps.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import jax

jax.config.update("jax_enable_x64", True)  # this script owns its process

import jax.numpy as jnp  # noqa: E402
import numpy as np  # noqa: E402

import jaxdyn.spectral as sp  # noqa: E402
from jaxdyn.bench import time_compiled  # noqa: E402

N, LENGTH, DT = 256, 32 * np.pi, 0.1


def numpy_ks(u0: np.ndarray, steps: int) -> np.ndarray:
    """ETDRK4 for KS in NumPy on a batch (rows) of states."""
    k = 2 * np.pi / LENGTH * np.fft.rfftfreq(N, 1 / N)
    lin = k**2 - k**4
    e, e2 = np.exp(DT * lin), np.exp(DT * lin / 2)
    roots = np.exp(1j * np.pi * (np.arange(1, 33) - 0.5) / 32)  # contour points
    lr = DT * lin[:, None] + roots[None, :]
    q = DT * np.real(np.mean((np.exp(lr / 2) - 1) / lr, axis=1))
    f1 = DT * np.real(np.mean((-4 - lr + np.exp(lr) * (4 - 3 * lr + lr**2)) / lr**3, axis=1))
    f2 = DT * np.real(np.mean((2 + lr + np.exp(lr) * (-2 + lr)) / lr**3, axis=1))
    f3 = DT * np.real(np.mean((-4 - 3 * lr - lr**2 + np.exp(lr) * (4 - lr)) / lr**3, axis=1))
    g = -0.5j * k
    mask = np.abs(np.fft.rfftfreq(N, 1 / N)) <= N / 3  # 2/3 rule, as jaxdyn

    def nonlinear(v):
        return g * mask * np.fft.rfft(np.fft.irfft(v, n=N) ** 2)

    v = np.fft.rfft(u0) * mask
    for _ in range(steps):
        nv = nonlinear(v)
        a = e2 * v + q * nv
        na = nonlinear(a)
        b = e2 * v + q * na
        nb = nonlinear(b)
        c = e2 * a + q * (2 * nb - nv)
        nc = nonlinear(c)
        v = e * v + nv * f1 + 2 * (na + nb) * f2 + nc * f3
    return np.fft.irfft(v, n=N)


def compare(batch: int, steps: int) -> dict:
    grid = sp.FourierGrid(N, LENGTH)
    keys = jax.random.split(jax.random.PRNGKey(0), batch)
    u0 = jax.vmap(lambda key: sp.random_field(key, grid, peak_wavenumber=6.0))(keys)
    u0 = u0.astype(jnp.float64)
    pde = sp.KuramotoSivashinsky()

    def ours(u0, steps=steps):
        return jax.vmap(lambda u: sp.solve(pde, grid, u, steps * DT, dt=DT).ys[-1])(u0)

    mine = time_compiled(ours, u0, repeats=3)
    start = time.perf_counter()
    numpy_ks(np.asarray(u0), steps)
    numpy_s = time.perf_counter() - start
    difference = np.max(np.abs(numpy_ks(np.asarray(u0), 10) - np.asarray(ours(u0, 10))))
    return {
        "name": "KS 1D ETDRK4 (float64)",
        "size": f"n={N}, batch={batch}, {steps} steps",
        "jaxdyn_s": mine.run_s,
        "numpy_s": numpy_s,
        "speedup": numpy_s / mine.run_s,
        "max_difference_10_steps": float(difference),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    results = [compare(1, 1000), compare(64, 1000)]
    for r in results:
        print(json.dumps(r))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        record = {"device": str(jax.devices()[0]), "jax": jax.__version__, "results": results}
        args.json.write_text(json.dumps(record, indent=1) + "\n")


if __name__ == "__main__":
    main()
