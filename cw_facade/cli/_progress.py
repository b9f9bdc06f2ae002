"""A progress line for long scans, drawn on stderr only when it is a terminal.

``records 1,300/2,500  52% [██████████░░░░░░░░░░] 13 pages  650/s  ETA 0:02``. The total comes
from ``/count`` (unknown totals draw no bar and no ETA). Redraws are throttled to
:data:`REDRAW_S`; the clock is injectable so tests pin time.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import TextIO

REDRAW_S = 0.1
BAR_WIDTH = 24


def duration(seconds: float) -> str:
    """``75`` → ``1:15``; ``3725`` → ``1:02:05``."""
    whole = max(0, round(seconds))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


class Progress:
    """Counts records and pages of a scan and draws them (see the module docstring)."""

    def __init__(
        self,
        stream: TextIO,
        *,
        total: int | None,
        pagesize: int,
        label: str = "records",
        enabled: bool = True,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """``total`` from ``/count`` (or ``None``); ``enabled=False`` draws nothing."""
        self.stream = stream
        self.total = total
        self.pagesize = pagesize
        self.label = label
        self.enabled = enabled
        self.clock = clock
        self.records = 0
        self.started = clock()
        self._drawn_at = -math.inf
        self._unicode = "utf" in (getattr(stream, "encoding", "") or "").lower()

    @property
    def pages(self) -> int:
        """Pages fetched so far (every page but the last is full)."""
        return math.ceil(self.records / self.pagesize) if self.records else 0

    def rate(self) -> float | None:
        """Records per second so far, or ``None`` before any time has passed."""
        elapsed = self.clock() - self.started
        return self.records / elapsed if elapsed > 0 else None

    def line(self) -> str:
        """The progress line as it would be drawn now."""
        done = self.records
        parts = [f"{self.label} {done:,}" + (f"/{self.total:,}" if self.total is not None else "")]
        if self.total:
            share = min(1.0, done / self.total)
            filled = int(share * BAR_WIDTH)
            full, empty = ("█", "░") if self._unicode else ("#", "-")
            parts.append(f"{share:4.0%} [{full * filled}{empty * (BAR_WIDTH - filled)}]")
        parts.append(f"{self.pages} pages")
        rate = self.rate()
        if rate:
            parts.append(f"{rate:,.0f}/s")
            if self.total is not None and self.total >= done:
                parts.append(f"ETA {duration((self.total - done) / rate)}")
        return "  ".join(parts)

    def advance(self, count: int = 1) -> None:
        """Count ``count`` more records; redraw when due."""
        self.records += count
        now = self.clock()
        if self.enabled and now - self._drawn_at >= REDRAW_S:
            self._drawn_at = now
            self.stream.write("\r\033[K" + self.line())
            self.stream.flush()

    def finish(self) -> None:
        """Draw the final state and end the line."""
        if self.enabled:
            self.stream.write("\r\033[K" + self.line() + "\n")
            self.stream.flush()
