"""Reverse-mode autograd tensors, numba kernels, optimizers and LR schedules.

Modules
-------
``tensor``        Tensor, no_grad, enable_grad, is_grad_enabled (+ op-author helpers)
``parameter``     Parameter (trainable leaf with freeze/unfreeze)
``functional``    every op as a function (elementwise, reductions, shape, matmul/linear, nn ops,
                  rope, GQA causal attention); implemented in ``ops_*.py``
``kernels``       numba forward/backward kernels (attention, rmsnorm, rope, swiglu,
                  softmax_cross_entropy, adamw, embedding, gelu) and float64 numpy references
``optim``         AdamW, SGD, clip_grad_norm (state_dict/load_state_dict for checkpoints)
``lr_schedules``  ConstantSchedule, LinearSchedule, CosineSchedule (linear warmup), make_schedule
``gradcheck``     gradcheck(fn, inputs) against central finite differences (float64)
"""

from simplex_training.engine.parameter import Parameter
from simplex_training.engine.tensor import Tensor, enable_grad, is_grad_enabled, no_grad

__all__ = ["Tensor", "Parameter", "no_grad", "enable_grad", "is_grad_enabled"]
