"""Dual-mode neural gates on the reverse-mode engine: soft in training, hard in inference.

Modules
-------
``ops``        custom ops with hand-written backward: soft/hard/straight-through threshold gates,
               ste_identity, clamp, Gumbel-softmax, top-k renormalisation, fake quantisation
``ops_logic``  soft Boolean logic on probabilities (re-exported by ``ops``)
``modes``      GateMode, DualGate, StraightThroughGate
``gumbel``     GumbelSoftmaxGate
``logic``      SoftLogicGate, LogicCircuit
``mixture``    MixtureGate (top-k router), LearnableTemperature
``attention``  TemperatureAttention
``masks``      NeuronMask (learned structured pruning), BitWidthChooser (learned bit width)
``contract``   check_gate_contract, the rules every registered gate class keeps

See ``docs/gates.md`` for formulas, the soft-logic input convention and the fixes versus the
original system.
"""

from simplex_training.gates.attention import TemperatureAttention
from simplex_training.gates.gumbel import GumbelSoftmaxGate
from simplex_training.gates.logic import LogicCircuit, SoftLogicGate
from simplex_training.gates.masks import BitWidthChooser, NeuronMask
from simplex_training.gates.mixture import LearnableTemperature, MixtureGate
from simplex_training.gates.modes import DualGate, GateKind, GateMode, StraightThroughGate

__all__ = ["GateKind", "GateMode", "DualGate", "StraightThroughGate", "GumbelSoftmaxGate",
           "SoftLogicGate",
           "LogicCircuit", "MixtureGate", "LearnableTemperature", "TemperatureAttention",
           "NeuronMask", "BitWidthChooser"]
