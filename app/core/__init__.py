"""Domain logic and ports. Imports no web framework, parser, vector store or ML library."""
