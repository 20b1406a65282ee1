"""The precision contract, measured by the tests and written into the README.

    python benchmarks/precision_table.py [--json benchmarks/results/precision_cpu.json]

Runs `tests/test_precision.py` (every case in float32 and float64, each against its bound)
with JAXDYN_PRECISION_DIR set so that each case records what it measured, writes the records
to the JSON file, and replaces the README's table between its `precision-table` markers with
their rendering. `tests/test_readme.py` fails when the README's table and the record differ.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.test_precision import render_table  # noqa: E402

BEGIN, END = "<!-- precision-table -->", "<!-- /precision-table -->"


def replace_table(readme: str, table: str) -> str:
    head, rest = readme.split(BEGIN)
    _, tail = rest.split(END)
    return f"{head}{BEGIN}\n{table}\n{END}{tail}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, default=ROOT / "benchmarks/results/precision_cpu.json")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as records:
        command = [sys.executable, "-m", "pytest", "-q", "-p", "no:randomly",
                   str(ROOT / "tests/test_precision.py")]  # fmt: skip
        env = os.environ | {"JAXDYN_PRECISION_DIR": records}
        subprocess.run(command, cwd=ROOT, env=env, check=True)
        results = [json.loads(p.read_text()) for p in sorted(Path(records).glob("*.json"))]
    import jax

    record = {"device": str(jax.devices()[0]), "jax": jax.__version__, "results": results}
    args.json.write_text(json.dumps(record, indent=1, ensure_ascii=False) + "\n")
    readme = ROOT / "README.md"
    readme.write_text(replace_table(readme.read_text(), render_table(results)))
    print(render_table(results))


if __name__ == "__main__":
    main()
