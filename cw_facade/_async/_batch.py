"""Many records at once: bundles, get-many by ids, and the children of many parents (N+1).

Few requests, each carrying much: a bundle (``POST /system/bundles``) runs many requests in one
round trip; get-many asks ``id in (...)`` lists; children are asked for many parents at once.
The async client sends independent requests concurrently (at most ``concurrency`` at a time),
the blocking client one after another; every request goes through the client's one transport.

Strategies (measured on the simulator; see the README's "Many records at once"):

- get-many by ids of a resource that bundles serve: lists of up to ``MANY_IDS_PER_LIST`` ids
  (``id in (...)`` in the bundle body, so no URL budget applies), ``MANY_LISTS_PER_BUNDLE``
  lists per bundle (at most 1,000 records per answer, like one full page); ids the bundles did
  not return are asked once more as below before they are reported missing (a server that
  cut a bundled list short, e.g. ignoring its ``pageSize``, cannot make records look missing);
- get-many of any other endpoint: ``GET`` pages of ``id in (...)`` lists cut so that the full
  URL the transport sends stays within ``URL_BUDGET`` characters;
- notes of many tickets (reachable only under each ticket): one list per ticket in bundles,
  follow-up pages (forward-only, ``pageId``) for a ticket with more than a page of notes;
- time entries of many tickets, contacts of many companies: ``GET`` scans of chunked
  ``chargeToId in (...)`` / ``company/id in (...)`` conditions within the URL budget.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from cw_facade import _raw
from cw_facade._async._base import AsyncClientBase
from cw_facade._bundles import (
    COLLECTION_TYPES,
    BundleRequest,
    BundleResult,
    bundle_body,
    bundle_results,
    check_chunk_size,
    check_requests,
)
from cw_facade._constants import MAX_PAGE_SIZE
from cw_facade._endpoints import Filters, LazyModule, ListOperation, keyset_query, page_builder
from cw_facade._errors import ConnectWiseNotFoundError, ConnectWisePageLoopError
from cw_facade._many import (
    URL_BUDGET,
    ManyResult,
    check_ids,
    chunked,
    grouped,
    in_condition,
    in_order,
    url_chunks,
    with_id,
)
from cw_facade._paging import FORWARD, PageBuilder, PageCursor, records_of
from cw_facade._responses import decode, response_error
from cw_facade._retry import IDEMPOTENT_EXTENSION
from cw_facade._validation import MAX_ID
from cw_facade.models import (
    Agreement,
    Company,
    Configuration,
    Contact,
    Member,
    Model,
    Note,
    Ticket,
    TimeEntry,
)

if TYPE_CHECKING:
    from cw_manage_client import operations as ops
else:
    ops = LazyModule("cw_manage_client.operations")

M = TypeVar("M", bound=Model)
T = TypeVar("T")

#: Requests per bundle of :meth:`bundle` unless ``chunk_size`` says otherwise (ConnectWise
#: documents no maximum).
DEFAULT_BUNDLE_CHUNK = 25
#: Ids per ``id in (...)`` list of a bundled get-many.
MANY_IDS_PER_LIST = 500
#: Lists per bundle of a get-many (so an answer holds at most 1,000 records).
MANY_LISTS_PER_BUNDLE = 2
#: Characters kept free in a scan's URL for the id bound a keyset scan may add.
KEYSET_MARGIN = 48


class AsyncBatchMixin(AsyncClientBase):
    """``bundle``, ``get_many`` and ``get_*_by_ids``, and the N+1 child helpers."""

    # -- bundles ---------------------------------------------------------------------------

    async def bundle(
        self, requests: Sequence[BundleRequest], *, chunk_size: int | None = None
    ) -> list[BundleResult]:
        """Send ``requests`` in bundles (``POST /system/bundles``); one result each, in order.

        ``requests`` is a list of :class:`~cw_facade.BundleRequest`; ``chunk_size`` is the
        most requests per bundle (1..1000, default 25). Each :class:`~cw_facade.BundleResult`
        says whether its request succeeded and carries its entities or its own typed error
        (``result.raise_for_error()``); one request failing does not fail the others.

        A bundle of reads only is retried like a GET. A bundle holding a write is never sent
        twice after a failure that may have reached the server; bundles with writes are sent
        one after another in order, bundles of reads at once on the async client.

        Raises :class:`~cw_facade.InvalidArgumentError` for a ``requests`` that is not a list
        of ``BundleRequest`` and :class:`~cw_facade.ConnectWiseConfigurationError` for a bad
        ``chunk_size`` (both before sending); a failure of a whole bundle (its HTTP status,
        the connection) raises the API's or the transport's error, and bundles after it are
        not sent.
        """
        checked = check_requests(requests)
        size = check_chunk_size(chunk_size, DEFAULT_BUNDLE_CHUNK)
        chunks = chunked(checked, size)
        if all(request.read_only for request in checked):
            answers = await self._each([self._bundle_job(chunk) for chunk in chunks])
        else:
            answers = [await self._send_bundle(chunk) for chunk in chunks]
        return [result for answer in answers for result in answer]

    def _bundle_job(self, chunk: list[BundleRequest]) -> Callable[[], Any]:
        return lambda: self._send_bundle(chunk)

    async def _send_bundle(self, chunk: list[BundleRequest]) -> list[BundleResult]:
        """One bundle: the POST (marked repeatable when it only reads) and its results."""
        args = ops.post_system_bundles.request_args(
            body=bundle_body(chunk, self._config.api_version)
        )
        extensions = {IDEMPOTENT_EXTENSION: True} if all(r.read_only for r in chunk) else None
        response = await self._http.request(**args, extensions=extensions)
        return bundle_results(chunk, response, decode(response))

    async def _each(self, jobs: list[Callable[[], Any]]) -> list[Any]:
        """The results of ``jobs``, in order (async client: up to ``concurrency`` at once)."""
        # unasync: begin-remove
        if self.concurrency > 1 and len(jobs) > 1:
            from cw_facade._concurrent import bounded

            return await bounded(self.concurrency, jobs)
        # unasync: end-remove
        return [await job() for job in jobs]

    # -- get many --------------------------------------------------------------------------

    async def get_many(
        self, endpoint: str, ids: Sequence[int], *, fields: str | Sequence[str] | None = None
    ) -> ManyResult[dict[str, Any]]:
        """The records ``ids`` of ``endpoint`` (``"service/tickets"``), as dicts.

        Returns a :class:`~cw_facade.ManyResult`: the records in the order the ids were asked
        (each id once), ``.missing`` for ids that do not exist, ``.by_id``, and
        ``.raise_for_missing()``. ``fields`` projects the records (``id`` is always added, to
        match records to ids). Endpoints that bundles serve are asked in bundles (ids they did
        not return are asked once more by ``GET`` before being reported missing), any other
        by ``GET`` pages of ``id in (...)`` lists within the URL budget (2,000 characters).

        Raises :class:`~cw_facade.InvalidArgumentError` for a bad endpoint, id or ``fields``
        (before sending) and the API's errors otherwise.
        """
        path = _raw.endpoint_path(endpoint)
        wanted = check_ids("ids", ids)
        projection = with_id(_raw.fields_text(fields))
        resource = COLLECTION_TYPES.get(path.lower())
        if resource is not None:
            return await self._many_bundled(resource, path, wanted, projection, dict)
        return await self._many_by_url(path, wanted, projection)

    async def get_tickets_by_ids(
        self, ids: Sequence[int], *, fields: str | Sequence[str] | None = None
    ) -> ManyResult[Ticket]:
        """Tickets by id: a :class:`~cw_facade.ManyResult` of :class:`~cw_facade.Ticket`.

        ``ids`` are ticket ids (each kept once, in asked order), ``fields`` an optional
        projection (``id`` is added). Ids that do not exist are in ``.missing``. Raises
        :class:`~cw_facade.InvalidArgumentError` for a bad id or ``fields`` (before sending)
        and the API's errors otherwise (see :meth:`get_many`).
        """
        return await self._by_ids("ticket", "service/tickets", ids, fields, Ticket)

    async def get_companies_by_ids(
        self, ids: Sequence[int], *, fields: str | Sequence[str] | None = None
    ) -> ManyResult[Company]:
        """Companies by id (arguments, result, errors: :meth:`get_tickets_by_ids`)."""
        return await self._by_ids("company", "company/companies", ids, fields, Company)

    async def get_contacts_by_ids(
        self, ids: Sequence[int], *, fields: str | Sequence[str] | None = None
    ) -> ManyResult[Contact]:
        """Contacts by id (arguments, result, errors: :meth:`get_tickets_by_ids`)."""
        return await self._by_ids("contact", "company/contacts", ids, fields, Contact)

    async def get_members_by_ids(
        self, ids: Sequence[int], *, fields: str | Sequence[str] | None = None
    ) -> ManyResult[Member]:
        """Members by id (arguments, result, errors: :meth:`get_tickets_by_ids`)."""
        return await self._by_ids("member", "system/members", ids, fields, Member)

    async def get_agreements_by_ids(
        self, ids: Sequence[int], *, fields: str | Sequence[str] | None = None
    ) -> ManyResult[Agreement]:
        """Agreements by id (arguments, result, errors: :meth:`get_tickets_by_ids`)."""
        return await self._by_ids("agreement", "finance/agreements", ids, fields, Agreement)

    async def get_time_entries_by_ids(
        self, ids: Sequence[int], *, fields: str | Sequence[str] | None = None
    ) -> ManyResult[TimeEntry]:
        """Time entries by id (arguments, result, errors: :meth:`get_tickets_by_ids`)."""
        return await self._by_ids("timeEntry", "time/entries", ids, fields, TimeEntry)

    async def get_configurations_by_ids(
        self, ids: Sequence[int], *, fields: str | Sequence[str] | None = None
    ) -> ManyResult[Configuration]:
        """Configurations by id (arguments, result, errors: :meth:`get_tickets_by_ids`)."""
        return await self._by_ids(
            "configuration", "company/configurations", ids, fields, Configuration
        )

    async def _by_ids(
        self,
        resource: str,
        path: str,
        ids: Sequence[int],
        fields: str | Sequence[str] | None,
        model: type[M],
    ) -> ManyResult[M]:
        wanted = check_ids("ids", ids)
        projection = with_id(_raw.fields_text(fields))
        return await self._many_bundled(resource, path, wanted, projection, model)

    async def _many_bundled(
        self,
        resource: str,
        path: str,
        ids: tuple[int, ...],
        fields: str | None,
        wrap: Callable[[dict[str, Any]], T],
    ) -> ManyResult[T]:
        """Get-many through bundles of ``id in (...)`` lists (one page each, see the module)."""
        lists = [
            BundleRequest.list(
                resource,
                conditions=in_condition("id", chunk),
                page_size=MAX_PAGE_SIZE,
                fields=fields,
            )
            for chunk in chunked(ids, MANY_IDS_PER_LIST)
        ]
        bundles = chunked(lists, MANY_LISTS_PER_BUNDLE)
        answers = await self._each([self._bundle_job(chunk) for chunk in bundles])
        records = [
            entity
            for answer in answers
            for result in answer
            for entity in result.raise_for_error().entities
        ]
        found = in_order(ids, records, dict, path)
        if found.missing:  # confirmed by GET: a bundled list cut short must not hide records
            records += list(await self._many_by_url(path, found.missing, fields))
        return in_order(ids, records, wrap, path)

    async def _many_by_url(
        self, path: str, ids: tuple[int, ...], fields: str | None
    ) -> ManyResult[dict[str, Any]]:
        """Get-many by ``GET`` pages of ``id in (...)`` lists within the URL budget."""

        def request(chunk: Sequence[int]) -> dict[str, Any]:
            query: dict[str, _raw.ParamValue] = {"conditions": in_condition("id", chunk)}
            if fields is not None:
                query["fields"] = fields
            return _raw.list_builder(path, query)(None, MAX_PAGE_SIZE, None)

        chunks = await self._url_chunks(request, ids, MAX_PAGE_SIZE)
        pages = await self._each([self._page_job(request(chunk)) for chunk in chunks])
        return in_order(ids, [r for page in pages for r in page], dict, path)

    def _page_job(self, args: dict[str, Any]) -> Callable[[], Any]:
        return lambda: self._one_page(args)

    async def _one_page(self, args: dict[str, Any]) -> list[dict[str, Any]]:
        response = await self._call(args)
        try:
            return records_of(decode(response))
        except ValueError as exc:
            raise response_error(response, str(exc)) from None

    async def _url_chunks(
        self,
        request: Callable[[Sequence[int]], dict[str, Any]],
        ids: Sequence[int],
        most: int | None,
        margin: int = 0,
    ) -> list[list[int]]:
        """``ids`` cut so that each chunk's request URL, as sent, fits the URL budget."""
        if not ids:
            return []
        await self._http._ensure_codebase()

        def length(chunk: Sequence[int]) -> int:
            built = self._http.build_request(**request(chunk))
            return len(str(self._config.attempt(built).url))

        return url_chunks(ids, length, URL_BUDGET - margin, most)

    # -- children of many parents ----------------------------------------------------------

    async def get_ticket_notes_by_ticket_ids(
        self, ticket_ids: Sequence[int]
    ) -> dict[int, list[Note]]:
        """The notes of many tickets: ``{ticket_id: [Note, ...]}``, every asked id a key.

        Notes live under each ticket, so they are asked in bundles (one list per ticket, up to
        25 per bundle; a ticket with more than 1,000 notes gets follow-up pages). A ticket
        without notes, or one that does not exist, maps to ``[]``. Ids are checked and kept
        once each, in asked order.

        Raises :class:`~cw_facade.InvalidArgumentError` for a bad id (before sending),
        :class:`~cw_facade.ConnectWisePageLoopError` when follow-up pages do not advance, and
        the API's errors (a bundled list failing other than with 404 raises its own error).
        """
        wanted = check_ids("ticket_ids", ticket_ids)
        notes: dict[int, list[dict[str, Any]]] = {ticket: [] for ticket in wanted}
        pending: dict[int, int | None] = dict.fromkeys(wanted)
        while pending:
            requests = [
                BundleRequest.list(
                    "ticketNote", parent_id=ticket, page_size=MAX_PAGE_SIZE, page_id=after
                )
                for ticket, after in pending.items()
            ]
            results = await self.bundle(requests)
            pending = _next_pages(results, notes)
        return {ticket: [Note(record) for record in found] for ticket, found in notes.items()}

    async def get_time_entries_by_ticket_ids(
        self, ticket_ids: Sequence[int]
    ) -> dict[int, list[TimeEntry]]:
        """The time entries charged to many tickets: ``{ticket_id: [TimeEntry, ...]}``.

        Every asked id is a key (``[]`` when nothing is charged to it). Asked as scans of
        ``/time/entries`` with ``chargeToType="ServiceTicket" AND chargeToId in (...)``, the
        ids cut to the URL budget; each scan pages on its own.

        Raises :class:`~cw_facade.InvalidArgumentError` for a bad id (before sending) and the
        API's errors.
        """
        wanted = check_ids("ticket_ids", ticket_ids)

        def conditions(chunk: Sequence[int]) -> str:
            from cw_facade.conditions import C

            return str((C.chargeToType == "ServiceTicket") & C.chargeToId.in_(chunk))

        records = await self._children_of(ops.get_time_entries, conditions, wanted)
        return grouped(wanted, records, ("chargeToId",), TimeEntry)

    async def get_contacts_by_company_ids(
        self, company_ids: Sequence[int]
    ) -> dict[int, list[Contact]]:
        """The contacts of many companies: ``{company_id: [Contact, ...]}``.

        Every asked id is a key (``[]`` for a company without contacts). Asked as scans of
        ``/company/contacts`` with ``company/id in (...)``, the ids cut to the URL budget.

        Raises :class:`~cw_facade.InvalidArgumentError` for a bad id (before sending) and the
        API's errors.
        """
        wanted = check_ids("company_ids", company_ids)

        def conditions(chunk: Sequence[int]) -> str:
            return in_condition("company/id", chunk)

        records = await self._children_of(ops.get_company_contacts, conditions, wanted)
        return grouped(wanted, records, ("company", "id"), Contact)

    async def _children_of(
        self,
        op: ListOperation,
        conditions: Callable[[Sequence[int]], str],
        parents: Sequence[int],
    ) -> list[dict[str, Any]]:
        """Every record of ``op`` matching ``conditions(chunk)`` for each chunk of ``parents``."""

        def request(chunk: Sequence[int]) -> dict[str, Any]:
            build = page_builder(op, Filters(conditions(chunk)))
            return build(None, MAX_PAGE_SIZE, MAX_ID)

        chunks = await self._url_chunks(request, parents, None, KEYSET_MARGIN)
        jobs = [self._scan_job(op, conditions(chunk)) for chunk in chunks]
        return [record for scan in await self._each(jobs) for record in scan]

    def _scan_job(self, op: ListOperation, conditions: str) -> Callable[[], Any]:
        return lambda: self._scan_all(op, conditions)

    async def _scan_all(self, op: ListOperation, conditions: str) -> list[dict[str, Any]]:
        """Every record of one chunk's scan, page after page (exact, forward-only)."""
        query = Filters(conditions)
        build: PageBuilder = page_builder(op, query)
        cursor = PageCursor(build, MAX_PAGE_SIZE, None, FORWARD, None, keyset_query(op, query))
        return [record async for page in self._pages(cursor, None) for record in page]


def _next_pages(
    results: list[BundleResult], notes: dict[int, list[dict[str, Any]]]
) -> dict[int, int | None]:
    """File each result's notes; the tickets that need another page, with their ``pageId``."""
    pending: dict[int, int | None] = {}
    for result in results:
        ticket, after = result.request.parent_id, result.request.page_id
        if ticket is None:  # pragma: no cover - every notes request names its ticket
            continue
        if not result.ok:
            if isinstance(result.error, ConnectWiseNotFoundError):
                continue
            result.raise_for_error()
        page = result.entities
        notes[ticket].extend(page)
        if len(page) < MAX_PAGE_SIZE:
            continue
        last = page[-1].get("id")
        if isinstance(last, bool) or not isinstance(last, int) or (after or 0) >= last:
            detail = f"the notes of ticket {ticket} did not advance past id {after or 0}"
            raise ConnectWisePageLoopError(detail=detail, method="POST", path="system/bundles")
        pending[ticket] = last
    return pending
