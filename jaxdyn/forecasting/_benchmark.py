"""The forecasting benchmarks over the catalog: protocol A of the dysts paper (Gilpin,
NeurIPS 2021; sMAPE of a 200-point forecast) and protocol B, the zero-shot setting of Zhang
& Gilpin (ICLR 2025; valid prediction time in Lyapunov times from a 512-point context)."""

import json
import math
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import jax
import jax.numpy as jnp
import numpy as np

from .._checks import check_positive
from ..io import resumable_record, write_text_atomic
from ..metrics import smape
from ..nn import NVAR, EchoStateNetwork
from ..systems import dataset, get, names
from ._baselines import climatological_mean, context_parroting, persistence
from ._trained import (
    fitted_forecasts,
    stacked,
    trained_neural_ode,
    trained_plrnn,
    validated_nvar_forecasts,
)


def _each(forecast):
    """A forecaster of one context, vmapped over a batch of them."""
    return lambda contexts, n, keys: jax.vmap(lambda context: forecast(context, n))(contexts)


def _fitted(models, contexts, n):
    return fitted_forecasts(stacked(models), contexts, ((contexts, n),))[0]


# Trained by gradient descent in `nn.fit`'s loop (divergence checks, checkpoints): one
# context at a time, so a run that diverges fails alone and costs no other run its training.
_ONE_AT_A_TIME = {"plrnn": trained_plrnn, "neural_ode": trained_neural_ode}

# model name: forecast(contexts (batch, time, dim), n_steps, keys (batch,)) -> (batch,
# n_steps, dim), one context per initial condition, vmapped where the model allows.
MODELS: dict[str, Callable] = {
    "mean": _each(climatological_mean),
    "persistence": _each(persistence),
    "parroting": _each(context_parroting),
    "linear": lambda contexts, n, keys: _fitted(
        [NVAR(contexts.shape[2], delays=5, quadratic=False)] * contexts.shape[0], contexts, n
    ),
    "nvar": lambda contexts, n, keys: validated_nvar_forecasts(contexts, n),
    "esn": lambda contexts, n, keys: _fitted(
        [EchoStateNetwork(contexts.shape[2], 500, key) for key in keys], contexts, n
    ),
    **{
        name: lambda contexts, n, keys, train=train: jnp.stack([
            train(context, n, key=key) for context, key in zip(contexts, keys, strict=True)
        ])
        for name, train in _ONE_AT_A_TIME.items()
    },
}  # fmt: skip
QUICK_SYSTEMS = (
    "Lorenz", "Rossler", "Chen", "Halvorsen", "SprottA", "Thomas", "Aizawa", "Rucklidge",
    "DoublePendulum", "MackeyGlass",
)  # fmt: skip


def protocol_a(
    systems: Sequence[str] | None = None,
    models: Sequence[str] = tuple(MODELS),
    *,
    key: jax.Array,
    n_initial_conditions: int = 1,
    points_per_period: int = 100,
    n_train: int = 1000,
    n_test: int = 200,
    path: str | Path | None = None,
    progress: bool = False,
) -> dict:
    """Protocol A of the dysts benchmark: for each system, trajectories of `n_train` +
    `n_test` points at `points_per_period` per dominant period (`systems.dataset`, not
    standardised: the raw coordinates dysts released), each model fitted to the first
    `n_train` points and forecasting the next `n_test`, scored by sMAPE on the 0–200 scale
    over all coordinates (`jaxdyn.metrics.smape`: a non-finite forecast scores `inf`, so a
    broken model can never look good).

    **Arguments:** `systems` (catalog names; default all of `systems.names()`), `models`
    (names in `MODELS`), `key`, the protocol's sizes, and `path`: a JSON file that every
    system's runs are saved to as they finish; runs already in it are not redone (an
    interrupted benchmark resumes; the file must hold the same protocol and settings).
    JAX's compilation caches are cleared after each system (`jax.clear_caches`), so a
    whole-catalog run holds one system's compiled programs at a time.

    **Returns:** `{"protocol", "settings", "runs": [{system, model, initial_condition,
    smape, seconds[, error]}], "skipped": {system: reason}, "summary": {model: {median,
    quartiles, failed, runs}}}`.
    """
    what = "protocol_a"
    sizes = _sizes(what, n_initial_conditions=n_initial_conditions,
                   points_per_period=points_per_period, n_train=n_train, n_test=n_test)  # fmt: skip

    def data(name, key):
        return dataset(
            name, key=key, points_per_period=points_per_period,
            n_periods=(n_train + n_test) / points_per_period,
            n_initial_conditions=n_initial_conditions,
            train_fraction=n_train / (n_train + n_test), standardize=False,
        )  # fmt: skip

    def score(test, forecast):
        return float(smape(test, forecast))

    return _run(what, "smape", systems, models, key, sizes, data, score, path, progress)


