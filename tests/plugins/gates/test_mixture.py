import numpy as np

from simplex_training.gates.contract import check_gate_contract
from simplex_training.pluginmanager import get_host


def test_registered():
    assert "gates.mixture" in get_host().infos
    reg = get_host().registry("gates")
    assert reg["mixture_gate"].name == "mixture_gate"
    assert reg["learnable_temperature"].name == "learnable_temperature"


def test_contract():
    reg = get_host().registry("gates")
    check_gate_contract(reg["mixture_gate"](8, 6, top_k=2))
    check_gate_contract(reg["learnable_temperature"](2.0))


def test_top_k_routing():
    gate = get_host().registry("gates")["mixture_gate"](8, 6, top_k=2)
    w = gate(np.random.default_rng(0).standard_normal((5, 8)).astype(np.float32)).data
    assert ((w > 0).sum(-1) == 2).all() and np.allclose(w.sum(-1), 1.0, atol=1e-6)
