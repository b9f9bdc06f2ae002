"""``cw``: a command line for ConnectWise Manage, built on the public client and the catalog.

Run it as ``cw`` (the console script) or ``python -m cw_facade``. :func:`main` runs it
in-process and returns the exit status (see :mod:`cw_facade.cli._exit` for the table).
Connection settings are resolved by :mod:`cw_facade.cli._config`, which the MCP server reuses.

The parser is stdlib :mod:`argparse`: no extra dependency and a fast start; tab completion
(bash and zsh) is served by ``cw completion`` and a hidden ``cw __complete`` helper.
"""

from __future__ import annotations

from cw_facade.cli import (
    _api,
    _completion,
    _doctor,
    _export,
    _resources,
    _simulate,
    _sync,
)
from cw_facade.cli._app import build_parser, main

#: The command modules, in help order; each has ``register(commands, parents)``.
COMMANDS = (_resources, _api, _export, _sync, _doctor, _simulate, _completion)

__all__ = ["COMMANDS", "build_parser", "main"]
