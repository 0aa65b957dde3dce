"""Generators for the ``reasoning`` category, one module per specialist: math_reasoning,
logical_reasoning, commonsense_reasoning, causal_reasoning.

Every answer is computed from the values placed in the prompt, by the same code that writes the
steps; nothing is re-drawn. Each module's docstring says how.
"""
