"""The desk's own widgets, one per file."""
