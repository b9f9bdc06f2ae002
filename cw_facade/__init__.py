"""cw-facade: a typed, tolerant, production-ready client for the ConnectWise Manage REST API."""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
