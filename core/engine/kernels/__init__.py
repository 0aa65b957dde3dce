"""numba kernels as forward/backward pairs, compiled lazily with cache=True."""
