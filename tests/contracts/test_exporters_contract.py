"""Contract of every registered exporter (:mod:`simplex_training.export_contract`).

Each exporter makes its example export (``export(path, **example_args(workdir))``) into an empty
directory: it writes only at the path and returns it, the files read back with a reader for their
kind, a second export is byte-identical, an export over an earlier one replaces it, and an export
whose writing fails part-way raises and leaves the files as they were.
"""

from __future__ import annotations

import pytest

from simplex_training.export_contract import (ExampleExport, check_atomic, check_declaration, check_deterministic,
                                              check_example_export, check_exporter_contract, check_reads_back,
                                              check_replaces)
from simplex_training.pluginmanager import get_host

EXPORTERS = get_host().registry("exporters")
NAMES = sorted(EXPORTERS)
# what the example export of each built-in exporter writes (relative to its directory), by reader kind
BUILT_IN_FILES = {
    "gguf": {"export": "gguf"},
    "gguf_adapter": {"export": "gguf"},
    "modelfile": {"export": "modelfile"},
    "peft": {"export/adapter_config.json": "json", "export/adapter_model.safetensors": "safetensors"},
}


@pytest.fixture(scope="module", params=NAMES)
def example(request, tmp_path_factory) -> tuple[object, object, ExampleExport]:
    """(exporter, its work directory, its example export), once per exporter."""
    exporter = EXPORTERS[request.param]
    workdir = tmp_path_factory.mktemp(f"export-{request.param}")
    return exporter, workdir, check_example_export(exporter, workdir)


def test_the_built_in_exporters_are_registered():
    assert set(BUILT_IN_FILES) <= set(EXPORTERS)


@pytest.mark.parametrize("name", NAMES)
def test_declaration(name):
    exporter = EXPORTERS[name]
    assert exporter.name == name
    check_declaration(exporter)


def test_reads_back(example):
    exporter, workdir, export = example
    kinds = check_reads_back(exporter, workdir)
    assert set(kinds) == set(export.files)
    if exporter.name in BUILT_IN_FILES:
        assert kinds == BUILT_IN_FILES[exporter.name]


def test_deterministic(example):
    check_deterministic(*example)


def test_replaces_an_earlier_export(example):
    check_replaces(*example)


@pytest.mark.parametrize("name", NAMES)
def test_atomic(name, tmp_path):
    exporter = EXPORTERS[name]
    check_atomic(exporter, tmp_path, check_example_export(exporter, tmp_path))


@pytest.mark.parametrize("name", NAMES)
def test_whole_contract(name, tmp_path):
    kinds = check_exporter_contract(EXPORTERS[name], tmp_path)
    assert kinds == BUILT_IN_FILES.get(name, kinds)
