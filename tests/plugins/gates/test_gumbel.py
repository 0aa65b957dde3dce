import numpy as np

from simplex_training.gates.contract import check_gate_contract
from simplex_training.pluginmanager import get_host


def test_registered():
    assert "gates.gumbel" in get_host().infos
    assert get_host().registry("gates")["gumbel_softmax"].name == "gumbel_softmax"


def test_contract_soft_and_hard():
    cls = get_host().registry("gates")["gumbel_softmax"]
    check_gate_contract(cls(0.5))
    check_gate_contract(cls(0.5, hard=True))


def test_seeded_samples_are_reproducible():
    cls = get_host().registry("gates")["gumbel_softmax"]
    logits = np.zeros((3, 4), dtype=np.float32)
    assert np.array_equal(cls(seed=5)(logits).data, cls(seed=5)(logits).data)
    assert np.allclose(cls(seed=5)(logits).data.sum(-1), 1.0, atol=1e-6)
