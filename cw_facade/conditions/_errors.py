"""The one exception of the conditions package."""

from __future__ import annotations

from cw_facade._errors import ConnectWiseError

#: Characters shown as a space on the caret line, so the caret stays under its character.
_BLANKED = "\t\n\r\v\f\x85\u2028\u2029"

#: Characters of the input shown on each side of the error position.
CONTEXT_CHARS = 60

#: Longest "found ..." text kept in a message.
FOUND_CHARS = 40

_ELLIPSIS = "..."


class ConditionsSyntaxError(ConnectWiseError, ValueError):
    """A conditions string that cannot be parsed.

    ``text`` is the whole input, ``position`` the 0-based index of the offending character,
    ``expected`` what the parser wanted there (e.g. ``"a value after '='"``) and ``found`` what
    it saw instead. ``str(error)`` names all of them and points at the position with a caret
    under (an excerpt of) the input. A :class:`~cw_facade.ConnectWiseError` and a ``ValueError``.
    """

    text: str
    position: int
    expected: str
    found: str

    def __init__(self, text: str, position: int, expected: str, found: str) -> None:
        self.text = text
        self.position = position
        self.expected = expected
        self.found = found if len(found) <= FOUND_CHARS else found[:FOUND_CHARS] + _ELLIPSIS
        super().__init__(self._message())

    def _message(self) -> str:
        excerpt, offset = _excerpt(self.text, self.position)
        shown = excerpt.translate({ord(char): " " for char in _BLANKED})
        return (
            f"expected {self.expected} at position {self.position}, found {self.found}: "
            f"{excerpt!r}\n  {shown}\n  {' ' * offset}^"
        )

    def __reduce__(self) -> tuple[type[ConditionsSyntaxError], tuple[str, int, str, str]]:
        return (type(self), (self.text, self.position, self.expected, self.found))


def _excerpt(text: str, position: int) -> tuple[str, int]:
    """The part of ``text`` around ``position``, and where ``position`` falls in it."""
    start = max(0, position - CONTEXT_CHARS)
    end = position + CONTEXT_CHARS
    prefix = _ELLIPSIS if start > 0 else ""
    suffix = _ELLIPSIS if end < len(text) else ""
    return prefix + text[start:end] + suffix, len(prefix) + position - start
