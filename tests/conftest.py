"""Test-suite set-up: the opt-in plugin-author fixtures, and hermetic plugin selection."""

import os

pytest_plugins = ["simplex_training.testing"]

# The suite tests this distribution's plugins; selection variables from the developer's shell
# would change what is registered.
for var in ("SIMPLEX_TRAINING_LOAD_PLUGINS", "SIMPLEX_TRAINING_DISABLE_PLUGINS", "SIMPLEX_TRAINING_TRACE_PLUGINS"):
    os.environ.pop(var, None)


import pytest  # noqa: E402


@pytest.fixture
def make_dist(tmp_path, monkeypatch):
    """Create an installed-looking distribution on sys.path: ``make_dist(name, entry_points, modules)``.

    ``entry_points`` maps entry names to ``module:attr`` in the ``simplex_training`` group;
    ``modules`` maps module names to source text written beside it.
    """
    root = tmp_path / "site"
    root.mkdir(exist_ok=True)
    monkeypatch.syspath_prepend(str(root))

    def _make(name: str, entry_points: dict[str, str], modules: dict[str, str] | None = None):
        info = root / f"{name.replace('-', '_')}-1.0.dist-info"
        info.mkdir()
        (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n")
        lines = ["[simplex_training]"] + [f"{k} = {v}" for k, v in entry_points.items()]
        (info / "entry_points.txt").write_text("\n".join(lines) + "\n")
        for mod, src in (modules or {}).items():
            (root / f"{mod}.py").write_text(src)
        return root

    return _make
