"""The disclosure schema, document-number logic, index backends and the archive reader.

`indexer` is the foundation: `crawler` and `search_api` import it; it imports neither.
"""
