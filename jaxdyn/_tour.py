"""`jaxdyn tour`: a short CPU tour of the four pillars (spectral PDEs, chaotic systems,
implicit differentiation, networks) that writes figures and a JSON summary."""

import json
import time
from pathlib import Path

import jax
import matplotlib

matplotlib.use("Agg")
import jax.numpy as jnp  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from . import io, plot, spectral, systems  # noqa: E402


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


def _chaos(folder: Path) -> dict:
    names = ["Lorenz", "Rossler", "Aizawa", "DoublePendulum", "DoubleGyre", "MackeyGlass"]
    fig, axes = plt.subplots(2, 3, figsize=(11, 6.5), layout="constrained")
    for ax, name in zip(axes.flat, names, strict=True):
        system = systems.get(name)
        sol = systems.trajectory(system, 30 * system.info().period, n_points=3000)
        ys, components = sol.ys, (0, 2)
        if isinstance(system, systems.AbstractDelaySystem):
            ys, components = systems.delay_coordinates(system, sol.ts, sol.ys), (0, 1)
        plot.attractor(ys, components=components, ax=ax, title=name, lw=0.3)
    lorenz = systems.Lorenz()
    spectrum = systems.lyapunov_spectrum(lorenz, t1=300 * lorenz.period()).exponents
    published = lorenz.published.lyapunov_spectrum
    return {
        "figure": _save(fig, folder, "attractors.png"),
        "catalog_size": len(systems.names()),
        "lorenz_lyapunov_spectrum": np.asarray(spectrum).round(4).tolist(),
        "published": list(published),
        "kaplan_yorke_dimension": float(systems.kaplan_yorke_dimension(spectrum)),
    }


def _implicit(folder: Path) -> dict:
    def x_plus(rho):
        guess = jnp.array([8.0, 8.0, 27.0])
        return systems.equilibria(systems.Lorenz(rho=rho), guess).value[0]

    beta = float(systems.Lorenz().beta)
    slope, exact = float(jax.grad(x_plus)(28.0)), beta / (2 * np.sqrt(beta * 27.0))
    rossler = systems.Rossler(c=2.5)
    orbit = systems.periodic_orbit(rossler, jnp.array([3.0, -3.0, 0.0]), 6.0)
    dperiod = jax.grad(
        lambda c: systems.periodic_orbit(systems.Rossler(c=c), orbit.state, orbit.period).period
    )(2.5)
    sol = systems.trajectory(rossler, float(orbit.period), y0=orbit.state, n_points=500)
    fig, ax = plt.subplots(figsize=(5, 4.5), layout="constrained")
    plot.attractor(
        sol.ys, components=(0, 1), ax=ax, title=f"Rössler orbit, T = {float(orbit.period):.4f}"
    )
    return {
        "figure": _save(fig, folder, "periodic_orbit.png"),
        "lorenz_dx_drho_implicit": slope,
        "lorenz_dx_drho_closed_form": exact,
        "rossler_period": float(orbit.period),
        "rossler_dperiod_dc": float(dperiod),
        "rossler_floquet_multipliers": np.abs(np.asarray(orbit.floquet_multipliers))
        .round(6)
        .tolist(),
    }


def _forecasting(folder: Path) -> dict:
    from . import metrics, nn

    dt, exponent, n_train = 0.02, 0.9056, 3000
    lorenz = systems.Lorenz()
    ys = systems.trajectory(lorenz, (n_train + 800) * dt, n_points=n_train + 800).ys
    esn = nn.EchoStateNetwork(3, 200, jax.random.PRNGKey(0)).fit(ys[:n_train])
    start = n_train + 200
    predicted = esn.forecast(ys[start - 200 : start], 500)
    truth = ys[start : start + 500]
    scale = jnp.std(ys[:n_train], axis=0)
    vpt = metrics.valid_prediction_time(truth, predicted, dt=dt, lyapunov_exponent=exponent,
                                        scale=scale)  # fmt: skip
    fig, ax = plt.subplots(figsize=(7, 3.5), layout="constrained")
    t = np.arange(500) * dt * exponent
    ax.plot(t, truth[:, 0], "k", lw=1, label="Lorenz x")
    ax.plot(t, predicted[:, 0], "C1--", lw=1, label="echo-state forecast")
    ax.axvline(float(vpt.lyapunov_times), color="C3", lw=0.8)
    ax.set(xlabel="Lyapunov times", title="Forecast from unseen context")
    ax.legend()
    return {
        "figure": _save(fig, folder, "forecast.png"),
        "valid_prediction_lyapunov_times": float(vpt.lyapunov_times),
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
        ("chaotic_systems", _chaos),
        ("implicit_differentiation", _implicit),
        ("forecasting", _forecasting),
    ]:
        start = time.perf_counter()
        result = stop(folder)
        result["seconds"] = round(time.perf_counter() - start, 2)
        summary["stops"][name] = result
        print(f"  {name}: {json.dumps(result)}")
    io.write_text_atomic(folder / "summary.json", json.dumps(summary, indent=2))
    return folder
