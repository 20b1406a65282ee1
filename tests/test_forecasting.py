"""Forecasting baselines: context parroting continues a periodic signal exactly and a chaotic
one for a while; the mean and persistence are what they say; inputs are checked."""

import json

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import jaxdyn as jd

fc = jd.forecasting


def test_parroting_continues_a_periodic_signal_exactly(x64):
    t = jnp.arange(300) * 0.1
    series = jnp.stack([jnp.sin(2 * np.pi * t / 5.0), jnp.cos(2 * np.pi * t / 5.0)], 1)
    predicted = fc.context_parroting(series[:200], 100, embedding=5)
    np.testing.assert_allclose(predicted, series[200:], atol=1e-12)


def test_parroting_follows_lorenz_for_a_while(x64):
    ys = jd.systems.trajectory(jd.systems.Lorenz(), 100.0, n_points=4001, rtol=1e-10).ys
    context, truth = ys[:3000], ys[3000:3100]
    predicted = fc.context_parroting(context, 100, embedding=10)
    error = jnp.linalg.norm(predicted - truth, axis=1) / jnp.std(context)
    assert float(error[0]) < 0.1  # the best-matching stretch starts close
    persistence_error = jnp.linalg.norm(fc.persistence(context, 100) - truth, axis=1)
    assert float(jnp.mean(error[:20])) < float(jnp.mean(persistence_error[:20]) / jnp.std(context))


def test_mean_and_persistence(x64):
    context = jnp.array([[1.0, 2.0], [3.0, 4.0], [5.0, 9.0]])
    np.testing.assert_allclose(fc.climatological_mean(context, 2), [[3.0, 5.0], [3.0, 5.0]])
    np.testing.assert_allclose(fc.persistence(context, 2), [[5.0, 9.0], [5.0, 9.0]])


def test_parroting_works_under_jit():
    series = jnp.sin(jnp.arange(100.0) / 3)[:, None]
    run = jax.jit(lambda c: fc.context_parroting(c, 10, embedding=4))
    np.testing.assert_allclose(run(series), fc.context_parroting(series, 10, embedding=4))


@pytest.mark.usefixtures("unchecked")
def test_inputs_are_checked():
    with pytest.raises(ValueError, match=r"context of shape \(time >= 11, dim\)"):
        fc.context_parroting(jnp.ones((10, 2)), 5)
    with pytest.raises(ValueError, match=r"context of shape"):
        fc.persistence(jnp.ones(10), 5)
    with pytest.raises(ValueError, match="embedding"):
        fc.context_parroting(jnp.ones((20, 2)), 5, embedding=0)
    with pytest.raises(ValueError, match="n_steps"):
        fc.climatological_mean(jnp.ones((20, 2)), 0)
    broken = jnp.ones((20, 2)).at[7, 1].set(jnp.nan)
    for baseline in (fc.context_parroting, fc.persistence, fc.climatological_mean):
        with pytest.raises(ValueError, match="context: expected finite"):
            baseline(broken, 5)


def _broken(contexts, n, keys):
    return jnp.full((contexts.shape[0], n, contexts.shape[2]), jnp.nan)


def test_protocol_a_scores_every_model_and_a_broken_one_never_looks_good(x64, monkeypatch):
    models = dict(fc.MODELS)
    models["broken"] = _broken
    monkeypatch.setattr(fc._benchmark, "MODELS", models)
    result = fc.protocol_a(
        ["Lorenz"], ["mean", "nvar", "broken"], key=jax.random.PRNGKey(0), n_train=300,
        n_test=50, points_per_period=50,
    )  # fmt: skip
    assert [run["model"] for run in result["runs"]] == ["mean", "nvar", "broken"]
    scores = {run["model"]: run["smape"] for run in result["runs"]}
    assert 0 <= scores["nvar"] < scores["mean"] <= 200  # a fitted model beats the mean
    assert scores["broken"] == float("inf")
    summary = result["summary"]
    assert summary["broken"]["failed"] == 1 and summary["mean"]["failed"] == 0
    assert "| nvar |" in fc.format_summary(summary).splitlines()[2]  # best first
    with pytest.raises(ValueError, match="unknown model"):
        fc.protocol_a(["Lorenz"], ["oracle"], key=jax.random.PRNGKey(0))


