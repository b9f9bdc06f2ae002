"""Faults on demand: per route (method + path regex), with a count and/or a probability.

Kinds (:data:`FAULT_KINDS`): ``"429"`` (with ``Retry-After``), ``"503"``, ``"500-timeout"``
(a 500 whose message is "timeout"), ``"html"`` (a 502 proxy page in HTML), ``"reset"`` (the
connection is reset without a response) — these five answer before the request reaches the
store, so nothing is written. ``"malformed-json"`` (the real response with its JSON body cut
short), ``"slow-body"`` (the real response, its body sent in small delayed chunks) and
``"latency"`` (the real response after a delay) let the request through.
"""

from __future__ import annotations

import random
import re
import threading
from dataclasses import dataclass

FAULT_KINDS = (
    "429",
    "503",
    "500-timeout",
    "html",
    "reset",
    "malformed-json",
    "slow-body",
    "latency",
)
BEFORE_STORE = ("429", "503", "500-timeout", "html", "reset")
RATE_KINDS = ("429", "503", "reset")
DEFAULT_RETRY_AFTER_S = 1
DEFAULT_DELAY_S = 0.05
API_MARKER = "/apis/3.0/"
HTML_PAGE = (
    b"<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head>"
    b"<body><h1>502 Bad Gateway</h1><p>The upstream server did not answer.</p></body></html>"
)


@dataclass
class Fault:
    """One registered fault; ``remaining`` counts down when a count was given."""

    kind: str
    method: str | None
    path: re.Pattern[str]
    remaining: int | None
    probability: float
    retry_after: int
    delay: float

    def applies(self, method: str, path: str) -> bool:
        """Whether this fault targets ``method path`` and still has uses left."""
        if self.remaining is not None and self.remaining <= 0:
            return False
        if self.method is not None and self.method.upper() != method.upper():
            return False
        return self.path.search(path) is not None


class FaultSet:
    """The registered faults plus the global fault rate, with a seeded random source."""

    def __init__(self, *, fault_rate: float = 0.0, rng_seed: int = 0) -> None:
        if not 0.0 <= fault_rate <= 1.0:
            raise ValueError("fault_rate must be between 0 and 1")
        self.fault_rate = fault_rate
        self._faults: list[Fault] = []
        self._rng = random.Random(rng_seed)
        self._lock = threading.Lock()

    def add(
        self,
        kind: str,
        *,
        method: str | None = None,
        path: str = ".*",
        count: int | None = None,
        probability: float = 1.0,
        retry_after: int = DEFAULT_RETRY_AFTER_S,
        delay: float = DEFAULT_DELAY_S,
    ) -> Fault:
        """Register a fault; see :meth:`ManageSimulator.add_fault`."""
        if kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {kind!r}; expected one of {FAULT_KINDS}")
        if not 0.0 <= probability <= 1.0:
            raise ValueError("probability must be between 0 and 1")
        fault = Fault(kind, method, re.compile(path), count, probability, retry_after, delay)
        with self._lock:
            self._faults.append(fault)
        return fault

    def clear(self) -> None:
        """Remove every registered fault (the global rate stays)."""
        with self._lock:
            self._faults.clear()

    def pick(self, method: str, path: str) -> Fault | None:
        """The fault to apply to this request, if any (first matching registration wins)."""
        with self._lock:
            for fault in self._faults:
                if fault.applies(method, path) and self._rng.random() < fault.probability:
                    if fault.remaining is not None:
                        fault.remaining -= 1
                    return fault
            if self.fault_rate and API_MARKER in path and self._rng.random() < self.fault_rate:
                kind = self._rng.choice(RATE_KINDS)
                return Fault(kind, None, re.compile(""), None, 1.0, DEFAULT_RETRY_AFTER_S, 0.0)
        return None
