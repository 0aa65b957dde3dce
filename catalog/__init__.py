"""The built-in specialist catalog: one YAML file per category, read by simplex_training.catalog."""
