"""Our WARC toolkit: record building, file writing and rotation, reading, indexing, verification, replay.

Nothing here imports from ``crawler`` or ``spiders``: the archive must stay usable on its own.
"""
