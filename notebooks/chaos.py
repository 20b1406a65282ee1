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
# # Chaotic systems with `jaxdyn.systems`
#
# The flows of the dysts database (Gilpin 2021) as differentiable Equinox modules, integrated
# with diffrax: a gallery of attractors, the convergence of Lorenz's Lyapunov spectrum to the
# published values, a bifurcation diagram from one vmapped parameter sweep, and the gradient
# of a time average with respect to a parameter.
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

sy, sp = jd.systems, jd.spectral
print(f"{len(sy.names())} systems in the catalog")

# %% [markdown]
# ## 1. A gallery of attractors
# Each system starts from its point on the attractor and runs for 30 dominant periods; delay
# equations (a scalar x(t)) are drawn in the delay coordinates (x(t), x(t + τ)).

# %%
gallery = sy.names()[:: 6 if FAST else 2]
columns = 5
rows = -(-len(gallery) // columns)
fig, axes = plt.subplots(
    rows, columns, figsize=(3 * columns, 2.8 * rows), layout="constrained", dpi=50
)  # thumbnails: a modest image for the whole catalog
for ax, name in zip(axes.flat, gallery, strict=False):
    system = sy.get(name)
    sol = sy.trajectory(system, 30 * system.period(), n_points=3000, throw=False)
    # A run that failed says so in its panel's title rather than showing a partial picture.
    title = name if bool(sol.ok) else f"{name}: {jd.RESULTS[sol.stats.result]}"
    if isinstance(system, sy.AbstractDelaySystem):  # scalar x(t): draw (x(t), x(t + τ))
        coordinates = sy.delay_coordinates(system, sol.ts, sol.ys)
        jd.plot.attractor(coordinates, components=(0, 1), ax=ax, title=title, lw=0.3)
    else:
        jd.plot.attractor(sol.ys, ax=ax, title=title, lw=0.3)
    ax.set(xlabel="", ylabel="", xticks=[], yticks=[])
for ax in list(axes.flat)[len(gallery) :]:
    ax.axis("off")
plt.show()

# %% [markdown]
# ## 2. Lorenz's Lyapunov spectrum
# Tangent vectors pushed through the flow by `jax.jvp` and re-orthonormalised by QR every
# τ = period/10. The running estimates settle on Sprott's (0.9056, 0, −14.5723); the sum is
# −(σ + 1 + β) at every step, since the Jacobian's trace is constant for Lorenz.

# %%
lorenz = sy.Lorenz(beta=8 / 3)
t1 = 200.0 if FAST else 1500.0
result = sy.lyapunov_spectrum(lorenz, t1=t1, history=True, progress=True)
spectrum, running = result.exponents, result.running
times = np.arange(1, running.shape[0] + 1) * lorenz.period() / 10
published = np.array(sy.Lorenz.published.lyapunov_spectrum)
print("spectrum:", np.asarray(spectrum), " published:", published)
print("Kaplan–Yorke dimension:", float(sy.kaplan_yorke_dimension(spectrum)), "(published 2.0621)")
error = abs(float(spectrum[0]) / published[0] - 1)
print(
    f"λ₁ relative error {error:.2%}; expected ≤ 1% in float64, ≤ 2% in float32 ({PRECISION} here)"
)

fig, axes = plt.subplots(1, 2, figsize=(12, 4), layout="constrained")
for i, color in enumerate(["C0", "C1"]):
    axes[0].plot(times, running[:, i], color, label=f"λ{i + 1}")
    axes[0].axhline(published[i], color=color, ls="--", lw=0.8)
axes[0].set(xlabel="averaging time", ylabel="running estimate", title="λ₁, λ₂ (dashed: published)")
axes[0].legend()
axes[1].semilogx(times, np.abs(running[:, 0] / published[0] - 1), label="|λ₁/λ₁* − 1|")
axes[1].semilogx(times, np.abs(running[:, 2] / published[2] - 1), label="|λ₃/λ₃* − 1|")
axes[1].set(xlabel="averaging time", yscale="log", title="relative error")
axes[1].legend()
plt.show()

# %% [markdown]
# ## 3. A bifurcation diagram from one vmapped sweep
# Rössler's c from 2 to 6: one `ensemble` call integrates every parameter value at once
# (sharded over devices when there are several); the local maxima of x after the transient
# trace the period-doubling cascade into chaos.

# %%
cs = jnp.linspace(2.0, 6.0, 60 if FAST else 300)
systems = jax.vmap(lambda c: sy.Rossler(c=c))(cs)
y0s = jnp.tile(sy.Rossler().default_ic(), (cs.size, 1))
sweep = sy.ensemble(
    systems, y0s, 300.0, batched_parameters=True, t_transient=200.0, n_points=4000, throw=False
)
x = np.asarray(sweep.ys[:, :, 0])
is_peak = (x[:, 1:-1] > x[:, :-2]) & (x[:, 1:-1] > x[:, 2:])
fig, ax = plt.subplots(figsize=(8, 4.5), layout="constrained")
for c, peaks, xs in zip(np.asarray(cs), is_peak, x[:, 1:-1], strict=True):
    ax.plot(np.full(peaks.sum(), c), xs[peaks], "k.", ms=0.8)
ax.set(xlabel="c", ylabel="local maxima of x", title="Rössler (a = b = 0.2): period doubling")
plt.show()

# %% [markdown]
# ## 4. Gradient of a time average with respect to a parameter
# ⟨z⟩_T of Lorenz as a function of ρ, differentiated by reverse mode through the adaptive
# solver and compared with central differences. For short T the two agree; as T grows the
# gradient of a single chaotic trajectory grows like e^{λ₁T} and stops describing the
# derivative of the long-time average (the reason for shadowing and ensemble methods).


# %%
def mean_z(rho, horizon):
    ys = sy.trajectory(sy.Lorenz(rho=rho), horizon, n_points=200, rtol=1e-12 if X64 else 1e-5).ys
    return jnp.mean(ys[:, 2])


for horizon in [0.5, 1.0, 2.0] if FAST else [0.5, 1.0, 2.0, 4.0, 8.0]:
    grad = jax.grad(mean_z)(28.0, horizon)
    h = 1e-5 if X64 else 1e-2  # central differences need a larger step in float32
    fd = (mean_z(28.0 + h, horizon) - mean_z(28.0 - h, horizon)) / (2 * h)
    print(f"T = {horizon:4.1f}:  d⟨z⟩/dρ = {float(grad): .6f}   finite difference {float(fd): .6f}")

rhos = jnp.linspace(24.0, 32.0, 9 if FAST else 33)
means = jax.vmap(lambda r: mean_z(r, 1.0))(rhos)
slopes = jax.vmap(jax.grad(lambda r: mean_z(r, 1.0)))(rhos)
fig, ax = plt.subplots(figsize=(7, 4), layout="constrained")
ax.plot(rhos, means, "o-", label="⟨z⟩ over T = 1")
for r, m, s in zip(np.asarray(rhos), np.asarray(means), np.asarray(slopes), strict=True):
    ax.plot([r - 0.2, r + 0.2], [m - 0.2 * s, m + 0.2 * s], "r-", lw=1.5)
ax.set(xlabel="ρ", ylabel="⟨z⟩", title="time average and its gradient (red tangents)")
ax.legend()
plt.show()

# %% [markdown]
# ## 5. Shadowing: the derivative of the long-time average
# The derivative of ⟨z⟩ itself is carried by the shadowing direction, the bounded solution
# of the tangent equation. `sy.long_time_average` computes ⟨z⟩ and gives `jax.grad` that
# derivative (NILSS, Ni & Wang 2017): finite differences over hundreds of long trajectories
# give d⟨z⟩/dρ = 1.0036 at ρ = 28. The same machinery differentiates λ₁ (0.0248 by finite
# differences of long runs; shadowing is about 12% low: it gives only the shadowing
# contribution to the linear response, not the unstable one — the next cell adds it).

# %%
lorenz = sy.Lorenz(beta=8 / 3)
gradient = jax.grad(lambda s: sy.long_time_average(s, lambda y: y[2]))(lorenz)
print(f"d⟨z⟩/dρ by shadowing: {float(gradient.rho):.4f}  (finite differences: 1.0036; expected"
      f" within 5% in float32 and float64)")  # fmt: skip
sensitivity = sy.max_lyapunov_sensitivity(lorenz, t1=150.0 if FAST else 600.0)
print(f"λ₁ = {float(sensitivity.average):.4f}, dλ₁/dρ = {float(sensitivity.gradient.rho):.4f}")

# %% [markdown]
# ### The whole derivative: linear response
# Shadowing leaves out the *unstable contribution*, how the attractor's measure shifts along
# its unstable manifolds. `sy.linear_response` adds it (space-split sensitivity: the tangent
# is split against the centre-unstable subspace each step, and its unstable part is moved
# onto J by integrating by parts along the unstable manifold, where the measure's density
# gradient follows a recursion of its own). The answer is statistical: it comes with a
# standard error from batch means, which falls like 1/√T. Shadowing trades that variance for
# a bias: on d⟨z⟩/dρ both are small; on dλ₁/dρ one orbit's linear response scatters by about
# 0.005, so its mean over many orbits is the estimate (0.0244 ± 0.0008 over 48 in the README,
# where shadowing stays at 0.022 however long it runs). The third estimate needs no tangent
# dynamics at all: `sy.finite_difference_sensitivity` runs 16 orbits at ρ and at ρ ± 5% and
# takes central differences of their averages, with a standard error from the orbits' spread.

# %%
t_response = 1500.0 if FAST else 15_000.0
response_z = sy.linear_response(lorenz, lambda y: y[2], t1=t_response)
response_l = sy.linear_response(lorenz, None, t1=t_response)
differences_z = sy.finite_difference_sensitivity(lorenz, lambda y: y[2])
differences_l = sy.finite_difference_sensitivity(lorenz, None)
rows = [
    ("d⟨z⟩/dρ", float(gradient.rho), response_z, differences_z, 1.0036, 0.001),
    ("dλ₁/dρ", float(sensitivity.gradient.rho), response_l, differences_l, 0.0248, 0.0002),
]
fig, axes = plt.subplots(1, 2, figsize=(10, 3.5), layout="constrained")
for ax, (name, nilss, response, differences, reference, reference_error) in zip(
    axes, rows, strict=True
):
    value, error = float(response.gradient.rho), float(response.standard_error.rho)
    fd, fd_error = float(differences.gradient.rho), float(differences.standard_error.rho)
    print(f"{name}: shadowing {nilss:.4f}; linear response {value:.4f} ± {error:.4f} "
          f"(shadowing part {float(response.shadowing.rho):.4f}, unstable part "
          f"{float(response.unstable.rho):.4f}); ensemble differences {fd:.4f} ± {fd_error:.4f};"
          f" long-run reference {reference} ± {reference_error}")  # fmt: skip
    ax.errorbar([0, 1, 2, 3], [nilss, value, fd, reference],
                yerr=[0, error, fd_error, reference_error], fmt="o", capsize=4)  # fmt: skip
    ax.set_xticks([0, 1, 2, 3], ["shadowing", "linear\nresponse", "ensemble\ndifferences",
                                 "long-run\nreference"])  # fmt: skip
    ax.set_title(f"Lorenz {name} at ρ = 28")
plt.show()

# %% [markdown]
# ### Where the tangent methods fail: Kuramoto–Sivashinsky at L = 128
# A spatially extended chaos has many Lyapunov exponents near zero (at L = 128: 0.002,
# 0.004, −0.009, …), along which a shadowing direction is as large as 1/|λ|. Shadowing's
# d⟨u²⟩/dh (h the hyperdiffusion) then scatters from orbit to orbit without converging, while
# central differences of ensemble averages converge like any average. The reference,
# −1.728 ± 0.007, comes from long runs on 256 points and the equation's rescaling identity
# (README); the derivative needs that resolution (on 128 points the same differences give
# −1.796 ± 0.018).

# %%
ks_grid = sp.FourierGrid(128 if FAST else 256, 128.0)
ks_fields = jnp.stack([
    sp.random_field(k, ks_grid, peak_wavenumber=8.0)
    for k in jax.random.split(jax.random.PRNGKey(1), 4 if FAST else 8)
])  # fmt: skip
mean_square = lambda u: jnp.mean(u**2)  # noqa: E731
ks = sp.KuramotoSivashinsky()
shadowed = [
    float(sp.shadowing_sensitivity(ks, ks_grid, u0, mean_square, 500.0 if FAST else 2000.0,
                                   dt=0.25, segment=10.0, t_transient=500.0
                                   ).gradient.hyperdiffusion)
    for u0 in ks_fields
]  # fmt: skip
ks_differences = sp.finite_difference_sensitivity(
    ks, ks_grid, ks_fields, mean_square, 1000.0 if FAST else 10_000.0, dt=0.25,
    t_transient=500.0,
)  # fmt: skip
fd, fd_error = (float(ks_differences.gradient.hyperdiffusion),
                float(ks_differences.standard_error.hyperdiffusion))  # fmt: skip
print("shadowing, orbit by orbit:", np.round(shadowed, 2))
print(f"ensemble differences: {fd:.3f} ± {fd_error:.3f}; reference −1.728 ± 0.007")
fig, ax = plt.subplots(figsize=(6, 3.5), layout="constrained")
ax.plot(np.zeros(len(shadowed)), shadowed, "o", alpha=0.6, label="shadowing, one per orbit")
ax.errorbar([1], [fd], yerr=[fd_error], fmt="s", capsize=4, label="ensemble differences")
ax.axhline(-1.728, color="k", lw=0.8, label="reference (rescaling)")
ax.set_xticks([0, 1], ["shadowing (NILSS)", "central differences"])
ax.set_ylabel("d⟨u²⟩/dh")
ax.set_title("Kuramoto–Sivashinsky, L = 128")
ax.legend(fontsize=8)
plt.show()

# %% [markdown]
# ## 6. λ₁(ρ) over a thousand parameter values, one compiled call
# `sy.lyapunov_spectra` vmaps the Lyapunov computation over a batch of systems (and splits
# the batch across devices when there are several). The map shows the stable fixed points
# C± (λ₁ < 0, equal to the real part of their leading eigenvalue), the chaotic band and the
# periodic windows (λ₁ = 0) such as the one around ρ = 160.

# %% tags=["readme-figure"]
rhos = jnp.linspace(10.0, 200.0, 60 if FAST else 1000)
systems = jax.vmap(lambda r: sy.Lorenz(rho=r, beta=8 / 3))(rhos)
period = sy.Lorenz.period()
spectra = sy.lyapunov_spectra(systems, y0=jnp.ones(3), t1=(50 if FAST else 300) * period,
                              n_exponents=1, throw=False, progress=True)  # fmt: skip
fig, ax = plt.subplots(figsize=(8, 3.5), layout="constrained")
ax.plot(rhos, spectra.exponents[:, 0], lw=0.7)
ax.axhline(0.0, color="k", lw=0.5)
ax.set(xlabel="ρ", ylabel="λ₁", title="Lorenz λ₁(ρ), σ = 10, β = 8/3")
plt.show()

# %% [markdown]
# ## 7. Covariant Lyapunov vectors
# Ginelli's method over the flow sampled every 0.05: the vector of λ₂ = 0 lies along the flow
# f(y) (time translation); the angle between the unstable and stable vectors measures how
# close the attractor comes to a tangency (a loss of hyperbolicity).

# %%
y_start = sy.trajectory(lorenz, 20.0, n_points=2).ys[-1]
step = sy.flow_map(lorenz, 0.05, rtol=1e-9, atol=1e-9)
clv = jd.tangent.covariant_lyapunov_vectors(
    step, y_start, 200 if FAST else 2000, n_transient=300, n_future=300, time_per_step=0.05
)
flow = jax.vmap(lambda y: lorenz.rhs(0.0, y))(clv.states)
flow = flow / jnp.linalg.norm(flow, axis=1, keepdims=True)
sine = jnp.linalg.norm(jnp.cross(flow, clv.vectors[:, :, 1]), axis=1)
print(f"mean |sin(angle(v₂, f))| = {float(jnp.mean(sine)):.1e}")
angle = jnp.degrees(jnp.arccos(jnp.abs(jnp.sum(clv.vectors[:, :, 0] * clv.vectors[:, :, 2], 1))))
fig, ax = plt.subplots(figsize=(8, 3.5), layout="constrained")
sc = ax.scatter(clv.states[:, 0], clv.states[:, 2], c=angle, s=3, cmap="viridis")
fig.colorbar(sc, label="angle between v₁ and v₃ (degrees)")
ax.set(xlabel="x", ylabel="z", title="Lorenz: angle between unstable and stable directions")
plt.show()

# %% [markdown]
# ## 8. The catalog's invariants, computed here
# `sy.compute_invariants` runs the Lyapunov spectrum from several states on the attractor
# (their spread is the convergence estimate), the orbit average of tr Df (Liouville: Σλ must
# equal it), the correlation dimension and the dominant period. The whole catalog's values
# ship with jaxdyn (`info().computed`, made by `jaxdyn --x64 invariants --write`), next to
# dysts's rougher estimates (`info().maximum_lyapunov`).

# %%
ours = sy.compute_invariants(
    "Rossler", key=jax.random.PRNGKey(0), n_initial_conditions=2 if FAST else 4,
    n_periods=20 if FAST else 300,
)  # fmt: skip
print(f"Rössler: λ = {np.round(ours.lyapunov_spectrum, 4)} ± {np.round(ours.lyapunov_spread, 4)}"
      f" (Sprott: 0.0714, 0, −5.3943); Σλ vs ⟨tr Df⟩: {ours.trace_mismatch:.1e}; "
      f"D_KY {ours.kaplan_yorke_dimension:.3f}, D₂ {ours.correlation_dimension:.2f}")  # fmt: skip

infos = {name: sy.get(name).info() for name in sy.names()}
shipped = {name: info for name, info in infos.items() if info.computed is not None}
print("recorded as failed:", sorted(set(infos) - set(shipped)))
chaotic = [n for n, i in shipped.items()
           if i.computed.maximum_lyapunov > 3 * i.computed.lyapunov_spread[0]]  # fmt: skip
lam_ours = np.array([shipped[n].computed.maximum_lyapunov for n in chaotic])
lam_dysts = np.array([shipped[n].maximum_lyapunov for n in chaotic])
mismatch = [i.computed.trace_mismatch for i in shipped.values()
            if i.computed.mean_trace is not None]  # fmt: skip
print(f"{len(chaotic)} of {len(shipped)} systems significantly chaotic; Σλ vs ⟨tr Df⟩ over "
      f"other orbits: median {np.median(mismatch):.1e}, worst {max(mismatch):.1e} "
      f"({len(mismatch)} flows)")  # fmt: skip
fig, axes = plt.subplots(1, 2, figsize=(12, 4), layout="constrained")
axes[0].loglog(lam_ours, lam_dysts, "o", ms=4)
line = [lam_ours.min(), lam_ours.max()]
axes[0].plot(line, line, "k", lw=0.6)
axes[0].set(xlabel="λ₁, jaxdyn", ylabel="λ₁, dysts's estimate", title="λ₁ over the catalog")
axes[1].hist(np.log10(np.maximum(mismatch, 1e-16)), bins=30)
axes[1].set(xlabel="log₁₀ |Σλ − ⟨tr Df⟩| / scale", ylabel="systems",
            title="Liouville's identity over other orbits, every flow")  # fmt: skip
plt.show()

# %% [markdown]
# Over other orbits the identity is only as good as the sampling: a slowly mixing system's
# orbit averages of tr Df differ by 25% between initial conditions. `sy.trace_identity`
# checks it on the very orbit the tangents followed, where only the integration's error is
# left.

# %%
slow = sy.trace_identity(sy.get("GuckenheimerHolmes"), t1=100.0)
print(f"GuckenheimerHolmes, one orbit: Σλ = {float(slow.sum_of_exponents):.8f}, "
      f"⟨tr Df⟩ = {float(slow.mean_trace):.8f}")  # fmt: skip

# %% [markdown]
# ## 9. Forecasting the catalog: models side by side
# The catalog is also a forecasting benchmark (dysts 2021, protocol A): fit each model to
# 1000 points sampled at 100 per dominant period and forecast the next 200, scored by sMAPE
# (0 perfect, 200 worst). `jd.forecasting` holds the baselines that learn nothing
# (climatological mean, persistence, context parroting) and the models that train on the one
# series: NVAR with hyperparameters chosen on a validation split, an echo-state network, a
# shallow PLRNN trained by generalized teacher forcing and a neural ODE. `jaxdyn
# forecast-bench` runs them over all 135 systems, saving as it goes.

# %%
fc = jd.forecasting
data = sy.dataset("Lorenz", key=jax.random.PRNGKey(0), n_periods=12.0, standardize=False)
train, test = data.train[0], data.test[0]
steps = dict(training_steps=200) if FAST else {}
key = jax.random.PRNGKey(1)
forecasts = {
    "parroting": fc.context_parroting(train, 200),
    "NVAR (validated)": fc.validated_nvar(train, 200),
    "echo-state network": jd.nn.EchoStateNetwork(3, 500, key).fit(train).forecast(train, 200),
    "shallow PLRNN + GTF": fc.trained_plrnn(train, 200, key=key, **steps),
    "neural ODE": fc.trained_neural_ode(train, 200, key=key, **steps),
}
fig, ax = plt.subplots(figsize=(11, 4), layout="constrained")
ax.plot(np.arange(-100, 200), np.concatenate([train[-100:, 0], test[:, 0]]), "k", lw=2,
        label="Lorenz x")  # fmt: skip
for name, forecast in forecasts.items():
    score = float(jd.metrics.smape(test, forecast))
    ax.plot(np.arange(200), forecast[:, 0], lw=1, label=f"{name}: sMAPE {score:.1f}")
    print(f"{name:>20}: sMAPE {score:6.1f}")
ax.axvline(0, color="gray", lw=0.6)
ax.set(xlabel="samples after the training series (100 per period)", ylabel="x",
       title="Protocol A on Lorenz: 200-point forecasts from 1000 training points")  # fmt: skip
ax.legend(fontsize=8, loc="lower left")
plt.show()

# %% [markdown]
# Over the whole catalog (`jaxdyn --x64 forecast-bench`, the README's table) the ranking is
# not Lorenz's: the median sMAPE over 135 systems is what the benchmark reports, with every
# diverged forecast counted as a failure scoring `inf`.
