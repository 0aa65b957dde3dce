"""Schedule plugins (annealing temperature, learnable LR, distillation, pruning, quantization, curriculum)."""
