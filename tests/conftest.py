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


ONE_THREAD = {"NUMBA_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1",
              "SIMPLEX_TRAINING_THREADS": "1"}


@pytest.fixture(scope="session")
def tiny_base(tmp_path_factory):
    """A seconds-long pretrained llama GGUF (dim 64, 2 layers, vocab 512, context 256), built once per session."""
    from dataclasses import replace

    import numba
    from threadpoolctl import threadpool_limits

    from simplex_training.pretrain.run import pretrain, tiny_config

    root = tmp_path_factory.getbasetemp()
    path = root / "tiny-base.gguf"
    if not path.exists():
        cfg = tiny_config(0)
        cfg = replace(cfg, model=replace(cfg.model, context_length=256), steps=60)
        previous = numba.get_num_threads()
        numba.set_num_threads(1)
        try:
            with threadpool_limits(limits=1, user_api="blas"):
                pretrain(cfg, root / "tiny-base-work", path, log=lambda m: None)
        finally:
            numba.set_num_threads(previous)
    return path

