"""``python -m cw_facade.mcp``: see :func:`cw_facade.mcp.main`."""

from __future__ import annotations

import sys

from cw_facade.mcp._main import main

if __name__ == "__main__":
    sys.exit(main())
