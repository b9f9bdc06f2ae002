"""Scrubbing of recorded interactions: credentials become placeholders, hosts become neutral.

vcrpy runs :meth:`Scrubber.request` on every request before it is stored *and* before it is
matched during replay, and :meth:`Scrubber.response` on every response before it is stored
(and again on loading a cassette). Both are idempotent, so a scrubbed cassette loads unchanged.

- Request headers: only those that matter on the wire are kept (:data:`KEPT_REQUEST_HEADERS`);
  ``Authorization`` becomes :data:`PLACEHOLDER_AUTH` when it carried the recording credentials,
  else :data:`PLACEHOLDER_BAD_AUTH`; ``clientId`` becomes :data:`PLACEHOLDER_CLIENT_ID`.
- Response headers: only :data:`KEPT_RESPONSE_HEADERS` stay (no ``Date``, ``Server``, cookies);
  ``Content-Length`` is recomputed after the body is rewritten.
- URLs, header values and bodies: every credential value (token, ``company+public``, keys,
  client id) is replaced by its placeholder, the recorded server's origin by
  :data:`NEUTRAL_ORIGIN` (and its bare ``host:port`` by :data:`NEUTRAL_HOST`).
"""

from __future__ import annotations

import base64
import copy
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import httpx

from cw_facade._urls import parse_base_url

NEUTRAL_HOST = "cw.replay.invalid"
NEUTRAL_ORIGIN = f"https://{NEUTRAL_HOST}"
CODEBASE = "v4_6_release/"

PLACEHOLDER_COMPANY = "cwfacade"
PLACEHOLDER_PUBLIC_KEY = "replay-public-key"
PLACEHOLDER_PRIVATE_KEY = "replay-private-key"
PLACEHOLDER_CLIENT_ID = "replay-client-id"
#: The private key the 401 tests send, in recording and in replay alike.
REJECTED_PRIVATE_KEY = "replay-rejected-key"

KEPT_REQUEST_HEADERS = ("accept", "authorization", "clientid", "content-type", "pagination-type")
KEPT_RESPONSE_HEADERS = (
    "content-type",
    "content-length",
    "link",
    "retry-after",
    "api-current-version",
    "x-cw-request-id",
    "x-server-name",
)


def basic_auth(company: str, public_key: str, private_key: str) -> str:
    """The ``Authorization`` value ConnectWise expects for these credentials."""
    raw = f"{company}+{public_key}:{private_key}".encode()
    return "Basic " + base64.b64encode(raw).decode()


PLACEHOLDER_AUTH = basic_auth(PLACEHOLDER_COMPANY, PLACEHOLDER_PUBLIC_KEY, PLACEHOLDER_PRIVATE_KEY)
PLACEHOLDER_BAD_AUTH = basic_auth(PLACEHOLDER_COMPANY, PLACEHOLDER_PUBLIC_KEY, "rejected")


@dataclass(frozen=True)
class Target:
    """Where the replay tests' clients point, with which credentials, and whether to record."""

    base_url: str
    company: str
    public_key: str
    private_key: str
    client_id: str
    record: bool = False

    def __repr__(self) -> str:
        return f"Target(base_url={self.base_url!r}, record={self.record})"


REPLAY_TARGET = Target(
    NEUTRAL_ORIGIN,
    PLACEHOLDER_COMPANY,
    PLACEHOLDER_PUBLIC_KEY,
    PLACEHOLDER_PRIVATE_KEY,
    PLACEHOLDER_CLIENT_ID,
)


def _origins(base_url: str) -> list[tuple[str, str]]:
    """``(recorded, neutral)`` pairs for the site and API hosts of ``base_url``."""
    ends = parse_base_url(base_url, codebase=CODEBASE, allow_insecure_http=True)
    scheme = httpx.URL(base_url).scheme
    hosts = {ends.site_host, ends.api_host}
    return [
        *((f"{scheme}://{host}", NEUTRAL_ORIGIN) for host in hosts),
        *((host, NEUTRAL_HOST) for host in hosts),
    ]


def _with_quoted(pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Each pair plus its percent-encoded form (credentials may sit in URLs)."""
    quoted = [(quote(found, safe=""), quote(placeholder, safe="")) for found, placeholder in pairs]
    return [*pairs, *quoted]


class Scrubber:
    """The vcrpy hooks for one :class:`Target` (see the module docstring)."""

    def __init__(self, target: Target) -> None:
        self._valid_auth = basic_auth(target.company, target.public_key, target.private_key)
        pairs = [
            (self._valid_auth.split(" ", 1)[1], PLACEHOLDER_AUTH.split(" ", 1)[1]),
            (
                f"{target.company}+{target.public_key}",
                f"{PLACEHOLDER_COMPANY}+{PLACEHOLDER_PUBLIC_KEY}",
            ),
            (target.private_key, PLACEHOLDER_PRIVATE_KEY),
            (target.public_key, PLACEHOLDER_PUBLIC_KEY),
            (target.client_id, PLACEHOLDER_CLIENT_ID),
        ]
        if target.company != PLACEHOLDER_COMPANY:
            pairs.append((target.company, PLACEHOLDER_COMPANY))
        everything = {*_with_quoted(pairs), *_origins(target.base_url)}
        # Longest first, so api-na.myconnectwise.net is not rewritten as na.myconnectwise.net.
        self._pairs = sorted((p for p in everything if p[0] != p[1]), key=lambda p: (-len(p[0]), p))

    def text(self, value: str) -> str:
        """``value`` with every origin and credential replaced."""
        for found, placeholder in self._pairs:
            value = value.replace(found, placeholder)
        return value

    def _body(self, body: Any) -> Any:
        if isinstance(body, bytes):
            try:
                return self.text(body.decode("utf-8")).encode("utf-8")
            except UnicodeDecodeError:
                return body
        return self.text(body) if isinstance(body, str) else body

    def _auth(self, value: str) -> str:
        valid = value in (self._valid_auth, PLACEHOLDER_AUTH)
        return PLACEHOLDER_AUTH if valid else PLACEHOLDER_BAD_AUTH

    def request(self, request: Any) -> Any:
        """vcrpy ``before_record_request`` hook (gets a copy of the request)."""
        request.uri = self.text(request.uri)
        kept: dict[str, str] = {}
        for name, value in request.headers.items():
            key = name.lower()
            if key not in KEPT_REQUEST_HEADERS:
                continue
            if key == "authorization":
                value = self._auth(value)
            elif key == "clientid":
                value = PLACEHOLDER_CLIENT_ID
            kept[name] = self.text(value)
        request.headers = kept
        request.body = self._body(request.body)
        return request

    def response(self, response: dict[str, Any]) -> dict[str, Any]:
        """vcrpy ``before_record_response`` hook."""
        response = copy.deepcopy(response)
        body = response["body"]
        body["string"] = self._body(body["string"])
        headers: dict[str, list[str]] = {}
        for name, values in response["headers"].items():
            if name.lower() in KEPT_RESPONSE_HEADERS:
                headers[name] = [self.text(str(v)) for v in values]
        for name in headers:
            if name.lower() == "content-length":
                size = body["string"]
                size = size.encode("utf-8") if isinstance(size, str) else size or b""
                headers[name] = [str(len(size))]
        response["headers"] = headers
        return response
