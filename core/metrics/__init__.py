"""Task metrics: classification, field extraction, SQL, QA, text overlap, code, calibration."""
