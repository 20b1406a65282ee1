# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Pseudo-spectral PDEs with `jaxdyn.spectral`
#
# Semilinear PDEs $u_t = Lu + N(u)$ on periodic grids, stepped by exponential integrators
# (ETDRK1–4, IFRK4) or by any diffrax solver. This notebook reproduces the four NLSE cases of
# Herho et al. (*simple-idealized-1d-nlse*) for $i\psi_t + \tfrac12\psi_{xx} + |\psi|^2\psi = 0$,
# checks each against theory, then shows Kuramoto–Sivashinsky chaos and 2D turbulence.
#
# Set `JAXDYN_NOTEBOOK_FAST=1` for a small, quick run (the test suite does).

# %% [markdown]
# **Setup** — runs as is in Jupyter and on Colab (CPU, GPU or TPU runtime). It installs jaxdyn
# when it is missing, pinning the runtime's own jax and jaxlib (Colab's GPU and TPU builds
# break when pip replaces them), and picks the precision: float64 where the backend has it,
# float32 on a TPU, which has no float64. The checks below state the accuracy expected in
# both (the README's "Precision" table).

# %%
import importlib.util
import os
import subprocess
import sys

if importlib.util.find_spec("jaxdyn") is None:  # e.g. a fresh Colab runtime
    from importlib.metadata import version

    pins = [
        f"{name}=={version(name)}" for name in ("jax", "jaxlib") if importlib.util.find_spec(name)
    ]
    with open("jax-pins.txt", "w") as file:
        file.write("\n".join(pins))
    source = os.environ.get("JAXDYN_SOURCE", "jaxdyn")  # or git+https://… of your copy
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "-c", "jax-pins.txt", source], check=True
    )

import jax

FAST = os.environ.get("JAXDYN_NOTEBOOK_FAST") == "1"  # the test suite's small, quick setting
X64 = jax.default_backend() != "tpu" and os.environ.get("JAXDYN_NOTEBOOK_PRECISION") != "float32"
jax.config.update("jax_enable_x64", X64)
PRECISION = "float64" if X64 else "float32"
print(f"jax {jax.__version__}, {jax.default_backend()} backend, {jax.device_count()} device(s)")
if jax.default_backend() == "tpu":
    print("A TPU has no float64: this notebook runs in float32 (expected accuracies below).")
print(f"precision: {PRECISION}; fast setting: {FAST}")

# %%
import jax.numpy as jnp
import matplotlib.pyplot as plt
import numpy as np

import jaxdyn as jd

sp = jd.spectral

# %% [markdown]
# ## 1. Two-soliton collision
# Solitons $A\,\mathrm{sech}(A(x - vt))e^{ivx}$ pass through each other and come out shifted.
# Inverse scattering predicts their position shifts
# $\delta x_j = \pm A_j^{-1}\log\frac{(A_1+A_2)^2 + (v_1-v_2)^2}{(A_1-A_2)^2 + (v_1-v_2)^2}$
# and phase shifts $\delta\varphi_f = 2\arg\frac{\zeta_f - \bar\zeta_s}{\zeta_f - \zeta_s}$,
# $\delta\varphi_s = -2\arg\frac{\zeta_s - \bar\zeta_f}{\zeta_s - \zeta_f}$ with
# $\zeta_j = (v_j + iA_j)/2$ (f: the faster soliton, s: the slower).

# %%
grid = sp.FourierGrid(512 if FAST else 1024, 80.0)
amplitudes, velocities, start = (1.2, 0.8), (1.5, -1.0), (30.0, 50.0)
u0 = sp.two_solitons(grid, amplitudes=amplitudes, velocities=velocities, positions=start)
nlse = sp.NLSE()
t1 = 20.0
sol = sp.solve(nlse, grid, u0, t1, dt=0.01 if FAST else 0.005, saveat=201)

