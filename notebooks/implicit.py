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
# # Implicit differentiation with `jaxdyn.implicit`
#
# A solution defined by an equation F(z*, θ) = 0 has the derivative
# ∂z*/∂θ = −(∂F/∂z)⁻¹ ∂F/∂θ (the implicit function theorem): one linear solve, whatever the
# forward solver did. Here: equilibria and a periodic orbit of chaotic flows, the steady state
# of a PDE, a bilevel fit, and what implicit differentiation saves over unrolling.
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
import optax

import jaxdyn as jd

sy, sp, im = jd.systems, jd.spectral, jd.implicit

# %% [markdown]
# ## 1. Lorenz's equilibria and their derivative in ρ
# C± = (±√(β(ρ−1)), ±√(β(ρ−1)), ρ − 1). Newton finds them from rough guesses for a whole
# range of ρ at once (`vmap` over systems), and `jax.grad` through the solve gives dx*/dρ,
# compared with the closed form β/(2√(β(ρ−1))).

# %% tags=["readme-figure"]
rhos = jnp.linspace(5.0, 40.0, 12 if FAST else 60)
beta = float(sy.Lorenz().beta)


def x_plus(rho):
    guess = jnp.array([1.5 * jnp.sqrt(rho), 1.5 * jnp.sqrt(rho), rho])  # rough: β ≈ 2.7
    return sy.equilibria(sy.Lorenz(rho=rho), guess).value[0]


xs = jax.vmap(x_plus)(rhos)
slopes = jax.vmap(jax.grad(x_plus))(rhos)
closed = np.sqrt(beta * (rhos - 1))
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 3.5), layout="constrained")
ax1.plot(rhos, xs, "o", ms=3, label="Newton")
ax1.plot(rhos, closed, "-", label="√(β(ρ−1))")
ax1.set(xlabel="ρ", ylabel="x of C+", title="Equilibrium C+")
ax1.legend()
ax2.semilogy(rhos, np.abs(slopes - beta / (2 * closed)) + 1e-17, "o", ms=3)
ax2.set(xlabel="ρ", ylabel="|error|", title="dx*/dρ: implicit vs closed form")
plt.show()
error = float(jnp.max(jnp.abs(slopes - beta / (2 * closed))))
print(f"largest error of dx*/dρ: {error:.1e} (expected ≤ 1e-8 in float64, ≤ 1e-3 in float32)")

# %% [markdown]
# ## 2. A periodic orbit of Rössler's flow and dT/dc
# Single shooting: Newton on the initial point and the period, with a phase condition. The
# period-one orbit is followed in c by continuation (each solution seeds the next); the
# implicit derivative dT/dc is checked against central differences, and the Floquet
# multipliers say whether the orbit is stable (all but the trivial 1 inside the unit circle).

# %%
cs = np.linspace(2.0, 3.5, 4 if FAST else 16)
guess, period = jnp.array([3.0, -3.0, 0.0]), 6.0
periods, slopes, multipliers, orbits = [], [], [], []


def period_of(c, y, t):
    return sy.periodic_orbit(sy.Rossler(c=c), y, t).period


for c in cs:
    orbit = sy.periodic_orbit(sy.Rossler(c=c), guess, period)
    guess, period = orbit.state, float(orbit.period)
    periods.append(period)
    slopes.append(float(jax.grad(period_of)(c, guess, period)))
    mu = np.asarray(orbit.floquet_multipliers)
    nontrivial = np.delete(mu, np.argmin(np.abs(mu - 1)))  # drop the multiplier 1 (the flow)
    multipliers.append(np.max(np.abs(nontrivial)))
    orbits.append(sy.trajectory(sy.Rossler(c=c), period, y0=orbit.state, n_points=400).ys)

h = 1e-5 if X64 else 1e-2  # central differences need a larger step in float32
fd = (period_of(cs[-1] + h, guess, period) - period_of(cs[-1] - h, guess, period)) / (2 * h)
print(f"dT/dc at c = {cs[-1]:.2f}: implicit {slopes[-1]:.8f}, central differences {fd:.8f}")

fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 3.8), layout="constrained")
for c, ys in zip(cs, orbits, strict=True):
    ax1.plot(ys[:, 0], ys[:, 1], lw=0.8, label=f"c = {c:.2f}")
ax1.set(xlabel="x", ylabel="y", title="Period-one orbits of Rössler")
ax1.legend(fontsize=7)
ax2.plot(cs, periods, "o-", label="T(c)")
for c, t, s in zip(cs, periods, slopes, strict=True):
    ax2.plot([c - 0.05, c + 0.05], [t - 0.05 * s, t + 0.05 * s], "r-", lw=2)
ax2.set(xlabel="c", ylabel="period T", title="Period and its implicit slope (red)")
plt.show()
print("largest non-trivial |Floquet multiplier| per c:", np.round(multipliers, 3))

# %% [markdown]
# ## 3. The steady state of a PDE and its parameter derivative
# −u'' + u + u³ = a f(x) on a periodic grid, with f manufactured so that u* = sin x + ½cos 2x
# at a = 1. Newton–Krylov (GMRES on Jacobian–vector products) finds u*; forward mode through
# the solve (`jax.jacfwd`) gives the whole sensitivity field ∂u*/∂a.


