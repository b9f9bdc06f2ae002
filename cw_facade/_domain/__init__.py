"""The pure rules of the domain methods: argument checks, request bodies, name tables.

Nothing here sends anything; :mod:`cw_facade._async._domain` (and its generated blocking
twin) calls these, then the generated operations.
"""
