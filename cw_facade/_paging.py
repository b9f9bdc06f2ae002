"""The paging state machine, I/O-free, for every list and lazy method of both clients.

A scan runs in one of three modes (:attr:`PageCursor.mode`):

``forward`` (the default without ``order_by``)
    sends ``pagination-type: forward-only`` and follows the ``pageId`` of the next link, which
    acts as ``id > pageId``: each record that exists for the whole scan comes exactly once,
    whatever is inserted, updated or deleted meanwhile.
``keyset``
    where an endpoint ignores forward-only (a full first page without any ``Link`` header): an
    id-ordered scan, ``orderBy=id asc`` with ``(conditions) AND id > last`` built by the
    conditions builder. Just as exact. The records of the first (unordered) page are not
    produced again.
``pages``
    page numbers ``page=1, 2, …`` following ``Link: rel="next"``: with an explicit
    ``order_by``, with ``forward_only=False``, or as the last resort of an exact scan (records
    without integer ids, conditions the builder cannot parse, an endpoint refusing the keyset
    query), which then warns with :class:`ConnectWisePagingWarning`. Not exact while data
    changes: a record can be missed or produced twice when earlier records come or go.

Every mode refuses pages that do not advance with
:class:`~cw_facade.ConnectWisePageLoopError`: in the id modes every id must be above the last
one produced (and a ``next`` link must continue right after the page); in page-number mode a
page seen before (by a hash of its ids, so ``A, B, A, B`` is caught too) or a ``next`` link
that skips or repeats page numbers. Paging stops early once ``limit`` records have been
produced.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

import httpx

from cw_facade._errors import ConnectWiseConfigurationError

#: Request header that selects forward-only paging.
FORWARD_ONLY_HEADER = {"pagination-type": "forward-only"}
#: Paging modes (see the module docstring).
FORWARD, KEYSET, PAGES = "forward", "keyset", "pages"


class ConnectWisePagingWarning(UserWarning):
    """An exact scan fell back to page-number paging (not exact while data changes).

    Issued when neither forward-only paging nor an id-ordered scan works for an endpoint:
    its records have no integer ``id``, the conditions cannot be combined with ``id > n``
    (validation off and a string the parser refuses), or the endpoint refused the keyset
    query. Silence it with :func:`warnings.filterwarnings` once the risk is accepted, or pass
    ``forward_only=False`` to choose page numbers explicitly.
    """


class PageLoopError(Exception):
    """Paging did not advance (the client turns it into a ``ConnectWisePageLoopError``)."""


class PageShapeError(Exception):
    """A page body or link the cursor cannot use (the client turns it into a response error)."""


def check_page_size(pagesize: int) -> int:
    """Accept 1..1000."""
    from cw_facade._constants import MAX_PAGE_SIZE

    if isinstance(pagesize, bool) or not isinstance(pagesize, int):
        raise ConnectWiseConfigurationError("pagesize must be an integer")
    if not 1 <= pagesize <= MAX_PAGE_SIZE:
        raise ConnectWiseConfigurationError(f"pagesize must be between 1 and {MAX_PAGE_SIZE}")
    return pagesize


def check_limit(limit: int | None) -> int | None:
    """Accept ``None`` (everything) or a count >= 0."""
    if limit is None:
        return None
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 0:
        raise ConnectWiseConfigurationError("limit must be an integer >= 0 or None")
    return limit


def records_of(body: Any) -> list[dict[str, Any]]:
    """A page body as a list of records; anything else is a :class:`PageShapeError`."""
    if body is None:
        return []
    if not isinstance(body, list) or not all(isinstance(r, dict) for r in body):
        raise PageShapeError("a page must be a JSON array of objects")
    return body


def _query_value(url: str, name: str) -> str | None:
    try:
        params = httpx.URL(url).params
    except httpx.InvalidURL:
        return None
    for key, value in params.multi_items():
        if key.lower() == name.lower():
            return value
    return None


#: Builds the request arguments of one page from ``(page, page_size, page_id)``.
PageBuilder = Callable[[int | None, int, int | None], dict[str, Any]]
#: Builds the request arguments of the scan's ``/count``.
CountBuilder = Callable[[], dict[str, Any]]


class KeysetQuery(Protocol):
    """The id-bounded requests of one scan (its filters plus ``id`` bounds), for exact paging."""

    def forward(self, page_size: int, after: int | None, upto: int | None) -> dict[str, Any]:
        """A forward-only page after ``pageId=after`` with ``id <= upto`` added (no header)."""

    def ordered(self, page_size: int, after: int, upto: int | None) -> dict[str, Any]:
        """An id-ordered page: ``orderBy=id asc`` and ``(conditions) AND id > after``."""

    def last(self) -> dict[str, Any]:
        """The one record with the highest id (``orderBy=id desc&pageSize=1``)."""


def keyset_conditions(conditions: str | None, after: int | None, upto: int | None) -> str | None:
    """``(conditions) AND id > after AND id <= upto``, built by the conditions builder.

    The caller's text is parsed, never pasted: a text the parser refuses raises
    :class:`cw_facade.conditions.ConditionsSyntaxError` (the caller then cannot keyset).
    """
    from cw_facade.conditions import C, parse

    terms = [] if conditions is None else [parse(conditions)]
    if after is not None and after > 0:
        terms.append(C.id > after)
    if upto is not None:
        terms.append(C.id <= upto)
    if not terms:
        return None
    combined = terms[0]
    for term in terms[1:]:
        combined = combined & term
    return str(combined)


def keyset_available(conditions: str | None) -> bool:
    """Whether ``conditions`` can be combined with id bounds (the parser accepts them)."""
    from cw_facade.conditions import ConditionsSyntaxError

    try:
        keyset_conditions(conditions, 1, 1)
    except ConditionsSyntaxError:
        return False
    return True


def paging_mode(forward_only: bool | None, order_by: str | None) -> str:
    """The mode a scan starts in: exact (``forward``) unless page numbers are asked for.

    Raises :class:`~cw_facade.ConnectWiseConfigurationError` for ``forward_only=True`` with
    ``order_by`` (forward-only paging is in id order).
    """
    if forward_only is not None and not isinstance(forward_only, bool):
        raise ConnectWiseConfigurationError("forward_only must be True, False or None")
    if forward_only and order_by:
        raise ConnectWiseConfigurationError("forward_only paging cannot use order_by")
    return PAGES if order_by or forward_only is False else FORWARD


@dataclass(frozen=True, slots=True)
class Paging:
    """The paging arguments every list and lazy method takes (checked when the scan is built).

    ``pagesize``: records per page (1..1000; the client's ``page_size`` when ``None``).
    ``limit``: stop after that many records (``None``: all). ``forward_only``: ``None`` (exact
    scan unless ``order_by`` is given), ``True`` (exact, refused with ``order_by``) or
    ``False`` (page numbers, not exact under changes).
    """

    pagesize: int | None = None
    limit: int | None = None
    forward_only: bool | None = None


def with_headers(args: dict[str, Any], headers: Mapping[str, str]) -> dict[str, Any]:
    """``args`` (request arguments) with ``headers`` added."""
    return {**args, "headers": {**(args.get("headers") or {}), **headers}}


def record_id(record: Mapping[str, Any]) -> int | None:
    """The record's integer ``id`` (``None`` when it has none)."""
    value = record.get("id")
    return value if isinstance(value, int) and not isinstance(value, bool) else None


@dataclass
class PageCursor:
    """Where a scan stands; :meth:`request` asks for the next page, :meth:`advance` consumes it.

    ``build`` makes each page-number or unbounded forward-only request (a generated
    operation's ``request_args``, or the raw methods' builder); ``keyset`` the id-bounded
    requests (``None`` where the scan's conditions cannot be combined with ``id`` bounds);
    ``count`` the request of the scan's ``/count``, where there is one. ``mode`` is
    ``"forward"``, ``"keyset"`` or ``"pages"`` (see the module); ``after``/``upto`` bound the
    ids of a slice (``id > after AND id <= upto``).
    """

    build: PageBuilder
    pagesize: int
    limit: int | None = None
    mode: str = FORWARD
    count: CountBuilder | None = None
    keyset: KeysetQuery | None = None
    after: int = 0
    upto: int | None = None
    page: int = 1
    produced: int = 0
    done: bool = False
    #: Pages taken in keyset mode (an endpoint refusing the first falls back to page numbers).
    keyset_pages: int = 0
    #: Whether the first page still tells if forward-only works (a full page without ``Link``).
    probing: bool = True
    _skip: frozenset[int] = field(default=frozenset(), repr=False)
    _seen: set[int] = field(default_factory=set, repr=False)

    def __post_init__(self) -> None:
        """Never ask for more records than ``limit`` needs on one page."""
        if self.limit is not None:
            self.done = self.limit == 0
            self.pagesize = max(1, min(self.pagesize, self.limit))

    @property
    def forward_only(self) -> bool:
        """Whether the next request is a forward-only one."""
        return self.mode == FORWARD

    @property
    def exact(self) -> bool:
        """Whether the scan pages by id (forward-only or keyset), exact under changes."""
        return self.mode != PAGES

    def request(self) -> dict[str, Any]:
        """The request arguments of the next page."""
        after = self.after or None
        if self.mode == FORWARD:
            if self.upto is not None and self.keyset is not None:
                args = self.keyset.forward(self.pagesize, after, self.upto)
            else:
                args = self.build(None, self.pagesize, after)
            return with_headers(args, FORWARD_ONLY_HEADER)
        if self.mode == KEYSET and self.keyset is not None:
            return self.keyset.ordered(self.pagesize, self.after, self.upto)
        return self.build(self.page, self.pagesize, None)

    def page_request(self, page: int) -> dict[str, Any]:
        """The page-number request for page ``page`` (concurrent page-number paging)."""
        return self.build(page, self.pagesize, None)

    def advance(self, body: Any, response: httpx.Response) -> list[dict[str, Any]]:
        """Take one page; return its records (cut at ``limit``) and plan the next request."""
        records = records_of(body)
        full = len(records) >= self.pagesize
        first, self.probing = self.probing, False
        if self.mode == FORWARD and first and full and "link" not in response.headers:
            return self._take(self._unsupported(records), records)
        if self.mode == PAGES:
            self._check_new_page(records)
            return self._take(records, records, lambda: self._next_page(response, full))
        self._check_ascending(records)
        if self.mode == KEYSET:
            self.keyset_pages += 1
        fresh = [r for r in records if record_id(r) not in self._skip] if self._skip else records
        return self._take(fresh, records, lambda: self._next_by_id(records, response, full))

    def _take(
        self,
        fresh: list[dict[str, Any]],
        page: list[dict[str, Any]],
        plan: Callable[[], None] | None = None,
    ) -> list[dict[str, Any]]:
        if self.limit is not None:
            fresh = fresh[: self.limit - self.produced]
        self.produced += len(fresh)
        if not page or (self.limit is not None and self.produced >= self.limit):
            self.done = True
        elif plan is not None:
            plan()
        return fresh

    def _unsupported(self, records: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """A full first page without ``Link``: the endpoint ignores forward-only; switch."""
        ids = [record_id(r) for r in records]
        if self.keyset is not None and all(i is not None for i in ids):
            self.mode, self._skip = KEYSET, frozenset(i for i in ids if i is not None)
        else:
            self.fall_back_to_pages(
                "the endpoint ignores forward-only paging and "
                + (
                    "its records have no integer id"
                    if self.keyset is not None
                    else "the conditions cannot be combined with id bounds"
                )
            )
            self._check_new_page(records)
        return records

    def fall_back_to_pages(self, reason: str) -> None:
        """Continue with page numbers after page 1, warning that the scan is not exact."""
        warnings.warn(
            f"paging by page numbers ({reason}): records may be missed or repeated when data "
            "changes during the scan",
            ConnectWisePagingWarning,
            stacklevel=2,
        )
        self.mode, self.page, self._skip = PAGES, 2, frozenset()

    def _check_ascending(self, records: list[dict[str, Any]]) -> None:
        """Every id must be above the last one produced (forward-only and keyset pages)."""
        last = self.after
        for record in records:
            key = record_id(record)
            if key is None:
                if self.mode == KEYSET:
                    raise PageLoopError("a record without an integer id in an id-ordered scan")
                continue
            if key <= last:
                raise PageLoopError(
                    f"record id {key} came after id {last}: the page repeats or goes backwards"
                )
            if self.upto is not None and key > self.upto:
                raise PageLoopError(f"record id {key} is beyond the requested id <= {self.upto}")
            last = key

    def _next_by_id(
        self, records: list[dict[str, Any]], response: httpx.Response, full: bool
    ) -> None:
        last = next((k for k in map(record_id, reversed(records)) if k is not None), None)
        if self._skip and last is not None and last >= max(self._skip):
            self._skip = frozenset()
        if self.upto is not None and last is not None and last >= self.upto:
            self.done = True  # the slice's highest possible id came: nothing can follow it
            return
        if self.mode == KEYSET:
            if not full or last is None:
                self.done = True
            else:
                self.after = last
            return
        link = response.links.get("next")
        if link is None:
            self.done = True
            return
        text = _query_value(link.get("url", ""), "pageId")
        page_id = int(text) if text is not None and text.isascii() and text.isdigit() else None
        if page_id is None or page_id <= self.after:
            raise PageLoopError("forward-only next link without a new pageId")
        if last is not None and page_id != last:
            what = "skips records" if page_id > last else "goes back"
            raise PageLoopError(
                f"forward-only next link {what}: pageId={page_id} after a page ending at id {last}"
            )
        self.after = page_id

    def _check_new_page(self, records: list[dict[str, Any]]) -> None:
        """Refuse a page seen before in this scan (any earlier one, by a hash of its ids)."""
        ids = tuple(record_id(r) for r in records)
        if not records or all(i is None for i in ids):
            return
        signature = hash(ids)
        if signature in self._seen:
            raise PageLoopError(
                f"page {self.page} repeats an earlier page (ids {ids[0]}..{ids[-1]})"
            )
        self._seen.add(signature)

    def _next_page(self, response: httpx.Response, full: bool) -> None:
        link = response.links.get("next")
        if link is None:
            if full and "link" not in response.headers:
                self.page += 1
            else:
                self.done = True
            return
        text = _query_value(link.get("url", ""), "page")
        following = int(text) if text is not None and text.isdigit() else self.page + 1
        if following <= self.page:
            raise PageLoopError(f"next link after page {self.page} points to page {following}")
        if following > self.page + 1:
            raise PageLoopError(
                f"next link after page {self.page} skips to page {following}: "
                f"pages {self.page + 1}..{following - 1} would be missed"
            )
        self.page = following


def planned_pages(total: int, pagesize: int, limit: int | None) -> int:
    """How many pages hold ``total`` records (at most ``limit``) at ``pagesize`` per page."""
    wanted = total if limit is None else min(total, limit)
    return math.ceil(max(0, wanted) / pagesize)


def cursor_advance(cursor: PageCursor, response: httpx.Response) -> list[dict[str, Any]]:
    """Let ``cursor`` take the page in ``response``; a page it cannot use is a response error."""
    from cw_facade._responses import decode, page_loop_error, response_error

    try:
        return cursor.advance(decode(response), response)
    except PageShapeError as exc:
        raise response_error(response, str(exc)) from None
    except PageLoopError as exc:
        raise page_loop_error(response, str(exc)) from None