def test_protocol_b_scores_valid_prediction_times_and_skips_what_is_not_chaotic(x64, monkeypatch):
    # Lorenz at 30 points per Lyapunov time from a 512-point context: the echo-state network
    # stays valid for about a Lyapunov time or two (measured 1.0-2.1 over four initial
    # conditions), the mean for none (x and y change sign); a NaN forecast is valid for 0
    # and counted as failed.
    # MackeyGlass at dysts's parameters is not chaotic (λ₁ ≈ 0), nor Torus (λ₁ = 2e-16 with
    # spread 0, under one e-fold in its run); StickSlipOscillator has no computed λ₁: all
    # three skipped, with the reason.
    models = dict(fc.MODELS)
    models["broken"] = _broken
    monkeypatch.setattr(fc._benchmark, "MODELS", models)
    result = fc.protocol_b(
        ["Lorenz", "MackeyGlass", "Torus", "StickSlipOscillator"], ["mean", "esn", "broken"],
        key=jax.random.PRNGKey(0),
        n_initial_conditions=2, n_forecast=150,
    )  # fmt: skip
    skipped = result["skipped"]
    assert set(skipped) == {"MackeyGlass", "Torus", "StickSlipOscillator"}
    assert "not chaotic" in skipped["MackeyGlass"] and "not chaotic" in skipped["Torus"]
    assert "invariants were not computed" in skipped["StickSlipOscillator"]
    vpt = {(run["model"], run["initial_condition"]): run["vpt"] for run in result["runs"]}
    assert len(vpt) == 6
    for ic in range(2):
        assert vpt[("esn", ic)] > 0.5 > vpt[("mean", ic)]
        assert vpt[("broken", ic)] == 0.0
    summary = result["summary"]
    assert summary["broken"]["failed"] == 2 and summary["esn"]["failed"] == 0
    assert "| esn |" in fc.format_summary(summary, "vpt").splitlines()[2]  # best first
    with pytest.raises(ValueError, match="threshold"):
        fc.protocol_b(["Lorenz"], ["mean"], key=jax.random.PRNGKey(0), threshold=250.0)


def test_the_batched_models_forecast_as_the_one_context_ones(x64):
    # The benchmarks run each model on all initial conditions in one vmapped call: the same
    # forecasts, context by context, as the public models give.
    data = jd.systems.dataset("Lorenz", key=jax.random.PRNGKey(1), points_per_period=50,
                              n_periods=6.0, n_initial_conditions=2, standardize=False)  # fmt: skip
    contexts, n = data.train, 20
    keys = jax.vmap(lambda i: jax.random.fold_in(jax.random.PRNGKey(2), i))(jnp.arange(2))
    for i, context in enumerate(contexts):
        esn = jd.nn.EchoStateNetwork(3, 500, keys[i]).fit(context).forecast(context, n)
        linear = jd.nn.NVAR(3, delays=5, quadratic=False).fit(context).forecast(context, n)
        for model, expected in (
            ("esn", esn), ("linear", linear), ("nvar", fc.validated_nvar(context, n)),
            ("parroting", fc.context_parroting(context, n)),
        ):  # fmt: skip
            batched = fc.MODELS[model](contexts, n, keys)[i]
            np.testing.assert_allclose(batched, expected, rtol=1e-9, atol=1e-9, err_msg=model)


def test_one_initial_condition_that_fails_fails_alone(x64, monkeypatch):
    calls = []

    def fragile(contexts, n, keys):  # the batch raises, then the second one alone
        calls.append(contexts.shape[0])
        if contexts.shape[0] > 1 or len(calls) == 3:
            raise RuntimeError("diverged\nwith a long traceback")
        return fc.MODELS["persistence"](contexts, n, keys)

    monkeypatch.setattr(fc._benchmark, "MODELS", {**fc.MODELS, "fragile": fragile})
    result = fc.protocol_a(
        ["Lorenz"], ["fragile"], key=jax.random.PRNGKey(0), n_train=200, n_test=50,
        points_per_period=50, n_initial_conditions=3,
    )  # fmt: skip
    assert calls == [3, 1, 1, 1]
    runs = {run["initial_condition"]: run for run in result["runs"]}
    assert runs[1]["error"] == "diverged" and runs[1]["smape"] == float("inf")
    assert (
        "error" not in runs[0] and np.isfinite(runs[0]["smape"]) and np.isfinite(runs[2]["smape"])
    )
    assert result["summary"]["fragile"]["failed"] == 1


