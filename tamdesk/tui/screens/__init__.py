"""The desk's screens (one per file) and its dialogs."""
