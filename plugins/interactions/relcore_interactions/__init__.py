"""relcore interactions: groups, templates, the interaction log, delivery and statistics (§4)."""
