"""Soft logic on probabilities: spec behaviour, formulas, gradients, gates and circuits."""

import itertools

import numpy as np
import pytest

from simplex_training.engine import Tensor
from simplex_training.engine import functional as F
from simplex_training.engine.gradcheck import gradcheck
from simplex_training.engine.optim import AdamW
from simplex_training.gates import ops
from simplex_training.gates.logic import LogicCircuit, SoftLogicGate

T, F_ = 0.99, 0.01
RNG = np.random.default_rng(0)
PA, PB = RNG.uniform(0.05, 0.95, (3, 4)), RNG.uniform(0.05, 0.95, (3, 4))
BINARY = ["and", "or", "xor", "implies", "iff", "nand", "nor"]
TRUTH = {"and": lambda a, b: a and b, "or": lambda a, b: a or b, "xor": lambda a, b: a != b,
         "implies": lambda a, b: (not a) or b, "iff": lambda a, b: a == b,
         "nand": lambda a, b: not (a and b), "nor": lambda a, b: not (a or b)}


def v(t):
    return float(t.data)


def test_spec_probability_inputs_at_low_temperature_are_crisp():
    t = 0.1
    assert v(ops.soft_and(T, T, t)) > 0.9 and v(ops.soft_and(T, F_, t)) < 0.1
    assert v(ops.soft_or(T, F_, t)) > 0.9 and v(ops.soft_or(F_, F_, t)) < 0.1
    assert v(ops.soft_not(T, t)) < 0.1 and v(ops.soft_not(F_, t)) > 0.9
    assert v(ops.soft_xor(T, F_, t)) > 0.8 and v(ops.soft_xor(T, T, t)) < 0.2
    assert v(ops.soft_implies(T, F_, t)) < 0.2 and v(ops.soft_implies(F_, T, t)) > 0.8


@pytest.mark.parametrize("op", BINARY)
def test_crisp_truth_tables_as_temperature_goes_to_zero(op):
    f = getattr(ops, f"soft_{op}")
    for a, b in itertools.product([False, True], repeat=2):
        pa, pb = (0.8 if a else 0.2), (0.8 if b else 0.2)
        assert abs(v(f(pa, pb, 0.01)) - float(TRUTH[op](a, b))) < 1e-12


def test_temperature_one_gives_the_plain_probability_forms():
    a, b = Tensor(PA), Tensor(PB)
    assert np.allclose(ops.soft_and(a, b, 1.0).data, PA * PB)
    assert np.allclose(ops.soft_or(a, b, 1.0).data, 1 - (1 - PA) * (1 - PB))
    assert np.allclose(ops.soft_xor(a, b, 1.0).data, PA * (1 - PB) + (1 - PA) * PB)
    assert np.allclose(ops.soft_implies(a, b, 1.0).data, 1 - PA * (1 - PB))
    assert np.allclose(ops.soft_not(a, 1.0).data, 1 - PA)
    assert np.allclose(ops.and_all(a, 1.0, axis=0).data, PA.prod(axis=0))
    assert np.allclose(ops.or_all(a, 1.0).data, 1 - (1 - PA).prod(axis=-1))


def test_nand_nor_are_complements_without_a_second_sigmoid():
    for t in (0.3, 1.0, 2.0):
        assert np.allclose(ops.soft_nand(PA, PB, t).data, 1 - ops.soft_and(PA, PB, t).data)
        assert np.allclose(ops.soft_nor(PA, PB, t).data, 1 - ops.soft_or(PA, PB, t).data)
        assert np.allclose(ops.soft_iff(PA, PB, t).data, 1 - ops.soft_xor(PA, PB, t).data)
    # the original's NOT(AND) re-squashed: sigmoid(AND/T) is never below 0.5 -- ours reaches ~0
    assert v(ops.soft_nand(T, T, 0.1)) < 1e-6


def test_sharpen_properties():
    assert np.allclose(ops.sharpen(PA, 1.0).data, PA)
    assert np.allclose(ops.sharpen(np.array([0.5]), 0.01).data, 0.5)
    sharp = ops.sharpen(PA, 0.2).data
    assert (np.abs(sharp - 0.5) >= np.abs(PA - 0.5) - 1e-12).all()
    assert np.array_equal(ops.sharpen(PA, None).data, PA)


@pytest.mark.parametrize("op", BINARY)
def test_binary_ops_gradcheck(op):
    f = getattr(ops, f"soft_{op}")
    assert gradcheck(lambda a, b, t: f(a, b, t), [PA, PB, np.array(0.7)]).ok
    assert gradcheck(lambda a, b: f(a, b, None), [PA, PB]).ok


def test_unary_and_reduction_gradchecks():
    assert gradcheck(lambda a, t: ops.soft_not(a, t), [PA, np.array(0.6)]).ok
    assert gradcheck(lambda a, t: ops.sharpen(a, t), [PA, np.array(1.4)]).ok
    assert gradcheck(lambda a: ops.logit(a), [PA]).ok
    for red in (ops.and_all, ops.or_all):
        assert gradcheck(lambda a, t, red=red: red(a, t, axis=0), [PA, np.array(0.6)]).ok
        assert gradcheck(lambda a, red=red: red(a, None), [PA]).ok


