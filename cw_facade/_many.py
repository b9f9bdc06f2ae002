"""Get-many and N+1 helpers, I/O-free: ids checked and deduplicated, chunks, results in order.

- :func:`check_ids` refuses bad ids before anything is sent and keeps each id once, in the
  order first asked.
- :func:`url_chunks` cuts ids into ``in (...)`` lists whose whole request URL (as the transport
  builds it, every other parameter included) stays within a character budget.
- :class:`ManyResult` holds the records in the order the ids were asked, with the ids that
  were not found in ``missing``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from types import MappingProxyType
from typing import Any, Generic, TypeVar, overload

from cw_facade._errors import ConnectWiseMissingRecordsError
from cw_facade._validation import InvalidArgumentError, check_id

T = TypeVar("T")
#: Longest request URL the facade builds for an ``id in (...)`` list (ConnectWise: ~2,000).
URL_BUDGET = 2000


def check_ids(argument: str, ids: object) -> tuple[int, ...]:
    """``ids`` (an iterable of record ids) checked, each kept once in first-asked order.

    Raises :class:`~cw_facade.InvalidArgumentError` naming ``argument`` for text, a mapping or
    anything not iterable, and for an id that is not a positive int (``True`` is refused).
    """
    if isinstance(ids, str | bytes | Mapping) or not isinstance(ids, Iterable):
        raise InvalidArgumentError(argument, "must be a list (or other iterable) of record ids")
    seen: dict[int, None] = {}
    for value in ids:
        seen.setdefault(check_id(argument, value), None)
    return tuple(seen)


def chunked(items: Sequence[T], size: int) -> list[list[T]]:
    """``items`` in consecutive lists of at most ``size`` (``size`` >= 1)."""
    if size < 1:
        raise ValueError("size must be at least 1")
    return [list(items[start : start + size]) for start in range(0, len(items), size)]


def url_chunks(
    ids: Sequence[int],
    url_length: Callable[[Sequence[int]], int],
    budget: int = URL_BUDGET,
    most: int | None = None,
) -> list[list[int]]:
    """``ids`` cut, in order, into lists whose request URL is at most ``budget`` characters.

    ``url_length(chunk)`` is the length of the real URL of the request for ``chunk``; it is
    measured for every chunk: each takes as many ids as fit (found by doubling, then
    bisecting). ``most`` caps the ids per chunk. Raises ``ValueError`` when even one id does not
    fit the budget (the other parameters alone are too long).
    """
    chunks: list[list[int]] = []
    start = 0
    while start < len(ids):
        if url_length(ids[start : start + 1]) > budget:
            raise ValueError(
                f"a request for one id is longer than the URL budget of {budget} characters"
            )
        size = _estimate(ids, start, url_length, budget, most)
        chunks.append(list(ids[start : start + size]))
        start += size
    return chunks


def _estimate(
    ids: Sequence[int],
    start: int,
    url_length: Callable[[Sequence[int]], int],
    budget: int,
    most: int | None,
) -> int:
    """The most ids from ``start`` whose URL fits: doubling, then bisecting (URLs only grow)."""
    limit = len(ids) - start if most is None else min(most, len(ids) - start)
    fits, step = 1, 1
    too_long = limit + 1
    while fits < limit:
        grown = min(limit, fits + step)
        if url_length(ids[start : start + grown]) > budget:
            too_long = grown
            break
        fits, step = grown, step * 2
    while too_long - fits > 1:
        middle = (fits + too_long) // 2
        if url_length(ids[start : start + middle]) > budget:
            too_long = middle
        else:
            fits = middle
    return fits


class ManyResult(Sequence[T], Generic[T]):
    """Records fetched by id: a sequence in the order the ids were asked, each id once.

    ``missing`` holds the ids asked that do not exist (in asked order), ``by_id`` maps each
    found id to its record, and :meth:`raise_for_missing` raises when any id was not found.
    """

    __slots__ = ("_by_id", "_endpoint", "_records", "missing")

    def __init__(
        self, records: Sequence[T], missing: Sequence[int], by_id: Mapping[int, T], endpoint: str
    ) -> None:
        """Hold ``records`` (in asked order), ``missing`` ids and ``by_id``, from ``endpoint``."""
        self._records = tuple(records)
        self.missing: tuple[int, ...] = tuple(missing)
        self._by_id = MappingProxyType(dict(by_id))
        self._endpoint = endpoint

    @property
    def by_id(self) -> Mapping[int, T]:
        """Each record found, by its id (read-only)."""
        return self._by_id

    @overload
    def __getitem__(self, index: int) -> T: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[T]: ...

    def __getitem__(self, index: int | slice) -> T | Sequence[T]:
        """The record at ``index`` (a slice gives a tuple)."""
        return self._records[index]

    def __len__(self) -> int:
        """How many records were found."""
        return len(self._records)

    def __iter__(self) -> Iterator[T]:
        """The records in the order their ids were asked."""
        return iter(self._records)

    def __repr__(self) -> str:
        """Counts only (records can be large)."""
        return f"ManyResult(found={len(self._records)}, missing={len(self.missing)})"

    def raise_for_missing(self) -> ManyResult[T]:
        """Return this result when every id was found.

        Raises :class:`~cw_facade.ConnectWiseMissingRecordsError` (``.ids``: the missing ids)
        otherwise.
        """
        if self.missing:
            raise ConnectWiseMissingRecordsError(self.missing, self._endpoint)
        return self


def record_key(record: Mapping[str, Any], path: Sequence[str]) -> int | None:
    """The int at ``path`` in ``record`` (``("company", "id")``), or ``None``."""
    value: Any = record
    for key in path:
        if not isinstance(value, Mapping):
            return None
        value = value.get(key)
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return value


def in_order(
    ids: Sequence[int],
    records: Iterable[dict[str, Any]],
    wrap: Callable[[dict[str, Any]], T],
    endpoint: str,
) -> ManyResult[T]:
    """The :class:`ManyResult` of ``ids`` from ``records`` (any order; first one per id wins).

    Records whose id was not asked are left out.
    """
    wanted = set(ids)
    found: dict[int, dict[str, Any]] = {}
    for record in records:
        key = record_key(record, ("id",))
        if key is not None and key in wanted:
            found.setdefault(key, record)
    by_id = {key: wrap(found[key]) for key in ids if key in found}
    ordered = [by_id[key] for key in ids if key in by_id]
    missing = [key for key in ids if key not in by_id]
    return ManyResult(ordered, missing, by_id, endpoint)


def grouped(
    parents: Sequence[int],
    records: Iterable[dict[str, Any]],
    path: Sequence[str],
    wrap: Callable[[dict[str, Any]], T],
) -> dict[int, list[T]]:
    """Children by parent id: every id of ``parents`` is a key (``[]`` when it has none).

    A child's parent is the int at ``path``; children of parents not asked are left out, and
    a child (by ``id``) seen twice is kept once.
    """
    out: dict[int, list[T]] = {parent: [] for parent in parents}
    seen: set[int] = set()
    for record in records:
        parent = record_key(record, path)
        if parent is None or parent not in out:
            continue
        key = record_key(record, ("id",))
        if key is not None:
            if key in seen:
                continue
            seen.add(key)
        out[parent].append(wrap(record))
    return out


def with_id(fields: str | None) -> str | None:
    """A ``fields`` selection that includes ``id`` (needed to match records to ids)."""
    if fields is None:
        return None
    paths = [path.strip() for path in fields.split(",") if path.strip()]
    return fields if "id" in paths else ",".join(["id", *paths])


def in_condition(path: str, ids: Sequence[int]) -> str:
    """``path in (1, 2, 3)``, rendered by the conditions builder."""
    from cw_facade.conditions import C

    return str(C(path).in_(ids))
