"""Self-learning annealing: learnable temperature schedules with real meta-gradients."""
