r"""Conditions: build, parse, render and evaluate ConnectWise ``conditions`` strings safely.

Building::

    from cw_facade.conditions import C, order_by, fields

    cond = (C.closedFlag == False) & (C.priority.id >= 8) | C.summary.contains('say "hi"')
    str(cond)   # '(closedFlag=false AND priority/id>=8) OR summary contains "say \"hi\""'

Values are always rendered as one token, so user input can never change the structure of a
condition. ``parse(text)`` reads the same language back (``parse(str(e)) == e`` for every built
``e``); ``matches(e, record)`` evaluates it against a JSON record; ``field_paths(e)`` lists the
fields it uses.

Grammar (keywords are case-insensitive; whitespace between tokens is free)::

    conditions := expr
    expr       := unary (("AND" unary)* | ("OR" unary)*)  -- AND and OR never mix unparenthesised
    unary      := "NOT" "(" expr ")" | "(" expr ")" | comparison
    comparison := path ("=" | "!=" | "<" | "<=" | ">" | ">=") value
                | path ["NOT"] ("CONTAINS" | "LIKE") string
                | path ["NOT"] "IN" "(" value ("," value)* ")"
    path       := segment ("/" segment)*         segment := [A-Za-z_][A-Za-z0-9_]*
    value      := string | number | date | "true" | "false" | "null"
    string     := '"' ... '"' | "'" ... "'"
    number     := -?digits[.digits][(e|E)[+-]digits]
    date       := "[" ISO-8601 date or date-time "]"

Mixing AND and OR without parentheses is a syntax error, because ConnectWise does not document
their precedence. A one-segment path may not be a keyword (``not``, ``in``, ``null`` ...).

Rendering: ``AND``/``OR``/``NOT`` upper case, ``contains``/``like``/``in`` lower case; symbol
operators without spaces (``company/id=250``); an ``Or`` inside an ``And`` (and vice versa) is
parenthesised; ``~e`` renders as ``NOT (e)``; ``in`` lists as ``id in (1, 2, 3)``. Nested ``&``
(or ``|``) chains flatten into one ``And`` (``Or``) node. ConnectWise has not confirmed ``NOT``
before a group, nor the ``not`` operators and ``null``; against a real server prefer ``!=`` where
it will do.

Trees hold values in canonical form, so the builder and the parser agree: a ``float`` becomes
the ``Decimal`` of its repr, a ``Decimal`` without fraction digits an ``int``, a date-time an
aware UTC ``datetime`` without microseconds. Equality is structural and tells value types apart
(``x=1``, ``x=1.0``, ``x=true`` and ``x="1"`` are four different trees). Numbers are limited to
400 digits either side of the point, and parentheses to 64 levels (both ``ValueError``).

Escaping rule: string values are double-quoted; a backslash is put before every ``"`` and every
``\`` in the value, and nothing else changes (``a"b\c`` → ``"a\"b\\c"``). When parsing, strings
may also be single-quoted; inside either kind, a backslash followed by ``\``, ``"`` or ``'``
stands for that character, and any other backslash stands for itself.

Values by type: ``str`` as above; ``bool`` as ``true``/``false``; ``None`` as ``null``; ``int``,
``float`` and ``Decimal`` bare in plain decimal notation (NaN and infinity raise ``ValueError``;
a float is taken at its shortest repr); an ``Enum`` by its value. Other types raise ``TypeError``.

Date rule: ``datetime`` and ``date`` values render as ``[YYYY-MM-DDTHH:MM:SSZ]`` in UTC. Aware
datetimes are converted to UTC, naive datetimes are taken to be UTC already, a ``date`` is
midnight UTC, and fractions of a second are dropped. The parser reads any ISO-8601 date or
date-time between brackets (offset optional, meaning UTC) and normalises it the same way.

Evaluator semantics (``matches``), as far as ConnectWise's are known:

- a path walks nested objects (``company/id`` is ``record["company"]["id"]``); a missing key,
  or ``null`` or a non-object on the way, gives ``null``; keys match exactly, else ignoring case;
- a path through a list (``communicationItems/value``, as in ``childConditions``) holds if the
  comparison holds for at least one element; an empty list gives ``null``;
- ``= null`` holds for a missing or null field, ``!= null`` for any other value;
- strings compare case-insensitively (also for ``<``, ``>``); numbers compare numerically
  (``1 = 1.0``); booleans only equal booleans; a date value compares as an instant with an
  ISO-8601 string in the record (any fractional digits, offset optional, meaning UTC);
- ``contains`` is a case-insensitive substring test; ``like`` is a case-insensitive match of the
  whole string in which ``*`` and ``%`` match any run of characters and ``_`` is literal;
- ``in`` holds if ``=`` holds for one of the values;
- any comparison between incompatible types (a string with a number, anything ordered with
  null, a list or object with a value) is false; ``!=``, ``not contains``, ``not like`` and
  ``not in`` are exactly the negation of their positive forms, and ``NOT (e)`` of ``e``.

``order_by(C.id.desc(), "summary")`` gives ``"id desc,summary asc"`` and
``fields(C.id, "status/name")`` gives ``"id,status/name"``, both validated; ``parse_order_by``
and ``parse_fields`` read such values back (a server or a validator uses them).
"""

from __future__ import annotations

from cw_facade.conditions._ast import (
    And,
    Comparison,
    Expr,
    Not,
    Operator,
    Or,
    field_paths,
)
from cw_facade.conditions._builder import (
    C,
    Field,
    OrderItem,
    fields,
    order_by,
    parse_fields,
    parse_order_by,
)
from cw_facade.conditions._errors import ConditionsSyntaxError
from cw_facade.conditions._evaluate import matches
from cw_facade.conditions._parser import parse

__all__ = [
    "And",
    "C",
    "Comparison",
    "ConditionsSyntaxError",
    "Expr",
    "Field",
    "Not",
    "Operator",
    "Or",
    "OrderItem",
    "field_paths",
    "fields",
    "matches",
    "order_by",
    "parse",
    "parse_fields",
    "parse_order_by",
]
