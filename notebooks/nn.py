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
# # Networks for dynamics with `jaxdyn.nn`
#
# Training data come from the other pillars: Lorenz from `jaxdyn.systems`, Burgers from
# `jaxdyn.spectral`. An echo-state network forecasts Lorenz for several Lyapunov times; a
# shallow PLRNN trained with generalized teacher forcing reproduces its attractor (judged
# by D_stsp and D_H); a Fourier neural operator learns one step of Burgers; a causal PINN
# solves the heat equation.
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
import math

import jax.numpy as jnp
import matplotlib.pyplot as plt
import numpy as np
import optax

import jaxdyn as jd

nn, me = jd.nn, jd.metrics
DT, LYAPUNOV = 0.02, 0.9056
lorenz = jd.systems.Lorenz()
n_train = 3000 if FAST else 20_000
total = n_train + 3000
ys = jd.systems.trajectory(lorenz, total * DT, n_points=total, rtol=1e-10 if X64 else 1e-5).ys

# %% [markdown]
# ## 1. Echo-state network forecast
# A reservoir driven by the data, its linear readout fitted by ridge regression, then run
# closed loop from 200 steps of unseen context. Valid prediction time: until the error
# normalised by the attractor's scale exceeds 0.4.

# %%
esn = nn.EchoStateNetwork(3, 200 if FAST else 1000, jax.random.PRNGKey(0)).fit(ys[:n_train])
start = n_train + 200
predicted = esn.forecast(ys[start - 200 : start], 600)
truth = ys[start : start + 600]
scale = jnp.std(ys[:n_train], axis=0)
vpt = me.valid_prediction_time(truth, predicted, dt=DT, lyapunov_exponent=LYAPUNOV, scale=scale)
print(f"valid for {float(vpt.lyapunov_times):.2f} Lyapunov times ({int(vpt.steps)} steps)")
t = np.arange(600) * DT * LYAPUNOV
fig, axes = plt.subplots(3, 1, figsize=(8, 5), sharex=True, layout="constrained")
for i, ax in enumerate(axes):
    ax.plot(t, truth[:, i], "k", lw=1, label="truth")
    ax.plot(t, predicted[:, i], "C1--", lw=1, label="ESN")
    ax.axvline(float(vpt.lyapunov_times), color="C3", lw=0.8)
    ax.set_ylabel("xyz"[i])
axes[0].legend(loc="upper right")
axes[-1].set_xlabel("Lyapunov times")
plt.show()

# %% [markdown]
# ## 2. Shallow PLRNN with generalized teacher forcing
# The GTF paper's setting (Hess et al., ICML 2023): a shallow PLRNN whose 3 latent
# units are the (standardised) Lorenz variables, 50 hidden units, trained on sequences of
# 200 steps of 0.01 with the latent state pulled a fraction α = 0.1 toward the data before
# each step; then run free from an unseen state. Its attractor is compared with Lorenz's by
# the state-space divergence D_stsp and the power-spectrum Hellinger distance D_H, beside
# the same distances between two stretches of the true system (the sampling floor).

# %% tags=["readme-figure"]
n_gtf = 4000 if FAST else 100_000
zs = jd.systems.trajectory(lorenz, (2 * n_gtf + 1000) * 0.01, n_points=2 * n_gtf + 1000,
                           rtol=1e-10 if X64 else 1e-5).ys[1000:]  # fmt: skip
zs = np.asarray((zs - jnp.mean(zs[:n_gtf], axis=0)) / jnp.std(zs[:n_gtf], axis=0))
train, test = zs[:n_gtf], jnp.asarray(zs[n_gtf:])
sequences = jnp.asarray(np.stack([train[s : s + 201] for s in range(0, n_gtf - 200, 50)]))
model = nn.ShallowPLRNN(3, 3, 50, jax.random.PRNGKey(1))
steps = 300 if FAST else 50_000
optimizer = optax.radam(optax.exponential_decay(1e-3, steps, 1e-3))
result = nn.fit(model, lambda m, b: nn.gtf_loss(m, b, 0.1), sequences, steps=steps,
                key=jax.random.PRNGKey(2), batch_size=16, optimizer=optimizer,
                checkpoint_every=5000, progress=True)  # fmt: skip
generated = jnp.concatenate([test[:1], result.model.generate(test[0], n_gtf - 1)])
alpha_star = nn.gtf_alpha_bound(result.model, sequences[:64])
loss = float(result.losses[-1])
print(f"final GTF loss {loss:.2e}; gradient-bounding α* = {float(alpha_star):.2f}")
for name, other in (("shallow PLRNN", generated), ("true system", jnp.asarray(train))):
    d_stsp = me.state_space_divergence(test, other, smoothing=1e-5)
    d_h = me.power_spectrum_distance(test, other, smoothing=20.0)
    print(f"{name:>14}: D_stsp = {float(d_stsp):.3f}, D_H = {float(d_h):.3f}")
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 4), layout="constrained")
jd.plot.attractor(np.asarray(test), ax=ax1, title="Lorenz (standardised, unseen)")
jd.plot.attractor(np.asarray(generated), ax=ax2, title="shallow PLRNN, free running")
plt.show()

