"""relcore-visits: the example plugin of docs/writing-plugins.md (a visitor log)."""
