"""Layer plugins (Linear, norms, attention, position schemes)."""
