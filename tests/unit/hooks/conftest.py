"""The hooks tests run their async twins on asyncio (the key fetch uses asyncio.timeout)."""

from __future__ import annotations

import pytest


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"
