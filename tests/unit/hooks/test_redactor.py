"""The Redactor removes the client's own secrets from every part of an exception."""

from __future__ import annotations

import base64
import gzip
import json
import pickle
from typing import Any

import httpx
import pytest

from cw_facade._errors import (
    ConnectWiseAPIError,
    ConnectWiseBadRequestError,
    ConnectWiseConnectionError,
    ConnectWiseDeadlineError,
    ConnectWiseRateLimitError,
    ConnectWiseResponseError,
    ErrorDetail,
)
from cw_facade._secrets import Redactor, SecretString

COMPANY = "acme"
PUBLIC = "Pub1icKeyAbc"
PRIVATE = "Pr1vateKey+/=Xyz"
CLIENT_ID = "0f8fad5b-d9cb-469f-a165-70867728950e"
AUTH = f"{COMPANY}+{PUBLIC}:{PRIVATE}"
TOKEN = base64.b64encode(AUTH.encode()).decode()
SECRETS = [PRIVATE, PUBLIC, TOKEN, CLIENT_ID, f"{PUBLIC}:{PRIVATE}", AUTH]
URL = "https://cw.example.com/v4_6_release/apis/3.0/service/tickets"


def redactor() -> Redactor:
    return Redactor.for_credentials(
        company=COMPANY,
        public_key=PUBLIC,
        private_key=SecretString(PRIVATE),
        client_id=CLIENT_ID,
    )


def sent_request() -> httpx.Request:
    return httpx.Request(
        "POST",
        URL,
        headers={"Authorization": f"Basic {TOKEN}", "clientId": CLIENT_ID, "Accept": "x"},
        json={"summary": "hello"},
    )


def echoing_response(status: int = 400) -> httpx.Response:
    """An error body that repeats the request headers, as some proxies and servers do."""
    body = {
        "code": f"Echo {TOKEN}",
        "message": f"bad header Authorization: Basic {TOKEN} clientId={CLIENT_ID}",
        "errors": [
            {"code": PRIVATE, "message": f"key {PUBLIC}", "resource": AUTH, "field": CLIENT_ID}
        ],
        "headers": {"Authorization": f"Basic {TOKEN}", "clientId": CLIENT_ID.upper()},
    }
    return httpx.Response(
        status,
        json=body,
        headers={"x-echo-client-id": CLIENT_ID},
        request=sent_request(),
    )


def build_error(redact: Redactor | None) -> ConnectWiseAPIError:
    response = echoing_response()
    body = response.json()
    return ConnectWiseBadRequestError(
        status_code=400,
        code=body["code"],
        message=body["message"],
        errors=[ErrorDetail(**item) for item in body["errors"]],
        method="POST",
        url=f"{URL}?clientId={CLIENT_ID}",
        path="service/tickets",
        request_id=TOKEN,
        response=response,
        redactor=redact,
    )


def leaks(text: str) -> list[str]:
    folded = text.casefold()
    return [secret for secret in SECRETS if secret.casefold() in folded]


def views(error: ConnectWiseAPIError) -> dict[str, str]:
    """The eight places the issue found the Authorization value in."""
    assert error.response is not None
    restored = pickle.loads(pickle.dumps(error))
    return {
        "str": str(error),
        "repr": repr(error),
        "args": repr(error.args),
        "message": error.message,
        "errors": repr(error.errors),
        "pickled": repr(pickle.dumps(error)) + repr(vars(restored)) + str(restored),
        "request headers": repr(error.response.request.headers.multi_items())
        + str(error.response.request.url)
        + error.response.request.content.decode(),
        "response text": error.response.text + repr(error.response.headers.multi_items()),
    }


def test_without_a_redactor_every_view_leaks() -> None:
    """The control: the test itself can see the leak the issue reports (8 of 8)."""
    leaking = {name for name, text in views(build_error(None)).items() if leaks(text)}
    assert len(leaking) == 8


@pytest.mark.parametrize(
    "view",
    ["str", "repr", "args", "message", "errors", "pickled", "request headers", "response text"],
)
def test_with_a_redactor_no_view_leaks(view: str) -> None:
    text = views(build_error(redactor()))[view]
    assert leaks(text) == []
    assert "**********" in text


def test_what_is_not_secret_stays_readable() -> None:
    error = build_error(redactor())
    assert error.status_code == 400
    assert error.method == "POST"
    assert error.path == "service/tickets"
    assert error.url.startswith(URL)
    assert error.response is not None and error.response.request.url.host == "cw.example.com"
    assert error.response is not None and error.response.request.headers["Accept"] == "x"
    assert error.response.json()["headers"]["Authorization"] == "Basic **********"
    assert str(error).startswith("400 Echo **********: bad header Authorization: Basic ****")


@pytest.mark.parametrize("cls", [ConnectWiseAPIError, ConnectWiseResponseError])
def test_every_api_error_class_scrubs(cls: type[ConnectWiseAPIError]) -> None:
    error = cls(
        status_code=200,
        message=f"not JSON: {TOKEN}",
        method="GET",
        url=URL,
        path="x",
        response=echoing_response(200),
        redactor=redactor(),
    )
    assert leaks(str(error) + error.response.text) == []  # type: ignore[union-attr]


