"""Tokenizer for conditions text."""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass

from cw_facade.conditions import _values
from cw_facade.conditions._ast import PATH_RE
from cw_facade.conditions._errors import ConditionsSyntaxError
from cw_facade.conditions._values import Scalar

#: Characters that may follow a backslash to stand for themselves inside a quoted string.
ESCAPABLE = "\\\"'"

#: Longest run of input echoed back in a "found ..." message.
_FOUND_LIMIT = 20

_NUMBER_RE = re.compile(r"-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?", re.ASCII)
_WORD_RE = re.compile(r"[A-Za-z0-9_/]+")
_SYMBOL_RE = re.compile(r"[=!<>]+")
_BAD_RUN_RE = re.compile(r"[^\s(),]+")


class Kind(enum.Enum):
    """The kinds of token."""

    LPAREN = "'('"
    RPAREN = "')'"
    COMMA = "','"
    SYMBOL = "an operator"
    WORD = "a word"
    VALUE = "a value"
    END = "end of input"


_PUNCTUATION = {"(": Kind.LPAREN, ")": Kind.RPAREN, ",": Kind.COMMA}


@dataclass(frozen=True, slots=True)
class Token:
    """One token: its kind, source text, 0-based position and (for values) parsed value."""

    kind: Kind
    text: str
    position: int
    value: Scalar = None

    def describe(self) -> str:
        """How the token is named in error messages."""
        if self.kind is Kind.END:
            return "end of input"
        text = self.text if len(self.text) <= _FOUND_LIMIT else self.text[:_FOUND_LIMIT] + "..."
        return repr(text)


def tokenize(text: str) -> list[Token]:
    """Split ``text`` into tokens, ending with a ``Kind.END`` token."""
    tokens: list[Token] = []
    pos = 0
    while True:
        while pos < len(text) and text[pos].isspace():
            pos += 1
        if pos == len(text):
            tokens.append(Token(Kind.END, "", pos))
            return tokens
        token = _next_token(text, pos)
        tokens.append(token)
        pos += len(token.text)


def _next_token(text: str, pos: int) -> Token:
    char = text[pos]
    if char in _PUNCTUATION:
        return Token(_PUNCTUATION[char], char, pos)
    if char in "\"'":
        return _string(text, pos)
    if char == "[":
        return _date(text, pos)
    if char == "-" or char.isdigit():
        return _number(text, pos)
    if match := _SYMBOL_RE.match(text, pos):
        return Token(Kind.SYMBOL, match.group(), pos)
    if match := _WORD_RE.match(text, pos):
        return _word(text, pos, match.group())
    raise ConditionsSyntaxError(
        text, pos, "a field, value, operator or parenthesis", f"unexpected {char!r}"
    )


def _string(text: str, start: int) -> Token:
    quote = text[start]
    chars: list[str] = []
    pos = start + 1
    while pos < len(text):
        char = text[pos]
        if char == quote:
            return Token(Kind.VALUE, text[start : pos + 1], start, "".join(chars))
        if char == "\\" and pos + 1 < len(text) and text[pos + 1] in ESCAPABLE:
            pos += 1
            char = text[pos]
        chars.append(char)
        pos += 1
    raise ConditionsSyntaxError(
        text, start, f"a closing {quote} for the string starting", "end of input"
    )


def _date(text: str, start: int) -> Token:
    end = text.find("]", start)
    if end < 0:
        raise ConditionsSyntaxError(
            text, start, "a closing ] for the date starting", "end of input"
        )
    source = text[start : end + 1]
    moment = _values.parse_instant(source[1:-1])
    if moment is None:
        raise ConditionsSyntaxError(text, start, "a date like [2024-01-31T00:00:00Z]", repr(source))
    try:
        value = _values.to_utc(moment)
    except ValueError:
        raise ConditionsSyntaxError(
            text, start, "a date within years 1-9999 in UTC", repr(source)
        ) from None
    return Token(Kind.VALUE, source, start, value)


def _number(text: str, start: int) -> Token:
    match = _NUMBER_RE.match(text, start)
    if match is None or _continues(text, match.end()):
        bad = _BAD_RUN_RE.match(text, start)
        raise ConditionsSyntaxError(text, start, "a number", repr(bad.group() if bad else "-"))
    try:
        value = _values.parse_number(match.group())
    except ValueError:
        limit = _values.MAX_NUMBER_DIGITS
        raise ConditionsSyntaxError(
            text,
            start,
            f"a number of at most {limit} digits either side of the point",
            repr(match.group()),
        ) from None
    return Token(Kind.VALUE, match.group(), start, value)


def _continues(text: str, end: int) -> bool:
    return end < len(text) and (text[end].isalnum() or text[end] in "_./")


def _word(text: str, start: int, source: str) -> Token:
    lowered = source.lower()
    if lowered in ("true", "false"):
        return Token(Kind.VALUE, source, start, lowered == "true")
    if lowered == "null":
        return Token(Kind.VALUE, source, start, None)
    if PATH_RE.fullmatch(source) is None:
        raise ConditionsSyntaxError(
            text, start, "a field path like company/id (segments joined by '/')", repr(source)
        )
    return Token(Kind.WORD, source, start)
