"""Task metrics: classification, field extraction, QA, SQL, text overlap, code, reasoning, calibration.

One module per area (each names the definitions it implements), :mod:`.evaluator` with the common
shape of evaluator plugins, and :mod:`.report` for the before/after comparison written to
metrics.json.
"""
