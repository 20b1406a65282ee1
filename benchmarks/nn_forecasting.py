"""Forecast quality and training cost of jaxdyn.nn models on chaotic data.

    python benchmarks/nn_forecasting.py [--json benchmarks/results/nn_cpu.json]

Echo-state networks on Lorenz (dt = 0.02, float64): trained on 20 000 steps, then 50
forecasts of 500 steps, each from 200 steps of context at a different point of the
attractor; the valid prediction time (normalised error threshold 0.4 of the attractor's
scale) in Lyapunov times (λ₁ = 0.9056), its median and quartiles, and the fit time
(compiled, median of 3).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import jax

jax.config.update("jax_enable_x64", True)  # this script owns its process

import equinox as eqx  # noqa: E402
import jax.numpy as jnp  # noqa: E402
import numpy as np  # noqa: E402

import jaxdyn as jd  # noqa: E402
from jaxdyn.bench import time_compiled  # noqa: E402

DT, LYAPUNOV, N_TRAIN, N_TEST, CONTEXT, HORIZON = 0.02, 0.9056, 20_000, 50, 200, 500


def lorenz_data() -> jax.Array:
    total = N_TRAIN + (N_TEST + 1) * (CONTEXT + HORIZON)
    return jd.systems.trajectory(jd.systems.Lorenz(), total * DT, n_points=total, rtol=1e-10).ys


def echo_state(ys, reservoir_size: int, seed: int = 0) -> dict:
    esn = jd.nn.EchoStateNetwork(3, reservoir_size, jax.random.PRNGKey(seed))
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


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    ys = lorenz_data()
    results = [echo_state(ys, n) for n in (300, 1000)]
    for r in results:
        print(json.dumps(r))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        record = {"device": str(jax.devices()[0]), "jax": jax.__version__, "results": results}
        args.json.write_text(json.dumps(record, indent=1) + "\n")


if __name__ == "__main__":
    main()
