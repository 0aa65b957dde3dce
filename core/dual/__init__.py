"""Forward-mode automatic differentiation: Dual scalars and DualTensor with k tangents."""
