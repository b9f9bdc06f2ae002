"""Shared steps of the toolkit-parity methods (ConnectPyse-Manage's names and parameters).

Reads by id answer ``None`` for a record that does not exist; lists fetch every page unless
``limit`` stops them; ``orderby`` is the toolkit's spelling of ``order_by``. Every method
takes ``run_as`` (see :mod:`cw_facade._async._acting`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from cw_facade._async._domain import AsyncDomainMixin, given, order_of
from cw_facade._endpoints import (
    ChildListOperation,
    CountOperation,
    LazyModule,
    ListOperation,
    count_builder,
)
from cw_facade._responses import one_record
from cw_facade.models import Model

if TYPE_CHECKING:
    from cw_manage_client import operations as ops
else:
    ops = LazyModule("cw_manage_client.operations")

M = TypeVar("M", bound=Model)


class AsyncToolkitBase(AsyncDomainMixin):
    """Reads, lists, counts and creates in the toolkit's shapes."""

    async def _one(self, model: type[M], op: Any, *ids: int) -> M | None:
        """The record ``op`` reads at ``ids``, or ``None`` when it does not exist."""
        record = await self._record(op.request_args(*ids))
        return None if record is None else model(record)

    async def _created(self, model: type[M], op: Any, body: dict[str, Any], *ids: int) -> M:
        """Send a create and wrap the record the server answers."""
        return model(one_record(await self._call(op.request_args(*ids, body=body))))

    async def _counted(self, op: CountOperation, conditions: object) -> int:
        """How many records ``op`` counts under ``conditions``."""
        query = self._filters(given(conditions))
        return await self._count(count_builder(op, query)())

    def _and(self, base: str, conditions: object) -> str:
        """``base`` and, when given, ``conditions`` (a string or an expression)."""
        extra = self._filters(given(conditions)).conditions
        return base if not extra else f"{base} AND ({extra})"

    async def _where(
        self,
        model: type[M],
        op: ListOperation,
        count: CountOperation,
        conditions: object = None,
        orderby: object = None,
        limit: int | None = None,
        order_by: object = None,
        pagesize: int | None = None,
        fields: object = None,
    ) -> list[M]:
        """Every record of a list matching ``conditions``, ``limit`` at most."""
        order = order_of(orderby, order_by)
        query = given(conditions)
        return await self._list(model, op, count, query, pagesize, fields, order, limit)

    async def _kids(
        self,
        model: type[M],
        op: ChildListOperation,
        parent_id: int,
        conditions: object = None,
    ) -> list[M]:
        """Every child record of ``parent_id`` (``conditions`` may be empty)."""
        return await self._children(model, op, parent_id, given(conditions))
