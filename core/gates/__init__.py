"""Dual-mode neural gates on the reverse-mode engine: soft in training, hard in inference."""
