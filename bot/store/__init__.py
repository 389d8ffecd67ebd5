"""Building the index (sentence and clause vectors) and keeping it on disk in checksummed generations."""
