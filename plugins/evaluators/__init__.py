"""Evaluator plugins, one per task type."""
