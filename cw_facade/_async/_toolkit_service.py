"""Toolkit parity for the Service and Company modules: tickets, boards, configurations,
companies and contacts (the methods ConnectPyse-Manage has and the domain mixin lacks).

Every method takes ``run_as`` (a member identifier or a ``compute_auth`` value, see
:meth:`impersonate`) and raises :class:`~cw_facade.InvalidArgumentError` for bad arguments
before sending anything, and the API's errors (``ConnectWiseNotFoundError`` for a missing
record on a write) otherwise.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cw_facade._async._toolkit_base import AsyncToolkitBase
from cw_facade._domain import toolkit
from cw_facade._domain._common import ref, replace
from cw_facade._endpoints import LazyModule
from cw_facade._responses import one_record
from cw_facade._validation import check_id
from cw_facade.models import (
    BoardItem,
    BoardSubtype,
    CompanyStatus,
    Configuration,
    ConfigurationQuestion,
    Contact,
    ScheduleEntry,
    Ticket,
    TicketTask,
    TimeEntry,
)

if TYPE_CHECKING:
    from cw_facade._async._domain import Conditions
    from cw_manage_client import operations as ops
else:
    ops = LazyModule("cw_manage_client.operations")


class AsyncServiceToolsMixin(AsyncToolkitBase):
    """Tickets, boards, configurations, companies and contacts, toolkit-shaped."""

    # -- tickets ---------------------------------------------------------------------------

    async def get_ticket_count(
        self, conditions: Conditions | None = None, run_as: str | None = None
    ) -> int:
        """How many tickets match ``conditions``; ``run_as`` acts as another member.

        ``run_as`` acts as another member (see :meth:`impersonate`). Raises
        :class:`~cw_facade.ConnectWiseConfigurationError` for bad arguments (before sending)
        and the API's errors otherwise.
        """
        if run_as is not None:
            return await (await self._as(run_as)).get_ticket_count(conditions)
        return await self._counted(ops.get_service_tickets_count, conditions)

    async def merge_ticket(
        self,
        child_ticket_id: int,
        parent_ticket_id: int,
        child_status_id: int,
        run_as: str | None = None,
    ) -> dict[str, Any]:
        """Set the child's status, then attach it to the parent ticket (``attachChildren``).

        Answers ``{"child_ticket": Ticket, "merge_response": dict}`` as ConnectPyse-Manage
        does. Raises :class:`~cw_facade.ConnectWiseNotFoundError` for a missing ticket.
        """
        if run_as is not None:
            client = await self._as(run_as)
            return await client.merge_ticket(child_ticket_id, parent_ticket_id, child_status_id)
        child_id = check_id("child_ticket_id", child_ticket_id)
        parent_id = check_id("parent_ticket_id", parent_ticket_id)
        check_id("child_status_id", child_status_id)
        child = await self.update_ticket_status(child_id, child_status_id)
        op = ops.post_service_tickets_by_parent_id_attach_children
        args = op.request_args(parent_id, body={"childTicketIds": [child_id]})
        answer = await self._json(args)
        return {"child_ticket": child, "merge_response": answer if answer is not None else {}}

    async def update_ticket_company(
        self, ticket_id: int, company_id: int, run_as: str | None = None
    ) -> Ticket:
        """Move the ticket to company ``company_id``; answers the updated ticket.

        ``run_as`` acts as another member (see :meth:`impersonate`). Raises
        :class:`~cw_facade.InvalidArgumentError` for bad arguments (before sending),
        :class:`~cw_facade.ConnectWiseNotFoundError` for a missing record, and the API's
        errors otherwise.
        """
        if run_as is not None:
            return await (await self._as(run_as)).update_ticket_company(ticket_id, company_id)
        record_id = check_id("ticket_id", ticket_id)
        body = replace("company", ref(check_id("company_id", company_id)))
        return await self._patch_ticket(record_id, body)

    async def get_ticket_contact(self, ticket_id: int, run_as: str | None = None) -> Contact | None:
        """The ticket's contact, or ``None`` when the ticket or its contact does not exist.

        ``run_as`` acts as another member (see :meth:`impersonate`). Raises
        :class:`~cw_facade.InvalidArgumentError` for a bad id or ``run_as`` (before sending)
        and the API's errors otherwise.
        """
        if run_as is not None:
            return await (await self._as(run_as)).get_ticket_contact(ticket_id)
        ticket = await self.get_ticket(ticket_id)
        contact_id = None if ticket is None else ticket._int("contact", "id")
        return None if contact_id is None else await self.get_contact(contact_id)

    async def get_ticket_time_entries(
        self, ticket_id: int, conditions: Conditions | None = None, run_as: str | None = None
    ) -> list[TimeEntry]:
        """The time entries charged to the service ticket (also matching ``conditions``).

        ``run_as`` acts as another member (see :meth:`impersonate`). Raises
        :class:`~cw_facade.ConnectWiseConfigurationError` for bad arguments (before sending)
        and the API's errors otherwise.
        """
        if run_as is not None:
            return await (await self._as(run_as)).get_ticket_time_entries(ticket_id, conditions)
        record_id = check_id("ticket_id", ticket_id)
        where = self._and(f'chargeToId={record_id} AND chargeToType="ServiceTicket"', conditions)
        op, count = ops.get_time_entries, ops.get_time_entries_count
        return await self._where(TimeEntry, op, count, where)

    async def get_ticket_schedule(
        self, ticket_id: int, run_as: str | None = None
    ) -> list[ScheduleEntry]:
        """The schedule entries of the service ticket (``type/identifier="S"``).

        ``run_as`` acts as another member (see :meth:`impersonate`). Raises
        :class:`~cw_facade.ConnectWiseConfigurationError` for bad arguments (before sending)
        and the API's errors otherwise.
        """
        if run_as is not None:
            return await (await self._as(run_as)).get_ticket_schedule(ticket_id)
        record_id = check_id("ticket_id", ticket_id)
        where = f'objectId={record_id} AND type/identifier="S"'
        op, count = ops.get_schedule_entries, ops.get_schedule_entries_count
        return await self._where(ScheduleEntry, op, count, where)

    async def get_ticket_tasks(
        self, ticket_id: int, conditions: Conditions | None = None, run_as: str | None = None
    ) -> list[TicketTask]:
        """The tasks of the ticket (a facade extra; the toolkit has no such method).

        ``run_as`` acts as another member (see :meth:`impersonate`). Raises
        :class:`~cw_facade.InvalidArgumentError` for bad arguments (before sending),
        :class:`~cw_facade.ConnectWiseNotFoundError` when the parent record does not exist,
        and the API's errors otherwise.
        """
        if run_as is not None:
            return await (await self._as(run_as)).get_ticket_tasks(ticket_id, conditions)
        op = ops.get_service_tickets_by_parent_id_tasks
        return await self._kids(TicketTask, op, check_id("ticket_id", ticket_id), conditions)

    # -- boards ----------------------------------------------------------------------------

    async def get_board_count(
        self, conditions: Conditions | None = None, run_as: str | None = None
    ) -> int:
        """How many service boards match ``conditions``.

        ``run_as`` acts as another member (see :meth:`impersonate`). Raises
        :class:`~cw_facade.ConnectWiseConfigurationError` for bad arguments (before sending)
        and the API's errors otherwise.
        """
        if run_as is not None:
            return await (await self._as(run_as)).get_board_count(conditions)
        return await self._counted(ops.get_service_boards_count, conditions)

    async def get_board_items(self, board_id: int, run_as: str | None = None) -> list[BoardItem]:
        """The items of the board; :class:`~cw_facade.ConnectWiseNotFoundError` if missing.

        ``run_as`` acts as another member (see :meth:`impersonate`). Raises
        :class:`~cw_facade.InvalidArgumentError` for bad arguments (before sending),
        :class:`~cw_facade.ConnectWiseNotFoundError` when the parent record does not exist,
        and the API's errors otherwise.
        """
        if run_as is not None:
            return await (await self._as(run_as)).get_board_items(board_id)
        op = ops.get_service_boards_by_parent_id_items
        return await self._kids(BoardItem, op, check_id("board_id", board_id))

    async def get_board_subtypes(
        self, board_id: int, run_as: str | None = None
    ) -> list[BoardSubtype]:
        """The subtypes of the board; :class:`~cw_facade.ConnectWiseNotFoundError` if missing.

        ``run_as`` acts as another member (see :meth:`impersonate`). Raises
        :class:`~cw_facade.InvalidArgumentError` for bad arguments (before sending),
        :class:`~cw_facade.ConnectWiseNotFoundError` when the parent record does not exist,
        and the API's errors otherwise.
        """
        if run_as is not None:
            return await (await self._as(run_as)).get_board_subtypes(board_id)
        op = ops.get_service_boards_by_parent_id_subtypes
        return await self._kids(BoardSubtype, op, check_id("board_id", board_id))

    # -- configurations --------------------------------------------------------------------

    async def create_configuration(self, config: Any, run_as: str | None = None) -> Configuration:
        """Create a configuration from ``config`` (a dict of API fields or a model).

        ``id`` and ``_info`` of ``config`` are not sent.

        ``run_as`` acts as another member (see :meth:`impersonate`). Raises
        :class:`~cw_facade.InvalidArgumentError` for bad arguments (before sending),
        :class:`~cw_facade.ConnectWiseNotFoundError` for a missing record, and the API's
        errors otherwise.
        """
        if run_as is not None:
            return await (await self._as(run_as)).create_configuration(config)
        body = toolkit.record_body("config", config)
        return await self._created(Configuration, ops.post_company_configurations, body)

    async def update_configuration(
        self, config_id: int, config: Any, run_as: str | None = None
    ) -> Configuration:
        """Replace each top-level field ``config`` gives (a JSON Patch; others unchanged).

        ``run_as`` acts as another member (see :meth:`impersonate`). Raises
        :class:`~cw_facade.InvalidArgumentError` for bad arguments (before sending),
        :class:`~cw_facade.ConnectWiseNotFoundError` for a missing record, and the API's
        errors otherwise.
        """
        if run_as is not None:
            return await (await self._as(run_as)).update_configuration(config_id, config)
        record_id = check_id("config_id", config_id)
        body = toolkit.replace_all(toolkit.record_body("config", config))
        args = ops.patch_company_configurations_by_id.request_args(record_id, body=body)
        return Configuration(one_record(await self._call(args)))

    async def delete_configuration(self, config_id: int, run_as: str | None = None) -> bool:
        """Delete the configuration; ``True`` once done (a missing one raises).

        ``run_as`` acts as another member (see :meth:`impersonate`). Raises
        :class:`~cw_facade.InvalidArgumentError` for bad arguments (before sending),
        :class:`~cw_facade.ConnectWiseNotFoundError` for a missing record, and the API's
        errors otherwise.
        """
        if run_as is not None:
            return await (await self._as(run_as)).delete_configuration(config_id)
        op = ops.delete_company_configurations_by_id
        await self._call(op.request_args(check_id("config_id", config_id)))
        return True

    async def get_configuration_count(
        self, conditions: Conditions | None = None, run_as: str | None = None
    ) -> int:
        """How many configurations match ``conditions``.

        ``run_as`` acts as another member (see :meth:`impersonate`). Raises
        :class:`~cw_facade.ConnectWiseConfigurationError` for bad arguments (before sending)
        and the API's errors otherwise.
        """
        if run_as is not None:
            return await (await self._as(run_as)).get_configuration_count(conditions)
        return await self._counted(ops.get_company_configurations_count, conditions)

    async def get_company_configurations(
        self, company_id: int, run_as: str | None = None
    ) -> list[Configuration]:
        """Every configuration of the company.

        ``run_as`` acts as another member (see :meth:`impersonate`). Raises
        :class:`~cw_facade.ConnectWiseConfigurationError` for bad arguments (before sending)
        and the API's errors otherwise.
        """
        if run_as is not None:
            return await (await self._as(run_as)).get_company_configurations(company_id)
        where = f"company/id={check_id('company_id', company_id)}"
        op, count = ops.get_company_configurations, ops.get_company_configurations_count
        return await self._where(Configuration, op, count, where)

    async def get_configuration_type_questions(
        self, type_id: int, run_as: str | None = None
    ) -> list[ConfigurationQuestion]:
        """The questions of configuration type ``type_id``.

        ``run_as`` acts as another member (see :meth:`impersonate`). Raises
        :class:`~cw_facade.InvalidArgumentError` for bad arguments (before sending),
        :class:`~cw_facade.ConnectWiseNotFoundError` when the parent record does not exist,
        and the API's errors otherwise.
        """
        if run_as is not None:
            return await (await self._as(run_as)).get_configuration_type_questions(type_id)
        op = ops.get_company_configurations_types_by_parent_id_questions
        return await self._kids(ConfigurationQuestion, op, check_id("type_id", type_id))

    # -- companies and contacts ------------------------------------------------------------

    async def get_company_count(
        self, conditions: Conditions | None = None, run_as: str | None = None
    ) -> int:
        """How many companies match ``conditions``.

        ``run_as`` acts as another member (see :meth:`impersonate`). Raises
        :class:`~cw_facade.ConnectWiseConfigurationError` for bad arguments (before sending)
        and the API's errors otherwise.
        """
        if run_as is not None:
            return await (await self._as(run_as)).get_company_count(conditions)
        return await self._counted(ops.get_company_companies_count, conditions)

    async def get_company_statuses(self, run_as: str | None = None) -> list[CompanyStatus]:
        """The company statuses.

        ``run_as`` acts as another member (see :meth:`impersonate`). Raises
        :class:`~cw_facade.ConnectWiseConfigurationError` for bad arguments (before sending)
        and the API's errors otherwise.
        """
        if run_as is not None:
            return await (await self._as(run_as)).get_company_statuses()
        op, count = ops.get_company_companies_statuses, ops.get_company_companies_statuses_count
        return await self._where(CompanyStatus, op, count)

    async def create_contact(
        self,
        first_name: str,
        last_name: str,
        company_id: int,
        email: str | None = None,
        title: str | None = None,
        phone: str | None = None,
        phone_type: str = "Direct",
        run_as: str | None = None,
    ) -> Contact:
        """Create a contact of company ``company_id``.

        ``email`` and ``phone`` (of kind ``phone_type``) become default communication items.

        ``run_as`` acts as another member (see :meth:`impersonate`). Raises
        :class:`~cw_facade.InvalidArgumentError` for bad arguments (before sending),
        :class:`~cw_facade.ConnectWiseNotFoundError` for a missing record, and the API's
        errors otherwise.
        """
        if run_as is not None:
            client = await self._as(run_as)
            return await client.create_contact(
                first_name, last_name, company_id, email, title, phone, phone_type
            )
        body = toolkit.contact_body(
            first_name, last_name, company_id, email, title, phone, phone_type
        )
        return await self._created(Contact, ops.post_company_contacts, body)

    async def get_contact_count(
        self, conditions: Conditions | None = None, run_as: str | None = None
    ) -> int:
        """How many contacts match ``conditions``.

        ``run_as`` acts as another member (see :meth:`impersonate`). Raises
        :class:`~cw_facade.ConnectWiseConfigurationError` for bad arguments (before sending)
        and the API's errors otherwise.
        """
        if run_as is not None:
            return await (await self._as(run_as)).get_contact_count(conditions)
        return await self._counted(ops.get_company_contacts_count, conditions)
