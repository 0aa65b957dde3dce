"""The coding category's generators (plugins/generators/coding/): each registered under its
catalog id from its own module. Their content tests are in tests/plugins/generators/coding/."""

from __future__ import annotations

import pytest
from simplex_training.pluginmanager import get_host

MODULES = {
    "code_generation": "code_tasks",
    "code_documentation": "code_tasks",
    "code_review": "code_review",
    "sql_generation": "sql_generation",
    "api_integration": "api_integration",
}


@pytest.mark.parametrize("sid", sorted(MODULES))
def test_registered_from_its_module(sid: str) -> None:
    host = get_host()
    assert f"specialists.{sid}" in host.infos
    assert sid in host.registry("generators")
    assert sid in host.registry("specialists")
    gen = host.registry("generators")[sid]
    assert type(gen).__module__ == f"simplex_training.plugins.generators.coding.{MODULES[sid]}"
