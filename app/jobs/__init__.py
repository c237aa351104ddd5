"""Batch jobs: enterprise profiling over many enterprises, resumable."""
