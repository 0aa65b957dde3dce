"""Contract of every registered layer class, built-in or from a third-party plugin.

Each class declares ``name`` and ``example(rng, dtype)``; on its example the output is finite,
deterministic and keeps the dtype, every trainable parameter and floating input gets finite,
non-zero gradients that match float64 central finite differences, the float32 path matches the
float64 one, and ``parameters()`` lists exactly the layer's parameters
(:func:`simplex_training.model.layer_contract.check_layer_contract`).
"""

import inspect

import pytest

from simplex_training.model.layer_contract import check_layer_contract
from simplex_training.pluginmanager import get_host

LAYERS = get_host().registry("layers")
BUILT_IN = {"linear", "embedding", "rms_norm", "layer_norm", "group_norm", "batch_norm", "swiglu",
            "grouped_query_attention", "multi_head_attention", "sinusoidal_positions", "learned_positions",
            "rotary", "alibi"}


def test_the_built_in_layers_are_registered_so_the_contract_covers_them():
    assert BUILT_IN <= set(LAYERS), sorted(BUILT_IN - set(LAYERS))


@pytest.mark.parametrize("name", sorted(LAYERS))
def test_layer_class_declares_name_and_example(name):
    cls = LAYERS[name]
    assert vars(cls).get("name") == name, "the class declares its own name (not inherited from a parent layer)"
    assert inspect.ismethod(cls.example) and cls.example.__self__ is cls, "example must be a classmethod"
    assert list(inspect.signature(cls.example).parameters)[:2] == ["rng", "dtype"]


@pytest.mark.parametrize("name", sorted(LAYERS))
def test_layer_contract(name):
    check_layer_contract(LAYERS[name])
