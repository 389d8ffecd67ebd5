"""Scoring the sentences for a question (dense, BM25, answer types) and deciding whether to answer."""