def test_a_system_whose_orbit_fails_is_skipped_with_the_reason(x64, monkeypatch):
    real = fc._benchmark.dataset

    def dataset(name, **options):
        if name == "Rossler":
            raise jd.SolverFailure("trajectory: the state became non-finite", None, "trajectory")
        return real(name, **options)

    monkeypatch.setattr(fc._benchmark, "dataset", dataset)
    result = fc.protocol_a(["Rossler", "Lorenz"], ["mean"], key=jax.random.PRNGKey(0),
                           n_train=200, n_test=50, points_per_period=50)  # fmt: skip
    assert result["skipped"] == {"Rossler": "trajectory: the state became non-finite"}
    assert [run["system"] for run in result["runs"]] == ["Lorenz"]


def test_an_interrupted_benchmark_resumes_without_redoing_runs(x64, tmp_path):
    path = tmp_path / "runs.json"
    options = dict(key=jax.random.PRNGKey(0), n_train=200, n_test=50, points_per_period=50)
    first = fc.protocol_a(["Lorenz"], ["mean"], path=path, **options)
    assert json.loads(path.read_text())["runs"] == first["runs"]
    second = fc.protocol_a(["Lorenz", "Rossler"], ["mean", "persistence"], path=path, **options)
    assert second["runs"][0] == first["runs"][0]  # kept, timing and all: not run again
    assert len(second["runs"]) == 4 and set(second["summary"]) == {"mean", "persistence"}
    with pytest.raises(ValueError, match="pass those or another file"):
        fc.protocol_a(["Lorenz"], ["mean"], path=path, **{**options, "n_test": 60})
    with pytest.raises(ValueError, match="unknown system"):
        fc.protocol_a(["Lorentz"], ["mean"], **options)


def test_the_cli_lists_the_library_models():
    from jaxdyn.cli import FORECAST_MODELS

    assert tuple(fc.MODELS) == FORECAST_MODELS


def test_forecast_bench_command_writes_runs_and_summary(tmp_path):
    from jaxdyn.cli import main

    out = tmp_path / "runs.json"
    code = main(["forecast-bench", "--systems", "Lorenz", "--models", "mean,parroting",
                 "--json", str(out)])  # fmt: skip
    assert code == 0
    record = json.loads(out.read_text())
    assert len(record["runs"]) == 2 and set(record["summary"]) == {"mean", "parroting"}
    assert main(["forecast-bench", "--models", "oracle"]) == 2
    assert main(["forecast-bench", "--initial-conditions", "0"]) == 2
    zero_shot = tmp_path / "b.json"
    code = main(["forecast-bench", "--protocol", "B", "--systems", "Lorenz",
                 "--models", "mean,persistence", "--initial-conditions", "2",
                 "--json", str(zero_shot)])  # fmt: skip
    assert code == 0
    record = json.loads(zero_shot.read_text())
    assert record["protocol"] == "protocol_b" and len(record["runs"]) == 4
    assert all(0 <= run["vpt"] <= 10 for run in record["runs"])
    # the same file asked for protocol A: refused, the file kept
    assert main(["forecast-bench", "--systems", "Lorenz", "--json", str(zero_shot)]) == 2


def test_quick_runs_the_quick_systems_with_the_models_that_need_no_gradient_training(
    monkeypatch,
):
    from jaxdyn.cli import QUICK_FORECAST_MODELS, main

    called = {}

    def record(systems, models, **options):
        called.update(systems=systems, models=models, **options)
        return {"summary": {}, "skipped": {}}

    monkeypatch.setattr(fc, "protocol_b", record)
    assert main(["forecast-bench", "--quick", "--protocol", "B"]) == 0
    assert called["systems"] == list(fc._benchmark.QUICK_SYSTEMS)
    assert called["models"] == list(QUICK_FORECAST_MODELS)
    assert not {"plrnn", "neural_ode"} & set(called["models"])
    assert called["n_initial_conditions"] == 3
