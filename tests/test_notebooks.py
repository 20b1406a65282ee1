"""Every notebook runs top to bottom and parses as a jupytext notebook: in the fast setting
by default, in the full one under `pytest -m slow`."""

import os
import subprocess
import sys
from pathlib import Path

import jupytext
import pytest

NOTEBOOKS = sorted((Path(__file__).parent.parent / "notebooks").glob("*.py"))


def _check_runs(path, tmp_path, fast: bool, timeout: int):
    notebook = jupytext.read(path)
    assert sum(cell.cell_type == "markdown" for cell in notebook.cells) >= 3
    env = os.environ | {"MPLBACKEND": "Agg"}
    env.pop("JAXDYN_NOTEBOOK_FAST", None)
    if fast:
        env["JAXDYN_NOTEBOOK_FAST"] = "1"
    result = subprocess.run(
        [sys.executable, str(path)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert result.returncode == 0, result.stderr[-3000:]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs(path, tmp_path):
    _check_runs(path, tmp_path, fast=True, timeout=900)


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_in_its_full_setting(path, tmp_path):
    _check_runs(path, tmp_path, fast=False, timeout=3600)
