"""``python -m cw_facade``: the ``cw`` command line."""

from __future__ import annotations

import sys

from cw_facade.cli import main

if __name__ == "__main__":
    sys.exit(main())
