"""The core category's generators (plugins/generators/core_capabilities/): each registered under
its catalog id from the module named after it. Their content tests are in
tests/plugins/generators/core_capabilities/."""

from __future__ import annotations

import pytest

from simplex_training.pluginmanager import get_host

IDS = ("context_protocol", "confidence_calibration", "belief_revision", "neural_ir")


@pytest.mark.parametrize("sid", IDS)
def test_registered_from_its_module(sid: str) -> None:
    host = get_host()
    assert f"specialists.{sid}" in host.infos
    assert sid in host.registry("specialists")
    gen = host.registry("generators")[sid]
    assert gen.name == sid
    assert type(gen).__module__ == f"simplex_training.plugins.generators.core_capabilities.{sid}"
