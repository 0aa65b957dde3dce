"""Repository invariants: entry points, packages, plugin test files, catalog coverage, no
undefined or unused names."""

import importlib
import subprocess
import sys
import tomllib
from importlib import metadata
from pathlib import Path

import pytest

from simplex_training.catalog import builtin_catalog

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
ENTRY_POINTS = PYPROJECT["project"]["entry-points"]["simplex_training"]


def test_installed_entry_points_match_pyproject():
    installed = {ep.name: ep.value for ep in metadata.entry_points(group="simplex_training")
                 if ep.dist and ep.dist.metadata["Name"] == "simplex-training"}
    assert installed == ENTRY_POINTS, "entry points changed: re-run `pip install -e .`"


@pytest.mark.parametrize("name", sorted(ENTRY_POINTS))
def test_every_entry_point_resolves(name):
    module, _, attr = ENTRY_POINTS[name].partition(":")
    obj = importlib.import_module(module)
    if attr:
        obj = getattr(obj, attr)
    assert obj is not None


def test_every_specialist_entry_point_is_named_after_its_catalog_id():
    ids = set(builtin_catalog())
    spec_eps = {n.split(".", 1)[1] for n in ENTRY_POINTS if n.startswith("specialists.")}
    assert spec_eps == ids


def test_every_catalog_entry_has_a_generator_and_an_evaluator_task_type(simplex_host):
    gens = simplex_host.registry("generators")
    for entry in builtin_catalog().values():
        assert entry.generator in gens, entry.id
        assert entry.task_type.value in {"classification", "extraction", "generation", "reasoning", "calibration"}


@pytest.mark.parametrize("sid", sorted(builtin_catalog()))
def test_every_builtin_specialist_is_registered_by_its_plugin(simplex_host, sid):
    assert f"specialists.{sid}" in simplex_host.infos
    assert sid in simplex_host.registry("specialists")
    assert simplex_host.registry("generators")[sid].name == sid


def _package_dirs(folder: str, prefix: str) -> set[str]:
    base = ROOT / folder
    return {prefix + ("." + ".".join(p.parent.relative_to(base).parts) if p.parent != base else "")
            for p in base.rglob("__init__.py")}


def test_package_list_covers_every_folder():
    listed = set(PYPROJECT["tool"]["setuptools"]["packages"])
    found = _package_dirs("core", "simplex_training") | _package_dirs("plugins", "simplex_training.plugins")
    found |= {"simplex_training.builtin_catalog"}
    assert found == listed, "pyproject [tool.setuptools] packages is out of date (the wheel would miss a package)"


def test_every_plugin_module_has_its_own_test_file():
    missing = []
    for mod in sorted((ROOT / "plugins").glob("*/**/*.py")):
        if mod.name == "__init__.py":  # a package (plugins/generators/coding/) is tested as test_<package>.py
            mod = mod.parent
            if mod.parent == ROOT / "plugins":
                continue
        rel = mod.parent.relative_to(ROOT / "plugins")
        test = ROOT / "tests" / "plugins" / rel / f"test_{mod.stem}.py"
        if not test.exists():
            missing.append(str(test.relative_to(ROOT)))
    assert not missing, missing


def test_nothing_imports_bare_core_or_plugins():
    offenders = []
    for path in list((ROOT / "core").rglob("*.py")) + list((ROOT / "plugins").rglob("*.py")) + list((ROOT / "tests").rglob("*.py")):
        for line in path.read_text().splitlines():
            s = line.strip()
            if s.startswith(("import core", "from core", "import plugins", "from plugins")):
                offenders.append(f"{path.relative_to(ROOT)}: {s}")
    assert not offenders, offenders


def test_no_undefined_or_unused_names():
    """pyflakes' checks (ruff's F rules): undefined names, unused imports and variables, and the like."""
    dirs = [str(ROOT / d) for d in ("core", "plugins", "tests", "benchmarks")]
    run = subprocess.run([sys.executable, "-m", "ruff", "check", "--select", "F", "--no-cache",
                          "--output-format", "concise", *dirs], capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
