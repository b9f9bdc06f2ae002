"""Toolkit parity for members, time entries and schedule entries (``system/members``,
``time/entries``, ``schedule/entries``).

Every method takes ``run_as`` (a member identifier or a ``compute_auth`` value, see
:meth:`impersonate`); reads by id answer ``None`` for a missing record. Bad arguments raise
:class:`~cw_facade.InvalidArgumentError` before anything is sent; the API's errors otherwise.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cw_facade._async._toolkit_base import AsyncToolkitBase
from cw_facade._domain import toolkit
from cw_facade._endpoints import LazyModule
from cw_facade._validation import check_id, check_text
from cw_facade.models import Member, ScheduleEntry, TimeEntry

if TYPE_CHECKING:
    from cw_facade._async._domain import Conditions, Fields
    from cw_manage_client import operations as ops
else:
    ops = LazyModule("cw_manage_client.operations")


class AsyncWorkToolsMixin(AsyncToolkitBase):
    """Members, time entries and schedule entries, toolkit-shaped."""

    async def get_members(
        self,
        conditions: Conditions | None = None,
        orderby: str | None = None,
        limit: int | None = None,
        run_as: str | None = None,
        *,
        order_by: str | None = None,
        pagesize: int | None = None,
        fields: Fields | None = None,
    ) -> list[Member]:
        """Every member matching ``conditions``.

        ``orderby`` (or ``order_by``) sorts, ``limit`` caps the records, ``pagesize`` sizes
        the pages, ``fields`` projects.

        ``run_as`` acts as another member (see :meth:`impersonate`). Raises
        :class:`~cw_facade.ConnectWiseConfigurationError` for bad arguments (before sending)
        and the API's errors otherwise.
        """
        if run_as is not None:
            client = await self._as(run_as)
            return await client.get_members(
                conditions, orderby, limit, order_by=order_by, pagesize=pagesize, fields=fields
            )
        op, count = ops.get_system_members, ops.get_system_members_count
        return await self._where(
            Member, op, count, conditions, orderby, limit, order_by, pagesize, fields
        )

    async def get_member(self, member_id: int, run_as: str | None = None) -> Member | None:
        """The member ``member_id``, or ``None`` when it does not exist.

        ``run_as`` acts as another member (see :meth:`impersonate`). Raises
        :class:`~cw_facade.InvalidArgumentError` for a bad id or ``run_as`` (before sending)
        and the API's errors otherwise.
        """
        if run_as is not None:
            return await (await self._as(run_as)).get_member(member_id)
        return await self._one(
            Member, ops.get_system_members_by_id, check_id("member_id", member_id)
        )

    async def get_member_count(
        self, conditions: Conditions | None = None, run_as: str | None = None
    ) -> int:
        """How many members match ``conditions``.

        ``run_as`` acts as another member (see :meth:`impersonate`). Raises
        :class:`~cw_facade.ConnectWiseConfigurationError` for bad arguments (before sending)
        and the API's errors otherwise.
        """
        if run_as is not None:
            return await (await self._as(run_as)).get_member_count(conditions)
        return await self._counted(ops.get_system_members_count, conditions)

    async def get_time_entries(
        self,
        conditions: Conditions | None = None,
        orderby: str | None = None,
        limit: int | None = None,
        run_as: str | None = None,
        *,
        order_by: str | None = None,
        pagesize: int | None = None,
        fields: Fields | None = None,
    ) -> list[TimeEntry]:
        """Every time entry matching ``conditions``.

        ``orderby`` (or ``order_by``) sorts, ``limit`` caps the records, ``pagesize`` sizes
        the pages, ``fields`` projects.

        ``run_as`` acts as another member (see :meth:`impersonate`). Raises
        :class:`~cw_facade.ConnectWiseConfigurationError` for bad arguments (before sending)
        and the API's errors otherwise.
        """
        if run_as is not None:
            client = await self._as(run_as)
            return await client.get_time_entries(
                conditions, orderby, limit, order_by=order_by, pagesize=pagesize, fields=fields
            )
        op, count = ops.get_time_entries, ops.get_time_entries_count
        return await self._where(
            TimeEntry, op, count, conditions, orderby, limit, order_by, pagesize, fields
        )

    async def get_time_entry(self, entry_id: int, run_as: str | None = None) -> TimeEntry | None:
        """The time entry ``entry_id``, or ``None`` when it does not exist.

        ``run_as`` acts as another member (see :meth:`impersonate`). Raises
        :class:`~cw_facade.InvalidArgumentError` for a bad id or ``run_as`` (before sending)
        and the API's errors otherwise.
        """
        if run_as is not None:
            return await (await self._as(run_as)).get_time_entry(entry_id)
        return await self._one(
            TimeEntry, ops.get_time_entries_by_id, check_id("entry_id", entry_id)
        )

    async def get_time_entry_count(
        self, conditions: Conditions | None = None, run_as: str | None = None
    ) -> int:
        """How many time entries match ``conditions``.

        ``run_as`` acts as another member (see :meth:`impersonate`). Raises
        :class:`~cw_facade.ConnectWiseConfigurationError` for bad arguments (before sending)
        and the API's errors otherwise.
        """
        if run_as is not None:
            return await (await self._as(run_as)).get_time_entry_count(conditions)
        return await self._counted(ops.get_time_entries_count, conditions)

    async def get_schedule_entries(
        self,
        conditions: Conditions | None = None,
        orderby: str | None = None,
        limit: int | None = None,
        run_as: str | None = None,
        *,
        order_by: str | None = None,
        pagesize: int | None = None,
        fields: Fields | None = None,
    ) -> list[ScheduleEntry]:
        """Every schedule entry matching ``conditions``.

        ``orderby`` (or ``order_by``) sorts, ``limit`` caps the records, ``pagesize`` sizes
        the pages, ``fields`` projects.

        ``run_as`` acts as another member (see :meth:`impersonate`). Raises
        :class:`~cw_facade.ConnectWiseConfigurationError` for bad arguments (before sending)
        and the API's errors otherwise.
        """
        if run_as is not None:
            client = await self._as(run_as)
            return await client.get_schedule_entries(
                conditions, orderby, limit, order_by=order_by, pagesize=pagesize, fields=fields
            )
        op, count = ops.get_schedule_entries, ops.get_schedule_entries_count
        return await self._where(
            ScheduleEntry, op, count, conditions, orderby, limit, order_by, pagesize, fields
        )

    async def get_schedule_entry(
        self, entry_id: int, run_as: str | None = None
    ) -> ScheduleEntry | None:
        """The schedule entry ``entry_id``, or ``None`` when it does not exist.

        ``run_as`` acts as another member (see :meth:`impersonate`). Raises
        :class:`~cw_facade.InvalidArgumentError` for a bad id or ``run_as`` (before sending)
        and the API's errors otherwise.
        """
        if run_as is not None:
            return await (await self._as(run_as)).get_schedule_entry(entry_id)
        return await self._one(
            ScheduleEntry, ops.get_schedule_entries_by_id, check_id("entry_id", entry_id)
        )

    async def get_schedule_entry_count(
        self, conditions: Conditions | None = None, run_as: str | None = None
    ) -> int:
        """How many schedule entries match ``conditions``.

        ``run_as`` acts as another member (see :meth:`impersonate`). Raises
        :class:`~cw_facade.ConnectWiseConfigurationError` for bad arguments (before sending)
        and the API's errors otherwise.
        """
        if run_as is not None:
            return await (await self._as(run_as)).get_schedule_entry_count(conditions)
        return await self._counted(ops.get_schedule_entries_count, conditions)

    async def get_member_by_identifier(
        self, identifier: str, run_as: str | None = None
    ) -> Member | None:
        """The member whose login identifier is ``identifier``, or ``None``.

        ``run_as`` acts as another member (see :meth:`impersonate`). Raises
        :class:`~cw_facade.ConnectWiseConfigurationError` for bad arguments (before sending)
        and the API's errors otherwise.
        """
        if run_as is not None:
            return await (await self._as(run_as)).get_member_by_identifier(identifier)
        from cw_facade.conditions import C

        where = C.identifier == check_text("identifier", identifier)
        op, count = ops.get_system_members, ops.get_system_members_count
        found = await self._where(Member, op, count, where, limit=1)
        return found[0] if found else None

    async def get_member_time_entries(
        self, member_id: int, conditions: Conditions | None = None, run_as: str | None = None
    ) -> list[TimeEntry]:
        """The time entries of member ``member_id`` (also matching ``conditions``).

        ``run_as`` acts as another member (see :meth:`impersonate`). Raises
        :class:`~cw_facade.ConnectWiseConfigurationError` for bad arguments (before sending)
        and the API's errors otherwise.
        """
        if run_as is not None:
            return await (await self._as(run_as)).get_member_time_entries(member_id, conditions)
        where = self._and(f"member/id={check_id('member_id', member_id)}", conditions)
        op, count = ops.get_time_entries, ops.get_time_entries_count
        return await self._where(TimeEntry, op, count, where)

    async def create_time_entry(
        self,
        charge_to_id: int,
        charge_to_type: str,
        member_id: int,
        actual_hours: float,
        notes: str = "",
        billable: str = "Billable",
        time_start: str | None = None,
        time_end: str | None = None,
        work_type_id: int | None = None,
        work_role_id: int | None = None,
        company_id: int | None = None,
        run_as: str | None = None,
    ) -> TimeEntry:
        """Log ``actual_hours`` of member ``member_id`` on a ticket, project or activity.

        ``charge_to_type`` is ``"ServiceTicket"``, ``"ProjectTicket"``, ``"ChargeCode"`` or
        ``"Activity"``; ``billable`` a ``billableOption`` (``"Billable"``, ``"DoNotBill"``,
        ``"NoCharge"``, ``"NoDefault"``); ``time_start``/``time_end`` ISO times.

        ``run_as`` acts as another member (see :meth:`impersonate`). Raises
        :class:`~cw_facade.InvalidArgumentError` for bad arguments (before sending),
        :class:`~cw_facade.ConnectWiseNotFoundError` for a missing record, and the API's
        errors otherwise.
        """
        if run_as is not None:
            client = await self._as(run_as)
            return await client.create_time_entry(
                charge_to_id,
                charge_to_type,
                member_id,
                actual_hours,
                notes,
                billable,
                time_start,
                time_end,
                work_type_id,
                work_role_id,
                company_id,
            )
        body = toolkit.time_entry_body(
            charge_to_id,
            charge_to_type,
            member_id,
            actual_hours,
            notes,
            billable,
            time_start,
            time_end,
            work_type_id,
            work_role_id,
            company_id,
        )
        return await self._created(TimeEntry, ops.post_time_entries, body)

    async def get_member_schedule(
        self, member_id: int, conditions: Conditions | None = None, run_as: str | None = None
    ) -> list[ScheduleEntry]:
        """The schedule entries of member ``member_id`` (also matching ``conditions``).

        ``run_as`` acts as another member (see :meth:`impersonate`). Raises
        :class:`~cw_facade.ConnectWiseConfigurationError` for bad arguments (before sending)
        and the API's errors otherwise.
        """
        if run_as is not None:
            return await (await self._as(run_as)).get_member_schedule(member_id, conditions)
        where = self._and(f"member/id={check_id('member_id', member_id)}", conditions)
        op, count = ops.get_schedule_entries, ops.get_schedule_entries_count
        return await self._where(ScheduleEntry, op, count, where)

    async def create_schedule_entry(
        self,
        object_id: int,
        type_identifier: str,
        member_id: int,
        date_start: str,
        date_end: str,
        hours: float | None = None,
        name: str | None = None,
        run_as: str | None = None,
    ) -> ScheduleEntry:
        """Book member ``member_id`` on object ``object_id`` from ``date_start`` to ``date_end``.

        ``type_identifier`` is the kind of object (``"S"`` service ticket, ``"C"`` activity).

        ``run_as`` acts as another member (see :meth:`impersonate`). Raises
        :class:`~cw_facade.InvalidArgumentError` for bad arguments (before sending),
        :class:`~cw_facade.ConnectWiseNotFoundError` for a missing record, and the API's
        errors otherwise.
        """
        if run_as is not None:
            client = await self._as(run_as)
            return await client.create_schedule_entry(
                object_id, type_identifier, member_id, date_start, date_end, hours, name
            )
        body = toolkit.schedule_entry_body(
            object_id, type_identifier, member_id, date_start, date_end, hours, name
        )
        return await self._created(ScheduleEntry, ops.post_schedule_entries, body)
