"""Values in conditions: canonical forms, rendering, and ISO-8601 parsing.

Every value that enters an expression is first brought into a canonical form, so that the
builder and the parser produce equal trees for the same wire text:

- ``str``, ``bool`` and ``None`` stay as they are;
- ``int`` stays; ``float`` becomes the ``Decimal`` of its shortest repr; a ``Decimal`` with no
  digits after the point (``Decimal("100")``, ``Decimal("1E+2")``) becomes an ``int``;
- ``datetime`` becomes an aware UTC ``datetime`` truncated to whole seconds (naive ones are
  taken as UTC); ``date`` becomes midnight UTC of that day;
- an ``Enum`` member is replaced by its value (which must itself be supported).
"""

from __future__ import annotations

import enum
import math
import re
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

#: A canonical value inside a comparison.
Scalar = str | bool | int | Decimal | datetime | None

#: Characters that need a backslash inside a quoted string on the wire.
_ESCAPED = ("\\", '"')

#: ISO-8601 date or date-time, as found in records and between the brackets of a date value.
_ISO_RE = re.compile(
    r"(?P<date>\d{4}-\d{2}-\d{2})"
    r"(?:[Tt ](?P<h>\d{2}):(?P<m>\d{2})(?::(?P<s>\d{2})(?:[.,](?P<frac>\d+))?)?)?"
    r"(?P<tz>[Zz]|[+-]\d{2}:?\d{2})?",
    re.ASCII,
)

#: Digits of a fraction of a second that ``datetime`` can hold.
_MICRO_DIGITS = 6

#: Most digits a number may have before or after its point (floats need up to 324).
MAX_NUMBER_DIGITS = 400


def canonical(value: object) -> Scalar:
    """Return the canonical form of ``value`` (see the module docstring).

    Raises ``TypeError`` for an unsupported type and ``ValueError`` for NaN or infinity.
    """
    if isinstance(value, enum.Enum):
        return canonical(value.value)
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, str):
        return str(value)
    if isinstance(value, int):
        return _check_int(int(value))
    if isinstance(value, float):
        return _canonical_decimal(Decimal(repr(float(value))))
    if isinstance(value, Decimal):
        return _canonical_decimal(Decimal(value))
    if isinstance(value, datetime):
        return to_utc(value)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=UTC)
    raise TypeError(f"unsupported value type in conditions: {type(value).__name__}")


def _check_int(value: int) -> int:
    if abs(value) >= _INT_LIMIT:
        raise ValueError(f"number out of range: more than {MAX_NUMBER_DIGITS} digits")
    return value


_INT_LIMIT = 10**MAX_NUMBER_DIGITS


def _canonical_decimal(value: Decimal) -> int | Decimal:
    if not value.is_finite():
        raise ValueError(f"conditions cannot hold a non-finite number: {value}")
    exponent = int(value.as_tuple().exponent)  # an int for every finite Decimal
    if value.adjusted() >= MAX_NUMBER_DIGITS or -exponent > MAX_NUMBER_DIGITS:
        raise ValueError(f"number out of range: more than {MAX_NUMBER_DIGITS} digits")
    if exponent >= 0:
        return int(value)
    return value


def to_utc(value: datetime) -> datetime:
    """Return ``value`` as an aware UTC datetime without microseconds (naive means UTC)."""
    if value.tzinfo is None or value.utcoffset() is None:
        value = value.replace(tzinfo=UTC)
    try:
        moment = value.astimezone(UTC)
    except OverflowError as exc:
        raise ValueError(f"date-time out of range in UTC: {value.isoformat()}") from exc
    return datetime(*moment.timetuple()[:6], tzinfo=UTC)


def render(value: Scalar) -> str:
    """Render a canonical value as wire text."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return render_string(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal):
        return format(value, "f")
    return f"[{render_instant(value)}]"


def render_string(text: str) -> str:
    """Double-quote ``text``, putting a backslash before every ``\\`` and ``"``."""
    for char in _ESCAPED:
        text = text.replace(char, "\\" + char)
    return f'"{text}"'


def render_instant(value: datetime) -> str:
    """Render a UTC datetime as ``YYYY-MM-DDTHH:MM:SSZ``."""
    return (
        f"{value.year:04d}-{value.month:02d}-{value.day:02d}"
        f"T{value.hour:02d}:{value.minute:02d}:{value.second:02d}Z"
    )


def parse_number(text: str) -> int | Decimal:
    """Turn number text (already matched by the lexer) into its canonical value.

    Raises ``ValueError`` beyond ``MAX_NUMBER_DIGITS`` digits before or after the point.
    """
    return _canonical_decimal(Decimal(text))


def parse_instant(text: str) -> datetime | None:
    """Parse an ISO-8601 date or date-time into an aware datetime, or ``None`` if it is not one.

    Any number of fractional digits is accepted (digits beyond microseconds are dropped);
    a missing offset means UTC; a date alone means midnight UTC.
    """
    match = _ISO_RE.fullmatch(text.strip())
    if match is None:
        return None
    try:
        day = date.fromisoformat(match["date"])
        frac = (match["frac"] or "")[:_MICRO_DIGITS].ljust(_MICRO_DIGITS, "0")
        moment = datetime(
            day.year,
            day.month,
            day.day,
            int(match["h"] or 0),
            int(match["m"] or 0),
            int(match["s"] or 0),
            int(frac),
            tzinfo=_offset(match["tz"]),
        )
    except ValueError:
        return None
    return moment


def _offset(text: str | None) -> timezone:
    if text is None or text in ("Z", "z"):
        return UTC
    digits = text[1:].replace(":", "")
    delta = timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
    return timezone(-delta if text[0] == "-" else delta)


def is_finite_number(value: object) -> bool:
    """True for an int, float or Decimal that is finite (bools are not numbers here)."""
    if isinstance(value, bool):
        return False
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, Decimal):
        return value.is_finite()
    return isinstance(value, int)
