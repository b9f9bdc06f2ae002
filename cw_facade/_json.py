"""Decoding JSON from the network with a nesting limit and no non-finite numbers.

:func:`loads` is ``json.loads`` made safe for bodies a server (or anyone POSTing to a webhook
receiver) controls:

- nesting deeper than ``max_depth`` raises :class:`~cw_facade._errors.ConnectWiseJSONDepthError`
  *before* decoding, so ``RecursionError`` never escapes (2 KB of ``[`` used to raise it);
- ``NaN``, ``Infinity`` and ``-Infinity`` (which ``json.loads`` accepts), a float that
  overflows to infinity (``1e400``) and an integer too long to convert raise
  :class:`JSONValueError`;
- invalid JSON raises ``json.JSONDecodeError`` as before (both are ``ValueError``).

The depth check is a skeleton scan, all in C-speed byte primitives, no Python loop per byte:
drop escapes, delete every byte but quotes and brackets (one pass over the body), count the
brackets left (a body with no more ``[``/``{`` than ``max_depth`` cannot be too deep: error
bodies and single records stop here), cut out what is left of the strings, and peel innermost
``()`` pairs off with ``bytes.replace`` — the number of peels is the depth. Work is bounded by
``max_depth`` times the body size even for hostile bodies.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any, Final, NoReturn

from cw_facade._errors import ConnectWiseJSONDepthError

#: Deepest nesting accepted by default. ConnectWise records nest about 5 levels (a page, a
#: record, a reference, its ``_info``); 64 leaves ample room and stays far below Python's
#: recursion limit.
DEFAULT_MAX_JSON_DEPTH: Final = 64

#: What is left of a string in the skeleton once its content bytes are deleted.
_SKELETON_STRING = re.compile(rb'"[^"]*"')
#: Opening brackets become ``(``, closing ones ``)``; quotes stay; every other byte goes.
_TO_PARENS: Final = bytes.maketrans(b"[{]}", b"(())")
_NOT_STRUCTURE: Final = bytes(sorted(set(range(256)) - set(b'[]{}"')))


class JSONValueError(ValueError):
    """A JSON body holds a value the client refuses: ``NaN``, ``Infinity``, a huge integer."""


def loads(data: bytes | str, *, max_depth: int = DEFAULT_MAX_JSON_DEPTH) -> Any:
    """Decode ``data`` like ``json.loads``, refusing deep nesting and non-finite numbers.

    ``max_depth`` counts arrays and objects (``[[1]]`` has depth 2; a scalar 0). Raises
    :class:`~cw_facade._errors.ConnectWiseJSONDepthError` (no request named; add one with its
    ``at()``) past ``max_depth``, :class:`JSONValueError` for ``NaN``/``Infinity`` or a number
    Python cannot convert, ``json.JSONDecodeError`` for invalid JSON, and ``ValueError`` for a
    ``max_depth`` that is not a positive integer.
    """
    raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
    depth = exceeded_depth(raw, max_depth)
    if depth is not None:
        raise ConnectWiseJSONDepthError(limit=max_depth, found=depth)
    try:
        return json.loads(data, parse_constant=_refuse_constant, parse_float=_finite_float)
    except (json.JSONDecodeError, UnicodeDecodeError):  # invalid JSON: as json.loads says
        raise
    except RecursionError:  # a thread with a tiny recursion limit: still a depth error
        raise ConnectWiseJSONDepthError(limit=max_depth) from None
    except ValueError as exc:  # e.g. an integer over Python's conversion limit
        raise JSONValueError(f"the JSON body holds an unusable number: {exc}") from None


def exceeded_depth(data: bytes, max_depth: int) -> int | None:
    """``None`` if ``data`` nests at most ``max_depth`` deep, else the depth found.

    The depth returned is exact when the brackets balance; for unbalanced input it is a lower
    bound that still exceeds ``max_depth`` (the JSON decoder would refuse that input anyway).
    Brackets inside strings do not count. Raises ``ValueError`` for a bad ``max_depth``.
    """
    if isinstance(max_depth, bool) or not isinstance(max_depth, int) or max_depth < 1:
        raise ValueError(f"max_depth must be a positive integer, not {max_depth!r}")
    skeleton = _skeleton(data, max_depth)
    if skeleton is None:
        return None
    passes = 0
    while skeleton and passes <= max_depth:
        peeled = skeleton.replace(b"()", b"")
        if len(peeled) == len(skeleton):  # only ")))(((" is left: unbalanced
            opened = passes + skeleton.count(b"(")
            return opened if opened > max_depth else None
        skeleton, passes = peeled, passes + 1
    return passes if passes > max_depth else None


def _skeleton(data: bytes, max_depth: int) -> bytes | None:
    """The brackets of ``data`` outside strings, as ``(`` and ``)``; ``None`` when ``data``
    holds no more than ``max_depth`` opening brackets at all (it cannot nest deeper).

    Escapes go first: backslashes pair up left to right (``\\\\``), and a backslash left
    before a quote escapes it (``\\"``), so removing those pairs leaves only the quotes that
    open or close strings. Then every byte but quotes and brackets is deleted (one pass over
    the body; the brackets are counted in what is left), and what is left of each string
    (``""``, or quotes around brackets that were text) is cut out.
    """
    if b"\\" in data:
        data = data.replace(b"\\\\", b"").replace(b'\\"', b"")
    structure = data.translate(_TO_PARENS, _NOT_STRUCTURE)
    if structure.count(b"(") <= max_depth:
        return None
    skeleton = structure.replace(b'""', b"")
    if b'"' in skeleton:  # some string held brackets
        skeleton = _SKELETON_STRING.sub(b"", skeleton)
    return skeleton


def _finite_float(text: str) -> float:
    value = float(text)
    if math.isinf(value):
        raise JSONValueError(f"the JSON body holds {text[:40]}, which overflows to infinity")
    return value


def _refuse_constant(name: str) -> NoReturn:
    raise JSONValueError(f"the JSON body holds {name}, which is not a number the client accepts")
