"""The forecasting benchmark of the dysts paper (Gilpin, NeurIPS 2021), protocol A: every
model forecasts every system from its training part, scored by sMAPE."""

import math
import time
from collections.abc import Callable, Sequence

import jax
import numpy as np

from .._checks import check_positive
from ..metrics import smape
from ..nn import NVAR, EchoStateNetwork
from ..systems import dataset, names
from ._baselines import climatological_mean, context_parroting, persistence

# model name: forecast(train (time, dim), n_steps, key) -> (n_steps, dim)
MODELS: dict[str, Callable] = {
    "mean": lambda train, n, key: climatological_mean(train, n),
    "persistence": lambda train, n, key: persistence(train, n),
    "parroting": lambda train, n, key: context_parroting(train, n),
    "nvar": lambda train, n, key: NVAR(train.shape[1]).fit(train).forecast(train, n),
    "esn": lambda train, n, key: (
        EchoStateNetwork(train.shape[1], 500, key).fit(train).forecast(train, n)
    ),
}
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
    progress: bool = False,
) -> dict:
    """Protocol A of the dysts benchmark: for each system, trajectories of `n_train` +
    `n_test` points at `points_per_period` per dominant period (`systems.dataset`, not
    standardised: the raw coordinates dysts released), each model fitted to the first
    `n_train` points and forecasting the next `n_test`, scored by sMAPE on the 0–200 scale
    over all coordinates (`jaxdyn.metrics.smape`: a non-finite forecast scores `inf`, so a
    broken model can never look good).

    **Arguments:** `systems` (catalog names; default all of `systems.names()`), `models`
    (names in `MODELS`), `key`, and the protocol's sizes.

    **Returns:** `{"runs": [{system, model, initial_condition, smape, seconds}],
    "summary": {model: {median, quartiles, failed, runs}}}`.
    """
    what = "protocol_a"
    systems = list(names() if systems is None else systems)
    unknown = [m for m in models if m not in MODELS]
    if unknown:
        raise ValueError(f"{what}: unknown model(s) {unknown}; expected some of {list(MODELS)}")
    if not systems or not models:
        raise ValueError(f"{what}: expected at least one system and one model")
    for name, value in (("n_initial_conditions", n_initial_conditions),
                        ("points_per_period", points_per_period), ("n_train", n_train),
                        ("n_test", n_test)):  # fmt: skip
        check_positive(value, name, what, integer=True)
    runs = []
    for s_index, name in enumerate(systems):
        data = dataset(
            name, key=jax.random.fold_in(key, s_index), points_per_period=points_per_period,
            n_periods=(n_train + n_test) / points_per_period,
            n_initial_conditions=n_initial_conditions,
            train_fraction=n_train / (n_train + n_test), standardize=False,
        )  # fmt: skip
        for ic in range(n_initial_conditions):
            train, test = data.train[ic], data.test[ic]
            for m_index, model in enumerate(models):
                start = time.perf_counter()
                model_key = jax.random.fold_in(key, 1_000_003 * s_index + 1009 * ic + m_index)
                try:
                    forecast = MODELS[model](train, test.shape[0], model_key)
                    score = float(smape(test, forecast))
                except (ValueError, RuntimeError, FloatingPointError) as error:
                    score, forecast = math.inf, str(error).splitlines()[0]
                runs.append({
                    "system": name, "model": model, "initial_condition": ic, "smape": score,
                    "seconds": time.perf_counter() - start,
                    **({"error": forecast} if isinstance(forecast, str) else {}),
                })  # fmt: skip
        if progress:
            print(f"protocol A: {s_index + 1}/{len(systems)} {name}", flush=True)
    return {"runs": runs, "summary": summarize(runs)}


def summarize(runs: list[dict]) -> dict:
    """Median and quartiles of sMAPE per model (over systems and initial conditions; a failed
    run counts as +inf, so it raises the median rather than vanishing), and the failures."""
    summary = {}
    for model in dict.fromkeys(run["model"] for run in runs):
        scores = np.array([run["smape"] for run in runs if run["model"] == model])
        q1, median, q3 = np.quantile(scores, [0.25, 0.5, 0.75], method="lower")
        summary[model] = {
            "median": float(median), "quartiles": [float(q1), float(q3)],
            "failed": int(np.sum(~np.isfinite(scores))), "runs": int(scores.size),
        }  # fmt: skip
    return summary


def format_summary(summary: dict) -> str:
    """The summary as a Markdown table, best median first."""
    lines = ["| model | median sMAPE | quartiles | failed / runs |", "|---|---|---|---|"]
    for model, row in sorted(summary.items(), key=lambda item: item[1]["median"]):
        q1, q3 = row["quartiles"]
        failed = f"{row['failed']} / {row['runs']}"
        lines.append(f"| {model} | {row['median']:.1f} | {q1:.1f}–{q3:.1f} | {failed} |")
    return "\n".join(lines)
