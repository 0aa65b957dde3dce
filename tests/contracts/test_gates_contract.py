"""Contract of every registered gate class with a no-argument constructor.

eval() output is finite and deterministic (and exactly 0/1 for gates declaring ``hard_in_eval``);
train() output requires grad and back-propagates finite, non-zero gradients
(:func:`simplex_training.gates.contract.check_gate_contract`).
"""

import pytest

from simplex_training.gates.contract import check_gate_contract, has_default_constructor
from simplex_training.pluginmanager import get_host

GATES = get_host().registry("gates")
DEFAULT = sorted(name for name in GATES if has_default_constructor(GATES[name]))


def test_most_gates_have_a_default_constructor():
    assert len(DEFAULT) >= 8, DEFAULT


@pytest.mark.parametrize("name", DEFAULT)
def test_gate_contract(name):
    gate = GATES[name]()
    assert gate.name == name and gate.training
    check_gate_contract(gate)
    assert gate.training  # the check restores the mode


@pytest.mark.parametrize("name", sorted(GATES))
def test_gate_class_declares_name_and_eval_kind(name):
    cls = GATES[name]
    assert isinstance(cls.name, str) and isinstance(cls.hard_in_eval, bool)
    assert callable(getattr(cls, "example_input", None))
