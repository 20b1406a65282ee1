"""The README keeps its word: the tour runs as printed with its claims asserted (in a
subprocess: it enables float64 globally), every shell command it shows is a valid command,
and the slow checks it promises exist."""

import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
README = (ROOT / "README.md").read_text()


def test_readme_tour_runs_and_its_claims_hold(tmp_path):
    code = re.search(r"## A short tour\n\n```python\n(.*?)```", README, re.S).group(1)
    assert code.count("assert ") >= 6  # the claims are checked, not only printed
    script = tmp_path / "tour.py"
    script.write_text(code)
    env = os.environ | {"MPLBACKEND": "Agg"}
    result = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, env=env, timeout=600
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "solve: the state became non-finite" in result.stdout  # the one-line failure


def _shell_commands():
    inline = re.findall(r"`(jaxdyn [^`]+)`", README)
    blocks = re.findall(r"```bash\n(.*?)```", README, re.S)
    return inline, [line for block in blocks for line in block.splitlines() if line.strip()]


def test_every_jaxdyn_command_in_the_readme_is_valid():
    from jaxdyn.cli import _parser

    inline, _ = _shell_commands()
    assert len(inline) >= 8
    for command in inline:
        if "[" in command:  # a synopsis: check each alternative of the first bracket
            command = re.sub(
                r"\[--suite ([^\]]*)\]", lambda m: "--suite " + m.group(1).split("|")[0], command
            )
            command = re.sub(r"\[([^\]]*)\]", r"\1", command)
        placeholders = {"NAME": "Lorenz", "K": "3", "FILE": "out.json"}
        args = [placeholders.get(arg, arg) for arg in shlex.split(command)[1:]]
        try:
            _parser().parse_args(args)
        except SystemExit as error:
            if error.code:  # `--help` exits with 0
                pytest.fail(f"README command does not parse: {command!r} ({error})")


def test_every_script_and_setup_command_in_the_readme_exists():
    _, lines = _shell_commands()
    assert any('pip install -e ".[dev]"' in line and "pytest -n auto" in line for line in lines)
    ci = (ROOT / ".ci" / "run").read_text()
    test_command = next(line for line in lines if "pytest -n auto" in line)
    assert test_command in ci  # CI runs the README's test command verbatim
    for script in re.findall(r"`python (benchmarks/[\w/]+\.py)", README):
        assert (ROOT / script).exists(), script
    for link in re.findall(r"\]\(([^)#]+)\)", README):
        if not link.startswith("http"):
            assert (ROOT / link).exists(), link


def test_the_slow_checks_the_readme_promises_exist():
    assert "pytest -m slow" in README
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-m", "slow", "--collect-only", "-q", "-p", "no:randomly"],
        capture_output=True, text=True, cwd=ROOT, timeout=300,
    )  # fmt: skip
    collected = re.search(r"(\d+)(?:/\d+)? tests? collected", result.stdout)
    assert collected and int(collected.group(1)) >= 1, result.stdout[-2000:]


def test_the_precision_table_is_the_recorded_measurement():
    from tests.test_precision import CASES, render_table

    record = json.loads((ROOT / "benchmarks/results/precision_cpu.json").read_text())
    assert {(r["case"], r["dtype"]) for r in record["results"]} == {
        (case, dtype) for case in CASES for dtype in ("float32", "float64")
    }, "re-run python benchmarks/precision_table.py"
    table = re.search(r"<!-- precision-table -->\n(.*?)\n<!-- /precision-table -->", README, re.S)
    assert table.group(1) == render_table(record["results"])
