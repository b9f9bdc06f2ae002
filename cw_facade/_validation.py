"""Argument checks that run before any request, and the errors they raise.

Every check raises an :class:`InvalidArgumentError` (a :class:`ValueError`) that names the
offending argument, so a bad call fails at once and never reaches the server::

    ConnectWiseConfigurationError (a ConnectWiseError and a ValueError)
    └── InvalidArgumentError          .argument: the parameter name
        ├── MissingArgumentError      required and neither given nor defaulted
        └── UnknownNameError          a name (status, priority, board, custom field caption)
                                      that does not exist; .valid lists the names that do
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from cw_facade._errors import ConnectWiseConfigurationError

#: Longest ticket summary ConnectWise accepts.
MAX_SUMMARY_LENGTH = 100
#: Longest callback description ConnectWise accepts.
MAX_CALLBACK_DESCRIPTION_LENGTH = 100
#: Hosts a callback may reach over plain http (they never leave the machine).
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "::1", "localhost"})
#: Most valid names listed in an :class:`UnknownNameError` message.
MAX_NAMES_LISTED = 25


class InvalidArgumentError(ConnectWiseConfigurationError):
    """An argument was rejected before any request; ``argument`` names it."""

    def __init__(self, argument: str, message: str) -> None:
        """Record the argument name; the message says what is wrong with it."""
        super().__init__(f"{argument}: {message}")
        self.argument = argument


class MissingArgumentError(InvalidArgumentError):
    """A required argument was neither given nor supplied by :class:`TicketDefaults`."""


class UnknownNameError(InvalidArgumentError):
    """A name that does not exist on the server; ``valid`` lists those that do."""

    def __init__(self, argument: str, name: str, valid: Iterable[str], where: str = "") -> None:
        """Build the message from the unknown ``name`` and the ``valid`` names."""
        self.name = name
        self.valid = sorted(set(valid), key=str.casefold)
        shown = ", ".join(repr(v) for v in self.valid[:MAX_NAMES_LISTED])
        more = len(self.valid) - MAX_NAMES_LISTED
        if more > 0:
            shown += f" and {more} more"
        place = f" {where}" if where else ""
        super().__init__(argument, f"no {argument} named {name!r}{place}; valid: {shown or 'none'}")


def check_id(argument: str, value: Any) -> int:
    """``value`` if it is a positive int (``True`` is not an id)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidArgumentError(argument, f"must be a positive integer, not {value!r}")
    if value <= 0:
        raise InvalidArgumentError(argument, f"must be a positive integer, not {value}")
    return value


def check_optional_id(argument: str, value: Any) -> int | None:
    """``None``, or ``value`` checked by :func:`check_id`."""
    return None if value is None else check_id(argument, value)


def check_text(argument: str, value: Any, max_length: int | None = None) -> str:
    """``value`` stripped of surrounding whitespace; it must be a non-empty string."""
    if not isinstance(value, str):
        raise InvalidArgumentError(argument, f"must be a string, not {type(value).__name__}")
    text = value.strip()
    if not text:
        raise InvalidArgumentError(argument, "must not be empty")
    if max_length is not None and len(text) > max_length:
        raise InvalidArgumentError(
            argument, f"is {len(text)} characters long; at most {max_length} are allowed"
        )
    return text


def check_optional_text(argument: str, value: Any, max_length: int | None = None) -> str | None:
    """``None`` (also for an empty string), or ``value`` checked by :func:`check_text`."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return check_text(argument, value, max_length)


def check_summary(value: Any) -> str:
    """A ticket summary: non-empty, at most :data:`MAX_SUMMARY_LENGTH` characters."""
    return check_text("summary", value, MAX_SUMMARY_LENGTH)


def check_flag(argument: str, value: Any) -> bool:
    """``value`` if it is a bool."""
    if not isinstance(value, bool):
        raise InvalidArgumentError(argument, f"must be True or False, not {value!r}")
    return value


def check_one_of(argument: str, id_value: Any, name_value: Any, name_argument: str) -> None:
    """Refuse both an id and a name for the same thing, and neither."""
    if id_value is not None and name_value is not None:
        raise InvalidArgumentError(argument, f"give {argument} or {name_argument}, not both")
    if id_value is None and name_value is None:
        raise MissingArgumentError(argument, f"give {argument} or {name_argument}")


def check_field_path(value: Any) -> str:
    """A JSON Patch path (``status/id`` or ``/status/id``) without its leading slash."""
    path = check_text("field_path", value).lstrip("/")
    if not path or any(not part.strip() for part in path.split("/")):
        raise InvalidArgumentError("field_path", f"is not a field path: {value!r}")
    return path


def check_api_field_names(argument: str, fields: Iterable[str]) -> None:
    """Extra fields are sent as-is, so their names must be the API's camelCase ones."""
    for name in fields:
        if "_" in name.lstrip("_") or not name:
            raise InvalidArgumentError(
                argument, f"{name!r} is not an API field name; use camelCase (e.g. 'contactName')"
            )


def check_webhook_url(value: Any, *, allow_http: bool = False) -> str:
    """An absolute https URL with a host and no credentials.

    Plain http is accepted for loopback hosts (a local receiver, the simulator) and, with
    ``allow_http``, for any host.
    """
    url = check_text("url", value)
    parts = urlsplit(url)
    scheme, host = parts.scheme.lower(), (parts.hostname or "").lower()
    if scheme == "http" and not (allow_http or host in LOOPBACK_HOSTS):
        raise InvalidArgumentError("url", "must be an https URL (http only for loopback hosts)")
    if scheme not in {"http", "https"}:
        raise InvalidArgumentError("url", "must be an https URL")
    if not host:
        raise InvalidArgumentError("url", "must name a host")
    if parts.username is not None or parts.password is not None:
        raise InvalidArgumentError("url", "must not carry credentials")
    if any(ch.isspace() for ch in url):
        raise InvalidArgumentError("url", "must not contain whitespace")
    return url
