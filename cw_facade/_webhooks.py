"""Receiving ConnectWise callbacks: parse the POSTed event and verify its signature.

ConnectWise signs each callback body: the ``x-content-signature`` header holds
``base64(HMAC-SHA256(key=SHA256(signing_key), raw body))``. The signing key is served at the
event's ``Metadata.key_url``; :func:`fetch_signing_key` fetches it only from an https
ConnectWise host (``*.myconnectwise.net``) or a host you allow explicitly, and refuses any
other URL before any I/O, because the URL comes from the (not yet verified) payload::

    event = parse_callback(body, headers)                        # not verified yet
    key = fetch_signing_key(event.key_url)                       # cache it per key_url
    event = parse_callback(body, headers, signing_key=key, expected_company="yourcompany")

A valid signature proves that *a* ConnectWise server sent the body, not that it is yours:
another tenant can register a callback to your URL. Pass ``expected_company`` (your login
company id) so that a correctly signed callback from another company is refused too.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import httpx

from cw_facade._errors import ConnectWiseError
from cw_facade.models import Company, Configuration, Contact, Model, Ticket
from cw_facade.models._values import as_int, as_str, lookup, nested

#: Header carrying the body signature.
SIGNATURE_HEADER = "x-content-signature"
#: Domain of ConnectWise-hosted servers, whose key URLs are trusted.
CONNECTWISE_DOMAIN = "myconnectwise.net"
#: Time allowed for fetching a signing key (seconds).
KEY_FETCH_TIMEOUT = 10.0
#: Models of the entity types a callback may carry (matched ignoring case).
ENTITY_MODELS: Mapping[str, type[Model]] = {
    "ticket": Ticket,
    "company": Company,
    "contact": Contact,
    "configuration": Configuration,
}


class InvalidCallbackError(ConnectWiseError, ValueError):
    """The callback body is not a JSON object, or its signing key cannot be had."""


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
    def member_id(self) -> str | None:
        """The member whose change triggered the callback, as sent."""
        value = lookup(self.raw, "MemberId")
        return None if value is None else str(value)

    @property
    def company_id(self) -> str | None:
        """The ConnectWise company (login) id of the sending server."""
        return as_str(lookup(self.raw, "CompanyId"))


def compute_signature(body: bytes | str, signing_key: str) -> str:
    """The ``x-content-signature`` value ConnectWise sends for ``body``."""
    key = hashlib.sha256(signing_key.encode("utf-8")).digest()
    digest = hmac.new(key, _as_bytes(body), hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def verify_signature(body: bytes | str, headers: Mapping[str, str], signing_key: str) -> None:
    """Raise :class:`InvalidSignatureError` unless the signature header matches ``body``.

    An empty ``signing_key`` (an unset setting, typically) is refused: anyone could sign with it.
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
) -> CallbackEvent:
    """Parse a callback body; with ``signing_key``, verify its signature first.

    Raises :class:`InvalidSignatureError` on a missing or wrong signature (only when a key is
    given), and :class:`InvalidCallbackError` when the body is not a JSON object or, with
    ``expected_company``, when its ``CompanyId`` is another company's (compared ignoring case).
    """
    if signing_key is not None:
        verify_signature(body, headers, signing_key)
    try:
        payload = json.loads(_as_bytes(body))
    except ValueError as exc:
        raise InvalidCallbackError("the callback body is not JSON") from exc
    if not isinstance(payload, dict):
        raise InvalidCallbackError("the callback body is not a JSON object")
    if expected_company is not None:
        _check_company(payload, expected_company)
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
            value = json.loads(value)
        except ValueError:
            return None
    if not isinstance(value, dict):
        return None
    model = ENTITY_MODELS.get((kind or "").strip().casefold(), Model)
    return model(value)


def check_key_url(key_url: object, allowed_hosts: Iterable[str] = ()) -> str:
    """``key_url`` if it is an https URL on a ConnectWise host (or one of ``allowed_hosts``).

    Raises :class:`InvalidCallbackError` otherwise; nothing is fetched here.
    """
    if not isinstance(key_url, str):
        raise InvalidCallbackError("the callback names no signing key URL")
    parts = urlsplit(key_url.strip())
    host = (parts.hostname or "").lower().rstrip(".")
    allowed = {h.strip().lower().rstrip(".") for h in allowed_hosts}
    trusted = host == CONNECTWISE_DOMAIN or host.endswith("." + CONNECTWISE_DOMAIN)
    if parts.scheme.lower() != "https" or parts.username or parts.password:
        raise InvalidCallbackError("the signing key URL must be a plain https URL")
    if not host or not (trusted or host in allowed):
        raise InvalidCallbackError(f"refusing to fetch a signing key from host {host!r}")
    return key_url.strip()


def fetch_signing_key(
    key_url: object,
    *,
    allowed_hosts: Iterable[str] = (),
    transport: httpx.BaseTransport | None = None,
    timeout: float = KEY_FETCH_TIMEOUT,
) -> str:
    """Fetch the signing key at ``key_url`` (checked by :func:`check_key_url` first)."""
    url = check_key_url(key_url, allowed_hosts)
    try:
        with httpx.Client(transport=transport, timeout=timeout) as http:
            response = http.get(url)
    except httpx.HTTPError as exc:
        raise _fetch_failed(exc) from exc
    return _signing_key_of(response)


async def fetch_signing_key_async(
    key_url: object,
    *,
    allowed_hosts: Iterable[str] = (),
    transport: httpx.AsyncBaseTransport | None = None,
    timeout: float = KEY_FETCH_TIMEOUT,
) -> str:
    """Async twin of :func:`fetch_signing_key`."""
    url = check_key_url(key_url, allowed_hosts)
    try:
        async with httpx.AsyncClient(transport=transport, timeout=timeout) as http:
            response = await http.get(url)
    except httpx.HTTPError as exc:
        raise _fetch_failed(exc) from exc
    return _signing_key_of(response)


def _fetch_failed(exc: httpx.HTTPError) -> InvalidCallbackError:
    return InvalidCallbackError(f"could not fetch the signing key: {type(exc).__name__}")


def _signing_key_of(response: httpx.Response) -> str:
    if response.status_code != httpx.codes.OK:
        raise InvalidCallbackError(f"the signing key URL answered HTTP {response.status_code}")
    try:
        key = lookup(response.json(), "signing_key")
    except (ValueError, AttributeError) as exc:
        raise InvalidCallbackError("the signing key URL did not answer a JSON object") from exc
    if not isinstance(key, str) or not key:
        raise InvalidCallbackError("the signing key URL answered no signing_key")
    return key


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
