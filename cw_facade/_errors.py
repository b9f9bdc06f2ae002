"""Every exception the client raises, and where each one lives.

Hierarchy::

    ConnectWiseError                       root: catch this to catch everything below
    ├── ConnectWiseConfigurationError      bad constructor or call input (also a ValueError)
    │   └── InvalidArgumentError           one argument refused; ``.argument`` names it
    │       ├── MissingArgumentError       required and not given       (cw_facade._validation)
    │       └── UnknownNameError           no such status/board/...; ``.valid``  (same module)
    ├── ConditionsSyntaxError              unparsable conditions (also a ValueError)
    │                                                               (cw_facade.conditions)
    ├── InvalidCallbackError               a callback refused (also a ValueError)
    │   ├── InvalidSignatureError          missing or wrong ``x-content-signature``
    │   └── ReplayedCallbackError          a ``MessageId`` seen before  (cw_facade._webhooks)
    ├── ConnectWiseAPIError                the server answered, but not with success
    │   ├── ConnectWiseBadRequestError     400
    │   ├── ConnectWiseAuthError           401 (alias: ConnectWiseAuthenticationError)
    │   ├── ConnectWisePermissionError     403
    │   ├── ConnectWiseNotFoundError       404
    │   ├── ConnectWiseConflictError       409
    │   ├── ConnectWiseRateLimitError      429 (``retry_after`` in seconds)
    │   ├── ConnectWiseServerError         5xx, including non-standard codes such as 520
    │   └── ConnectWiseResponseError       a success status whose body is not the JSON promised
    ├── ConnectWiseConnectionError         no usable answer: refused, reset, DNS, TLS, ...
    │   └── ConnectWiseTimeoutError        the timeout fired
    ├── ConnectWiseClosedError             a call on a closed client (also a RuntimeError)
    ├── ConnectWiseMissingRecordsError     ids asked of a get-many that do not exist; ``.ids``
    └── ConnectWiseLimitError              a safety limit was hit; ``.limit``, ``.option``
        ├── ConnectWiseResponseTooLargeError   body over ``max_response_bytes``
        ├── ConnectWiseJSONDepthError          JSON nested deeper than ``max_json_depth``
        ├── ConnectWisePageLoopError           a page came back twice / a cursor stood still
        └── ConnectWiseDeadlineError           the whole call outlasted ``deadline`` (also a
                                               ConnectWiseTimeoutError)

The classes that live in other modules stay importable from there (and from ``cw_facade``).
Other statuses (405, 415, 3xx, ...) raise :class:`ConnectWiseAPIError` itself. Every error
carries ``method``, ``url`` (never with credentials) and ``retries_taken`` where a request was
involved; transport errors chain the httpx exception as ``__cause__``.

Secrets: an API, response or connection error built with ``redactor=`` (a
:class:`cw_facade._secrets.Redactor` made from the client's credentials) stores only scrubbed
text — message, ``code``, ``errors``, ``url``, ``args`` and a scrubbed copy of ``response``
(body, headers and ``response.request``, whose ``Authorization`` and ``clientId`` are masked).
The redactor itself is never stored, so nothing secret is pickled either.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, ClassVar

import httpx

if TYPE_CHECKING:
    from cw_facade._secrets import Redactor


class ConnectWiseError(Exception):
    """Base class of every error raised by cw-facade.

    Errors pickle (for multiprocessing and task queues) without their ``response``.
    """

    def __reduce__(self) -> tuple[Any, ...]:
        """Rebuild from ``args`` and attributes, dropping the unpicklable ``response``."""
        state = {k: (None if k == "response" else v) for k, v in vars(self).items()}
        return (_rebuild, (type(self), self.args, state))


def _rebuild(
    cls: type[ConnectWiseError], args: tuple[Any, ...], state: dict[str, Any]
) -> ConnectWiseError:
    error = cls.__new__(cls)
    Exception.__init__(error, *args)
    error.__dict__.update(state)
    return error


class ConnectWiseConfigurationError(ConnectWiseError, ValueError):
    """Invalid input to a constructor or method, detected before anything is sent."""


@dataclass(frozen=True, slots=True)
class ErrorDetail:
    """One entry of the ``errors`` list of a ConnectWise error body."""

    code: str | None = None
    message: str | None = None
    resource: str | None = None
    field: str | None = None

    def describe(self) -> str:
        """``field: message`` (or whichever of the two is present)."""
        parts = [p for p in (self.field, self.message) if p]
        return ": ".join(parts) if parts else (self.code or "")


class ConnectWiseAPIError(ConnectWiseError):
    """The server answered with a status that is not success.

    Attributes: ``status_code``, ``code`` (the API's error code, e.g. ``InvalidObject``),
    ``message``, ``errors`` (list of :class:`ErrorDetail`), ``method``, ``url`` (full request
    URL, no credentials), ``path`` (relative to the API root), ``request_id``
    (``x-cw-request-id``), ``response`` (the :class:`httpx.Response`) and ``retries_taken``.
    """

    def __init__(
        self,
        *,
        status_code: int,
        message: str,
        method: str,
        url: str,
        path: str,
        code: str | None = None,
        errors: list[ErrorDetail] | None = None,
        request_id: str | None = None,
        response: httpx.Response | None = None,
        retries_taken: int = 0,
        redactor: Redactor | None = None,
    ) -> None:
        """Store the fields; see the class docstring.

        With ``redactor``, every text field, each ``errors`` entry and the ``response`` (body,
        headers, ``response.request``) are stored scrubbed of the client's secrets.
        """
        if redactor is not None:
            message, url, path = redactor.scrub(message), redactor.scrub(url), redactor.scrub(path)
            code = None if code is None else redactor.scrub(code)
            request_id = None if request_id is None else redactor.scrub(request_id)
            errors = [_scrub_detail(detail, redactor) for detail in errors or []]
            response = None if response is None else redactor.scrub_response(response)
        self.status_code = status_code
        self.code = code
        self.message = message
        self.errors: list[ErrorDetail] = list(errors or [])
        self.method = method
        self.url = url
        self.path = path
        self.request_id = request_id
        self.response = response
        self.retries_taken = retries_taken
        super().__init__(self._describe())

    def _describe(self) -> str:
        head = f"{self.status_code} {self.code}" if self.code else str(self.status_code)
        text = f"{head}: {self.message}"
        details = "; ".join(d for d in (e.describe() for e in self.errors) if d)
        if details:
            text += f" ({details})"
        return f"{text} [{self.method} /{self.path}]"

    def __str__(self) -> str:
        """``400 InvalidObject: message (field: detail) [POST /service/tickets]``."""
        return self._describe()


def _scrub_detail(detail: ErrorDetail, redactor: Redactor) -> ErrorDetail:
    def clean(value: str | None) -> str | None:
        return None if value is None else redactor.scrub(value)

    return replace(
        detail,
        code=clean(detail.code),
        message=clean(detail.message),
        resource=clean(detail.resource),
        field=clean(detail.field),
    )


class ConnectWiseBadRequestError(ConnectWiseAPIError):
    """400: the request is malformed (unknown field in conditions, invalid object, ...)."""


class ConnectWiseAuthError(ConnectWiseAPIError):
    """401: the credentials were refused."""


#: The name ConnectPyse-Manage code catches; the same class as :class:`ConnectWiseAuthError`.
ConnectWiseAuthenticationError = ConnectWiseAuthError


class ConnectWisePermissionError(ConnectWiseAPIError):
    """403: the API member may not do this."""


class ConnectWiseNotFoundError(ConnectWiseAPIError):
    """404: no such record (on cloud servers sometimes bad credentials or a wrong codebase)."""


class ConnectWiseConflictError(ConnectWiseAPIError):
    """409: the record is in use or conflicts with another."""


class ConnectWiseRateLimitError(ConnectWiseAPIError):
    """429: the server is over capacity; ``retry_after`` is its requested wait in seconds."""

    def __init__(self, *, retry_after: float | None = None, **kwargs: Any) -> None:
        """Store ``retry_after`` (``None`` when the server sent none) and the common fields."""
        self.retry_after = retry_after
        super().__init__(**kwargs)


class ConnectWiseServerError(ConnectWiseAPIError):
    """5xx: the server, or a proxy in front of it, failed (HTML bodies included)."""


class ConnectWiseResponseError(ConnectWiseAPIError):
    """The server reported success, but the body is not the JSON the call promised."""


class ConnectWiseConnectionError(ConnectWiseError):
    """No usable response: connection refused or reset, DNS or TLS failure, protocol error.

    Attributes: ``method``, ``url`` (no credentials), ``path`` and ``retries_taken``; the
    httpx exception is chained as ``__cause__``.
    """

    def __init__(
        self,
        message: str,
        *,
        method: str,
        url: str,
        path: str,
        retries_taken: int = 0,
        redactor: Redactor | None = None,
    ) -> None:
        """Store the fields (scrubbed of the client's secrets with ``redactor``)."""
        if redactor is not None:
            message, url, path = redactor.scrub(message), redactor.scrub(url), redactor.scrub(path)
        self.message = message
        self.method = method
        self.url = url
        self.path = path
        self.retries_taken = retries_taken
        super().__init__(f"{message} [{method} /{path}]")


class ConnectWiseTimeoutError(ConnectWiseConnectionError):
    """The request timed out (connect, read, write or connection-pool wait)."""


class ConnectWiseLimitError(ConnectWiseError):
    """A safety limit was hit; the message says which one and how to raise it.

    Attributes: ``limit`` (the value in force), ``found`` (what was seen when known, e.g. the
    byte count or nesting depth reached; else ``None``), ``option`` (the client option that
    sets the limit, or ``None`` when no option does), ``detail``, and ``method``, ``url``,
    ``path``, ``retries_taken`` of the request (empty and ``0`` when the check ran outside a
    request, e.g. in :func:`cw_facade._json.loads`; :meth:`at` adds them).
    """

    #: The client option that sets this limit (``None``: not configurable).
    option: ClassVar[str | None] = None
    #: What the limit is about, for the message (``"the response body"``).
    subject: ClassVar[str] = "a limit"
    #: The unit of ``limit`` in the message.
    unit: ClassVar[str] = ""

    def __init__(
        self,
        *,
        limit: float | None = None,
        found: float | None = None,
        detail: str = "",
        method: str = "",
        url: str = "",
        path: str = "",
        retries_taken: int = 0,
        redactor: Redactor | None = None,
    ) -> None:
        """Store the fields and build the message (see the class docstring)."""
        if redactor is not None:
            detail, url, path = redactor.scrub(detail), redactor.scrub(url), redactor.scrub(path)
        self.limit = limit
        self.found = found
        self.detail = detail
        self.method = method
        self.url = url
        self.path = path
        self.retries_taken = retries_taken
        self.message = self._text()
        where = f" [{method} /{path}]" if method else ""
        Exception.__init__(self, self.message + where)

    def _text(self) -> str:
        unit = f" {self.unit}" if self.unit else ""
        limit = "" if self.limit is None else f" {self.limit:,}{unit}"
        text = f"{self.subject} exceeds the limit{limit}"
        if self.found is not None:
            text += f" (reached {self.found:,}{unit})"
        if self.detail:
            text += f": {self.detail}"
        if self.option:
            text += f"; to allow more, pass a larger {self.option}= to the client"
        return text

    def at(
        self, *, method: str, url: str, path: str, retries_taken: int = 0
    ) -> ConnectWiseLimitError:
        """A copy of this error that names the request it happened on."""
        return type(self)(
            limit=self.limit,
            found=self.found,
            detail=self.detail,
            method=method,
            url=url,
            path=path,
            retries_taken=retries_taken,
        )


class ConnectWiseResponseTooLargeError(ConnectWiseLimitError):
    """The response body (compressed or decompressed) is larger than ``max_response_bytes``."""

    option = "max_response_bytes"
    subject = "the response body"
    unit = "bytes"


class ConnectWiseJSONDepthError(ConnectWiseLimitError):
    """A JSON body is nested deeper than ``max_json_depth`` (no ``RecursionError`` escapes)."""

    option = "max_json_depth"
    subject = "the JSON nesting depth"
    unit = "levels"


class ConnectWisePageLoopError(ConnectWiseLimitError):
    """Paging did not advance: a page came back again, a cursor stood still, or pages skipped.

    No option raises this limit; ``detail`` says what was seen (the repeated page, the cursor).
    """

    subject = "paging"

    def _text(self) -> str:
        return f"paging stopped: {self.detail or 'the server repeated a page'}"


class ConnectWiseDeadlineError(ConnectWiseLimitError, ConnectWiseTimeoutError):
    """The whole call (every attempt, every ``Retry-After`` wait) outlasted ``deadline``.

    Also a :class:`ConnectWiseTimeoutError`, so code that catches timeouts catches this too.
    """

    option = "deadline"
    subject = "the call's duration"
    unit = "s"


_STATUS_CLASSES: dict[int, type[ConnectWiseAPIError]] = {
    400: ConnectWiseBadRequestError,
    401: ConnectWiseAuthError,
    403: ConnectWisePermissionError,
    404: ConnectWiseNotFoundError,
    409: ConnectWiseConflictError,
    429: ConnectWiseRateLimitError,
}


def error_class_for(status_code: int) -> type[ConnectWiseAPIError]:
    """The exception class raised for an unsuccessful ``status_code``."""
    if 500 <= status_code <= 599:
        return ConnectWiseServerError
    return _STATUS_CLASSES.get(status_code, ConnectWiseAPIError)


class ConnectWiseMissingRecordsError(ConnectWiseError):
    """Records asked for by id do not exist (``ManyResult.raise_for_missing()``).

    Attributes: ``ids`` (the missing ids, in the order they were asked) and ``endpoint`` (the
    collection asked, ``service/tickets``).
    """

    #: Ids named in the message at most (all of them stay in ``ids``).
    shown: ClassVar[int] = 20

    def __init__(self, ids: tuple[int, ...], endpoint: str) -> None:
        """Store ``ids`` (a tuple of ints) and ``endpoint``; the message names both."""
        self.ids = tuple(ids)
        self.endpoint = endpoint
        listed = ", ".join(str(i) for i in self.ids[: self.shown])
        more = f" and {len(self.ids) - self.shown} more" if len(self.ids) > self.shown else ""
        noun = "record" if len(self.ids) == 1 else "records"
        super().__init__(f"{len(self.ids)} {noun} of /{endpoint} not found: {listed}{more}")


class ConnectWiseClosedError(ConnectWiseError, RuntimeError):
    """A call on a client that was closed (``close()``/``aclose()`` or its ``with`` block ended)."""
