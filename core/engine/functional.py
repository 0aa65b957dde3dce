"""Every differentiable op as a plain function (the ``F`` of this engine).

    from simplex_training.engine import functional as F
    h = F.rms_norm(x, w, eps)                                   # (B, T, C)
    q = F.linear(h, wq).reshape(B, T, Hq, D).transpose(0, 2, 1, 3)   # (B, Hq, T, D)
    q = F.rope(q, positions, base)
    y = F.attention(q, k, v)                                    # (B, Hq, T, D)
    loss = F.cross_entropy(logits, targets, ignore_index=-100)

Elementwise: add sub mul div neg pow exp log sqrt relu tanh sigmoid silu gelu astype
Reductions:  sum mean max
Shape:       reshape transpose permute swapaxes getitem concat stack
Linear alg.: matmul linear
NN:          embedding softmax log_softmax cross_entropy rms_norm layer_norm dropout swiglu
Attention:   rope attention
Signatures are documented in the ``ops_*`` modules.
"""

from __future__ import annotations

from simplex_training.engine.ops_attention import attention, rope
from simplex_training.engine.ops_elementwise import (add, astype, div, exp, gelu, log, mul, neg,
                                                     pow, relu, sigmoid, silu, sqrt, sub, tanh)
from simplex_training.engine.ops_matmul import linear, matmul
from simplex_training.engine.ops_nn import (cross_entropy, dropout, embedding, layer_norm,
                                            log_softmax, rms_norm, softmax, swiglu)
from simplex_training.engine.ops_reduce import max, mean, sum
from simplex_training.engine.ops_shape import (concat, getitem, permute, reshape, stack, swapaxes,
                                               transpose)
from simplex_training.engine.tensor import Tensor, enable_grad, is_grad_enabled, no_grad

__all__ = ["add", "sub", "mul", "div", "neg", "pow", "exp", "log", "sqrt", "relu", "tanh",
           "sigmoid", "silu", "gelu", "astype", "sum", "mean", "max", "reshape", "transpose",
           "permute", "swapaxes", "getitem", "concat", "stack", "matmul", "linear", "embedding",
           "softmax", "log_softmax", "cross_entropy", "rms_norm", "layer_norm", "dropout",
           "swiglu", "rope", "attention", "Tensor", "no_grad", "enable_grad", "is_grad_enabled"]
