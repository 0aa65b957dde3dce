"""Generators for the ``core`` category, one module per specialist: context_protocol,
confidence_calibration, belief_revision, neural_ir (helpers they share in :mod:`.common`).

Every answer is computed from the values placed in the prompt; each module's docstring says how.
"""
