"""Receiving ConnectWise callbacks: parse the POSTed event, verify it, refuse replays.

ConnectWise signs each callback body: the ``x-content-signature`` header holds
``base64(HMAC-SHA256(key=SHA256(signing_key), raw body))``, and the signing key is served at
the event's ``Metadata.key_url``. That URL comes from the (not yet verified) payload, so it is
only fetched from the receiver's own site, on ConnectWise's key path, for the receiver's own
company (:func:`~cw_facade._callback_keys.check_key_url`). ``CompanyId`` in the body proves
nothing (a forger writes what they like); the key URL check is what ties a callback to you.

The whole receiver in one object::

    verifier = CallbackVerifier(sites=BASE_URL, company=COMPANY)   # once, at start-up
    event = verifier.verify(body, headers)   # key fetched (cached), signature, replay

or step by step::

    event = parse_callback(body, headers)                               # not verified yet
    key = fetch_signing_key(event.key_url, sites=BASE_URL, company=COMPANY)
    event = parse_callback(body, headers, signing_key=key, expected_company=COMPANY,
                           replay_guard=guard)
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import threading
import time
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final

import httpx

from cw_facade import _json
from cw_facade._callback_keys import (
    KEY_FETCH_TIMEOUT,
    InvalidCallbackError,
    check_key_url,
    fetch_signing_key,
    fetch_signing_key_async,
    site_origins,
)
from cw_facade._errors import ConnectWiseConfigurationError, ConnectWiseJSONDepthError
from cw_facade._replay import MemoryReplayStore, ReplayedCallbackError, ReplayGuard, ReplayStore
from cw_facade.models import Company, Configuration, Contact, Model, Ticket
from cw_facade.models._values import as_int, as_str, lookup, nested

__all__ = [
    "KEY_FETCH_TIMEOUT",
    "CallbackEvent",
    "CallbackVerifier",
    "InvalidCallbackError",
    "InvalidSignatureError",
    "MemoryReplayStore",
    "ReplayGuard",
    "ReplayStore",
    "ReplayedCallbackError",
    "check_key_url",
    "compute_signature",
    "fetch_signing_key",
    "fetch_signing_key_async",
    "parse_callback",
    "verify_signature",
]

#: Header carrying the body signature.
SIGNATURE_HEADER: Final = "x-content-signature"
#: Largest callback body accepted (bytes); ConnectWise sends one record, a few KB.
MAX_CALLBACK_BYTES: Final = 5 * 1024 * 1024
#: Deepest JSON nesting accepted in a callback body or its ``Entity``.
MAX_CALLBACK_JSON_DEPTH: Final = _json.DEFAULT_MAX_JSON_DEPTH
#: How long :class:`CallbackVerifier` keeps a fetched signing key (seconds).
KEY_CACHE_TTL: Final = 3600.0
#: Most signing keys :class:`CallbackVerifier` keeps.
KEY_CACHE_SIZE: Final = 64
#: A key that fails a signature is fetched again at most this often (seconds), so bad
#: signatures cannot turn the receiver into a stream of requests to your ConnectWise site.
KEY_REFETCH_INTERVAL: Final = 60.0
#: Models of the entity types a callback may carry (matched ignoring case).
ENTITY_MODELS: Mapping[str, type[Model]] = {
    "ticket": Ticket,
    "company": Company,
    "contact": Contact,
    "configuration": Configuration,
}


class InvalidSignatureError(InvalidCallbackError):
    """The ``x-content-signature`` header is missing or does not match the body."""


@dataclass(frozen=True, slots=True)
class CallbackEvent:
    """One callback from ConnectWise.

    ``action`` is ``added``, ``updated`` or ``deleted``; ``type`` the record type
    (``ticket``); ``id`` the record id; ``entity`` the record as a model of its type
    (``Ticket`` for tickets; a plain :class:`~cw_facade.models.Model` for other types;
    ``None`` when absent or unreadable); ``raw`` the whole decoded payload.
    """

    action: str | None
    type: str | None
    id: int | None
    entity: Model | None
    raw: dict[str, Any] = field(repr=False)

    @property
    def key_url(self) -> str | None:
        """Where the signing key is served (``Metadata.key_url``); see :func:`fetch_signing_key`."""
        return as_str(nested(self.raw, "Metadata", "key_url"))

    @property
    def message_id(self) -> str | None:
        """The delivery's ``MessageId`` (what :class:`ReplayGuard` remembers)."""
        value = lookup(self.raw, "MessageId")
        return None if value is None else str(value)

    @property
    def member_id(self) -> str | None:
        """The member whose change triggered the callback, as sent."""
        value = lookup(self.raw, "MemberId")
        return None if value is None else str(value)

    @property
    def company_id(self) -> str | None:
        """The ``CompanyId`` the body claims (unproven; the key URL check is what counts)."""
        return as_str(lookup(self.raw, "CompanyId"))


