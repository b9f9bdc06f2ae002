"""ConnectWise error bodies as an exception the dispatcher turns into a response."""

from __future__ import annotations

from typing import Any


class ApiError(Exception):
    """An error response: HTTP status, ConnectWise ``code``, ``message`` and ``errors[]``."""

    def __init__(
        self, status: int, code: str, message: str, errors: list[dict[str, Any]] | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.errors = errors

    def body(self) -> dict[str, Any]:
        """The JSON body ConnectWise sends for this error."""
        body: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.errors is not None:
            body["errors"] = self.errors
        return body


def not_found(label: str, record_id: object) -> ApiError:
    """404 ``NotFound``: ``"Service Ticket 9 not found"``."""
    return ApiError(404, "NotFound", f"{label} {record_id} not found")


def bad_request(message: str, code: str = "BadRequest") -> ApiError:
    """400 with a plain message."""
    return ApiError(400, code, message)


def detail(code: str, message: str, resource: str, field: str) -> dict[str, Any]:
    """One entry of ``errors[]``."""
    return {"code": code, "message": message, "resource": resource, "field": field}


def invalid_object(resource: str, errors: list[dict[str, Any]]) -> ApiError:
    """400 ``InvalidObject`` listing what is wrong with the submitted object."""
    return ApiError(400, "InvalidObject", f"{resource} object is invalid", errors)
