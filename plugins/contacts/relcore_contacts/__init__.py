"""relcore contacts: companies and persons, reference data, business relations, profiles,
duplicates, privacy, import/export (BC §1.3, §2, §3)."""
