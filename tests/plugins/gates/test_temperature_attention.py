import numpy as np

from simplex_training.gates.contract import check_gate_contract
from simplex_training.pluginmanager import get_host


def test_registered():
    assert "gates.temperature_attention" in get_host().infos
    assert get_host().registry("gates")["temperature_attention"].name == "temperature_attention"


def test_contract():
    cls = get_host().registry("gates")["temperature_attention"]
    check_gate_contract(cls(8, 2, causal=True))
    check_gate_contract(cls(8, 4, per_head=True, hard_inference=True))


def test_temperature_matters():
    cls = get_host().registry("gates")["temperature_attention"]
    x = np.random.default_rng(0).standard_normal((1, 4, 8)).astype(np.float32)
    a, b = cls(8, 2, temperature=0.1), cls(8, 2, temperature=10.0)
    assert not np.allclose(a(x).data, b(x).data)
