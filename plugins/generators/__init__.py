"""Generator plugins: one module per catalog category, one Specialist object per specialist."""
