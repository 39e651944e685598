"""relcore-segments: segments (mailing lists) built from filter criteria."""
