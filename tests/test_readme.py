"""The README's Quickstart has exactly two commands, and CI runs the second one."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def quickstart_commands():
    text = (ROOT / "README.md").read_text()
    section = text.split("## Quickstart", 1)[1].split("\n## ", 1)[0]
    return [b.strip() for b in re.findall(r"```bash\n(.*?)```", section, flags=re.S)]


def test_quickstart_has_exactly_two_commands():
    cmds = quickstart_commands()
    assert len(cmds) == 2 and all("\n" not in c for c in cmds)
    assert "simplex-train" in cmds[0]
    assert "pytest" in cmds[1]


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text().splitlines()
    assert quickstart_commands()[1] in [line.strip() for line in ci]


def test_every_simplex_train_command_in_the_readme_exists():
    from simplex_training.cli import BUILTIN_COMMANDS

    text = (ROOT / "README.md").read_text()
    used = set(re.findall(r"^simplex-train ([a-z-]+)", text, flags=re.M))
    used |= set(re.findall(r"&& simplex-train ([a-z-]+)", text))
    assert used and used <= set(BUILTIN_COMMANDS), used - set(BUILTIN_COMMANDS)
