"""The one exception of the conditions package."""

from __future__ import annotations

#: Characters shown as a space on the caret line, so the caret stays under its character.
_BLANKED = "\t\n\r\v\f"


class ConditionsSyntaxError(ValueError):
    """A conditions string that cannot be parsed.

    ``text`` is the whole input, ``position`` the 0-based index of the offending character,
    ``expected`` what the parser wanted there (e.g. ``"a value after '='"``) and ``found`` what
    it saw instead. ``str(error)`` names all of them and points at the position with a caret.
    """

    text: str
    position: int
    expected: str
    found: str

    def __init__(self, text: str, position: int, expected: str, found: str) -> None:
        self.text = text
        self.position = position
        self.expected = expected
        self.found = found
        super().__init__(self._message())

    def _message(self) -> str:
        shown = self.text.translate({ord(char): " " for char in _BLANKED})
        return (
            f"expected {self.expected} at position {self.position}, found {self.found}: "
            f"{self.text!r}\n  {shown}\n  {' ' * self.position}^"
        )

    def __reduce__(self) -> tuple[type[ConditionsSyntaxError], tuple[str, int, str, str]]:
        return (type(self), (self.text, self.position, self.expected, self.found))
