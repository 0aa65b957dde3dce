"""Reverse-mode autograd tensors, numba kernels, optimizers and LR schedules."""
