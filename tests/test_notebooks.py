"""The notebooks: each `notebooks/NAME.py` (jupytext percent format, the file people review) is
paired with `NAME.ipynb`, committed with the outputs of a full run so that a reader sees the
results without running anything.

- Fast setting (every run of the suite): each notebook runs top to bottom as a script, in
  float64 and again in float32 (what a TPU runtime gets), where it must say so and stay quiet:
  no warnings on stderr.
- Pairing (every run): the `.ipynb` has exactly the `.py`'s cells, every code cell executed in
  order, figures as PNG, and a modest size.
- README figures (every run): the first figure of each notebook's cell tagged
  `readme-figure` is `notebooks/figures/NAME.png`, shown in the README.
- Full setting (`pytest -m slow`): each `.ipynb` is executed in a Jupyter kernel from the `.py`
  and written back to `notebooks/` with its outputs, its README figure beside it; this is the
  command that regenerates the committed outputs:
  `python -m pytest -m slow tests/test_notebooks.py -k full`.
"""

import base64
import os
import subprocess
import sys
from pathlib import Path

import jupytext
import nbformat
import pytest

FOLDER = Path(__file__).parent.parent / "notebooks"
NOTEBOOKS = sorted(FOLDER.glob("*.py"))
README = Path(__file__).parent.parent / "README.md"
MAX_BYTES = 3_000_000  # PNG figures at modest resolution, no embedded data


def _environment(fast: bool, precision: str | None = None) -> dict:
    env = os.environ | {"MPLBACKEND": "Agg"}
    for name in ("JAXDYN_NOTEBOOK_FAST", "JAXDYN_NOTEBOOK_PRECISION", "XLA_FLAGS"):
        env.pop(name, None)
    if fast:
        env["JAXDYN_NOTEBOOK_FAST"] = "1"
    if precision:
        env["JAXDYN_NOTEBOOK_PRECISION"] = precision
    return env


def _run_script(path, tmp_path, precision=None):
    notebook = jupytext.read(path)
    assert sum(cell.cell_type == "markdown" for cell in notebook.cells) >= 3
    result = subprocess.run(
        [sys.executable, str(path)],
        cwd=tmp_path,
        env=_environment(True, precision),
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result


def _cells(notebook):
    return [(cell.cell_type, cell.source.strip()) for cell in notebook.cells]


def execute(path: Path, fast: bool, timeout: int = 7200) -> nbformat.NotebookNode:
    """The notebook of `path` (a jupytext `.py`), executed top to bottom in a fresh Jupyter
    kernel in the given setting; outputs kept, run-specific metadata (timings) dropped."""
    import nbclient

    notebook = jupytext.read(path)
    notebook.metadata.pop("jupytext", None)
    notebook.metadata["jupytext"] = {"formats": "ipynb,py:percent"}
    saved = os.environ.copy()
    os.environ.clear()
    os.environ.update(_environment(fast))
    os.environ["MPLBACKEND"] = "module://matplotlib_inline.backend_inline"
    try:
        client = nbclient.NotebookClient(
            notebook, timeout=timeout, kernel_name="python3",
            resources={"metadata": {"path": str(path.parent)}},
        )  # fmt: skip
        client.execute()
    finally:
        os.environ.clear()
        os.environ.update(saved)
    for cell in notebook.cells:
        cell.metadata.pop("execution", None)
        if cell.cell_type == "code":
            cell.outputs = coalesce_streams(cell.outputs)
    return notebook


def coalesce_streams(outputs: list) -> list:
    """Consecutive stream outputs of one name merged, each line reduced to what a terminal
    shows after its carriage returns: a progress bar's hundred updates become its last
    state, as Jupyter displays it."""
    merged = []
    for output in outputs:
        previous = merged[-1] if merged else None
        if (
            output.output_type == "stream"
            and previous is not None
            and previous.output_type == "stream"
            and previous.name == output.name
        ):
            previous.text += output.text
        else:
            merged.append(output)
    for output in merged:
        if output.output_type == "stream":
            lines = output.text.split("\n")
            output.text = "\n".join(line.rsplit("\r", 1)[-1] for line in lines)
    return merged


def readme_figure(notebook) -> bytes:
    """The first PNG output of the notebook's cell tagged `readme-figure`."""
    for cell in notebook.cells:
        if "readme-figure" in cell.metadata.get("tags", []):
            for output in cell.get("outputs", []):
                if "image/png" in output.get("data", {}):
                    return base64.b64decode(output["data"]["image/png"])
    raise AssertionError("no figure in a cell tagged readme-figure")


def _figure_path(path: Path) -> Path:
    return FOLDER / "figures" / f"{path.stem}.png"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs(path, tmp_path):
    result = _run_script(path, tmp_path)
    assert "precision: float64" in result.stdout


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_in_float32_and_says_so(path, tmp_path):
    result = _run_script(path, tmp_path, precision="float32")
    assert "precision: float32" in result.stdout
    assert "warning" not in result.stderr.lower(), result.stderr[-3000:]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_ipynb_is_paired_with_its_source_and_holds_outputs(path):
    ipynb = path.with_suffix(".ipynb")
    assert ipynb.exists(), f"{ipynb.name} missing: python -m pytest -m slow {__file__} -k full"
    stored = nbformat.read(ipynb, as_version=4)
    assert _cells(stored) == _cells(jupytext.read(path)), (
        f"{ipynb.name} differs from {path.name}: regenerate it (see this module's docstring)"
    )
    code = [cell for cell in stored.cells if cell.cell_type == "code"]
    assert [cell.execution_count for cell in code] == list(range(1, len(code) + 1))
    outputs = [output for cell in code for output in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    assert any("image/png" in o.get("data", {}) for o in outputs), "no figure in the outputs"
    assert "fast setting: False" in str(outputs[0]), "outputs must come from the full setting"
    assert ipynb.stat().st_size < MAX_BYTES


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_readme_links_the_notebook_and_shows_its_figure(path):
    readme = README.read_text()
    assert f"(notebooks/{path.stem}.ipynb)" in readme
    assert f"(notebooks/figures/{path.stem}.png)" in readme
    stored = nbformat.read(path.with_suffix(".ipynb"), as_version=4)
    assert _figure_path(path).read_bytes() == readme_figure(stored)


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_full_run_regenerates_the_committed_outputs(path):
    notebook = execute(path, fast=False)
    errors = [o for c in notebook.cells for o in c.get("outputs", []) if o.output_type == "error"]
    assert not errors, errors[0].get("evalue") if errors else None
    nbformat.write(notebook, path.with_suffix(".ipynb"))
    _figure_path(path).parent.mkdir(exist_ok=True)
    _figure_path(path).write_bytes(readme_figure(notebook))
    stored = nbformat.read(path.with_suffix(".ipynb"), as_version=4)
    assert _cells(stored) == _cells(jupytext.read(path))
    test_ipynb_is_paired_with_its_source_and_holds_outputs(path)
