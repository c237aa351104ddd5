"""Ingestion: load → partition → clean → dedupe → chunk → embed → write, one small stage a module."""