def test_reduction_gradient_with_a_zero_input_is_finite():
    p = Tensor(np.array([0.0, 0.5, 0.8]), requires_grad=True)
    ops.and_all(p, None).backward()
    assert np.allclose(p.grad, [0.4, 0.0, 0.0])


def test_soft_logic_gate_introspection_and_identity_init():
    g = SoftLogicGate.and_gate(3)
    assert g.operation() == "and" and g.op == "and" and g.num_inputs == 3
    p = RNG.uniform(0.05, 0.95, (5, 3))
    assert np.allclose(g(Tensor(p.astype(np.float32))).data, ops.and_all(p, 0.5).data, atol=1e-5)
    assert SoftLogicGate.not_gate().num_inputs == 1 and SoftLogicGate.xor_gate().op == "xor"
    with pytest.raises(ValueError):
        SoftLogicGate("xor", 3)
    with pytest.raises(ValueError):
        SoftLogicGate("maybe", 2)


def test_soft_logic_gate_gradcheck_and_eval_is_hard():
    g = SoftLogicGate("or", 2, 0.8, dtype=np.float64)

    def fn(p, w, b, lt):
        g.weight, g.bias, g.log_temperature = w, b, lt
        return g(p)

    params = [g.weight.data.copy() * 0.7, np.array(0.2), np.array(np.log(0.8))]
    assert gradcheck(fn, [RNG.uniform(0.1, 0.9, (4, 2))] + params).ok
    g.eval()
    out = g(RNG.uniform(0, 1, (6, 2)))
    assert set(np.unique(out.data)) <= {0.0, 1.0} and not out.requires_grad
    g.set_active(False)
    assert np.allclose(g(RNG.uniform(0, 1, (6, 2))).data, 0.5)


def test_gate_learns_a_and_not_b_through_a_negative_weight():
    gate = SoftLogicGate("and", 2, 0.5, dtype=np.float64)
    rng = np.random.default_rng(1)
    bits = rng.integers(0, 2, (64, 2)).astype(bool)
    p = np.where(bits, 0.9, 0.1)
    y = (bits[:, 0] & ~bits[:, 1]).astype(np.float64)
    opt = AdamW(gate.parameters(), lr=0.1, weight_decay=0.0)
    for _ in range(150):
        out = gate(Tensor(p))
        eps = 1e-6
        loss = -(Tensor(y) * F.log(out + eps) + Tensor(1 - y) * F.log(1 - out + eps)).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
    assert gate.weight.data[1] < 0 < gate.weight.data[0]
    gate.eval()
    assert np.array_equal(gate(Tensor(p)).data, y)


def _xor_circuit():
    c = LogicCircuit(2)
    c.add_layer([SoftLogicGate("or", 2, 0.2), SoftLogicGate("nand", 2, 0.2)])
    c.add_layer([SoftLogicGate("and", 2, 0.2)])
    return c


def test_circuit_computes_xor_from_or_nand_and():
    c = _xor_circuit()
    assert c.num_layers == 2 and c.num_gates == 3 and c.num_active_gates == 3
    assert len(c.parameters()) == 9
    x = np.array([[0.05, 0.05], [0.05, 0.95], [0.95, 0.05], [0.95, 0.95]], dtype=np.float32)
    out = c(x)
    assert out.shape == (4, 1) and np.allclose(out.data[:, 0], [0, 1, 1, 0], atol=0.05)
    c.eval()
    assert c(x).data[:, 0].tolist() == [0, 1, 1, 0]


def test_circuit_explicit_wiring_and_errors():
    c = LogicCircuit(3)
    c.add_layer([SoftLogicGate.not_gate(temperature=0.1)])
    c.add_layer([SoftLogicGate("and", 2, 0.1)])
    c.connect(0, 2, 1, 0, 0)  # NOT(input 2)
    c.connect(1, 0, 2, 0, 0)  # AND(NOT x2, x0)
    c.connect(0, 0, 2, 0, 1)
    x = np.array([[0.9, 0.1, 0.1], [0.9, 0.1, 0.9], [0.1, 0.9, 0.1]], dtype=np.float32)
    assert np.allclose(c(x).data[:, 0], [1, 0, 0], atol=0.01)
    with pytest.raises(ValueError, match="forward"):
        c.connect(2, 0, 1, 0, 0)
    with pytest.raises(ValueError, match="no input"):
        c.connect(0, 0, 1, 0, 5)
    bad = LogicCircuit(3)
    bad.add_layer([SoftLogicGate("and", 2)])
    with pytest.raises(ValueError, match="unwired"):
        bad(x)
    partly = LogicCircuit(3)
    partly.add_layer([SoftLogicGate("and", 2)])
    partly.connect(0, 0, 1, 0, 0)
    with pytest.raises(ValueError, match="not connected"):
        partly(x)


def test_circuit_is_differentiable_end_to_end():
    c = _xor_circuit()
    x = Tensor(np.random.default_rng(2).uniform(0.1, 0.9, (5, 2)).astype(np.float32), requires_grad=True)
    c(x).sum().backward()
    assert np.abs(x.grad).max() > 0
    assert all(p.grad is not None and np.isfinite(p.grad).all() for p in c.parameters())