def compute_signature(body: bytes | str, signing_key: str) -> str:
    """The ``x-content-signature`` value ConnectWise sends for ``body``."""
    key = hashlib.sha256(signing_key.encode("utf-8")).digest()
    digest = hmac.new(key, _as_bytes(body), hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def verify_signature(body: bytes | str, headers: Mapping[str, str], signing_key: str) -> None:
    """Raise :class:`InvalidSignatureError` unless the signature header matches ``body``.

    An empty ``signing_key`` (an unset setting, typically) is refused with
    :class:`InvalidCallbackError`: anyone could sign with it.
    """
    if not isinstance(signing_key, str) or not signing_key:
        raise InvalidCallbackError("signing_key must be a non-empty string")
    sent = _header(headers, SIGNATURE_HEADER)
    if not sent:
        raise InvalidSignatureError(f"the {SIGNATURE_HEADER} header is missing")
    expected = compute_signature(body, signing_key)
    if not hmac.compare_digest(sent.strip().encode("ascii", "replace"), expected.encode("ascii")):
        raise InvalidSignatureError("the callback signature does not match its body")


def parse_callback(
    body: bytes | str,
    headers: Mapping[str, str],
    *,
    signing_key: str | None = None,
    expected_company: str | None = None,
    replay_guard: ReplayGuard | None = None,
) -> CallbackEvent:
    """Parse a callback body; with ``signing_key``, verify its signature first.

    Checks run in this order: size (at most :data:`MAX_CALLBACK_BYTES`), signature (with
    ``signing_key``), JSON (an object, nested at most :data:`MAX_CALLBACK_JSON_DEPTH` deep),
    ``CompanyId`` (with ``expected_company``, ignoring case), then ``replay_guard``, which
    records the ``MessageId`` only once everything else passed.

    Raises :class:`InvalidSignatureError` on a missing or wrong signature,
    :class:`ReplayedCallbackError` for a ``MessageId`` the guard has seen, and
    :class:`InvalidCallbackError` for any other refusal (never ``RecursionError`` or a bare
    ``ValueError``). ``replay_guard`` without ``signing_key`` raises
    :class:`~cw_facade.ConnectWiseConfigurationError`: unverified ids would let a forger use up
    real ones.
    """
    if replay_guard is not None and signing_key is None:
        raise ConnectWiseConfigurationError(
            "replay_guard needs signing_key: only verified callbacks may be remembered"
        )
    raw = _as_bytes(body)
    if len(raw) > MAX_CALLBACK_BYTES:
        raise InvalidCallbackError(f"the callback body is larger than {MAX_CALLBACK_BYTES:,} bytes")
    if signing_key is not None:
        verify_signature(raw, headers, signing_key)
    payload = _decode(raw)
    if expected_company is not None:
        _check_company(payload, expected_company)
    event = _event(payload)
    if replay_guard is not None:
        replay_guard.check(lookup(payload, "MessageId"))
    return event


class _Default:
    """The type of :data:`DEFAULT`: "not passed", distinct from ``None`` (which turns off)."""

    def __repr__(self) -> str:
        return "DEFAULT"


#: ``replay_guard`` not passed: :class:`CallbackVerifier` makes its own :class:`ReplayGuard`.
DEFAULT: Final = _Default()


class CallbackVerifier:
    """A webhook receiver's whole check of one callback, with its keys cached.

    ``sites`` are your ConnectWise sites (the ``base_url`` you give the client, or host
    names; see :func:`~cw_facade._callback_keys.site_origins`) and ``company`` your company id:
    signing keys are fetched only from there (:func:`check_key_url`). ``replay_guard``
    refuses a repeated ``MessageId``: a new :class:`ReplayGuard` by default, ``None`` to turn
    replay protection off, or your own (with a shared store for several processes).
    ``timeout`` bounds each key fetch as a whole; ``transport``/``async_transport`` replace
    the network for the key fetch (tests). Keys are cached per key URL for
    :data:`KEY_CACHE_TTL` seconds; a key that fails a signature is fetched again at most
    every :data:`KEY_REFETCH_INTERVAL` seconds. Safe to share between threads.

    Raises :class:`InvalidCallbackError` at construction for no usable site or company.
    """

    def __init__(
        self,
        *,
        sites: str | Iterable[str],
        company: str,
        replay_guard: ReplayGuard | _Default | None = DEFAULT,
        timeout: float = KEY_FETCH_TIMEOUT,
        transport: httpx.BaseTransport | None = None,
        async_transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        """See the class docstring."""
        self.sites = tuple([sites] if isinstance(sites, str) else sites)
        site_origins(self.sites)  # refuse bad sites now rather than per callback
        if not isinstance(company, str) or not company.strip():
            raise InvalidCallbackError("company must be the receiver's ConnectWise company id")
        self.company = company.strip()
        self.replay_guard: ReplayGuard | None = (
            ReplayGuard() if isinstance(replay_guard, _Default) else replay_guard
        )
        self.timeout = timeout
        self._transport = transport
        self._async_transport = async_transport
        self._keys: OrderedDict[str, tuple[str, float]] = OrderedDict()
        self._lock = threading.Lock()

    def verify(self, body: bytes | str, headers: Mapping[str, str]) -> CallbackEvent:
        """Check one POSTed callback and return its event; raise if it must be refused.

        Raises :class:`InvalidCallbackError` (or its subclasses :class:`InvalidSignatureError`
        and :class:`ReplayedCallbackError`) for every refusal: answer those with a 4xx.
        """
        url = self._key_url(body, headers)
        key, fresh = self._cached(url), False
        if key is None:
            key, fresh = self._store(url, self._fetch(url)), True
        try:
            return self._verified(body, headers, key)
        except InvalidSignatureError:
            if fresh or not self._may_refetch(url):
                raise
        return self._verified(body, headers, self._store(url, self._fetch(url)))

    async def verify_async(self, body: bytes | str, headers: Mapping[str, str]) -> CallbackEvent:
        """Async twin of :meth:`verify`."""
        url = self._key_url(body, headers)
        key, fresh = self._cached(url), False
        if key is None:
            key, fresh = self._store(url, await self._fetch_async(url)), True
        try:
            return self._verified(body, headers, key)
        except InvalidSignatureError:
            if fresh or not self._may_refetch(url):
                raise
        return self._verified(body, headers, self._store(url, await self._fetch_async(url)))

    def _key_url(self, body: bytes | str, headers: Mapping[str, str]) -> str:
        event = parse_callback(body, headers)  # not verified: only to read the key URL
        return check_key_url(event.key_url, sites=self.sites, company=self.company)

    def _verified(self, body: bytes | str, headers: Mapping[str, str], key: str) -> CallbackEvent:
        return parse_callback(
            body,
            headers,
            signing_key=key,
            expected_company=self.company,
            replay_guard=self.replay_guard,
        )

    def _fetch(self, url: str) -> str:
        return fetch_signing_key(
            url, sites=self.sites, company=self.company, transport=self._transport,
            timeout=self.timeout,
        )  # fmt: skip

    async def _fetch_async(self, url: str) -> str:
        return await fetch_signing_key_async(
            url, sites=self.sites, company=self.company, transport=self._async_transport,
            timeout=self.timeout,
        )  # fmt: skip

    def _cached(self, url: str) -> str | None:
        with self._lock:
            entry = self._keys.get(url)
            if entry is None or time.monotonic() - entry[1] > KEY_CACHE_TTL:
                return None
            return entry[0]

    def _may_refetch(self, url: str) -> bool:
        with self._lock:
            entry = self._keys.get(url)
            return entry is None or time.monotonic() - entry[1] >= KEY_REFETCH_INTERVAL

    def _store(self, url: str, key: str) -> str:
        with self._lock:
            self._keys.pop(url, None)
            self._keys[url] = (key, time.monotonic())
            while len(self._keys) > KEY_CACHE_SIZE:
                self._keys.popitem(last=False)
        return key


def _decode(raw: bytes) -> dict[str, Any]:
    try:
        payload = _json.loads(raw, max_depth=MAX_CALLBACK_JSON_DEPTH)
    except ConnectWiseJSONDepthError as exc:
        raise InvalidCallbackError(
            f"the callback body nests deeper than {MAX_CALLBACK_JSON_DEPTH} levels"
        ) from exc
    except ValueError as exc:
        raise InvalidCallbackError(f"the callback body is not JSON: {exc}") from exc
    if not isinstance(payload, dict):
        raise InvalidCallbackError("the callback body is not a JSON object")
    return payload


def _event(payload: dict[str, Any]) -> CallbackEvent:
    kind = as_str(lookup(payload, "Type"))
    return CallbackEvent(
        action=as_str(lookup(payload, "Action")),
        type=kind,
        id=as_int(lookup(payload, "ID")),
        entity=_entity(kind, lookup(payload, "Entity")),
        raw=payload,
    )


def _check_company(payload: dict[str, Any], expected: str) -> None:
    sent = as_str(lookup(payload, "CompanyId"))
    if not expected.strip():
        raise InvalidCallbackError("expected_company must be a non-empty string")
    if sent is None or sent.strip().casefold() != expected.strip().casefold():
        raise InvalidCallbackError(
            f"the callback comes from company {sent!r}, not the expected {expected!r}"
        )


def _entity(kind: str | None, value: Any) -> Model | None:
    if isinstance(value, str):
        try:
            value = _json.loads(value, max_depth=MAX_CALLBACK_JSON_DEPTH)
        except (ValueError, ConnectWiseJSONDepthError):
            return None
    if not isinstance(value, dict):
        return None
    model = ENTITY_MODELS.get((kind or "").strip().casefold(), Model)
    return model(value)


def _as_bytes(body: bytes | str) -> bytes:
    return body.encode("utf-8") if isinstance(body, str) else bytes(body)


def _header(headers: Mapping[str, str], name: str) -> str | None:
    value = headers.get(name)
    if value is not None:
        return value
    for key, other in headers.items():
        if key.lower() == name:
            return other
    return None
