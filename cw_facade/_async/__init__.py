"""The clients' I/O code, written once in ``cw_facade/_async`` (``cw_facade/_sync`` is its copy).

``scripts/unasync.py`` writes the blocking package from the async one; never edit the copy.
"""
