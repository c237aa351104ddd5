"""Adapters: the only modules that import heavy libraries (unstructured, torch, faiss, langchain)."""