# %% [markdown]
# ### Lyapunov spectra of the reconstructions
# A model that learned the dynamics, not just the next step, has the system's invariants. The
# spectrum of each network run free (`nn.lyapunov_spectrum`: the ESN's closed loop in
# reservoir space, the PLRNN's latent map), per unit time, beside Lorenz's own.

# %%
n_lyap = 2000 if FAST else 50_000
spectra = {
    "Lorenz": jd.systems.lyapunov_spectrum(lorenz, t1=100.0 if FAST else 1500.0).exponents,
    "echo-state network": nn.lyapunov_spectrum(esn, ys[start - 200 : start], n_lyap,
                                               time_per_step=DT, n_transient=500).exponents,
    "shallow PLRNN + GTF": nn.lyapunov_spectrum(result.model, test[:200], n_lyap,
                                                time_per_step=0.01, n_transient=500).exponents,
}  # fmt: skip
for name, exponents in spectra.items():
    print(f"{name:>20}: " + "  ".join(f"{float(x):8.4f}" for x in exponents))
fig, ax = plt.subplots(figsize=(7, 3.5), layout="constrained")
for k, (name, exponents) in enumerate(spectra.items()):
    ax.bar(np.arange(3) + 0.27 * (k - 1), np.asarray(exponents), width=0.27, label=name)
ax.set(xticks=range(3), xticklabels=["λ₁", "λ₂", "λ₃"], ylabel="per unit time",
       title="Lyapunov spectra: truth and reconstructions")  # fmt: skip
ax.set_yscale("symlog", linthresh=1.0)
ax.legend()
plt.show()

# %% [markdown]
# ## 3. A Fourier neural operator for one step of Burgers
# Pairs (u(0), u(0.2)) from `jaxdyn.spectral.solve` on a 64-point grid, ν = 0.05.

# %%
grid = jd.spectral.FourierGrid(64)
keys = jax.random.split(jax.random.PRNGKey(3), 300)
u0 = jax.vmap(lambda k: jd.spectral.random_field(k, grid, peak_wavenumber=3.0))(keys)
burgers = jd.spectral.Burgers(viscosity=0.05)
u1 = jax.vmap(lambda u: jd.spectral.solve(burgers, grid, u, 0.2, dt=0.01).ys[-1])(u0)
fno = nn.FNO(1, 1, 24, 12, 3, jax.random.PRNGKey(4))
result = nn.fit(fno, lambda m, b: jnp.mean((jax.vmap(m)(b[0][:, None])[:, 0] - b[1]) ** 2),
                (u0[:250], u1[:250]), steps=300 if FAST else 1500, key=jax.random.PRNGKey(5),
                batch_size=25, optimizer=optax.adam(5e-3))  # fmt: skip
predicted = jax.vmap(result.model)(u0[250:, None])[:, 0]
error = float(jnp.linalg.norm(predicted - u1[250:]) / jnp.linalg.norm(u1[250:]))
print(f"relative test error {error:.3f} (doing nothing: 0.53)")
(x,) = grid.mesh()
fig, ax = plt.subplots(figsize=(7, 3.5), layout="constrained")
ax.plot(x, u0[250], "k:", label="u(0)")
ax.plot(x, u1[250], "k", label="u(0.2), spectral solver")
ax.plot(x, predicted[0], "C1--", label="FNO")
ax.legend()
plt.show()

# %% [markdown]
# ## 4. A causal PINN for the heat equation
# u_t = u_xx on [0, 2π], u(0, x) = sin x, u = 0 at the ends; exact u = e^{−t} sin x. The
# residual of each of 12 time slabs is weighted by exp(−ε Σ earlier slab losses).


# %%
def residual(m, t, x):
    u = lambda t, x: m(t, x)[0]  # noqa: E731
    return jax.grad(u, 0)(t, x) - jax.hessian(u, 1)(t, x)[0, 0]


times, points = jnp.linspace(0, 1, 12), jnp.linspace(0, 2 * math.pi, 24)[:, None]


def pinn_loss(m, _):
    def ends(t):
        return m(t, jnp.zeros(1))[0] ** 2 + m(t, jnp.full(1, 2 * math.pi))[0] ** 2

    return nn.causal_loss(m, residual, times, points, jnp.sin) + jnp.mean(jax.vmap(ends)(times))


pinn = nn.fit(nn.PINN(1, 32, 3, jax.random.PRNGKey(6)), pinn_loss, jnp.zeros((1, 1)),
              steps=500 if FAST else 3000, key=jax.random.PRNGKey(7),
              optimizer=optax.adam(3e-3)).model  # fmt: skip
tt, xx = jnp.meshgrid(jnp.linspace(0, 1, 41), jnp.linspace(0, 2 * math.pi, 65))
u = jax.vmap(jax.vmap(lambda t, x: pinn(t, x[None])[0]))(tt, xx)
exact = jnp.exp(-tt) * jnp.sin(xx)
print(f"largest PINN error: {float(jnp.max(jnp.abs(u - exact))):.3f}")
fig, ax = plt.subplots(figsize=(6, 4), layout="constrained")
image = ax.pcolormesh(tt, xx, jnp.abs(u - exact), shading="auto")
fig.colorbar(image, label="|u − exact|")
ax.set(xlabel="t", ylabel="x", title="PINN error")
plt.show()
