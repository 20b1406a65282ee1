# ---
# jupyter:
#   jupytext:
#     formats: py:percent
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

# %%
import math
import os

import jax
import jax.numpy as jnp
import matplotlib.pyplot as plt
import numpy as np
import optax

import jaxdyn as jd

nn, me = jd.nn, jd.metrics
FAST = os.environ.get("JAXDYN_NOTEBOOK_FAST") == "1"
jax.config.update("jax_enable_x64", True)
DT, LYAPUNOV = 0.02, 0.9056
lorenz = jd.systems.Lorenz()
n_train = 3000 if FAST else 20_000
total = n_train + 3000
ys = jd.systems.trajectory(lorenz, total * DT, n_points=total, rtol=1e-10).ys

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
# Trained on sequences of 30 steps (of 0.04 time units), with the latent state pulled a
# fraction α = 0.2 toward the data before each step; then run free for 5000 steps from one
# data point. Its attractor is compared with Lorenz's by the state-space divergence D_stsp
# and the power-spectrum Hellinger distance D_H.

# %%
data = np.asarray((ys[:n_train:2] - jnp.mean(ys[:n_train], axis=0)) / scale)
length = 31
starts = np.arange(0, data.shape[0] - length, 5)
sequences = jnp.asarray(np.stack([data[s : s + length] for s in starts]))
model = nn.ShallowPLRNN(3, 20, 200, jax.random.PRNGKey(1))
steps = 300 if FAST else 10_000
result = nn.fit(model, lambda m, b: nn.gtf_loss(m, b, 0.2), sequences, steps=steps,
                key=jax.random.PRNGKey(2), batch_size=32, optimizer=optax.adam(1e-3))  # fmt: skip
reference = jnp.asarray(data[: min(5000, data.shape[0])])
generated = result.model.generate(jnp.asarray(data[100]), reference.shape[0])
d_stsp = me.state_space_divergence(reference, generated, bins=20)
d_h = me.power_spectrum_distance(reference, generated)
print(f"final GTF loss {float(result.losses[-1]):.2e}")
print(f"D_stsp = {float(d_stsp):.3f}, D_H = {float(d_h):.3f}")
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 4), layout="constrained")
jd.plot.attractor(reference, ax=ax1, title="Lorenz (standardised)")
jd.plot.attractor(np.asarray(generated), ax=ax2, title="shallow PLRNN, free running")
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
