"""Measured speed at realistic and team scale: ``python -m benchmarks --size small|medium|team``."""
