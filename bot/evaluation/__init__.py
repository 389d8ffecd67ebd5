"""Batch evaluation: question files in, metrics, answer files and an HTML report out."""
