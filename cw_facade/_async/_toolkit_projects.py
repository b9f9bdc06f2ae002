"""Toolkit parity for projects: their phases, project tickets and time (``project/``).

Every method takes ``run_as`` (a member identifier or a ``compute_auth`` value, see
:meth:`impersonate`); reads by id answer ``None`` for a missing record. Bad arguments raise
:class:`~cw_facade.InvalidArgumentError` before anything is sent; the API's errors otherwise.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cw_facade._async._toolkit_base import AsyncToolkitBase
from cw_facade._domain import toolkit
from cw_facade._endpoints import LazyModule
from cw_facade._validation import check_id
from cw_facade.models import Project, ProjectPhase, Ticket, TimeEntry

if TYPE_CHECKING:
    from cw_facade._async._domain import Conditions, Fields
    from cw_manage_client import operations as ops
else:
    ops = LazyModule("cw_manage_client.operations")


class AsyncProjectToolsMixin(AsyncToolkitBase):
    """Projects, their phases, tickets and time, toolkit-shaped."""

    async def get_projects(
        self,
        conditions: Conditions | None = None,
        orderby: str | None = None,
        limit: int | None = None,
        run_as: str | None = None,
        *,
        order_by: str | None = None,
        pagesize: int | None = None,
        fields: Fields | None = None,
    ) -> list[Project]:
        """Every project matching ``conditions``.

        ``orderby`` (or ``order_by``) sorts, ``limit`` caps the records, ``pagesize`` sizes
        the pages, ``fields`` projects.

        ``run_as`` acts as another member (see :meth:`impersonate`). Raises
        :class:`~cw_facade.ConnectWiseConfigurationError` for bad arguments (before sending)
        and the API's errors otherwise.
        """
        if run_as is not None:
            client = await self._as(run_as)
            return await client.get_projects(
                conditions, orderby, limit, order_by=order_by, pagesize=pagesize, fields=fields
            )
        op, count = ops.get_project_projects, ops.get_project_projects_count
        return await self._where(
            Project, op, count, conditions, orderby, limit, order_by, pagesize, fields
        )

    async def get_project(self, project_id: int, run_as: str | None = None) -> Project | None:
        """The project ``project_id``, or ``None`` when it does not exist.

        ``run_as`` acts as another member (see :meth:`impersonate`). Raises
        :class:`~cw_facade.InvalidArgumentError` for a bad id or ``run_as`` (before sending)
        and the API's errors otherwise.
        """
        if run_as is not None:
            return await (await self._as(run_as)).get_project(project_id)
        return await self._one(
            Project, ops.get_project_projects_by_id, check_id("project_id", project_id)
        )

    async def get_project_count(
        self, conditions: Conditions | None = None, run_as: str | None = None
    ) -> int:
        """How many projects match ``conditions``.

        ``run_as`` acts as another member (see :meth:`impersonate`). Raises
        :class:`~cw_facade.ConnectWiseConfigurationError` for bad arguments (before sending)
        and the API's errors otherwise.
        """
        if run_as is not None:
            return await (await self._as(run_as)).get_project_count(conditions)
        return await self._counted(ops.get_project_projects_count, conditions)

    # -- phases, tickets and time ---------------------------------------------------------

    async def get_company_projects(
        self, company_id: int, conditions: Conditions | None = None, run_as: str | None = None
    ) -> list[Project]:
        """The projects of the company (also matching ``conditions``).

        ``run_as`` acts as another member (see :meth:`impersonate`). Raises
        :class:`~cw_facade.ConnectWiseConfigurationError` for bad arguments (before sending)
        and the API's errors otherwise.
        """
        if run_as is not None:
            return await (await self._as(run_as)).get_company_projects(company_id, conditions)
        where = self._and(f"company/id={check_id('company_id', company_id)}", conditions)
        op, count = ops.get_project_projects, ops.get_project_projects_count
        return await self._where(Project, op, count, where)

    async def get_project_phases(
        self, project_id: int, run_as: str | None = None
    ) -> list[ProjectPhase]:
        """The phases of the project; :class:`~cw_facade.ConnectWiseNotFoundError` if missing.

        ``run_as`` acts as another member (see :meth:`impersonate`). Raises
        :class:`~cw_facade.InvalidArgumentError` for bad arguments (before sending),
        :class:`~cw_facade.ConnectWiseNotFoundError` when the parent record does not exist,
        and the API's errors otherwise.
        """
        if run_as is not None:
            return await (await self._as(run_as)).get_project_phases(project_id)
        op = ops.get_project_projects_by_parent_id_phases
        return await self._kids(ProjectPhase, op, check_id("project_id", project_id))

    async def get_project_phase(
        self, project_id: int, phase_id: int, run_as: str | None = None
    ) -> ProjectPhase | None:
        """Phase ``phase_id`` of the project, or ``None`` when either is missing.

        ``run_as`` acts as another member (see :meth:`impersonate`). Raises
        :class:`~cw_facade.InvalidArgumentError` for a bad id or ``run_as`` (before sending)
        and the API's errors otherwise.
        """
        if run_as is not None:
            return await (await self._as(run_as)).get_project_phase(project_id, phase_id)
        op = ops.get_project_projects_by_parent_id_phases_by_id
        ids = check_id("project_id", project_id), check_id("phase_id", phase_id)
        return await self._one(ProjectPhase, op, *ids)

    async def get_project_tickets(
        self, project_id: int, conditions: Conditions | None = None, run_as: str | None = None
    ) -> list[Ticket]:
        """The project tickets of the project (``project/tickets``, matching ``conditions``).

        ``run_as`` acts as another member (see :meth:`impersonate`). Raises
        :class:`~cw_facade.ConnectWiseConfigurationError` for bad arguments (before sending)
        and the API's errors otherwise.
        """
        if run_as is not None:
            return await (await self._as(run_as)).get_project_tickets(project_id, conditions)
        where = self._and(f"project/id={check_id('project_id', project_id)}", conditions)
        op, count = ops.get_project_tickets, ops.get_project_tickets_count
        return await self._where(Ticket, op, count, where)

    async def get_project_time_entries(
        self, project_id: int, conditions: Conditions | None = None, run_as: str | None = None
    ) -> list[TimeEntry]:
        """Time charged to project tickets with id ``project_id`` (the toolkit's query).

        ``run_as`` acts as another member (see :meth:`impersonate`). Raises
        :class:`~cw_facade.ConnectWiseConfigurationError` for bad arguments (before sending)
        and the API's errors otherwise.
        """
        if run_as is not None:
            client = await self._as(run_as)
            return await client.get_project_time_entries(project_id, conditions)
        record_id = check_id("project_id", project_id)
        where = self._and(f'chargeToId={record_id} AND chargeToType="ProjectTicket"', conditions)
        op, count = ops.get_time_entries, ops.get_time_entries_count
        return await self._where(TimeEntry, op, count, where)

    async def create_project(
        self,
        name: str,
        company_id: int,
        status_id: int,
        board_id: int | None = None,
        manager_id: int | None = None,
        estimated_start: str | None = None,
        estimated_end: str | None = None,
        description: str | None = None,
        billing_method: str | None = None,
        run_as: str | None = None,
    ) -> Project:
        """Create a project of company ``company_id`` in status ``status_id``.

        ``estimated_start``/``estimated_end`` are ISO times, ``billing_method`` the API's
        value (``"ActualRates"``, ``"FixedFee"``...).

        ``run_as`` acts as another member (see :meth:`impersonate`). Raises
        :class:`~cw_facade.InvalidArgumentError` for bad arguments (before sending),
        :class:`~cw_facade.ConnectWiseNotFoundError` for a missing record, and the API's
        errors otherwise.
        """
        if run_as is not None:
            client = await self._as(run_as)
            return await client.create_project(
                name, company_id, status_id, board_id, manager_id, estimated_start,
                estimated_end, description, billing_method,
            )  # fmt: skip
        body = toolkit.project_body(
            name, company_id, status_id, board_id, manager_id, estimated_start, estimated_end,
            description, billing_method,
        )  # fmt: skip
        return await self._created(Project, ops.post_project_projects, body)

    async def create_project_phase(
        self,
        project_id: int,
        description: str,
        start_date: str | None = None,
        end_date: str | None = None,
        estimated_hours: float | None = None,
        board_id: int | None = None,
        run_as: str | None = None,
    ) -> ProjectPhase:
        """Add a phase titled ``description`` to the project.

        ``run_as`` acts as another member (see :meth:`impersonate`). Raises
        :class:`~cw_facade.InvalidArgumentError` for bad arguments (before sending),
        :class:`~cw_facade.ConnectWiseNotFoundError` for a missing record, and the API's
        errors otherwise.
        """
        if run_as is not None:
            client = await self._as(run_as)
            return await client.create_project_phase(
                project_id, description, start_date, end_date, estimated_hours, board_id
            )
        record_id = check_id("project_id", project_id)
        body = toolkit.phase_body(
            record_id, description, start_date, end_date, estimated_hours, board_id
        )
        op = ops.post_project_projects_by_parent_id_phases
        return await self._created(ProjectPhase, op, body, record_id)