free = np.array(start) + np.array(velocities) * t1
centres = sp.soliton_centers(sol.ys[-1], grid, free, halfwidth=8.0)
phases = sp.soliton_phases(
    sol.ys[-1], grid, t1, centres, amplitudes=amplitudes, velocities=velocities
)
theory = sp.collision_shifts(amplitudes=amplitudes, velocities=velocities)
print("position shifts, measured:", centres - free, " theory:", np.array(theory.position))
print("phase shifts,    measured:", phases, " theory:", np.array(theory.phase))

invariants = {
    "mass": sp.mass(sol.ys, grid),
    "momentum": sp.momentum(sol.ys, grid),
    "Hamiltonian": sp.hamiltonian(nlse, sol.ys, grid),
}
fig, axes = plt.subplots(1, 2, figsize=(12, 4), layout="constrained")
jd.plot.space_time(sol.ts, sol.ys, grid, part="abs", ax=axes[0], title="|ψ(x, t)|")
jd.plot.conservation(sol.ts, invariants, ax=axes[1], title="conservation (ETDRK4, float64)")
plt.show()

# %% [markdown]
# ## 2. Akhmediev breather
# An exact solution, periodic in $x$, that grows out of the plane wave and returns to it.
# We start at $t=-6$ and compare with the formula at every saved time.

# %%
grid_ab = sp.FourierGrid(128 if FAST else 256, 2 * sp.akhmediev_period(0.25))
sol_ab = sp.solve(
    nlse, grid_ab, sp.akhmediev_breather(grid_ab, -6.0), 6.0, t0=-6.0, dt=2e-3, saveat=121
)
exact = jnp.stack([sp.akhmediev_breather(grid_ab, float(t)) for t in sol_ab.ts])
error = jnp.max(jnp.abs(sol_ab.ys - exact), axis=1)

fig, axes = plt.subplots(1, 3, figsize=(15, 4), layout="constrained")
jd.plot.space_time(
    sol_ab.ts, sol_ab.ys, grid_ab, part="abs", ax=axes[0], title="Akhmediev breather |ψ|"
)
axes[1].semilogy(sol_ab.ts, error)
axes[1].set(xlabel="t", ylabel="max |ψ − ψ_exact|", title="error against the exact solution")
jd.plot.conservation(
    sol_ab.ts,
    {"mass": sp.mass(sol_ab.ys, grid_ab), "Hamiltonian": sp.hamiltonian(nlse, sol_ab.ys, grid_ab)},
    ax=axes[2],
)
plt.show()
print(
    f"peak |ψ| = {float(jnp.max(jnp.abs(sol_ab.ys))):.10f}  (theory 1 + √2 = {1 + np.sqrt(2):.10f})"
)

# %% [markdown]
# ## 3. Modulation instability from noise
# A plane wave seeded with $10^{-6}$ noise. In the linear stage each Fourier mode $\kappa$
# grows at $g(\kappa) = |\kappa|\sqrt{1 - \kappa^2/4}$ (Benjamin–Feir); we measure the growth
# of every mode and compare, then follow the entropies of $|\psi|^2$ into the nonlinear stage.

# %% tags=["readme-figure"]
grid_mi = sp.FourierGrid(256 if FAST else 1024, 32 * np.pi)
u0_mi = sp.modulation_instability(grid_mi, jax.random.PRNGKey(0), noise=1e-6)
sol_mi = sp.solve(nlse, grid_mi, u0_mi, 30.0, dt=0.01, saveat=301)

spectra = jnp.abs(jnp.fft.fft(sol_mi.ys, axis=-1))
(k,) = grid_mi.wavenumbers(real=False)
i0, i1 = 50, 100  # t = 5 and t = 10: growth is exponential and still small
measured_gain = jnp.log(spectra[i1] / spectra[i0]) / (sol_mi.ts[i1] - sol_mi.ts[i0])
band = (k > 0) & (k < 2.5)

