"""Mapping responses and transport failures to results or exceptions, I/O-free.

A success status gives the decoded JSON (``None`` for an empty body or 204); any other status
raises the class :mod:`cw_facade._errors` assigns to it, with the API's ``code``, ``message``
and ``errors`` when the body is a ConnectWise JSON error, else a short description of the
body (HTML is never quoted).
"""

from __future__ import annotations

import gc
import json
from typing import Any

import httpx

from cw_facade import _json
from cw_facade._constants import BODY_EXCERPT_LIMIT, GC_PAUSE_MIN_BYTES
from cw_facade._errors import (
    ConnectWiseAPIError,
    ConnectWiseConnectionError,
    ConnectWiseJSONDepthError,
    ConnectWisePageLoopError,
    ConnectWiseRateLimitError,
    ConnectWiseResponseError,
    ConnectWiseTimeoutError,
    ErrorDetail,
    error_class_for,
)
from cw_facade._retry import retry_after_of
from cw_facade._secrets import Redactor

#: What a finished response's stream is replaced with (see :func:`release`).
_DRAINED = httpx.ByteStream(b"")


def release(response: httpx.Response) -> httpx.Response:
    """Unlink a fully read response from its stream; return it.

    httpx's client wraps the stream in an object that points back at the response. That
    cycle keeps the whole body (a 1,000-record page is megabytes) alive until a full garbage
    collection; without it the body goes as soon as the page has been consumed, and lazy
    iteration stays flat in memory however many pages it reads.
    """
    if response.is_closed:
        response.stream = _DRAINED
    return response


#: Where the transport notes how many retries a response took (``response.extensions``).
RETRIES_EXTENSION = "cw_facade.retries_taken"
#: Where the transport leaves the client's :class:`~cw_facade._secrets.Redactor`.
REDACTOR_EXTENSION = "cw_facade.redactor"
_API_MARK = "/apis/3.0/"
#: Query parameters whose values never appear in an error's URL.
_SECRET_PARAMS = frozenset({"clientid", "password", "privatekey", "private_key", "key", "token"})


def retries_of(response: httpx.Response) -> int:
    """How many retries the transport took before ``response``."""
    value = response.extensions.get(RETRIES_EXTENSION, 0)
    return value if isinstance(value, int) else 0


def api_path(url: httpx.URL) -> str:
    """The path of ``url`` below the API root (``service/tickets/5``)."""
    _, marked, rest = url.path.partition(_API_MARK)
    return rest if marked else url.path.lstrip("/")


def safe_url(url: httpx.URL) -> str:
    """``url`` for messages: the full URL, with secret-looking query values masked."""
    if not url.query:
        return str(url)
    pairs = url.params.multi_items()
    items = [(k, "REDACTED" if k.casefold() in _SECRET_PARAMS else v) for k, v in pairs]
    return str(url.copy_with(params=items))


def decode(response: httpx.Response) -> Any:
    """The decoded JSON of a success response, ``None`` for no body (or 204)."""
    if response.status_code == 204 or not response.content.strip():
        return None
    try:
        return loads(response.content)
    except ConnectWiseJSONDepthError as exc:
        fields = _error_fields(response)
        raise exc.at(
            method=fields["method"],
            url=fields["url"],
            path=fields["path"],
            retries_taken=fields["retries_taken"],
        ) from None
    except ValueError as exc:
        problem = "body is not JSON" if isinstance(exc, json.JSONDecodeError) else str(exc)
        raise response_error(response, problem) from None


def loads(body: bytes) -> Any:
    """``json.loads``, with the cyclic garbage collector paused while a large body decodes.

    Decoding a 1,000-record page allocates some 100,000 containers, which would trigger many
    collection passes; none can find garbage (decoded JSON has no cycles and nothing else runs
    meanwhile on this thread), so pausing saves 10-25% of the decode time. A collector that
    was already disabled stays disabled.
    """
    if len(body) < GC_PAUSE_MIN_BYTES or not gc.isenabled():
        return _json.loads(body)
    gc.disable()
    try:
        return _json.loads(body)
    finally:
        gc.enable()


def response_error(response: httpx.Response, problem: str) -> ConnectWiseResponseError:
    """The error for a success response whose body is not what the call promised."""
    kind = response.headers.get("content-type", "no content type")
    return ConnectWiseResponseError(message=f"{problem} ({kind})", **_error_fields(response))


