"""Forward-mode automatic differentiation: Dual scalars and DualTensor with k tangents.

``Dual`` (:mod:`.scalar`), ``DualTensor`` + ``concat``/``stack`` (:mod:`.tensor`), layer norm and
losses (:mod:`.nn`), and ``jvp``/``gradient``/``derivative`` (:mod:`.grad`).
"""

from simplex_training.dual.grad import derivative, gradient, jvp, value_and_gradient
from simplex_training.dual.nn import binary_cross_entropy, cross_entropy, layer_norm, mse_loss
from simplex_training.dual.scalar import Dual
from simplex_training.dual.tensor import DualTensor, as_dual, concat, matmul, stack

__all__ = ["Dual", "DualTensor", "as_dual", "concat", "stack", "matmul", "layer_norm", "mse_loss",
           "cross_entropy", "binary_cross_entropy", "jvp", "gradient", "value_and_gradient",
           "derivative"]
