"""Every exception the client raises.

Hierarchy::

    ConnectWiseError                       root: catch this to catch everything below
    ├── ConnectWiseConfigurationError      bad constructor or call input (also a ValueError)
    ├── ConnectWiseAPIError                the server answered, but not with success
    │   ├── ConnectWiseBadRequestError     400
    │   ├── ConnectWiseAuthError           401
    │   ├── ConnectWisePermissionError     403
    │   ├── ConnectWiseNotFoundError       404
    │   ├── ConnectWiseConflictError       409
    │   ├── ConnectWiseRateLimitError      429 (``retry_after`` in seconds)
    │   ├── ConnectWiseServerError         5xx, including non-standard codes such as 520
    │   └── ConnectWiseResponseError       a success status whose body is not the JSON promised
    └── ConnectWiseConnectionError         no usable answer: refused, reset, DNS, TLS, ...
        └── ConnectWiseTimeoutError        the timeout fired

Other statuses (405, 415, 3xx, ...) raise :class:`ConnectWiseAPIError` itself. Every error
carries ``method``, ``url`` (never with credentials) and ``retries_taken``; transport errors
chain the httpx exception as ``__cause__``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx


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
    ) -> None:
        """Store the fields; see the class docstring."""
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


class ConnectWiseBadRequestError(ConnectWiseAPIError):
    """400: the request is malformed (unknown field in conditions, invalid object, ...)."""


class ConnectWiseAuthError(ConnectWiseAPIError):
    """401: the credentials were refused."""


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
        self, message: str, *, method: str, url: str, path: str, retries_taken: int = 0
    ) -> None:
        """Store the fields; see the class docstring."""
        self.message = message
        self.method = method
        self.url = url
        self.path = path
        self.retries_taken = retries_taken
        super().__init__(f"{message} [{method} /{path}]")


class ConnectWiseTimeoutError(ConnectWiseConnectionError):
    """The request timed out (connect, read, write or connection-pool wait)."""


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


class ConnectWiseClosedError(ConnectWiseError, RuntimeError):
    """A call on a client that was closed (``close()``/``aclose()`` or its ``with`` block ended)."""
