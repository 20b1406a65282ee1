"""The `jaxdyn` command, run as a user runs it: in a subprocess."""

import json
import os
import signal
import subprocess
import sys

import numpy as np
import pytest

from jaxdyn import io


def run(*args, cwd=None):
    return subprocess.run(
        [sys.executable, "-m", "jaxdyn.cli", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=600,
    )


def test_help_and_list():
    assert run("--help").returncode == 0
    listing = run("list")
    assert listing.returncode == 0 and "kuramoto-sivashinsky" in listing.stdout
    systems = run("list", "systems")
    assert systems.returncode == 0 and "Lorenz" in systems.stdout


def test_simulate_and_lyapunov_of_a_system(tmp_path):
    result = run(
        "simulate", "Lorenz", "--t1", "20", "--out", "l.npz", "--plot", "l.png", cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    arrays, meta = io.load(tmp_path / "l.npz")
    assert arrays["ys"].shape[1] == 3 and meta["complete"] and not meta["failure"]
    assert (tmp_path / "l.png").stat().st_size > 10_000
    result = run("--x64", "lyapunov", "Rossler", "--t1", "2000")
    assert result.returncode == 0, result.stderr
    largest = float(result.stdout.split("[")[1].split()[0])
    assert abs(largest - 0.0714) < 0.01  # Sprott (2003): 0.0714


def test_simulate_a_delay_system(tmp_path):
    result = run("simulate", "MackeyGlass", "--t1", "100", "--out", "m.npz", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    arrays, meta = io.load(tmp_path / "m.npz")
    assert arrays["ys"].shape[1] == 1 and meta["complete"]
    assert (tmp_path / "MackeyGlass.png").stat().st_size > 10_000


def test_simulate_writes_results_and_a_figure(tmp_path):
    result = run(
        "simulate",
        "burgers",
        "--quick",
        "--t1",
        "0.5",
        "--out",
        "b.npz",
        "--plot",
        "b.png",
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    arrays, meta = io.load(tmp_path / "b.npz")
    assert arrays["ys"].shape[1:] == (256,) and meta["problem"] == "burgers" and meta["complete"]
    assert (tmp_path / "b.png").stat().st_size > 10_000


def test_simulate_reports_a_blow_up_with_its_time(tmp_path):
    # ETDRK4 at dt = 0.5 is far beyond the advective stability limit of this 2D flow.
    result = run(
        "simulate",
        "navier-stokes-2d",
        "--quick",
        "--dt",
        "0.5",
        "--t1",
        "20",
        "--no-plot",
        cwd=tmp_path,
    )
    assert result.returncode == 3
    assert "blew up" in result.stderr and "at t = " in result.stderr


@pytest.mark.parametrize(
    "name, extra",
    [("kuramoto-sivashinsky", ("--quick",)), ("Lorenz", ("--t1", "20", "--saveat", "201"))],
)
def test_a_killed_run_resumes_to_the_same_numbers(tmp_path, name, extra):
    args = ("simulate", name, *extra, "--chunks", "5", "--no-plot")
    assert run(*args, "--out", "whole.npz", cwd=tmp_path).returncode == 0
    killed = subprocess.run(
        [sys.executable, "-m", "jaxdyn.cli", *args, "--out", "part.npz"],
        cwd=tmp_path, env=os.environ | {"JAXDYN_KILL_AFTER_CHUNK": "2"}, capture_output=True,
    )  # fmt: skip
    assert killed.returncode == -signal.SIGKILL
    arrays, meta = io.load(tmp_path / "part.npz")  # intact: saves are atomic
    assert meta["chunks_done"] == 2 and not meta["complete"]
    assert not list(tmp_path.glob(".part.npz.*"))  # no temporary file left behind
    resumed = run(*args, "--out", "part.npz", "--resume", cwd=tmp_path)
    assert resumed.returncode == 0, resumed.stderr
    whole, _ = io.load(tmp_path / "whole.npz")
    part, meta = io.load(tmp_path / "part.npz")
    assert meta["complete"] and meta["chunks_done"] == 5
    for key in ("ts", "ys", "state"):
        np.testing.assert_array_equal(part[key], whole[key])


def test_bench_quick_writes_the_documented_schema(tmp_path):
    result = run("bench", "--quick", "--json", "bench.json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    record = json.loads((tmp_path / "bench.json").read_text())
    assert set(record) == {"device", "jax", "results"}
    keys = {"name", "size", "compile_s", "run_s", "throughput", "unit", "bound_fraction"}
    names = {r["name"] for r in record["results"]}
    assert {"KS 1D ETDRK4 step", "Lorenz Lyapunov spectrum", "Lorenz λ₁(ρ) map"} <= names
    for r in record["results"]:
        assert set(r) == keys
        assert r["run_s"] > 0 and r["throughput"] > 0 and isinstance(r["unit"], str)
    assert any(r["bound_fraction"] for r in record["results"])
    assert "throughput" in result.stdout  # the table


@pytest.mark.parametrize(
    "args",
    [
        ("simulate", "no-such-problem"),
        ("simulate", "burgers", "--dt", "-1"),
        ("simulate", "burgers", "--quick", "--method", "rk99"),
        ("list", "planets"),
        ("lyapunov", "Lorentz"),
        ("lyapunov", "Lorenz", "--t1", "-5"),
        ("lyapunov", "MackeyGlass"),
        ("bench", "--suite", "nope"),
        ("bench", "--json", "."),
        ("simulate", "burgers", "--chunks", "0"),
        ("simulate", "burgers", "--quick", "--resume", "--out", "missing.npz"),
        ("simulate", "MackeyGlass", "--chunks", "3", "--no-plot"),
        ("simulate",),
        ("bogus",),
        ("invariants", "Lorentz"),
        ("invariants", "Lorenz", "--periods", "-1"),
        ("invariants", "Lorenz", "--shipped", "--write", "x.json"),
        ("invariants", "Lorenz", "--write", "."),
        ("invariants", "Lorenz", "--differences", "0"),
    ],
)
def test_bad_arguments_give_one_line_and_a_nonzero_exit(args, tmp_path):
    result = run(*args, cwd=tmp_path)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert result.stderr.strip() and "error" in result.stderr


def test_tour_writes_figures_and_a_summary(tmp_path):
    result = run("tour", "--out", str(tmp_path / "tour"))
    assert result.returncode == 0, result.stderr
    summary = json.loads((tmp_path / "tour" / "summary.json").read_text())
    stops = summary["stops"]
    assert {"nlse_collision", "nlse_breather", "kuramoto_sivashinsky", "navier_stokes_2d"} <= set(
        stops
    )
    for stop in stops.values():
        assert (tmp_path / "tour" / stop["figure"]).exists()
    collision = stops["nlse_collision"]
    np.testing.assert_allclose(
        collision["position_shift_measured"], collision["position_shift_theory"], atol=1e-3
    )
    assert stops["nlse_breather"]["max_error_vs_exact"] < 1e-3
    implicit = stops["implicit_differentiation"]
    assert implicit["lorenz_dx_drho_implicit"] == pytest.approx(
        implicit["lorenz_dx_drho_closed_form"], rel=1e-4
    )
    assert stops["chaotic_systems"]["catalog_size"] == 135
    assert stops["forecasting"]["valid_prediction_lyapunov_times"] > 1.0


@pytest.mark.parametrize(
    "args, message",
    [
        (("simulate", "Lorenz", "--method", "Tsit5", "--dt", "0.01"), "--dt does not apply"),
        (("simulate", "Lorenz", "--method", "ETDRK4"), "expected a diffrax solver"),
        (("simulate", "Lorenz", "--quick"), "--quick does not apply"),
        (("simulate", "MackeyGlass", "--rtol", "1e-6"), "--rtol does not apply"),
        (("simulate", "burgers", "--rtol", "1e-6"), "--rtol does not apply"),
        (("simulate", "burgers", "--method", "Tsit5"), "ETDRK1, ETDRK2"),
        (("simulate", "Lorenz", "--plot", "fig.txt"), "unknown figure format '.txt'"),
        (("simulate", "Lorenz", "--out", "missing/x.npz"), "folder missing does not exist"),
        (("simulate", "Lorenz", "--out", "x.txt"), "ending in .npz"),
        (("simulate", "Lorenz", "--plot", "a.png", "--no-plot"), "contradict"),
        (("simulate", "Lorenz", "--rtol", "-1"), "--rtol must be positive"),
    ],
)
def test_options_that_do_not_apply_are_refused_before_the_run(tmp_path, args, message):
    result = run(*args, cwd=tmp_path)
    assert result.returncode == 2 and message in result.stderr, result.stderr
    assert result.stderr.count("\n") == 1  # one line
    assert not list(tmp_path.iterdir())  # nothing ran, nothing written


def test_options_that_apply_are_used_and_files_are_shareable(tmp_path):
    result = run(
        "simulate", "Lorenz", "--x64", "--t1", "2", "--method", "tsit5", "--rtol", "1e-9",
        "--no-plot", "--out", "l.npz", cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    arrays, meta = io.load(tmp_path / "l.npz")
    assert meta["method"] == "tsit5" and meta["rtol"] == 1e-9 and arrays["ys"].dtype == np.float64
    assert (tmp_path / "l.npz").stat().st_mode & 0o777 == 0o666 & ~_umask()


def _umask():
    mask = os.umask(0)
    os.umask(mask)
    return mask


@pytest.mark.parametrize("args", [["--help"], ["list"], ["list", "systems"]])
def test_help_and_list_never_import_jax(args):
    # What made them slow (4–13 s): importing JAX and building every problem. Checked by
    # what is imported, not by a timing, so the test cannot flake on a loaded machine.
    code = (
        "import sys, jaxdyn.cli\n"
        f"try:\n    jaxdyn.cli.main({args!r})\nexcept SystemExit:\n    pass\n"
        "assert 'jax' not in sys.modules, 'imported jax'\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_the_listings_match_the_library():
    from jaxdyn import spectral, systems
    from jaxdyn._index import PROBLEM_DESCRIPTIONS, system_descriptions

    assert list(PROBLEM_DESCRIPTIONS) == spectral.problem_names()
    assert list(system_descriptions()) == systems.names()


def test_invariants_are_written_as_computed_and_a_second_run_resumes(tmp_path):
    store = tmp_path / "invariants.json"
    args = ("--x64", "invariants", "Rossler", "--periods", "10", "--initial-conditions", "2",
            "--write", str(store))  # fmt: skip
    first = run(*args)
    assert first.returncode == 0, first.stderr
    assert "[1/1] Rossler" in first.stdout
    record = json.loads(store.read_text())
    assert record["precision"] == "float64" and record["jaxdyn"]
    assert record["settings"] == {"n_initial_conditions": 2, "n_periods": 10.0, "seed": 0}
    assert record["systems"]["Rossler"]["n_initial_conditions"] == 2
    second = run(*args, "--json")
    assert second.returncode == 0, second.stderr
    assert "[1/1]" not in second.stdout  # nothing recomputed
    shown = json.loads(second.stdout)
    assert shown["Rossler"] == record["systems"]["Rossler"]
    other = run("--x64", "invariants", "Rossler", "--periods", "20", "--write", str(store))
    assert other.returncode != 0 and "was made with" in other.stderr


def test_invariants_shows_the_shipped_values_and_the_differences_with_dysts():
    table = run("invariants", "Lorenz", "SprottJerk", "--shipped")
    assert table.returncode == 0, table.stderr
    assert "Lorenz" in table.stdout and "SprottJerk" in table.stdout and "D_KY" in table.stdout
    markdown = run("invariants", "Lorenz", "SprottJerk", "--shipped", "--differences", "0.2")
    assert markdown.returncode == 0, markdown.stderr
    lines = markdown.stdout.strip().splitlines()
    assert lines[0].startswith("| system |")
    # dysts's SprottJerk λ₁ (0.0879) is 60% above Sprott's 0.0550; its Lorenz value within 2%
    assert any(line.startswith("| SprottJerk |") and "0.055" in line for line in lines)
    assert not any(line.startswith("| Lorenz |") for line in lines)
