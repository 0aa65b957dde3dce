"""The example of docs/schedules.md runs and the learned schedule beats the fixed one."""

import runpy
import subprocess
import sys
from pathlib import Path

EXAMPLE = Path(__file__).resolve().parents[3] / "docs" / "examples" / "learned_lr.py"


def test_example_runs_as_a_script():
    out = subprocess.run([sys.executable, str(EXAMPLE)], capture_output=True, text=True, timeout=300, check=True)
    fixed, learned = (float(x) for x in out.stdout.replace(":", " ").split()[3::2])
    assert learned < 0.6 * fixed


def test_example_function_is_deterministic():
    run = runpy.run_path(str(EXAMPLE))["run"]
    assert run(True, steps=20) == run(True, steps=20)
