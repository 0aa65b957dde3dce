"""The docs stay true: hook signatures, and the plugin tutorial's package really works."""

import inspect
import os
import re
import subprocess
import sys
from pathlib import Path

from simplex_training import hookspecs

DOCS = Path(__file__).resolve().parents[1] / "docs"


def hook_functions():
    return {n: f for n, f in inspect.getmembers(hookspecs, inspect.isfunction) if n.startswith("register_")}


def test_every_hook_is_documented_with_its_exact_signature():
    text = (DOCS / "hooks.md").read_text()
    documented = dict(re.findall(r"^## `(\w+)(\(.*\).*)`$", text, flags=re.M))
    for name, fn in hook_functions().items():
        assert name in documented, f"docs/hooks.md has no heading for {name}"
        assert documented[name] == str(inspect.signature(fn)).replace("'", ""), name
    assert set(documented) == set(hook_functions())


def test_every_hook_has_a_full_docstring():
    for name, fn in hook_functions().items():
        doc = inspect.getdoc(fn) or ""
        assert ":param" in doc and len(doc.splitlines()) >= 3, name


def _code_block(text: str, marker: str) -> str:
    for block in re.findall(r"```(?:python|toml)\n(.*?)```", text, flags=re.S):
        if block.startswith(marker) or marker in block.splitlines()[0]:
            return block
    raise AssertionError(f"no code block starting with {marker!r} in docs/plugins.md")


def test_plugin_tutorial_package_passes_its_own_tests(tmp_path):
    text = (DOCS / "plugins.md").read_text()
    site = tmp_path / "site"
    site.mkdir()
    (site / "recipes_plugin.py").write_text(_code_block(text, "# recipes_plugin.py"))
    pyproject = _code_block(text, "[build-system]")
    eps = re.search(r"\[project.entry-points.simplex_training\]\n(.*?)(?:\n\n|\Z)", pyproject, flags=re.S).group(1)
    info = site / "simplex_training_recipes-0.1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: simplex-training-recipes\nVersion: 0.1.0\n")
    lines = [ln for ln in eps.splitlines() if ln and not ln.startswith("#")]
    (info / "entry_points.txt").write_text("[simplex_training]\n" + "\n".join(lines).replace('"', "") + "\n")
    tests = tmp_path / "tests"
    tests.mkdir()
    (tests / "conftest.py").write_text('pytest_plugins = ["simplex_training.testing"]\n')
    (tests / "test_recipes.py").write_text(_code_block(text, "from simplex_training.pluginmanager import get_host"))
    env = {**os.environ, "PYTHONPATH": str(site) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(tests)],
        capture_output=True, text=True, cwd=tmp_path, env=env, timeout=600,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
    assert re.search(r"\d+ passed", proc.stdout)


def test_catalog_doc_matches_the_catalog():
    from simplex_training.catalog import builtin_catalog, catalog_markdown

    text = (DOCS / "catalog.md").read_text()
    table = text.split("## Entries\n\n", 1)[1]
    assert table == catalog_markdown(list(builtin_catalog().values())), "regenerate with `simplex-train list --markdown`"


def test_results_table_is_the_recorded_train_all_summary():
    """docs/results.md ends with train-all's summary.md of benchmarks/results-train-all.json, over
    the whole catalog, and its first line counts from that file."""
    import json

    from simplex_training.catalog import builtin_catalog
    from simplex_training.finetune.batch import render_markdown

    doc = json.loads((DOCS.parent / "benchmarks" / "results-train-all.json").read_text())
    text = (DOCS / "results.md").read_text()
    assert text.split("\n## Table\n\n", 1)[1] == render_markdown(doc["rows"])
    assert {r["id"] for r in doc["rows"]} == set(builtin_catalog()) and doc["specialists"] == len(builtin_catalog())
    ids = [r["id"] for r in doc["rows"]]
    beats = sum(all(r["beats_base"] for r in doc["rows"] if r["id"] == sid) for sid in dict.fromkeys(ids))
    n = doc["specialists"]
    assert text.split("\n\n")[1].startswith(
        f"**{len(doc['passed'])} of {n} specialists meet all their thresholds. {beats} of {n} beat the base on "
        "every metric.**")


def test_every_catalog_entry_field_is_documented_for_plugin_authors():
    from simplex_training.catalog import CatalogEntry

    text = (DOCS / "plugins.md").read_text()
    table = text.split("### Catalog entry fields", 1)[1].split("\n\n", 2)[1]
    documented = set(re.findall(r"^\| `([a-z_]+)`", table, flags=re.M))
    documented |= {"name", "description"}  # one row: `name`, `description`
    assert set(CatalogEntry.model_fields) - {"source"} == documented


def test_relative_links_in_docs_resolve():
    root = DOCS.parent
    broken = []
    for page in [root / "README.md", *sorted(DOCS.glob("*.md"))]:
        for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", page.read_text()):
            if "://" in target:
                continue
            if not (page.parent / target).exists():
                broken.append(f"{page.relative_to(root)} -> {target}")
    assert not broken, broken


def test_executor_example_keeps_the_executor_contract(register_plugin):
    from simplex_training.executor import check_executor_contract, make_executor

    namespace: dict = {}
    exec(_code_block((DOCS / "plugins.md").read_text(), "# queue_executor.py"), namespace)  # noqa: S102
    host = register_plugin(namespace["plugin"], "test.in_order")
    executor = make_executor(host.registry("executors"), "in_order", {"retries": "1"})
    assert executor.retries == 1
    check_executor_contract(executor, parallel=1)


def _cli_options() -> dict[str, set[str]]:
    """Every ``simplex-train`` command (sub-commands of groups included) and its option names."""
    import click

    from simplex_training.cli import cli

    ctx = click.Context(cli)
    out = {}
    for name in cli.list_commands(ctx):
        cmd = cli.get_command(ctx, name)
        cmds = [cmd] + ([cmd.get_command(ctx, s) for s in cmd.list_commands(ctx)] if isinstance(cmd, click.Group) else [])
        out[name] = {"--help"} | {o for c in cmds for p in c.params for o in (*p.opts, *p.secondary_opts)}
    return out


def test_commands_and_options_named_in_the_docs_exist():
    """``simplex-train CMD ... --option`` in the README and docs names a real command and option."""
    options = _cli_options()
    files = [*sorted(DOCS.rglob("*.md")), DOCS.parent / "README.md", DOCS.parent / "benchmarks" / "README.md"]
    wrong = []
    for f in files:
        for m in re.finditer(r"simplex-train ([a-z][\w-]*)([^`\n]*)", f.read_text(encoding="utf-8")):
            cmd, rest = m.groups()
            if cmd not in options:
                wrong.append(f"{f.name}: unknown command {m.group(0)!r}")
                continue
            wrong += [f"{f.name}: {cmd} has no {opt} ({m.group(0)!r})"
                      for opt in re.findall(r"(?<![\w-])(--[a-z][a-z0-9-]*)", rest) if opt not in options[cmd]]
    assert not wrong, "\n".join(wrong)
