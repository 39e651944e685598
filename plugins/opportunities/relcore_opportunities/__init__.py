"""relcore opportunities: sales cycles and stages, the opportunity entry ledger (BC §6)."""
