"""Argument checks that run before any request, and the errors they raise.

Every check raises an :class:`InvalidArgumentError` (a :class:`ValueError`) that names the
offending argument, so a bad call fails at once and never reaches the server. Checks of query
values written in the conditions language (``order_by``, ``fields``, conditions) live in
:mod:`cw_facade.conditions._query`; here are ids, texts, flags, URLs, query parameter names and
header values (credentials)::

    ConnectWiseConfigurationError (a ConnectWiseError and a ValueError)
    └── InvalidArgumentError          .argument: the parameter name
        ├── MissingArgumentError      required and neither given nor defaulted
        └── UnknownNameError          a name (status, priority, board, custom field caption)
                                      that does not exist; .valid lists the names that do
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Final
from urllib.parse import urlsplit

from cw_facade._errors import ConnectWiseConfigurationError
from cw_facade._secrets import SecretString

#: Longest ticket summary ConnectWise accepts.
MAX_SUMMARY_LENGTH = 100
#: Longest callback description ConnectWise accepts.
MAX_CALLBACK_DESCRIPTION_LENGTH = 100
#: Hosts a callback may reach over plain http (they never leave the machine).
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "::1", "localhost"})
#: Most valid names listed in an :class:`UnknownNameError` message.
MAX_NAMES_LISTED = 25
#: Largest record id: ConnectWise ids are 32-bit signed integers (``format: int32``).
MAX_ID: Final = 2**31 - 1
#: Characters of a refused value quoted in a message (never more: a value may be huge).
QUOTED_CHARS: Final = 20


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
    """``value`` if it is an ``int`` from 1 to :data:`MAX_ID` (``True`` is not an id).

    The message never converts a huge number to text (Python refuses beyond 4,300 digits).
    """
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidArgumentError(argument, f"must be a positive integer, not {_quote(value)}")
    if value <= 0:
        raise InvalidArgumentError(argument, f"must be a positive integer, not {_quote(value)}")
    if value > MAX_ID:
        raise InvalidArgumentError(
            argument, f"{_quote(value)} is larger than the largest ConnectWise id ({MAX_ID:,})"
        )
    return value


def check_record_id(argument: str, value: Any) -> int:
    """A record id given as an ``int`` or as text of ASCII digits (``"42"``, as in a path).

    Refuses ``bool``, ``0``, negatives, ids over :data:`MAX_ID`, and text with anything but the
    digits 0-9 (``"٤٢"`` and other Unicode digits, signs, spaces inside, ``"4_2"``).
    """
    if isinstance(value, str):
        text = value.strip()
        if not text or not (text.isascii() and text.isdigit()):
            raise InvalidArgumentError(
                argument, f"must be a positive integer in ASCII digits, not {_quote(value)}"
            )
        if len(text.lstrip("0")) > len(str(MAX_ID)):
            raise InvalidArgumentError(
                argument, f"{_quote(text)} is larger than the largest ConnectWise id ({MAX_ID:,})"
            )
        value = int(text)
    return check_id(argument, value)


def check_endpoint_ids(endpoint: str) -> str:
    """``endpoint`` unchanged if every all-digit path segment is a valid record id.

    ``service/tickets/0/notes`` and ``service/tickets/99999999999`` are refused (argument
    ``endpoint``); segments that are not all digits are left to the server.
    """
    for segment in endpoint.split("/"):
        if segment and segment.isdigit():  # any Unicode digits: check_record_id refuses those
            check_record_id("endpoint", segment)
    return endpoint


def _quote(value: Any) -> str:
    """A short, safe rendering of a refused value for a message."""
    if isinstance(value, int) and not isinstance(value, bool):
        if value.bit_length() > 64:
            return f"an integer of about {int(value.bit_length() * 0.30103):,} digits"
        return str(value)
    if isinstance(value, str):
        shown = value if len(value) <= QUOTED_CHARS else value[:QUOTED_CHARS] + "..."
        return repr(shown)
    if value is None or isinstance(value, bool | float):
        return repr(value)
    return f"a {type(value).__name__}"


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


def normalize_param_name(name: object) -> str:
    """The form of a query parameter name used to find duplicates: stripped and case-folded.

    ``"conditions "``, ``"Conditions"`` and ``"CONDITIONS"`` all become ``"conditions"``.
    Raises :class:`InvalidArgumentError` (argument ``params``) for a name that is not text,
    is empty, or holds anything but letters, digits and ``_`` once stripped.
    """
    if not isinstance(name, str):
        raise InvalidArgumentError("params", f"parameter names must be strings, not {_quote(name)}")
    text = name.strip()
    if not text or not (text.isascii() and text.replace("_", "a").isalnum()):
        raise InvalidArgumentError(
            "params", f"{_quote(name)} is not a query parameter name (letters, digits, '_')"
        )
    return text.casefold()


def check_extra_params(
    extra: Mapping[str, Any], reserved: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """``extra`` query parameters with their names stripped, refusing duplicates.

    ``reserved`` maps normalized names that have their own argument to that argument
    (``{"conditions": "conditions", "orderby": "order_by"}``): such a name, in any case or
    spacing, raises :class:`InvalidArgumentError` telling which argument to use. Two names
    that normalize alike (``pageSize`` and ``pagesize ``) raise too.
    """
    taken: dict[str, str] = {}
    clean: dict[str, Any] = {}
    for name, value in extra.items():
        key = normalize_param_name(name)
        if reserved and key in reserved:
            raise InvalidArgumentError(
                "params",
                f"pass {name.strip()!r} as the {reserved[key]}= argument, not as an extra "
                "parameter (it would skip its checks or be sent twice)",
            )
        if key in taken:
            raise InvalidArgumentError(
                "params", f"{name!r} and {taken[key]!r} are the same parameter; give it once"
            )
        taken[key] = name
        clean[name.strip()] = value
    return clean


def check_header_value(name: str, value: Any, *, highest: int = 0x7F) -> str:
    """``value`` if it can travel in an HTTP header; a ConnectWiseConfigurationError if not.

    Refuses non-text, empty text, surrounding whitespace (a copy-paste slip that would only
    show later as a 401), line breaks and other control characters (they would break or split
    the request's headers), and characters above ``highest``: ``0x7F`` (ASCII, what httpx
    sends a header value as: the default) or ``0xFF`` (Latin-1, for text that travels inside
    the base64 ``Authorization`` value). The message names ``name`` and the position, never
    the value: it may be a secret.
    """
    if not isinstance(value, str) or not value:
        raise ConnectWiseConfigurationError(f"{name} must be a non-empty string")
    if value != value.strip():
        raise ConnectWiseConfigurationError(
            f"{name} has leading or trailing whitespace; remove it (a copy-paste slip?)"
        )
    for position, char in enumerate(value):
        if char in "\r\n":
            raise ConnectWiseConfigurationError(
                f"{name} contains a line break (CR or LF) at position {position}; "
                "header values cannot hold one"
            )
        if ord(char) < 0x20 or ord(char) == 0x7F:
            raise ConnectWiseConfigurationError(
                f"{name} contains a control character at position {position}"
            )
        if ord(char) > highest:
            charset = "ASCII" if highest <= 0x7F else "Latin-1"
            raise ConnectWiseConfigurationError(
                f"{name} contains a character HTTP headers cannot carry (not {charset}) at "
                f"position {position}"
            )
    return value


def check_credentials(
    *, company: Any, public_key: Any, private_key: Any, client_id: Any
) -> tuple[str, str, str, str]:
    """The four credentials as plain text, each checked by :func:`check_header_value`.

    Each may be a ``str`` or a :class:`~cw_facade.SecretString`; they come back in this order.
    ``client_id`` is sent as a header of its own, so it must be ASCII; the other three travel
    base64-encoded in ``Authorization`` and must be Latin-1. ``company`` and ``public_key``
    also may not contain ``:``, which would end the user name of the Basic ``Authorization``
    header early. Raises ConnectWiseConfigurationError naming the credential, never showing it.
    """
    company, public_key, private_key, client_id = (
        value.get_secret_value() if isinstance(value, SecretString) else value
        for value in (company, public_key, private_key, client_id)
    )
    values = (
        check_header_value("company", company, highest=0xFF),
        check_header_value("public_key", public_key, highest=0xFF),
        check_header_value("private_key", private_key, highest=0xFF),
        check_header_value("client_id", client_id),
    )
    for name, value in (("company", values[0]), ("public_key", values[1])):
        if ":" in value:
            raise ConnectWiseConfigurationError(
                f"{name} contains ':', which would break the Authorization header"
            )
    return values