def protocol_b(
    systems: Sequence[str] | None = None,
    models: Sequence[str] = tuple(MODELS),
    *,
    key: jax.Array,
    n_initial_conditions: int = 20,
    points_per_lyapunov_time: int = 30,
    n_context: int = 512,
    n_forecast: int = 300,
    threshold: float = 30.0,
    path: str | Path | None = None,
    progress: bool = False,
) -> dict:
    """Protocol B, the zero-shot setting of Zhang & Gilpin (ICLR 2025): for each system,
    `n_initial_conditions` trajectories sampled at `points_per_lyapunov_time` per Lyapunov
    time 1/λ₁ (λ₁ from the computed invariants, `info().computed`), each model given the
    first `n_context` points and forecasting `n_forecast` (10 Lyapunov times), scored by the
    valid prediction time: the first time the sMAPE over the coordinates at one instant,
    200·mean_i |x̂ᵢ − xᵢ|/(|x̂ᵢ| + |xᵢ|), exceeds `threshold`, in Lyapunov times (the whole
    horizon if it never does; a failed or non-finite forecast stops it there: 0 for a model
    that raised). Systems whose computed λ₁ is not significantly positive (≤ 3 × its spread
    over initial conditions, or under one e-fold over the run that measured it: periodic,
    quasi-periodic or conservative-regular ones) have no Lyapunov time and are skipped, with
    the reason, as are those whose invariants or data could not be computed. Arguments as
    `protocol_a`.

    **Returns:** as `protocol_a`, with `vpt` (Lyapunov times) in place of `smape`; the
    summary's median and quartiles are of VPT (higher is better).
    """
    what = "protocol_b"
    sizes = _sizes(what, n_initial_conditions=n_initial_conditions,
                   points_per_lyapunov_time=points_per_lyapunov_time, n_context=n_context,
                   n_forecast=n_forecast)  # fmt: skip
    threshold = check_positive(threshold, "threshold", what)
    if not threshold < 200:
        raise ValueError(f"{what}: expected threshold < 200 (sMAPE's range), got {threshold}")
    sizes["threshold"] = threshold

    def data(name, key):
        system = get(name)
        ours = system.info().computed
        if ours is None:
            raise ValueError("no Lyapunov time: the system's invariants were not computed")
        # Significant: above 3 × its spread over initial conditions, and at least one e-fold
        # over the run that measured it (Torus's 2e-16 has spread 0).
        floor = 1 / (ours.n_periods * (ours.dominant_period or system.period()))
        exponent, spread = ours.maximum_lyapunov, ours.lyapunov_spread[0]
        if not (exponent > 3 * spread and exponent > floor):
            raise ValueError(
                f"not chaotic: λ₁ = {exponent:.3g} ± {spread:.1g} is not significantly positive"
            )
        return dataset(
            name, key=key, unit="lyapunov_time", points_per_period=points_per_lyapunov_time,
            n_periods=(n_context + n_forecast) / points_per_lyapunov_time,
            n_initial_conditions=n_initial_conditions,
            train_fraction=n_context / (n_context + n_forecast), standardize=False,
        )  # fmt: skip

    def score(test, forecast):
        steps = np.asarray(jax.vmap(smape)(test, forecast))
        beyond = ~(steps <= threshold)  # a non-finite step ends the valid time too
        valid = int(np.argmax(beyond)) if beyond.any() else steps.size
        return valid / points_per_lyapunov_time

    return _run(what, "vpt", systems, models, key, sizes, data, score, path, progress)


def _sizes(what, **sizes) -> dict:
    for name, value in sizes.items():
        check_positive(value, name, what, integer=True)
    return dict(sizes)


_FAILED = {"smape": math.inf, "vpt": 0.0}  # what a model that raised scores
_LOWER_IS_BETTER = {"smape": True, "vpt": False}


def _run(what, metric, systems, models, key, settings, data, score, path, progress) -> dict:
    """Every model on every system's initial conditions, scored; saved to `path` after each
    system, resuming what it already holds."""
    systems = list(names() if systems is None else systems)
    unknown = [m for m in models if m not in MODELS]
    if unknown:
        raise ValueError(f"{what}: unknown model(s) {unknown}; expected some of {list(MODELS)}")
    if not systems or not models:
        raise ValueError(f"{what}: expected at least one system and one model")
    missing = [name for name in systems if name not in names()]
    if missing:
        raise ValueError(f"{what}: unknown system(s) {missing}; systems.names() lists them")
    store = _open(path, what, settings)
    done = {(r["system"], r["model"], r["initial_condition"]) for r in store["runs"]}
    for s_index, name in enumerate(systems):
        if name in store["skipped"]:
            continue
        todo = {
            model: [ic for ic in range(settings["n_initial_conditions"])
                    if (name, model, ic) not in done]
            for model in models
        }  # fmt: skip
        if not any(todo.values()):
            continue
        try:
            series = data(name, jax.random.fold_in(key, s_index))
        except (ValueError, RuntimeError) as error:  # no Lyapunov time, or the orbit blew up:
            # recorded, and the benchmark goes on
            store["skipped"][name] = str(error).splitlines()[0]
            _save(path, store)
            continue
        for m_index, model in enumerate(models):
            seeds = {ic: 1_000_003 * s_index + 1009 * ic + m_index for ic in todo[model]}
            store["runs"] += _model_runs(name, model, series, seeds, key, metric, score)
        _save(path, store)
        # Every system compiles its own programs (its shapes, NVAR's candidates, the trained
        # networks); kept, they filled the JIT's code memory after 36 systems of protocol A.
        jax.clear_caches()
        if progress:
            print(f"{what}: {s_index + 1}/{len(systems)} {name}", flush=True)
    selected = set(systems)
    runs = [r for r in store["runs"] if r["system"] in selected and r["model"] in models]
    skipped = {k: v for k, v in store["skipped"].items() if k in selected}
    return {"protocol": what, "settings": settings, "runs": runs, "skipped": skipped,
            "summary": summarize(runs, metric)}  # fmt: skip


