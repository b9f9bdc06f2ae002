"""The paging state machine, I/O-free, for ``iter_all``/``get_all`` in both clients.

Navigable mode (the default) asks for ``page=1, 2, …`` and follows ``Link: rel="next"``;
forward-only mode sends ``pagination-type: forward-only`` and follows the ``pageId`` of the
next link. An endpoint that does not support forward-only answers without any ``Link``
header; a full first page without one switches to navigable mode from page 2. An endpoint that
sends no ``Link`` header at all in navigable mode is paged until a short page. Paging stops
early once ``limit`` records have been produced.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx

from cw_facade._errors import ConnectWiseConfigurationError

#: Request header that selects forward-only paging.
FORWARD_ONLY_HEADER = {"pagination-type": "forward-only"}


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


def with_headers(args: dict[str, Any], headers: Mapping[str, str]) -> dict[str, Any]:
    """``args`` (request arguments) with ``headers`` added."""
    return {**args, "headers": {**(args.get("headers") or {}), **headers}}


@dataclass
class PageCursor:
    """Where a scan stands; :meth:`request` asks for the next page, :meth:`advance` consumes it.

    ``build`` makes each page's request (a generated operation's ``request_args``, or the raw
    methods' builder); ``count`` the request of the scan's ``/count``, where there is one.
    """

    build: PageBuilder
    pagesize: int
    limit: int | None = None
    forward_only: bool = False
    count: CountBuilder | None = None
    page: int = 1
    page_id: int | None = None
    produced: int = 0
    done: bool = False
    _first: bool = field(default=True, repr=False)
    _last_page: tuple[object, ...] | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        """Never ask for more records than ``limit`` needs on one page."""
        if self.limit is not None:
            self.done = self.limit == 0
            self.pagesize = max(1, min(self.pagesize, self.limit))

    def request(self) -> dict[str, Any]:
        """The request arguments of the next page."""
        if self.forward_only:
            args = self.build(None, self.pagesize, self.page_id)
            return with_headers(args, FORWARD_ONLY_HEADER)
        return self.build(self.page, self.pagesize, None)

    def page_request(self, page: int) -> dict[str, Any]:
        """The navigable-mode request for page number ``page`` (concurrent paging)."""
        return self.build(page, self.pagesize, None)

    def advance(self, body: Any, response: httpx.Response) -> list[dict[str, Any]]:
        """Take one page; return its records (cut at ``limit``) and plan the next request."""
        records = records_of(body)
        self._check_progress(records)
        if self.limit is not None:
            records = records[: self.limit - self.produced]
        self.produced += len(records)
        full = len(body or []) >= self.pagesize
        first, self._first = self._first, False
        if not records or (self.limit is not None and self.produced >= self.limit):
            self.done = True
        elif self.forward_only:
            self._next_forward(response, full, first)
        else:
            self._next_navigable(response, full)
        return records

    def _check_progress(self, records: list[dict[str, Any]]) -> None:
        """Refuse a page identical to the previous one (a server ignoring ``page``/``pageId``)."""
        if not records:
            return
        signature = (len(records), records[0].get("id"), records[-1].get("id"))
        if signature == self._last_page and signature[1] is not None:
            raise PageShapeError("the server sent the same page twice")
        self._last_page = signature

    def _next_forward(self, response: httpx.Response, full: bool, first: bool) -> None:
        link = response.links.get("next")
        if link is None:
            if first and full and "link" not in response.headers:
                self.forward_only, self.page = False, 2
            else:
                self.done = True
            return
        text = _query_value(link.get("url", ""), "pageId")
        page_id = int(text) if text is not None and text.isascii() and text.isdigit() else None
        if page_id is None or page_id == self.page_id:
            raise PageShapeError("forward-only next link without a new pageId")
        self.page_id = page_id

    def _next_navigable(self, response: httpx.Response, full: bool) -> None:
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
            raise PageShapeError("next link does not move forward")
        self.page = following


def planned_pages(total: int, pagesize: int, limit: int | None) -> int:
    """How many pages hold ``total`` records (at most ``limit``) at ``pagesize`` per page."""
    wanted = total if limit is None else min(total, limit)
    return math.ceil(max(0, wanted) / pagesize)