# %%
class ForcedElliptic(sp.AbstractSemilinearPDE):
    """u_t = u_xx − u − u³ + a f(x)."""

    amplitude: jax.Array = sp.parameter(1.0)
    forcing: jax.Array = sp.parameter(0.0)

    def linear(self, grid):
        return -grid.wavenumber_norm_squared(real=True) - 1.0

    def nonlinear(self, u_hat, grid):
        u = self.to_physical(u_hat, grid)
        return self.dealias(self.to_spectral(-(u**3) + self.amplitude * self.forcing, grid), grid)


grid = sp.FourierGrid(64, 2 * np.pi)
(x,) = grid.mesh()
exact = jnp.sin(x) + 0.5 * jnp.cos(2 * x)
forcing = -(-jnp.sin(x) - 2 * jnp.cos(2 * x)) + exact + exact**3


def steady(amplitude):
    pde = ForcedElliptic(amplitude=amplitude, forcing=forcing)
    return sp.steady_state(pde, grid, jnp.zeros(64)).value


u = steady(1.0)
sensitivity = jax.jacfwd(steady)(1.0)
h = 1e-4 if X64 else 1e-2
fd = (steady(1.0 + h) - steady(1.0 - h)) / (2 * h)
print(f"|u* − exact| = {float(jnp.max(jnp.abs(u - exact))):.1e}")
print(f"|∂u*/∂a − central differences| = {float(jnp.max(jnp.abs(sensitivity - fd))):.1e}")
fig, ax = plt.subplots(figsize=(6, 3.5), layout="constrained")
ax.plot(x, u, label="u* (a = 1)")
ax.plot(x, sensitivity, label="∂u*/∂a (implicit, forward mode)")
ax.plot(x[::4], fd[::4], "k.", label="central differences")
ax.set(xlabel="x", title="Steady state and its sensitivity")
ax.legend()
plt.show()

# %% [markdown]
# ## 4. A bilevel fit: tuning ridge regularisation by gradient descent
# The inner problem w*(λ) = argmin ½‖Xw − y‖² + ½λ‖w‖² on training data; the outer loss is
# the validation error of w*(λ). Its gradient in log λ flows through `argmin` implicitly, and
# Adam walks log λ to the minimum of the validation curve.

# %%
key = jax.random.split(jax.random.PRNGKey(0), 4)
n_features = 30
true_w = jax.random.normal(key[0], (n_features,)) * (jnp.arange(n_features) < 5)
x_train = jax.random.normal(key[1], (40, n_features))
x_valid = jax.random.normal(key[2], (200, n_features))
noise = jax.random.normal(key[3], (240,))
y_train = x_train @ true_w + 1.0 * noise[:40]
y_valid = x_valid @ true_w + 1.0 * noise[40:]


def inner(w, log_lam):
    return 0.5 * jnp.sum((x_train @ w - y_train) ** 2) + 0.5 * jnp.exp(log_lam) * jnp.sum(w**2)


def validation(log_lam):
    w = im.argmin(inner, jnp.zeros(n_features), log_lam).value
    return jnp.mean((x_valid @ w - y_valid) ** 2)


optimiser = optax.adam(0.4)
log_lam = jnp.asarray(-2.0)
state = optimiser.init(log_lam)
path = []
step = jax.jit(jax.value_and_grad(validation))
for _ in range(10 if FAST else 40):
    loss, grad = step(log_lam)
    path.append((float(log_lam), float(loss)))
    updates, state = optimiser.update(grad, state)
    log_lam = optax.apply_updates(log_lam, updates)

grid_lams = jnp.linspace(-4.0, 6.0, 40)
curve = jax.vmap(validation)(grid_lams)
fig, ax = plt.subplots(figsize=(6, 3.5), layout="constrained")
ax.plot(grid_lams, curve, label="validation loss")
ax.plot(*np.array(path).T, "o-", ms=3, label="Adam on log λ")
ax.set(xlabel="log λ", ylabel="validation MSE", title="Bilevel ridge regression")
ax.legend()
plt.show()
best = float(grid_lams[jnp.argmin(curve)])
print(f"log λ after descent: {float(log_lam):.3f}; best on the grid: {best:.3f}")

# %% [markdown]
# ## 5. What implicit differentiation saves
# The gradient through n forward iterations of z = tanh(Wz + x) (64 unknowns): unrolled
# reverse mode stores every iterate, so its memory grows with n; the implicit gradient needs
# the solution alone and one backward solve. Memory is XLA's temporary allocation of the
# compiled gradient (`memory_analysis()`); times are medians after compilation.

# %%
iterations = (10, 100) if FAST else (10, 100, 1000)
rows = [jd.bench.gradient_cost(n, m) for n in iterations for m in ("implicit", "unrolled")]
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 3.5), layout="constrained")
for method in ("implicit", "unrolled"):
    mine = [r for r in rows if r["method"] == method]
    ax1.loglog(iterations, [r["temp_bytes"] / 1024 for r in mine], "o-", label=method)
    ax2.loglog(iterations, [r["run_s"] * 1e3 for r in mine], "o-", label=method)
ax1.set(xlabel="forward iterations", ylabel="gradient memory (KiB)", title="Memory")
ax2.set(xlabel="forward iterations", ylabel="gradient time (ms)", title="Time")
ax1.legend()
plt.show()
for r in rows:
    print(f"{r['method']:9s} n = {r['iterations']:5d}: {r['temp_bytes'] / 1024:8.1f} KiB, "
          f"{r['run_s'] * 1e3:7.3f} ms")  # fmt: skip
deq = jd.bench.equilibrium_forward_backward(64)
print(f"deep-equilibrium solve: backward/forward time = {deq['backward_over_forward']:.2f}")
