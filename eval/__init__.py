"""Evaluation: metric functions (pure) and runners that call the product's own code paths."""
