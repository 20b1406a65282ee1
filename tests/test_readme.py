"""The README's code tour runs as printed (in a subprocess: it enables float64 globally)."""

import os
import re
import subprocess
import sys
from pathlib import Path

README = Path(__file__).parent.parent / "README.md"


def test_readme_tour_runs(tmp_path):
    code = re.search(r"## A short tour\n\n```python\n(.*?)```", README.read_text(), re.S).group(1)
    script = tmp_path / "tour.py"
    script.write_text(code)
    env = os.environ | {"MPLBACKEND": "Agg"}
    result = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, env=env, timeout=600
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "True" in result.stdout  # the blow-up example reports its blow-up
