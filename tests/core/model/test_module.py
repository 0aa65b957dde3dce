"""Module: which parameters a module has, wherever its attributes keep them."""

import numpy as np

from simplex_training.engine import Parameter
from simplex_training.model.module import Module


class Leaf(Module):
    def __init__(self):
        self.weight = Parameter(np.ones(2, np.float32))


class Holder(Module):
    def __init__(self):
        self.leaf = Leaf()
        self.blocks = [Leaf(), Leaf()]
        self.table = {"a": Parameter(np.zeros(1, np.float32)), "sub": Leaf()}
        self.pair = (Parameter(np.zeros(3, np.float32)),)
        self.tied = self.leaf.weight  # the same parameter again: listed once, under its first path
        self.note = "not a parameter"


def test_parameters_in_modules_lists_tuples_and_dicts_are_found_once():
    m = Holder()
    assert [n for n, _ in m.named_parameters()] == [
        "leaf.weight", "blocks.0.weight", "blocks.1.weight", "table.a", "table.sub.weight", "pair.0"]
    assert len({id(p) for p in m.parameters()}) == 6


def test_train_and_eval_reach_modules_in_dicts():
    m = Holder().eval()
    assert not any(x.training for x in m.modules()) and not m.table["sub"].training
    assert m.train().table["sub"].training
