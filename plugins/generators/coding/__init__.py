"""Generators for the ``coding`` category, one module per specialist.

* :mod:`.code_tasks`: code_generation and code_documentation (one family of tasks serves both)
* :mod:`.code_review`: code_review
* :mod:`.sql_generation`: sql_generation
* :mod:`.api_integration`: api_integration

Every answer is derived from the prompt, never drawn independently; each module's docstring says
how, and gives the canonical answer format where there is one.
"""
