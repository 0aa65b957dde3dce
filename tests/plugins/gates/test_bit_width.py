import numpy as np

from simplex_training.gates.contract import check_gate_contract
from simplex_training.pluginmanager import get_host


def test_registered():
    assert "gates.bit_width" in get_host().infos
    assert get_host().registry("gates")["bit_width_chooser"].name == "bit_width_chooser"


def test_contract():
    cls = get_host().registry("gates")["bit_width_chooser"]
    check_gate_contract(cls((2, 4, 8)))
    check_gate_contract(cls((4, 8), hard=True))


def test_eval_uses_the_argmax_width():
    ch = get_host().registry("gates")["bit_width_chooser"]((2, 4, 8), init_logits=[0.0, 3.0, 1.0])
    assert ch.chosen_bits() == 4
    w = np.random.default_rng(0).standard_normal(32).astype(np.float32)
    q = ch.eval()(w).data
    scale = np.abs(w).max() / 7
    assert np.allclose(q / scale, np.round(q / scale), atol=1e-4)
