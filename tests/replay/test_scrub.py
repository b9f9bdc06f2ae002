"""The scrubber on a real-server-like exchange (the simulator only exercises loopback)."""

from __future__ import annotations

import gzip
from typing import Any

import pytest
import yaml
from vcr.request import Request

from tests.replay._cassettes import make_vcr
from tests.replay._guard import problems
from tests.replay._scrub import (
    NEUTRAL_ORIGIN,
    PLACEHOLDER_AUTH,
    PLACEHOLDER_BAD_AUTH,
    PLACEHOLDER_CLIENT_ID,
    Scrubber,
    Target,
    basic_auth,
)

pytestmark = pytest.mark.replay_meta

SERVER = Target(
    "https://na.myconnectwise.net",
    "acme co",
    "PUBkey123",
    "PRIVkey456",
    "c1d2e3f4-real-client",
    record=True,
)
API = "https://api-na.myconnectwise.net/v4_6_release/apis/3.0"
VALID = basic_auth("acme co", "PUBkey123", "PRIVkey456")


def _request(**headers: str) -> Request:
    body = b'{"note":"by acme co+PUBkey123 with PRIVkey456 for c1d2e3f4-real-client"}'
    base = {"Authorization": VALID, "clientId": SERVER.client_id, "Cookie": "session=1"}
    uri = f"{API}/service/tickets?conditions=x%3D%22PRIVkey456%22&site=na.myconnectwise.net"
    return Request("POST", uri, body, {**base, "User-Agent": "ua", "Host": "h", **headers})


def _response() -> dict[str, Any]:
    body = (
        b'{"href":"' + API.encode() + b'/service/tickets/1","SiteUrl":"na.myconnectwise.net",'
        b'"updatedBy":"PUBkey123"}'
    )
    return {
        "status": {"code": 200, "message": "OK"},
        "headers": {
            "Content-Type": ["application/json"],
            "Content-Length": [str(len(body))],
            "Date": ["Mon, 01 Jan 2024 00:00:00 GMT"],
            "Server": ["Microsoft-IIS/10.0"],
            "Set-Cookie": ["cw=secret"],
            "Link": [f'<{API}/service/tickets?page=2>; rel="next"'],
        },
        "body": {"string": body},
    }


def test_request_keeps_only_placeholders() -> None:
    scrubbed = Scrubber(SERVER).request(_request())
    assert scrubbed.uri == (
        f"{NEUTRAL_ORIGIN}/v4_6_release/apis/3.0/service/tickets"
        "?conditions=x%3D%22replay-private-key%22&site=cw.replay.invalid"
    )
    assert dict(scrubbed.headers) == {
        "Authorization": PLACEHOLDER_AUTH,
        "clientId": PLACEHOLDER_CLIENT_ID,
    }
    assert scrubbed.body == (
        b'{"note":"by cwfacade+replay-public-key with replay-private-key for replay-client-id"}'
    )


def test_other_credentials_become_the_rejected_placeholder() -> None:
    wrong = basic_auth("acme co", "PUBkey123", "wrong")
    scrubbed = Scrubber(SERVER).request(_request(Authorization=wrong))
    assert scrubbed.headers["Authorization"] == PLACEHOLDER_BAD_AUTH


def test_response_is_neutral_and_stable() -> None:
    scrubbed = Scrubber(SERVER).response(_response())
    body = scrubbed["body"]["string"]
    assert body == (
        b'{"href":"https://cw.replay.invalid/v4_6_release/apis/3.0/service/tickets/1",'
        b'"SiteUrl":"cw.replay.invalid","updatedBy":"replay-public-key"}'
    )
    assert scrubbed["headers"] == {
        "Content-Type": ["application/json"],
        "Content-Length": [str(len(body))],
        "Link": [f'<{NEUTRAL_ORIGIN}/v4_6_release/apis/3.0/service/tickets?page=2>; rel="next"'],
    }


def test_scrubbing_is_idempotent() -> None:
    scrubber = Scrubber(SERVER)
    once = scrubber.response(_response())
    assert scrubber.response(once) == once
    request = scrubber.request(_request())
    again = scrubber.request(request)
    assert (again.uri, dict(again.headers), again.body) == (
        request.uri,
        dict(request.headers),
        request.body,
    )


def test_written_cassette_passes_the_guard(tmp_path: Any) -> None:
    """Through vcrpy itself: a gzip response is decoded, scrubbed and written clean."""
    response = _response()
    response["body"]["string"] = gzip.compress(response["body"]["string"])
    response["headers"]["Content-Encoding"] = ["gzip"]
    with make_vcr(SERVER, tmp_path).use_cassette("real.yaml") as cassette:
        cassette.append(_request(), response)
    text = (tmp_path / "real.yaml").read_text()
    assert problems(text) == []
    stored = yaml.safe_load(text)["interactions"][0]["response"]
    assert b"cw.replay.invalid" in stored["body"]["string"].encode()
    assert "Content-Encoding" not in stored["headers"]
