"""Forecast quality and training cost of jaxdyn.nn models on chaotic data.

    python benchmarks/nn_forecasting.py [--json benchmarks/results/nn_cpu.json] [--cases ...]

1. Echo-state networks on Lorenz (dt = 0.02), in float32 and in float64: trained on 12 000
   steps, then 50 forecasts of 500 steps, each from 500 steps of unseen context at a different
   point of the attractor; the valid prediction time (normalised error threshold 0.4 of the
   attractor's scale) in Lyapunov times (λ₁ = 0.9056), its median and quartiles, and the fit
   time (issue 11's protocol; targets in float32: median ≥ 6 with 1000 units, ≥ 4 with 300).
2. A shallow PLRNN (latent 3 = the data, hidden 50; three seeds) trained by generalized teacher
   forcing on standardised Lorenz (dt = 0.01, 100 000 steps), in the GTF paper's setting
   (Hess et al., ICML 2023: α = 0.1, RAdam 1e-3 → 1e-6, 16 sequences of 200 steps per
   batch; float32), then run free for 100 000 steps from the first state of an unseen
   stretch: D_stsp (30 bins per axis, Laplace 1e-5) and D_H (Gaussian smoothing σ = 20)
   against it, and the same distances between two stretches of the true system (the floor
   that finite sampling sets).
3. An FNO (width 32, 16 modes, depth 4) for one step Δt = 1 of Kuramoto–Sivashinsky
   (L = 22, n = 64) from jaxdyn.spectral: relative one-step error on unseen states, and
   the relative error of its own rollout after 1, 5, 10 and 20 steps.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import jax

jax.config.update("jax_enable_x64", True)  # this script owns its process

import equinox as eqx  # noqa: E402
import jax.numpy as jnp  # noqa: E402
import numpy as np  # noqa: E402
import optax  # noqa: E402

import jaxdyn as jd  # noqa: E402
from jaxdyn.bench import time_compiled  # noqa: E402

DT, LYAPUNOV, N_TRAIN, N_TEST, CONTEXT, HORIZON = 0.02, 0.9056, 12_000, 50, 500, 500


def lorenz_data() -> jax.Array:
    total = N_TRAIN + (N_TEST + 1) * (CONTEXT + HORIZON)
    return jd.systems.trajectory(jd.systems.Lorenz(), total * DT, n_points=total, rtol=1e-10).ys


def echo_state(ys, reservoir_size: int, seed: int = 0) -> dict:
    return {
        dtype.__name__: _echo_state(ys.astype(dtype), reservoir_size, seed, dtype)
        for dtype in (jnp.float32, jnp.float64)
    }


def _echo_state(ys, reservoir_size: int, seed: int, dtype) -> dict:
    esn = jd.nn.EchoStateNetwork(3, reservoir_size, jax.random.PRNGKey(seed), dtype=dtype)
    fit = time_compiled(lambda data: esn.fit(data).readout, ys[:N_TRAIN], repeats=3)
    fitted = eqx.filter_jit(esn.fit)(ys[:N_TRAIN])
    forecast = eqx.filter_jit(lambda model, context: model.forecast(context, HORIZON))
    scale = jnp.std(ys[:N_TRAIN], axis=0)
    times = []
    for k in range(N_TEST):
        start = N_TRAIN + k * (CONTEXT + HORIZON) + CONTEXT
        predicted = forecast(fitted, ys[start - CONTEXT : start])
        vpt = jd.metrics.valid_prediction_time(
            ys[start : start + HORIZON], predicted, dt=DT, lyapunov_exponent=LYAPUNOV, scale=scale
        )
        times.append(float(vpt.lyapunov_times))
    q1, median, q3 = np.percentile(times, [25, 50, 75])
    return {
        "model": f"EchoStateNetwork({reservoir_size})",
        "median_vpt_lyapunov_times": float(median),
        "quartiles": [float(q1), float(q3)],
        "fit_s": fit.run_s,
        "fit_compile_s": fit.compile_s,
        "training_steps_per_s": N_TRAIN / fit.run_s,
    }


def plrnn_gtf(steps: int = 50_000, seeds=(1, 2, 3), clipped: bool = False) -> dict:
    n, length = 100_000, 200
    total = 2 * n + 1000
    ys = jd.systems.trajectory(jd.systems.Lorenz(), total * 0.01, n_points=total, rtol=1e-10).ys
    ys = ys[1000:]
    ys = np.asarray((ys - jnp.mean(ys[:n], axis=0)) / jnp.std(ys[:n], axis=0), np.float32)
    train, test = ys[:n], jnp.asarray(ys[n:])
    sequences = jnp.asarray(np.stack([train[s : s + length + 1] for s in range(0, n - length, 50)]))

    def distances(other):
        return {
            "D_stsp": float(jd.metrics.state_space_divergence(test, other, smoothing=1e-5)),
            "D_H": float(jd.metrics.power_spectrum_distance(test, other, smoothing=20.0)),
        }

    runs = []
    for seed in seeds:
        model = jd.nn.ShallowPLRNN(3, 3, 50, jax.random.PRNGKey(seed), clipped=clipped)
        model = jax.tree.map(lambda x: x.astype(jnp.float32) if eqx.is_inexact_array(x) else x,
                             model)  # fmt: skip
        optimizer = optax.radam(optax.exponential_decay(1e-3, steps, 1e-3))
        start = time.perf_counter()
        result = jd.nn.fit(model, lambda m, b: jd.nn.gtf_loss(m, b, 0.1), sequences, steps=steps,
                           key=jax.random.PRNGKey(seed + 100), batch_size=16,
                           optimizer=optimizer, checkpoint_every=5000)  # fmt: skip
        seconds = time.perf_counter() - start
        generated = jnp.concatenate([test[:1], result.model.generate(test[0], n - 1)])
        runs.append({"seed": seed, "train_s": seconds, **distances(generated)})
        print(json.dumps(runs[-1]), flush=True)
    return {
        "model": f"ShallowPLRNN(3, 3, 50{', clipped' if clipped else ''}) + GTF (alpha 0.1)",
        "training_steps": steps,
        "median_D_stsp": float(np.median([r["D_stsp"] for r in runs])),
        "median_D_H": float(np.median([r["D_H"] for r in runs])),
        "runs": runs,
        "true_system_floor": distances(jnp.asarray(train)),
    }


def fno_kuramoto_sivashinsky(steps: int = 3000) -> dict:
    sp = jd.spectral
    grid = sp.FourierGrid(64, 22.0)
    pde = sp.KuramotoSivashinsky()
    u0 = sp.random_field(jax.random.PRNGKey(0), grid, peak_wavenumber=2.0)
    states = sp.solve(pde, grid, u0, 1100.0, dt=0.05, saveat=1101).ys[100:]  # past the transient
    scale = jnp.std(states)
    states = states / scale
    train, test = states[:800], states[800:]
    model = jd.nn.FNO(1, 1, 32, 16, 4, jax.random.PRNGKey(1))

    def loss(m, b):
        return jnp.mean((jax.vmap(m)(b[0][:, None])[:, 0] - b[1]) ** 2)

    start = time.perf_counter()
    result = jd.nn.fit(model, loss, (train[:-1], train[1:]), steps=steps,
                       key=jax.random.PRNGKey(2), batch_size=32)  # fmt: skip
    seconds = time.perf_counter() - start
    step = jax.jit(lambda u: result.model(u[None])[0])
    one_step = jax.vmap(step)(test[:-1])
    relative = float(jnp.linalg.norm(one_step - test[1:]) / jnp.linalg.norm(test[1:]))
    rollout, errors = test[0], {}
    for k in range(1, 21):
        rollout = step(rollout)
        if k in (1, 5, 10, 20):
            errors[k] = float(jnp.linalg.norm(rollout - test[k]) / jnp.linalg.norm(test[k]))
    return {"model": "FNO(width 32, 16 modes, depth 4), KS L = 22, dt = 1", "train_s": seconds,
            "training_steps": steps, "one_step_relative_error": relative,
            "rollout_relative_error": errors}  # fmt: skip


CASES = {
    "esn300": lambda ys: echo_state(ys, 300),
    "esn1000": lambda ys: echo_state(ys, 1000),
    "plrnn": lambda ys: plrnn_gtf(),
    "fno": lambda ys: fno_kuramoto_sivashinsky(),
}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, help="record here; other cases' records are kept")
    parser.add_argument("--cases", nargs="+", choices=list(CASES), default=list(CASES))
    args = parser.parse_args()
    ys = lorenz_data()
    results = {}
    if args.json and args.json.exists():
        results = {
            r["case"]: r for r in json.loads(args.json.read_text())["results"] if "case" in r
        }
    for name in args.cases:
        results[name] = {"case": name, **CASES[name](ys)}
        print(json.dumps(results[name]), flush=True)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        ordered = [results[name] for name in CASES if name in results]
        record = {"device": str(jax.devices()[0]), "jax": jax.__version__, "results": ordered}
        args.json.write_text(json.dumps(record, indent=1) + "\n")


if __name__ == "__main__":
    main()
