import numpy as np

from simplex_training.gates.contract import check_gate_contract
from simplex_training.gates.modes import GateMode
from simplex_training.pluginmanager import get_host


def test_registered():
    assert "gates.dual_gate" in get_host().infos
    reg = get_host().registry("gates")
    assert reg["dual_gate"].name == "dual_gate" and reg["straight_through"].name == "straight_through"


def test_contract():
    reg = get_host().registry("gates")
    check_gate_contract(reg["dual_gate"](0.2, 0.5))
    check_gate_contract(reg["dual_gate"](mode=GateMode.hybrid()))
    check_gate_contract(reg["straight_through"](0.0))


def test_registered_gate_switches_soft_to_hard():
    gate = get_host().registry("gates")["dual_gate"](0.0, 0.5)
    x = np.array([-1.0, 1.0], dtype=np.float32)
    soft = gate(x).data
    assert 0 < soft[0] < 0.5 < soft[1] < 1
    assert gate.eval()(x).data.tolist() == [0.0, 1.0]
