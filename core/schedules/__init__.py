"""Learnable schedules whose parameters get real meta-gradients (hypergradients via dual numbers)."""
