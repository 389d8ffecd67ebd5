"""Benchmarks: ReQA retrieval, speed, decline calibration and load."""
