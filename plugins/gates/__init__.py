"""Gate plugins: dual-mode gates, Gumbel-softmax, soft logic, mixtures, learned masks and bit widths."""
