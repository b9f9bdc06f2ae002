"""The run lock of a sync database: exclusive, non-blocking, released by the OS on exit.

``fcntl.flock`` on POSIX, ``msvcrt.locking`` on Windows, on a file beside the database. The
operating system drops the lock when the holding process ends, however it ends (``kill -9``
included), so a crashed run never blocks the next one.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from cw_facade._errors import ConnectWiseSyncError, ConnectWiseSyncInProgressError


class RunLock:
    """An exclusive, non-blocking lock on ``path`` that the OS drops when the process dies."""

    def __init__(self, path: Path) -> None:
        """``path``: the lock file (created when missing); nothing is locked yet."""
        self.path = path
        self._fd: int | None = None

    def acquire(self) -> None:
        """Take the lock; raise :class:`~cw_facade.ConnectWiseSyncInProgressError` if held."""
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as exc:
            raise ConnectWiseSyncError(f"cannot open the lock file {self.path}: {exc}") from exc
        try:
            _lock(fd)
        except (BlockingIOError, PermissionError):
            os.close(fd)
            raise ConnectWiseSyncInProgressError(str(self.path)) from None
        except OSError as exc:
            os.close(fd)
            raise ConnectWiseSyncError(f"cannot lock {self.path}: {exc}") from exc
        self._fd = fd

    def release(self) -> None:
        """Drop the lock (closing the file releases it)."""
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _lock(fd: int) -> None:
        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)

else:
    import fcntl

    def _lock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
