import numpy as np

from simplex_training.gates.contract import check_gate_contract
from simplex_training.pluginmanager import get_host


def test_registered():
    assert "gates.pruning_mask" in get_host().infos
    assert get_host().registry("gates")["neuron_mask"].name == "neuron_mask"


def test_contract():
    cls = get_host().registry("gates")["neuron_mask"]
    check_gate_contract(cls(6))
    check_gate_contract(cls(6, init_logit=-1.0))


def test_hard_mask_export():
    m = get_host().registry("gates")["neuron_mask"](4)
    m.logits.data[:] = [1.0, -1.0, 1.0, -1.0]
    assert m.hard_mask().tolist() == [True, False, True, False]
    assert np.array_equal(m.eval()(np.ones((2, 4), dtype=np.float32)).data, np.tile([1, 0, 1, 0], (2, 1)))