def _model_runs(name, model, series, seeds, key, metric, score) -> list[dict]:
    """`model`'s runs on the initial conditions in `seeds` ({ic: seed of its model key}):
    all in one batch (one compiled call) unless the model trains one context at a time; a
    batch that raises is run again one by one, so one initial condition's failure is
    recorded with its reason and fails no other. `seconds` is a run's share of its batch."""
    if not seeds:
        return []
    batches = [[ic] for ic in seeds] if model in _ONE_AT_A_TIME else [list(seeds)]
    runs = []
    while batches:
        ics = batches.pop(0)
        keys = jax.vmap(lambda seed: jax.random.fold_in(key, seed))(
            jnp.array([seeds[ic] for ic in ics])
        )
        start = time.perf_counter()
        try:
            contexts = series.train[np.array(ics)]
            forecasts = np.asarray(MODELS[model](contexts, series.test.shape[1], keys))
        except (ValueError, RuntimeError, FloatingPointError) as exception:
            if len(ics) > 1:
                batches = [[ic] for ic in ics] + batches
                continue
            forecasts, failure = None, str(exception).splitlines()[0]
        seconds = (time.perf_counter() - start) / len(ics)
        for row, ic in enumerate(ics):
            if forecasts is None:
                value, error = _FAILED[metric], failure
            else:
                value, error = score(series.test[ic], forecasts[row]), None
                if not np.all(np.isfinite(forecasts[row])):  # scored as far as it went
                    error = "the forecast became non-finite (the model diverged)"
            runs.append({
                "system": name, "model": model, "initial_condition": ic, metric: value,
                "seconds": seconds, **({"error": error} if error else {}),
            })  # fmt: skip
    return runs


def _open(path, what, settings) -> dict:
    try:
        return resumable_record(
            path, {"protocol": what, "settings": settings}, {"runs": [], "skipped": {}}
        )
    except ValueError as error:
        raise ValueError(f"{what}: {error}") from None


def _save(path, store) -> None:
    if path is not None:
        store["summary"] = summarize(store["runs"], "vpt" if store["protocol"] == "protocol_b"
                                     else "smape")  # fmt: skip
        write_text_atomic(path, json.dumps(store, indent=1) + "\n")


def summarize(runs: list[dict], metric: str = "smape") -> dict:
    """Median and quartiles of `metric` ("smape" or "vpt") per model, over systems and initial
    conditions, and the failures (a model that raised or returned non-finite values: it
    scores sMAPE `inf` or VPT 0, so it lowers the standing rather than vanishing)."""
    summary = {}
    for model in dict.fromkeys(run["model"] for run in runs):
        mine = [run for run in runs if run["model"] == model]
        scores = np.array([run[metric] for run in mine])
        q1, median, q3 = np.quantile(scores, [0.25, 0.5, 0.75], method="lower")
        failed = sum("error" in run or not math.isfinite(run[metric]) for run in mine)
        summary[model] = {
            "median": float(median), "quartiles": [float(q1), float(q3)],
            "failed": int(failed), "runs": int(scores.size),
        }  # fmt: skip
    return summary


def format_summary(summary: dict, metric: str = "smape") -> str:
    """The summary as a Markdown table, best median first."""
    label = {"smape": "median sMAPE", "vpt": "median VPT (Lyapunov times)"}[metric]
    lines = [f"| model | {label} | quartiles | failed / runs |", "|---|---|---|---|"]
    sign = 1 if _LOWER_IS_BETTER[metric] else -1
    for model, row in sorted(summary.items(), key=lambda item: sign * item[1]["median"]):
        q1, q3 = row["quartiles"]
        failed = f"{row['failed']} / {row['runs']}"
        lines.append(f"| {model} | {row['median']:.2f} | {q1:.2f}–{q3:.2f} | {failed} |")
    return "\n".join(lines)
