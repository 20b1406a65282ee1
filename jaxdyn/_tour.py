"""`jaxdyn tour`: a short CPU tour that writes figures and a JSON summary."""

from __future__ import annotations

import json
import time
from pathlib import Path

import jax
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from . import io, plot, spectral  # noqa: E402


def _save(fig, folder: Path, name: str) -> str:
    path = folder / name
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path.name


def _nlse_collision(folder: Path) -> dict:
    p = spectral.problem("nlse-collision", quick=True)
    sol = spectral.solve(p.pde, p.grid, p.u0, p.t1, **p.solve_kwargs())
    free = np.array([30.0, 50.0]) + np.array([1.0, -1.0]) * p.t1
    shift = spectral.soliton_centers(sol.ys[-1], p.grid, free, halfwidth=8.0) - free
    theory = spectral.collision_shifts().position
    mass = spectral.mass(sol.ys, p.grid)
    energy = spectral.hamiltonian(p.pde, sol.ys, p.grid)
    fig, axes = plt.subplots(1, 2, figsize=(11, 4), layout="constrained")
    plot.space_time(
        sol.ts, sol.ys, p.grid, part="abs", ax=axes[0], title="two-soliton collision |ψ|"
    )
    plot.conservation(sol.ts, {"mass": mass, "Hamiltonian": energy}, ax=axes[1])
    return {
        "figure": _save(fig, folder, "nlse_collision.png"),
        "position_shift_measured": shift.tolist(),
        "position_shift_theory": list(theory),
        "mass_drift": float(np.max(np.abs(mass / mass[0] - 1))),
        "hamiltonian_drift": float(np.max(np.abs(energy / energy[0] - 1))),
    }


def _nlse_breather(folder: Path) -> dict:
    p = spectral.problem("nlse-breather", quick=True)
    sol = spectral.solve(p.pde, p.grid, p.u0, p.t1, **p.solve_kwargs())
    exact = np.stack([spectral.akhmediev_breather(p.grid, float(t)) for t in sol.ts])
    error = np.max(np.abs(np.asarray(sol.ys) - exact))
    fig, ax = plt.subplots(figsize=(6, 4), layout="constrained")
    plot.space_time(sol.ts, sol.ys, p.grid, part="abs", ax=ax, title="Akhmediev breather |ψ|")
    return {"figure": _save(fig, folder, "nlse_breather.png"), "max_error_vs_exact": float(error)}


def _kuramoto_sivashinsky(folder: Path) -> dict:
    p = spectral.problem("kuramoto-sivashinsky", quick=True)
    sol = spectral.solve(p.pde, p.grid, p.u0, p.t1, **p.solve_kwargs())
    fig, ax = plt.subplots(figsize=(6, 4), layout="constrained")
    plot.space_time(sol.ts, sol.ys, p.grid, ax=ax, title="Kuramoto–Sivashinsky, L = 32π")
    io.save(folder / "kuramoto_sivashinsky.npz", {"ts": sol.ts, "ys": sol.ys})
    return {
        "figure": _save(fig, folder, "kuramoto_sivashinsky.png"),
        "steps": int(sol.stats.num_steps),
    }


def _turbulence(folder: Path) -> dict:
    p = spectral.problem("navier-stokes-2d", quick=True)
    sol = spectral.solve(p.pde, p.grid, p.u0, p.t1, **p.solve_kwargs())
    u, v = p.pde.velocity(sol.ys[-1], p.grid)
    k, e_u = spectral.energy_spectrum(u, p.grid)
    _, e_v = spectral.energy_spectrum(v, p.grid)
    z = spectral.enstrophy(sol.ys, p.grid)
    fig, axes = plt.subplots(1, 2, figsize=(11, 4.5), layout="constrained")
    plot.field(sol.ys[-1], p.grid, ax=axes[0], title=f"vorticity at t = {p.t1:g}")
    plot.spectrum(k, e_u + e_v, ax=axes[1], slopes={"k⁻³": -3}, title="kinetic energy spectrum")
    return {
        "figure": _save(fig, folder, "navier_stokes_2d.png"),
        "enstrophy_ratio_final_to_initial": float(z[-1] / z[0]),
    }


def run_tour(folder: Path) -> Path:
    """Run every stop of the tour, write figures and `summary.json` into `folder`."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    summary = {"device": str(jax.devices()[0]), "jax": jax.__version__, "stops": {}}
    for name, stop in [
        ("nlse_collision", _nlse_collision),
        ("nlse_breather", _nlse_breather),
        ("kuramoto_sivashinsky", _kuramoto_sivashinsky),
        ("navier_stokes_2d", _turbulence),
    ]:
        start = time.perf_counter()
        result = stop(folder)
        result["seconds"] = round(time.perf_counter() - start, 2)
        summary["stops"][name] = result
        print(f"  {name}: {json.dumps(result)}")
    (folder / "summary.json").write_text(json.dumps(summary, indent=2))
    return folder
