"""ConnectPyse-Manage parity: the toolkit's 93 public methods on the facade's clients.

The topic mixins hold the methods the domain mixin lacks (tickets and company extras, work
records, business records). This module composes them and gives the raw methods the
toolkit's positional order: ``get(endpoint, conditions, childconditions, fields, pagesize,
page, orderby, run_as)`` and so on, with the facade's keyword options still accepted.
Raw methods answer the decoded JSON (dicts and lists), as the toolkit's do.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from cw_facade import _raw
from cw_facade._async._domain import given, order_of
from cw_facade._async._toolkit_business import AsyncBusinessToolsMixin
from cw_facade._async._toolkit_projects import AsyncProjectToolsMixin
from cw_facade._async._toolkit_service import AsyncServiceToolsMixin
from cw_facade._async._toolkit_work import AsyncWorkToolsMixin
from cw_facade._validation import InvalidArgumentError


def _child(params: dict[str, Any], childconditions: object) -> dict[str, Any]:
    """``params`` with ``childConditions`` added when ``childconditions`` is given."""
    child = given(childconditions)
    if child is None:
        return params
    if not isinstance(child, str):
        raise InvalidArgumentError("childconditions", "must be a conditions string")
    if any(key.lower() == "childconditions" for key in params):
        raise InvalidArgumentError("childconditions", "given twice")
    return {**params, "childConditions": child}


class AsyncToolkitMixin(
    AsyncServiceToolsMixin, AsyncWorkToolsMixin, AsyncBusinessToolsMixin, AsyncProjectToolsMixin
):
    """Every ConnectPyse-Manage method, with the toolkit's parameter names and order."""

    async def get_api_url(self) -> str:
        """The API root URL without a trailing slash (``…/v4_6_release/apis/3.0``).

        Discovers the codebase first when it is not known yet.

        Raises the discovery's errors (:class:`~cw_facade.ConnectWiseConnectionError`...).
        """
        await self._http._ensure_codebase()
        root = self._config.api_root
        if root is None:  # pragma: no cover - discovery always sets the codebase or raises
            raise RuntimeError("codebase not resolved")
        return root.rstrip("/")

    async def get(
        self,
        endpoint: str,
        conditions: object = None,
        childconditions: object = None,
        fields: str | Iterable[str] | None = None,
        pagesize: int | None = None,
        page: int | None = None,
        orderby: object = None,
        run_as: object = None,
        *,
        order_by: str | None = None,
        max_retries: int | None = None,
        **params: _raw.ParamValue | None,
    ) -> Any:
        """GET ``endpoint`` (``"service/tickets"``, ``"service/tickets/5"``) and return its JSON.

        ``conditions``/``childconditions`` filter, ``fields`` projects, ``pagesize`` and
        ``page`` pick one page, ``orderby`` (or ``order_by``) sorts, ``run_as`` acts as
        another member, ``params`` are further query parameters. A 404 answers ``None``.
        Raises :class:`~cw_facade.ConnectWiseConfigurationError` for bad arguments (before
        sending) and for a 404 that is not ConnectWise's, and the API's errors otherwise.
        """
        target = self if run_as is None else await self._as(run_as)
        return await super(AsyncToolkitMixin, target).get(
            endpoint,
            conditions=given(conditions),
            fields=fields or None,
            order_by=order_of(orderby, order_by),
            page=page,
            pagesize=pagesize,
            max_retries=max_retries,
            **_child(params, childconditions),
        )

    async def get_all(
        self,
        endpoint: str,
        conditions: object = None,
        childconditions: object = None,
        fields: str | Iterable[str] | None = None,
        pagesize: int | None = None,
        orderby: object = None,
        run_as: object = None,
        *,
        order_by: str | None = None,
        limit: int | None = None,
        forward_only: bool | None = None,
        max_retries: int | None = None,
        **params: _raw.ParamValue | None,
    ) -> list[dict[str, Any]]:
        """Every record of ``endpoint`` as a list of dicts, all pages fetched.

        The arguments are :meth:`get`'s; ``limit`` stops after that many records,
        ``forward_only`` as in :meth:`iter_all`. Raises as :meth:`get` does (a 404 raises here).
        """
        target = self if run_as is None else await self._as(run_as)
        return await super(AsyncToolkitMixin, target).get_all(
            endpoint,
            conditions=given(conditions),
            fields=fields or None,
            order_by=order_of(orderby, order_by),
            pagesize=pagesize,
            limit=limit,
            forward_only=forward_only,
            max_retries=max_retries,
            **_child(params, childconditions),
        )

    async def get_count(
        self,
        endpoint: str,
        conditions: object = None,
        childconditions: object = None,
        run_as: object = None,
        *,
        max_retries: int | None = None,
        **params: _raw.ParamValue | None,
    ) -> int:
        """How many records of ``endpoint`` match (``{endpoint}/count``); see :meth:`count`.

        Raises as :meth:`get` does; a 404 raises here (the toolkit answers ``None``).
        """
        target = self if run_as is None else await self._as(run_as)
        extra = _child(params, childconditions)
        return await target.count(
            endpoint, conditions=given(conditions), max_retries=max_retries, **extra
        )

    async def post(
        self, endpoint: str, data: Any, run_as: str | None = None, *, max_retries: int | None = None
    ) -> Any:
        """POST ``data`` to ``endpoint`` and return the created object.

        ``run_as`` acts as another member. Raises the API's errors.
        """
        if run_as is not None:
            return await (await self._as(run_as)).post(endpoint, data, max_retries=max_retries)
        return await super().post(endpoint, data, max_retries=max_retries)

    async def put(
        self,
        endpoint: str,
        record_id: int | str,
        data: Any,
        run_as: str | None = None,
        *,
        max_retries: int | None = None,
    ) -> Any:
        """PUT (replace) record ``record_id`` of ``endpoint`` with ``data``.

        ``run_as`` acts as another member. Raises the API's errors (a 404 raises here).
        """
        if run_as is not None:
            client = await self._as(run_as)
            return await client.put(endpoint, record_id, data, max_retries=max_retries)
        return await super().put(endpoint, record_id, data, max_retries=max_retries)

    async def patch(
        self,
        endpoint: str,
        record_id: int | str,
        operations: list[dict[str, Any]],
        run_as: str | None = None,
        *,
        max_retries: int | None = None,
    ) -> Any:
        """PATCH record ``record_id`` of ``endpoint`` with JSON-patch ``operations``.

        ``run_as`` acts as another member. Raises
        :class:`~cw_facade.ConnectWiseConfigurationError` for malformed operations and the
        API's errors (a 404 raises here).
        """
        if run_as is not None:
            client = await self._as(run_as)
            return await client.patch(endpoint, record_id, operations, max_retries=max_retries)
        return await super().patch(endpoint, record_id, operations, max_retries=max_retries)

    async def delete(
        self,
        endpoint: str,
        record_id: int | str,
        run_as: str | None = None,
        *,
        max_retries: int | None = None,
    ) -> bool:
        """DELETE record ``record_id`` of ``endpoint``; ``True`` when done.

        ``run_as`` acts as another member. Raises the API's errors (a 404 raises here; the
        toolkit answers ``False``).
        """
        if run_as is not None:
            client = await self._as(run_as)
            return await client.delete(endpoint, record_id, max_retries=max_retries)
        return await super().delete(endpoint, record_id, max_retries=max_retries)
