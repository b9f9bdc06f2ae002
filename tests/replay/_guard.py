"""What a committed cassette must never contain: credentials, real hosts, volatile headers."""

from __future__ import annotations

import base64
import binascii
import ipaddress
import re
from typing import Any

import yaml

from cw_facade.testing import DEMO_CLIENT_ID, DEMO_PRIVATE_KEY, DEMO_PUBLIC_KEY
from tests.replay._scrub import (
    NEUTRAL_HOST,
    PLACEHOLDER_AUTH,
    PLACEHOLDER_BAD_AUTH,
    PLACEHOLDER_CLIENT_ID,
    basic_auth,
)

ALLOWED_AUTH = {PLACEHOLDER_AUTH, PLACEHOLDER_BAD_AUTH}
ALLOWED_PAIRS = {base64.b64decode(a.split(" ", 1)[1]).decode() for a in ALLOWED_AUTH}
FORBIDDEN_TEXT = (
    DEMO_PRIVATE_KEY,
    DEMO_PUBLIC_KEY,
    DEMO_CLIENT_ID,
    basic_auth("cwfacade", DEMO_PUBLIC_KEY, DEMO_PRIVATE_KEY).split(" ", 1)[1],
)
FORBIDDEN_RESPONSE_HEADERS = ("date", "server", "set-cookie")
FORBIDDEN_REQUEST_HEADERS = ("cookie", "host", "user-agent")
BASIC_RE = re.compile(r"Basic\s+([A-Za-z0-9+/=]+)")
#: RFC 2606 names: never real hosts (the demo seed's company websites use ``.example``).
RESERVED_SUFFIXES = (".example", ".invalid", ".test", ".localhost")
RESERVED_DOMAINS = ("example.com", "example.net", "example.org")
URL_HOST_RE = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://(\[[^\]]+\]|[^/\s\"'<>?#:]+)")


def _host_allowed(host: str) -> bool:
    name = host.lower()
    if name in (NEUTRAL_HOST, "localhost") or name.endswith(RESERVED_SUFFIXES):
        return True
    if any(name == d or name.endswith("." + d) for d in RESERVED_DOMAINS):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _text_problems(text: str) -> list[str]:
    found = [f"credential {value!r}" for value in FORBIDDEN_TEXT if value in text]
    for token in BASIC_RE.findall(text):
        try:
            pair = base64.b64decode(token, validate=True).decode()
        except (binascii.Error, UnicodeDecodeError):
            pair = "<undecodable>"
        if pair not in ALLOWED_PAIRS:
            found.append(f"Basic credentials {pair!r}")
    found += [f"host {h!r}" for h in URL_HOST_RE.findall(text) if not _host_allowed(h)]
    return found


def _header_problems(interaction: dict[str, Any]) -> list[str]:
    found: list[str] = []
    request_headers = {k.lower(): v for k, v in interaction["request"]["headers"].items()}
    response_headers = {k.lower() for k in interaction["response"]["headers"]}
    for value in request_headers.get("authorization", []):
        if value not in ALLOWED_AUTH:
            found.append(f"Authorization {value!r}")
    for value in request_headers.get("clientid", []):
        if value != PLACEHOLDER_CLIENT_ID:
            found.append(f"clientId {value!r}")
    found += [f"request header {h}" for h in FORBIDDEN_REQUEST_HEADERS if h in request_headers]
    found += [f"response header {h}" for h in FORBIDDEN_RESPONSE_HEADERS if h in response_headers]
    return found


def problems(text: str) -> list[str]:
    """Everything wrong with one cassette file's text (empty when it is clean)."""
    found = _text_problems(text)
    document = yaml.safe_load(text)
    interactions = document.get("interactions") if isinstance(document, dict) else None
    if not interactions:
        return [*found, "no interactions"]
    for interaction in interactions:
        found += _header_problems(interaction)
        body = interaction["response"]["body"].get("string")
        if isinstance(body, bytes):
            found += _text_problems(body.decode("utf-8", "replace"))
    return found
