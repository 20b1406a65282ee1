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
# # jaxdyn on accelerators: one code, every device
#
# The same three workloads — a spectral ensemble, a Lorenz parameter sweep of λ₁ and the
# training of a network — on the CPU and on whatever accelerator the runtime has (Colab: Runtime
# → Change runtime type → GPU or TPU), with the batched ones split over all its devices by
# `jax.shard_map` (each device integrates its own members; nothing is gathered). Failures are
# read from `stats` (`throw=False`), since a TPU program cannot raise. A timing table closes
# the notebook.
#
# On a CPU-only runtime the CPU shows itself as four devices
# (`--xla_force_host_platform_device_count=4`, set before JAX starts), so the sharded code
# paths run here too: they share the same cores, so expect no speed-up from them on a CPU.
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

# Four CPU devices (the flag touches only the CPU platform), set before JAX starts.
os.environ.setdefault("XLA_FLAGS", "--xla_force_host_platform_device_count=4")

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
import time

import jax.numpy as jnp
import matplotlib.pyplot as plt
import numpy as np

import jaxdyn as jd

sp, sy, nn = jd.spectral, jd.systems, jd.nn
CPU = jax.devices("cpu")[0]
ACCELERATOR = jax.devices()[0] if jax.default_backend() != "cpu" else None
print("devices:", jax.devices())
TIMES = {}  # (workload, where) -> seconds of a compiled call


def timed(workload, where, run):
    """Run `run()` once to compile, then time a second call; record and return its result."""
    jax.block_until_ready(run())
    start = time.perf_counter()
    result = jax.block_until_ready(run())
    TIMES[workload, where] = time.perf_counter() - start
    return result


# %% [markdown]
# ## 1. A spectral ensemble: Kuramoto–Sivashinsky from many initial states
# `sp.ensemble` integrates the whole batch in one compiled call, split over the devices; the
# one-device reference is `jax.vmap` over `sp.solve` on a single device. The members agree to
# rounding.

# %% tags=["readme-figure"]
n_members = 16 if FAST else 256
grid = sp.FourierGrid(64 if FAST else 128, 22.0)
pde = sp.KuramotoSivashinsky()
(x,) = grid.mesh()
phases = jnp.linspace(0.0, 2 * jnp.pi, n_members)[:, None]
u0s = jnp.cos(2 * jnp.pi * x / 22 + phases) + 0.1 * jnp.sin(4 * jnp.pi * x / 22 + 3 * phases)
t1 = 20.0 if FAST else 100.0


def sharded_ensemble():
    return sp.ensemble(pde, grid, u0s, t1, dt=0.05, saveat=101, throw=False)


def one_device(device):
    run = jax.jit(jax.vmap(lambda u: sp.solve(pde, grid, u, t1, dt=0.05, saveat=101, throw=False)))
    placed = jax.device_put(u0s, device)
    return lambda: run(placed)


batch = timed("KS ensemble", "all devices", sharded_ensemble)
print(f"{int(jnp.sum(batch.ok))} of {n_members} members finished without blow-up (from stats)")
reference = timed("KS ensemble", "1 CPU", one_device(CPU))
difference = np.max(np.abs(np.asarray(batch.ys) - np.asarray(reference.ys)))
print(f"largest difference, sharded vs one device: {difference:.1e}")
if ACCELERATOR is not None:
    timed("KS ensemble", f"1 {ACCELERATOR.platform.upper()}", one_device(ACCELERATOR))