def page_loop_error(response: httpx.Response, detail: str) -> ConnectWisePageLoopError:
    """The error for a page that does not advance the scan (see :mod:`cw_facade._paging`)."""
    request = response.request
    return ConnectWisePageLoopError(
        detail=detail,
        method=request.method.upper(),
        url=safe_url(request.url),
        path=api_path(request.url),
        retries_taken=retries_of(response),
        redactor=redactor_of(response),
    )


def _error_fields(response: httpx.Response) -> dict[str, Any]:
    request = response.request
    return {
        "status_code": response.status_code,
        "method": request.method.upper(),
        "url": safe_url(request.url),
        "path": api_path(request.url),
        "request_id": response.headers.get("x-cw-request-id"),
        "response": response,
        "retries_taken": retries_of(response),
        "redactor": redactor_of(response),
    }


def redactor_of(response: httpx.Response) -> Redactor | None:
    """The redactor the transport attached to ``response`` (``None`` outside a client)."""
    value = response.extensions.get(REDACTOR_EXTENSION)
    return value if isinstance(value, Redactor) else None


def api_error(response: httpx.Response) -> ConnectWiseAPIError:
    """The exception for an unsuccessful ``response`` (not raised here)."""
    fields = _error_fields(response)
    body = json_error_body(response)
    if body is not None:
        code, message, errors = _error_parts(body, response)
    else:
        code, message, errors = None, _plain_message(response), []
    cls = error_class_for(response.status_code)
    extra: dict[str, Any] = {}
    if cls is ConnectWiseRateLimitError:
        extra["retry_after"] = retry_after_of(response)
    return cls(code=code, message=message, errors=errors, **fields, **extra)


def transport_error(
    request: httpx.Request, exc: Exception, retries: int, redactor: Redactor | None = None
) -> ConnectWiseConnectionError:
    """The exception for a transport failure ``exc`` (chain it with ``raise … from exc``).

    With ``redactor``, the client's secrets are masked in the message and in ``exc`` (which
    becomes the error's ``__cause__``) and its request.
    """
    if redactor is not None and isinstance(exc, httpx.HTTPError):
        redactor.scrub_http_error(exc)
    timed_out = isinstance(exc, httpx.TimeoutException)
    cls = ConnectWiseTimeoutError if timed_out else ConnectWiseConnectionError
    what = "timed out" if timed_out else "connection failed"
    detail = str(exc) or type(exc).__name__
    return cls(
        f"{what}: {detail}",
        method=request.method.upper(),
        url=safe_url(request.url),
        path=api_path(request.url),
        retries_taken=retries,
        redactor=redactor,
    )


def json_error_body(response: httpx.Response) -> dict[str, Any] | None:
    """The body as a ConnectWise error object (a dict with ``code`` or ``message``), or None."""
    try:
        body = _json.loads(response.content)
    except (ValueError, ConnectWiseJSONDepthError):
        return None
    if isinstance(body, dict) and ("code" in body or "message" in body):
        return body
    return None


def _text_or_none(value: object) -> str | None:
    return None if value is None else str(value)


def _error_parts(
    body: dict[str, Any], response: httpx.Response
) -> tuple[str | None, str, list[ErrorDetail]]:
    code = _text_or_none(body.get("code"))
    message = _text_or_none(body.get("message")) or response.reason_phrase or "error"
    raw = body.get("errors")
    errors = [
        ErrorDetail(
            code=_text_or_none(item.get("code")),
            message=_text_or_none(item.get("message")),
            resource=_text_or_none(item.get("resource")),
            field=_text_or_none(item.get("field")),
        )
        for item in (raw if isinstance(raw, list) else [])
        if isinstance(item, dict)
    ]
    return code, message, errors


def _plain_message(response: httpx.Response) -> str:
    reason = response.reason_phrase or f"HTTP {response.status_code}"
    if not response.content.strip():
        return reason
    kind = response.headers.get("content-type", "")
    if "html" in kind.lower() or response.content.lstrip()[:1] == b"<":
        return f"{reason} (HTML body)"
    excerpt = response.text.strip().replace("\n", " ")[:BODY_EXCERPT_LIMIT]
    return f"{reason}: {excerpt}"


def one_record(response: httpx.Response) -> dict[str, Any]:
    """The body of ``response``, which must be one JSON object (a record)."""
    body = decode(response)
    if not isinstance(body, dict):
        what = "an empty body" if body is None else f"a JSON {type(body).__name__}"
        raise response_error(response, f"expected a record (a JSON object), got {what}")
    return body
