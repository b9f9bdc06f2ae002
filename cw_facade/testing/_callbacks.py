"""Callbacks (webhooks): match registrations, build signed payloads, POST them in the background.

Only loopback URLs are accepted, deliveries run on one daemon thread with a short timeout, and
each attempt is recorded in :attr:`CallbackDispatcher.deliveries`. The signature header is
``x-content-signature: base64(HMAC-SHA256(key=SHA256(signing_key) digest, raw body))``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import queue
import threading
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from cw_facade.testing._store import Record

CALLBACKS = "/system/callbacks"
DELIVERY_TIMEOUT_S = 2.0
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")
SIGNATURE_HEADER = "x-content-signature"
CALLBACK_TYPES = {"/service/tickets": "ticket", "/company/companies": "company"}
_STOP = object()
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


@dataclass(frozen=True)
class Delivery:
    """One callback POST: where it went, the body sent, and the status (``None`` if it failed)."""

    url: str
    body: bytes
    status: int | None
    error: str | None


def is_loopback(url: object) -> bool:
    """Whether ``url`` is an http(s) URL on a loopback host."""
    if not isinstance(url, str):
        return False
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and (parts.hostname or "") in LOOPBACK_HOSTS


def sign(body: bytes, signing_key: str) -> str:
    """The ``x-content-signature`` value for ``body``."""
    key = hashlib.sha256(signing_key.encode("utf-8")).digest()
    return base64.b64encode(hmac.new(key, body, hashlib.sha256).digest()).decode("ascii")


def _applies(callback: Record, record: Record) -> bool:
    level = str(callback.get("level") or "").lower()
    wanted = callback.get("objectId")
    if level == "owner":
        return True
    target = {
        "company": (record.get("company") or {}).get("id", record.get("id")),
        "board": (record.get("board") or {}).get("id"),
        "status": (record.get("status") or {}).get("id"),
        "type": (record.get("type") or {}).get("id"),
    }.get(level)
    return target is not None and target == wanted


class CallbackDispatcher:
    """Finds matching registrations and delivers their payloads from a background thread."""

    def __init__(self, signing_key: str, key_url: str, from_url: str, company: str) -> None:
        self.signing_key = signing_key
        self.key_url = key_url
        self.from_url = from_url
        self.company = company
        self.deliveries: list[Delivery] = []
        self._queue: queue.Queue[Any] = queue.Queue()
        self._counter = 0
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Start the delivery thread."""
        self._thread = threading.Thread(target=self._run, name="cw-sim-callbacks", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Deliver what is queued, then stop the thread."""
        if self._thread is not None:
            self._queue.put(_STOP)
            self._thread.join(DELIVERY_TIMEOUT_S * 4)
            self._thread = None

    def wait(self) -> None:
        """Block until every queued callback has been attempted."""
        self._queue.join()

    def notify(
        self, registrations: list[Record], collection: str, action: str, record: Record
    ) -> None:
        """Queue payloads for every active registration matching a change of ``record``."""
        kind = CALLBACK_TYPES.get(collection)
        if kind is None:
            return
        for callback in registrations:
            if callback.get("inactiveFlag") or str(callback.get("type", "")).lower() != kind:
                continue
            if _applies(callback, record):
                self._queue.put((callback["url"], self._payload(callback, kind, action, record)))

    def _payload(self, callback: Record, kind: str, action: str, record: Record) -> bytes:
        self._counter += 1
        payload = {
            "MessageId": f"00000000-0000-4000-a000-{self._counter:012d}",
            "FromUrl": self.from_url,
            "CompanyId": self.company,
            "MemberId": "APIMember",
            "Action": action,
            "Type": kind,
            "ID": record["id"],
            "ProductInstanceId": None,
            "PartnerId": None,
            "Entity": json.dumps(record, separators=(",", ":")),
            "Metadata": {"key_url": self.key_url},
            "CallbackObjectRecId": callback.get("objectId"),
        }
        return json.dumps(payload, separators=(",", ":")).encode("utf-8")

    def _run(self) -> None:
        while True:
            item = self._queue.get()
            try:
                if item is _STOP:
                    return
                self._deliver(*item)
            finally:
                self._queue.task_done()

    def _deliver(self, url: str, body: bytes) -> None:
        headers = {
            "Content-Type": "application/json",
            SIGNATURE_HEADER: sign(body, self.signing_key),
        }
        request = urllib.request.Request(url, data=body, headers=headers, method="POST")
        try:
            with _OPENER.open(request, timeout=DELIVERY_TIMEOUT_S) as response:
                status: int | None = response.status
                error = None
        except urllib.error.HTTPError as exc:
            status, error = exc.code, str(exc)
            exc.close()
        except (OSError, ValueError) as exc:
            status, error = None, str(exc)
        self.deliveries.append(Delivery(url, body, status, error))
