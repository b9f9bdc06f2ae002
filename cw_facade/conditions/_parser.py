"""Recursive-descent parser: conditions text to an expression tree."""

from __future__ import annotations

from typing import NoReturn

from cw_facade.conditions._ast import (
    KEYWORDS,
    LIST_OPERATORS,
    STRING_OPERATORS,
    SYMBOL_OPERATORS,
    And,
    Comparison,
    Expr,
    Not,
    Operator,
    Or,
)
from cw_facade.conditions._errors import ConditionsSyntaxError
from cw_facade.conditions._lexer import Kind, Token, tokenize
from cw_facade.conditions._values import Scalar

#: Deepest nesting of parentheses and NOT accepted (guards the recursion).
MAX_DEPTH = 64

_SYMBOLS = {op.value: op for op in SYMBOL_OPERATORS}
_WORD_OPERATORS = {"contains": Operator.CONTAINS, "like": Operator.LIKE, "in": Operator.IN}
_NEGATED = {
    Operator.CONTAINS: Operator.NOT_CONTAINS,
    Operator.LIKE: Operator.NOT_LIKE,
    Operator.IN: Operator.NOT_IN,
}
_ANY_OPERATOR = "a comparison operator (=, !=, <, <=, >, >=, contains, like, in, not ...)"


def parse(text: str) -> Expr:
    """Parse a conditions string into an expression tree.

    Raises :class:`ConditionsSyntaxError` (a ``ValueError``) naming the position and what was
    expected there; ``TypeError`` if ``text`` is not a ``str``.
    """
    if not isinstance(text, str):
        raise TypeError(f"conditions must be a str, not {type(text).__name__}")
    return _Parser(text).parse()


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = tokenize(text)
        self.index = 0
        self.depth = 0

    def current(self) -> Token:
        return self.tokens[self.index]

    def advance(self) -> Token:
        token = self.current()
        self.index += 1
        return token

    def fail(self, expected: str) -> NoReturn:
        token = self.current()
        raise ConditionsSyntaxError(self.text, token.position, expected, token.describe())

    def at_keyword(self, *words: str) -> bool:
        token = self.current()
        return token.kind is Kind.WORD and token.text.lower() in words

    def parse(self) -> Expr:
        if self.current().kind is Kind.END:
            self.fail("a condition such as id=1")
        expr = self.expression()
        if self.current().kind is Kind.RPAREN:
            self.fail("end of input (this ')' has no matching '(')")
        if self.current().kind is not Kind.END:
            self.fail("AND, OR or end of input")
        return expr

    def expression(self) -> Expr:
        operands = [self.unary()]
        joiner = ""
        while self.at_keyword("and", "or"):
            word = self.current().text.lower()
            if joiner and word != joiner:
                self.fail(f"{joiner.upper()} (mixing AND and OR needs parentheses)")
            joiner = word
            self.advance()
            operands.append(self.unary())
        if not joiner:
            return operands[0]
        return And(tuple(operands)) if joiner == "and" else Or(tuple(operands))

    def unary(self) -> Expr:
        if self.at_keyword("not"):
            self.advance()
            if self.current().kind is not Kind.LPAREN:
                self.fail("'(' after NOT")
            return Not(self.group())
        if self.current().kind is Kind.LPAREN:
            return self.group()
        if self.current().kind is Kind.WORD and self.current().text.lower() not in KEYWORDS:
            return self.comparison()
        self.fail("a condition (a field, '(' or NOT)")

    def group(self) -> Expr:
        opening = self.advance()
        self.depth += 1
        if self.depth > MAX_DEPTH:
            self.fail(f"at most {MAX_DEPTH} nested parentheses")
        inner = self.expression()
        if self.current().kind is not Kind.RPAREN:
            self.fail(f"AND, OR or ')' (to close the '(' opened at position {opening.position})")
        self.advance()
        self.depth -= 1
        return inner

    def comparison(self) -> Comparison:
        path = self.advance().text
        op, spelled = self.operator(path)
        if op in LIST_OPERATORS:
            return Comparison(path, op, self.value_list(spelled))
        value = self.value(spelled)
        if op in STRING_OPERATORS and not isinstance(value, str):
            self.index -= 1
            self.fail(f"a quoted string after {spelled!r}")
        return Comparison(path, op, value)

    def operator(self, path: str) -> tuple[Operator, str]:
        token = self.current()
        if token.kind is Kind.SYMBOL:
            if token.text not in _SYMBOLS:
                self.fail(_ANY_OPERATOR)
            self.advance()
            return _SYMBOLS[token.text], token.text
        if self.at_keyword("not"):
            self.advance()
            if not self.at_keyword(*_WORD_OPERATORS):
                self.fail("contains, like or in after 'not'")
            op = _NEGATED[_WORD_OPERATORS[self.current().text.lower()]]
            return op, f"{token.text} {self.advance().text}"
        if self.at_keyword(*_WORD_OPERATORS):
            return _WORD_OPERATORS[token.text.lower()], self.advance().text
        self.fail(f"{_ANY_OPERATOR} after {path!r}")

    def value(self, after: str) -> Scalar:
        token = self.current()
        if token.kind is Kind.WORD and token.text.lower() not in KEYWORDS:
            self.fail(f"a value after {after!r} (strings need quotes)")
        if self.current().kind is not Kind.VALUE:
            self.fail(f"a value after {after!r}")
        return self.advance().value

    def value_list(self, after: str) -> tuple[Scalar, ...]:
        if self.current().kind is not Kind.LPAREN:
            self.fail(f"'(' and a list of values after {after!r}")
        self.advance()
        values = [self.value("(")]
        while self.current().kind is Kind.COMMA:
            self.advance()
            values.append(self.value(","))
        if self.current().kind is not Kind.RPAREN:
            self.fail("',' or ')' in the list of values")
        self.advance()
        return tuple(values)