def test_rate_limit_errors_pass_the_redactor_on() -> None:
    error = ConnectWiseRateLimitError(
        retry_after=3.0, status_code=429, message=PRIVATE, method="GET", url=URL, path="x",
        redactor=redactor(),
    )  # fmt: skip
    assert (error.retry_after, error.message) == (3.0, "**********")


def test_connection_and_limit_errors_scrub() -> None:
    conn = ConnectWiseConnectionError(
        f"connection failed: {TOKEN}", method="GET", url=f"{URL}?k={PRIVATE}", path="x",
        redactor=redactor(),
    )  # fmt: skip
    limit = ConnectWiseDeadlineError(
        limit=1.0, detail=CLIENT_ID, method="GET", url=URL, path="x", redactor=redactor()
    )
    for error in (conn, limit):
        assert leaks(str(error) + repr(error.args) + repr(pickle.loads(pickle.dumps(error)))) == []


def test_the_redactor_is_never_stored_on_the_error() -> None:
    error = build_error(redactor())
    assert not any(isinstance(value, Redactor) for value in vars(error).values())


class TestRedactor:
    def test_spellings(self) -> None:
        scrub = redactor().scrub
        assert scrub(json.dumps({"k": PRIVATE})) == '{"k": "**********"}'
        assert scrub(f"?k={httpx.QueryParams({'k': PRIVATE})}") == "?k=k=**********"
        assert scrub(base64.urlsafe_b64encode(AUTH.encode()).decode().rstrip("=")) == "*" * 10
        assert scrub(TOKEN.rstrip("=")) == "**********"
        assert scrub(CLIENT_ID.upper()) == "**********"
        assert scrub(f"company {COMPANY} is fine") == "company acme is fine"

    def test_scrub_obj_walks_json(self) -> None:
        value: Any = {PUBLIC: [PRIVATE, 1, None, True, (CLIENT_ID,)], "n": 2.5}
        assert redactor().scrub_obj(value) == {
            "**********": ["**********", 1, None, True, ("**********",)],
            "n": 2.5,
        }

    def test_scrub_bytes_keeps_other_bytes(self) -> None:
        data = b"\xff\xfe " + PRIVATE.encode() + b" \x00"
        assert redactor().scrub_bytes(data) == b"\xff\xfe ********** \x00"

    def test_a_compressed_response_copy_is_decoded(self) -> None:
        raw = gzip.compress(f'{{"message": "{TOKEN}"}}'.encode())
        response = httpx.Response(
            500, content=raw, headers={"Content-Encoding": "gzip"}, request=sent_request()
        )
        response.read()
        copy = redactor().scrub_response(response)
        assert copy.json() == {"message": "**********"}
        assert "content-encoding" not in copy.headers

    def test_a_response_without_request_or_body(self) -> None:
        copy = redactor().scrub_response(httpx.Response(502, text=f"<html>{PRIVATE}</html>"))
        assert copy.text == "<html>**********</html>"
        with pytest.raises(RuntimeError):
            _ = copy.request

    def test_reason_phrase_is_scrubbed(self) -> None:
        response = httpx.Response(
            400,
            extensions={"reason_phrase": f"Bad {PRIVATE}".encode(), "http_version": b"HTTP/1.1"},
        )
        copy = redactor().scrub_response(response)
        assert copy.reason_phrase == "Bad **********"
        assert copy.http_version == "HTTP/1.1"

    def test_repr_and_pickle_never_show_secrets(self) -> None:
        red = redactor()
        assert leaks(repr(red)) == []
        with pytest.raises(TypeError, match="cannot be pickled"):
            pickle.dumps(red)

    def test_empty_secrets_mask_nothing(self) -> None:
        assert Redactor(["", ""]).scrub("text") == "text"
        assert Redactor([]).scrub_bytes(b"x") == b"x"

    def test_non_text_secret_is_refused(self) -> None:
        with pytest.raises(TypeError, match="str secrets"):
            Redactor([b"bytes"])  # type: ignore[list-item]


class TestHttpxErrors:
    def test_a_chained_transport_error_is_scrubbed_in_place(self) -> None:
        exc = httpx.ConnectError(f"refused {PRIVATE}", request=sent_request())
        same = redactor().scrub_http_error(exc)
        assert same is exc
        assert leaks(str(exc) + repr(exc.request.headers.multi_items())) == []
        assert exc.request.headers["clientId"] == "**********"

    def test_a_status_error_loses_secrets_in_request_and_response(self) -> None:
        response = echoing_response(500)
        exc = httpx.HTTPStatusError("boom", request=response.request, response=response)
        redactor().scrub_http_error(exc)
        assert leaks(exc.response.text + repr(exc.request.headers.multi_items())) == []

    def test_an_error_without_a_request(self) -> None:
        exc = httpx.ConnectError(TOKEN)
        redactor().scrub_http_error(exc)
        assert str(exc) == "**********"