fig, axes = plt.subplots(1, 3, figsize=(12, 3.2), layout="constrained", sharey=True)
for ax, member in zip(axes, [0, n_members // 3, 2 * n_members // 3], strict=True):
    ax.imshow(np.asarray(batch.ys[member]).T, aspect="auto", origin="lower", cmap="RdBu_r",
              extent=(0, t1, 0, 22))  # fmt: skip
    ax.set(title=f"member {member}", xlabel="t")
axes[0].set_ylabel("x")
plt.show()

# %% [markdown]
# ## 2. A Lorenz parameter sweep: λ₁(ρ) in one compiled call
# `sy.lyapunov_spectra` vmaps the Lyapunov computation over a batch of systems and splits the
# batch across the devices. With `throw=False` the failures (none expected) are counted from
# `stats` instead of raised — the way to run on a TPU.

# %%
rhos = jnp.linspace(10.0, 200.0, 64 if FAST else 1024)
systems = jax.vmap(lambda r: sy.Lorenz(rho=r, beta=8 / 3))(rhos)
t_sweep = (20 if FAST else 100) * sy.Lorenz.period()


def sweep():
    return sy.lyapunov_spectra(systems, y0=jnp.ones(3), t1=t_sweep, n_exponents=1, throw=False)


def sweep_on(device):
    one = jax.jit(jax.vmap(lambda s: sy.lyapunov_spectrum(
        s, y0=jnp.ones(3), t1=t_sweep, n_exponents=1, throw=False).exponents))  # fmt: skip
    placed = jax.device_put(systems, device)
    return lambda: one(placed)


spectra = timed("Lorenz λ₁(ρ) sweep", "all devices", sweep)
timed("Lorenz λ₁(ρ) sweep", "1 CPU", sweep_on(CPU))
if ACCELERATOR is not None:
    timed("Lorenz λ₁(ρ) sweep", f"1 {ACCELERATOR.platform.upper()}", sweep_on(ACCELERATOR))
lambda_28 = float(jnp.interp(28.0, rhos, spectra.exponents[:, 0]))
print(f"{int(jnp.sum(~spectra.stats.ok))} failed members; λ₁(28) ≈ {lambda_28:.3f} (0.9056)")
fig, ax = plt.subplots(figsize=(8, 3), layout="constrained")
ax.plot(rhos, spectra.exponents[:, 0], lw=0.7)
ax.axhline(0.0, color="k", lw=0.5)
ax.set(xlabel="ρ", ylabel="λ₁", title=f"Lorenz λ₁(ρ), {rhos.size} values, {t_sweep:.0f} time units")
plt.show()

# %% [markdown]
# ## 3. Training a network
# A shallow PLRNN trained by generalized teacher forcing on Lorenz sequences, the same number
# of Adam steps on the CPU and on the accelerator (training runs on one device; the loss
# curves agree to rounding).

# %%
lorenz = sy.Lorenz()
n_data = 2000 if FAST else 20_000
zs = sy.trajectory(lorenz, n_data * 0.01, n_points=n_data).ys
zs = (zs - jnp.mean(zs, axis=0)) / jnp.std(zs, axis=0)
sequences = jnp.stack([zs[s : s + 101] for s in range(0, n_data - 100, 25)])
model = nn.ShallowPLRNN(3, 3, 50, jax.random.PRNGKey(1))
steps = 100 if FAST else 2000


def train(device):
    data = jax.device_put(sequences, device)
    start = jax.device_put(model, device)

    def run():
        return nn.fit(start, lambda m, b: nn.gtf_loss(m, b, 0.1), data, steps=steps,
                      key=jax.random.PRNGKey(2), batch_size=16).losses  # fmt: skip

    return run


losses = timed("PLRNN training", "1 CPU", train(CPU))
print(f"CPU: loss {float(losses[0]):.3f} → {float(losses[-1]):.4f} in {steps} steps")
if ACCELERATOR is not None:
    accelerated = timed("PLRNN training", f"1 {ACCELERATOR.platform.upper()}", train(ACCELERATOR))
    print(f"{ACCELERATOR.platform}: loss → {float(accelerated[-1]):.4f}")
fig, ax = plt.subplots(figsize=(6, 3), layout="constrained")
ax.semilogy(np.asarray(losses))
ax.set(xlabel="step", ylabel="GTF loss", title="shallow PLRNN on Lorenz (CPU)")
plt.show()

# %% [markdown]
# ## 4. Timings
# Seconds per compiled call (compilation excluded), on this runtime. "all devices" is the
# default backend's devices, split by `shard_map`; on a CPU runtime those are the four forced
# host devices sharing the same cores.

# %%
workloads = sorted({w for w, _ in TIMES})
places = sorted({p for _, p in TIMES})
print(f"{'workload':22s}" + "".join(f"{p:>16s}" for p in places))
for w in workloads:
    row = "".join(f"{TIMES[w, p]:16.3f}" if (w, p) in TIMES else f"{'—':>16s}" for p in places)
    print(f"{w:22s}{row}")
