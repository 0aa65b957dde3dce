"""Pretraining of the embedded base model: the general synthetic corpus and the training run."""
