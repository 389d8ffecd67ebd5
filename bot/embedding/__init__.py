"""The verified MiniLM model and its encoders: sentence-transformers for documents, NumPy for questions."""