fig, axes = plt.subplots(1, 3, figsize=(15, 4), layout="constrained")
jd.plot.space_time(sol_mi.ts, sol_mi.ys, grid_mi, part="abs", ax=axes[0], title="MI from noise |ψ|")
axes[1].plot(k[band], measured_gain[band], ".", label="measured (t = 5 → 10)")
kk = np.linspace(0, 2.5, 200)
axes[1].plot(kk, sp.modulation_instability_gain(kk), "k-", label="theory")
axes[1].set(xlabel="κ", ylabel="growth rate", title="MI gain spectrum")
axes[1].legend()
for name, value in {
    "Shannon": sp.shannon_entropy(sol_mi.ys, grid_mi),
    "Rényi α=2": sp.renyi_entropy(sol_mi.ys, grid_mi, 2.0),
    "Tsallis q=2 (×100)": 100 * sp.tsallis_entropy(sol_mi.ys, grid_mi, 2.0),
}.items():
    axes[2].plot(sol_mi.ts, value - value[0], label=name)
axes[2].set(xlabel="t", ylabel="S(t) − S(0)", title="entropies of |ψ|²")
axes[2].legend()
plt.show()

# %% [markdown]
# ## 4. The adaptive road: diffrax's Dopri8
# The reference solver of the paper is an adaptive 8th-order Dormand–Prince; any diffrax solver
# runs on the same PDE object. Mass is conserved to the tolerance.

# %%
import diffrax  # noqa: E402

grid_s = sp.FourierGrid(256 if FAST else 512, 50.0)
u0_s = sp.soliton(grid_s, velocity=1.0, position=15.0)
TOL = 1e-10 if X64 else 1e-5  # the tightest tolerance each precision resolves
sol_d = sp.solve(
    nlse, grid_s, u0_s, 10.0, dt=1e-3, method=diffrax.Dopri8(), rtol=TOL, atol=TOL, saveat=51
)
mass_d = sp.mass(sol_d.ys, grid_s)
drift = float(jnp.max(jnp.abs(mass_d / mass_d[0] - 1)))
print(f"Dopri8: {int(sol_d.stats.num_steps)} steps, max relative mass drift {drift:.2e} "
      f"(expected ≤ 1e-10 at rtol 1e-10 in float64, ≤ 1e-5 in float32)")  # fmt: skip
print(
    "max error vs exact soliton:",
    float(jnp.max(jnp.abs(sol_d.ys[-1] - sp.soliton(grid_s, 10.0, velocity=1.0, position=15.0)))),
)

# %% [markdown]
# ## 5. Kuramoto–Sivashinsky chaos
# $u_t = -uu_x - u_{xx} - u_{xxxx}$ on $L = 32\pi$ from Kassam & Trefethen's initial state.

# %%
ks = sp.problem("kuramoto-sivashinsky", quick=FAST)
sol_ks = sp.solve(ks.pde, ks.grid, ks.u0, ks.t1, **ks.solve_kwargs())
fig, ax = plt.subplots(figsize=(7, 5), layout="constrained")
jd.plot.space_time(sol_ks.ts, sol_ks.ys, ks.grid, ax=ax, title="Kuramoto–Sivashinsky, L = 32π")
plt.show()

# %% [markdown]
# ## 6. Two-dimensional turbulence
# Decaying 2D Navier–Stokes from a random vorticity field: vortices merge, and the energy
# spectrum steepens towards the $k^{-3}$ of the enstrophy cascade.

# %%
ns = sp.problem("navier-stokes-2d", quick=FAST)
sol_ns = sp.solve(ns.pde, ns.grid, ns.u0, ns.t1, **ns.solve_kwargs())
u, v = ns.pde.velocity(sol_ns.ys[-1], ns.grid)
k_shell, e_u = sp.energy_spectrum(u, ns.grid)
_, e_v = sp.energy_spectrum(v, ns.grid)
fig, axes = plt.subplots(1, 3, figsize=(16, 4.5), layout="constrained")
jd.plot.field(sol_ns.ys[-1], ns.grid, ax=axes[0], title=f"vorticity at t = {ns.t1:g}")
jd.plot.spectrum(
    k_shell, e_u + e_v, ax=axes[1], slopes={"k⁻³": -3}, title="kinetic energy spectrum"
)
axes[2].plot(sol_ns.ts, sp.enstrophy(sol_ns.ys, ns.grid))
axes[2].set(xlabel="t", ylabel="Z", title="enstrophy decay")
plt.show()
