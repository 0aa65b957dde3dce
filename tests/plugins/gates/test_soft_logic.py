import numpy as np

from simplex_training.gates.contract import check_gate_contract
from simplex_training.pluginmanager import get_host


def test_registered():
    assert "gates.soft_logic" in get_host().infos
    reg = get_host().registry("gates")
    assert reg["soft_logic_gate"].name == "soft_logic_gate" and reg["logic_circuit"].name == "logic_circuit"


def test_contract_gates_and_circuit():
    reg = get_host().registry("gates")
    Gate, Circuit = reg["soft_logic_gate"], reg["logic_circuit"]
    for op, n in [("and", 3), ("or", 2), ("not", 1), ("xor", 2), ("implies", 2), ("iff", 2), ("nand", 2), ("nor", 2)]:
        check_gate_contract(Gate(op, n, 0.5))
    c = Circuit(3)
    c.add_layer([Gate("and", 3), Gate("or", 3)])
    c.add_layer([Gate("xor", 2)])
    check_gate_contract(c)


def test_probability_inputs_give_crisp_logic():
    gate = get_host().registry("gates")["soft_logic_gate"]("and", 2, 0.1)
    out = gate(np.array([[0.99, 0.99], [0.99, 0.01]], dtype=np.float32)).data
    assert out[0] > 0.9 and out[1] < 0.1
