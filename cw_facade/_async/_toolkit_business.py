"""Toolkit parity for agreements, invoices, opportunities and projects (``finance/``,
``sales/opportunities``, ``project/``).

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
from cw_facade.models import (
    Agreement,
    AgreementAddition,
    Invoice,
    Opportunity,
    Project,
    ProjectPhase,
    Ticket,
    TimeEntry,
)

if TYPE_CHECKING:
    from cw_facade._async._domain import Conditions, Fields
    from cw_manage_client import operations as ops
else:
    ops = LazyModule("cw_manage_client.operations")


class AsyncBusinessToolsMixin(AsyncToolkitBase):
    """Agreements, invoices, opportunities and projects, toolkit-shaped."""

    async def get_agreements(
        self,
        conditions: Conditions | None = None,
        orderby: str | None = None,
        limit: int | None = None,
        run_as: str | None = None,
        *,
        order_by: str | None = None,
        pagesize: int | None = None,
        fields: Fields | None = None,
    ) -> list[Agreement]:
        """Every agreement matching ``conditions``.

        ``orderby`` (or ``order_by``) sorts, ``limit`` caps the records, ``pagesize`` sizes
        the pages, ``fields`` projects, ``run_as`` acts as another member.
        """
        if run_as is not None:
            client = await self._as(run_as)
            return await client.get_agreements(
                conditions, orderby, limit, order_by=order_by, pagesize=pagesize, fields=fields
            )
        op, count = ops.get_finance_agreements, ops.get_finance_agreements_count
        return await self._where(
            Agreement, op, count, conditions, orderby, limit, order_by, pagesize, fields
        )

    async def get_agreement(self, agreement_id: int, run_as: str | None = None) -> Agreement | None:
        """The agreement ``agreement_id``, or ``None`` when it does not exist."""
        if run_as is not None:
            return await (await self._as(run_as)).get_agreement(agreement_id)
        return await self._one(
            Agreement, ops.get_finance_agreements_by_id, check_id("agreement_id", agreement_id)
        )

    async def get_agreement_count(
        self, conditions: Conditions | None = None, run_as: str | None = None
    ) -> int:
        """How many agreements match ``conditions``."""
        if run_as is not None:
            return await (await self._as(run_as)).get_agreement_count(conditions)
        return await self._counted(ops.get_finance_agreements_count, conditions)

    async def get_invoices(
        self,
        conditions: Conditions | None = None,
        orderby: str | None = None,
        limit: int | None = None,
        run_as: str | None = None,
        *,
        order_by: str | None = None,
        pagesize: int | None = None,
        fields: Fields | None = None,
    ) -> list[Invoice]:
        """Every invoice matching ``conditions``.

        ``orderby`` (or ``order_by``) sorts, ``limit`` caps the records, ``pagesize`` sizes
        the pages, ``fields`` projects, ``run_as`` acts as another member.
        """
        if run_as is not None:
            client = await self._as(run_as)
            return await client.get_invoices(
                conditions, orderby, limit, order_by=order_by, pagesize=pagesize, fields=fields
            )
        op, count = ops.get_finance_invoices, ops.get_finance_invoices_count
        return await self._where(
            Invoice, op, count, conditions, orderby, limit, order_by, pagesize, fields
        )

    async def get_invoice(self, invoice_id: int, run_as: str | None = None) -> Invoice | None:
        """The invoice ``invoice_id``, or ``None`` when it does not exist."""
        if run_as is not None:
            return await (await self._as(run_as)).get_invoice(invoice_id)
        return await self._one(
            Invoice, ops.get_finance_invoices_by_id, check_id("invoice_id", invoice_id)
        )

    async def get_invoice_count(
        self, conditions: Conditions | None = None, run_as: str | None = None
    ) -> int:
        """How many invoices match ``conditions``."""
        if run_as is not None:
            return await (await self._as(run_as)).get_invoice_count(conditions)
        return await self._counted(ops.get_finance_invoices_count, conditions)

    async def get_opportunities(
        self,
        conditions: Conditions | None = None,
        orderby: str | None = None,
        limit: int | None = None,
        run_as: str | None = None,
        *,
        order_by: str | None = None,
        pagesize: int | None = None,
        fields: Fields | None = None,
    ) -> list[Opportunity]:
        """Every opportunity matching ``conditions``.

        ``orderby`` (or ``order_by``) sorts, ``limit`` caps the records, ``pagesize`` sizes
        the pages, ``fields`` projects, ``run_as`` acts as another member.
        """
        if run_as is not None:
            client = await self._as(run_as)
            return await client.get_opportunities(
                conditions, orderby, limit, order_by=order_by, pagesize=pagesize, fields=fields
            )
        op, count = ops.get_sales_opportunities, ops.get_sales_opportunities_count
        return await self._where(
            Opportunity, op, count, conditions, orderby, limit, order_by, pagesize, fields
        )

    async def get_opportunity(
        self, opportunity_id: int, run_as: str | None = None
    ) -> Opportunity | None:
        """The opportunity ``opportunity_id``, or ``None`` when it does not exist."""
        if run_as is not None:
            return await (await self._as(run_as)).get_opportunity(opportunity_id)
        return await self._one(
            Opportunity,
            ops.get_sales_opportunities_by_id,
            check_id("opportunity_id", opportunity_id),
        )

    async def get_opportunity_count(
        self, conditions: Conditions | None = None, run_as: str | None = None
    ) -> int:
        """How many opportunities match ``conditions``."""
        if run_as is not None:
            return await (await self._as(run_as)).get_opportunity_count(conditions)
        return await self._counted(ops.get_sales_opportunities_count, conditions)

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
        the pages, ``fields`` projects, ``run_as`` acts as another member.
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
        """The project ``project_id``, or ``None`` when it does not exist."""
        if run_as is not None:
            return await (await self._as(run_as)).get_project(project_id)
        return await self._one(
            Project, ops.get_project_projects_by_id, check_id("project_id", project_id)
        )

    async def get_project_count(
        self, conditions: Conditions | None = None, run_as: str | None = None
    ) -> int:
        """How many projects match ``conditions``."""
        if run_as is not None:
            return await (await self._as(run_as)).get_project_count(conditions)
        return await self._counted(ops.get_project_projects_count, conditions)

    # -- agreements ------------------------------------------------------------------------

    async def get_company_agreements(
        self, company_id: int, run_as: str | None = None
    ) -> list[Agreement]:
        """The agreements of the company that are not cancelled."""
        if run_as is not None:
            return await (await self._as(run_as)).get_company_agreements(company_id)
        where = f"company/id={check_id('company_id', company_id)} AND cancelledFlag=false"
        op, count = ops.get_finance_agreements, ops.get_finance_agreements_count
        return await self._where(Agreement, op, count, where)

    async def get_agreement_additions(
        self, agreement_id: int, conditions: Conditions | None = None, run_as: str | None = None
    ) -> list[AgreementAddition]:
        """The additions (products) of the agreement (matching ``conditions``)."""
        if run_as is not None:
            client = await self._as(run_as)
            return await client.get_agreement_additions(agreement_id, conditions)
        op = ops.get_finance_agreements_by_parent_id_additions
        record_id = check_id("agreement_id", agreement_id)
        return await self._kids(AgreementAddition, op, record_id, conditions)

    async def get_agreement_addition(
        self, agreement_id: int, addition_id: int, run_as: str | None = None
    ) -> AgreementAddition | None:
        """Addition ``addition_id`` of the agreement, or ``None`` when either is missing."""
        if run_as is not None:
            client = await self._as(run_as)
            return await client.get_agreement_addition(agreement_id, addition_id)
        op = ops.get_finance_agreements_by_parent_id_additions_by_id
        ids = check_id("agreement_id", agreement_id), check_id("addition_id", addition_id)
        return await self._one(AgreementAddition, op, *ids)

    async def create_agreement_addition(
        self,
        agreement_id: int,
        product_id: int,
        quantity: float,
        unit_price: float | None = None,
        bill_customer: str = "Billable",
        effective_date: str | None = None,
        description: str | None = None,
        taxable: bool = False,
        uom: str | None = None,
        run_as: str | None = None,
    ) -> AgreementAddition:
        """Add ``quantity`` of product ``product_id`` to the agreement.

        ``bill_customer`` is ``"Billable"``, ``"DoNotBill"`` or ``"NoCharge"``;
        ``effective_date`` an ISO date; ``uom`` the unit of measure.
        """
        if run_as is not None:
            client = await self._as(run_as)
            return await client.create_agreement_addition(
                agreement_id,
                product_id,
                quantity,
                unit_price,
                bill_customer,
                effective_date,
                description,
                taxable,
                uom,
            )
        record_id = check_id("agreement_id", agreement_id)
        body = toolkit.addition_body(
            product_id, quantity, unit_price, bill_customer, effective_date, description,
            taxable, uom,
        )  # fmt: skip
        op = ops.post_finance_agreements_by_parent_id_additions
        return await self._created(AgreementAddition, op, body, record_id)

    # -- invoices and opportunities --------------------------------------------------------

    async def get_company_invoices(
        self, company_id: int, conditions: Conditions | None = None, run_as: str | None = None
    ) -> list[Invoice]:
        """The invoices of the company (also matching ``conditions``)."""
        if run_as is not None:
            return await (await self._as(run_as)).get_company_invoices(company_id, conditions)
        where = self._and(f"company/id={check_id('company_id', company_id)}", conditions)
        op, count = ops.get_finance_invoices, ops.get_finance_invoices_count
        return await self._where(Invoice, op, count, where)

    async def get_agreement_invoices(
        self, agreement_id: int, run_as: str | None = None
    ) -> list[Invoice]:
        """The invoices of the agreement."""
        if run_as is not None:
            return await (await self._as(run_as)).get_agreement_invoices(agreement_id)
        where = f"agreement/id={check_id('agreement_id', agreement_id)}"
        op, count = ops.get_finance_invoices, ops.get_finance_invoices_count
        return await self._where(Invoice, op, count, where)

    async def get_company_opportunities(
        self, company_id: int, conditions: Conditions | None = None, run_as: str | None = None
    ) -> list[Opportunity]:
        """The opportunities of the company (also matching ``conditions``)."""
        if run_as is not None:
            client = await self._as(run_as)
            return await client.get_company_opportunities(company_id, conditions)
        where = self._and(f"company/id={check_id('company_id', company_id)}", conditions)
        op, count = ops.get_sales_opportunities, ops.get_sales_opportunities_count
        return await self._where(Opportunity, op, count, where)

    async def get_open_opportunities(
        self,
        conditions: Conditions | None = None,
        limit: int | None = None,
        run_as: str | None = None,
    ) -> list[Opportunity]:
        """The opportunities not closed yet (``closedDate=null``), ``limit`` at most."""
        if run_as is not None:
            return await (await self._as(run_as)).get_open_opportunities(conditions, limit)
        where = self._and("closedDate=null", conditions)
        op, count = ops.get_sales_opportunities, ops.get_sales_opportunities_count
        return await self._where(Opportunity, op, count, where, limit=limit)

    # -- projects --------------------------------------------------------------------------

    async def get_company_projects(
        self, company_id: int, conditions: Conditions | None = None, run_as: str | None = None
    ) -> list[Project]:
        """The projects of the company (also matching ``conditions``)."""
        if run_as is not None:
            return await (await self._as(run_as)).get_company_projects(company_id, conditions)
        where = self._and(f"company/id={check_id('company_id', company_id)}", conditions)
        op, count = ops.get_project_projects, ops.get_project_projects_count
        return await self._where(Project, op, count, where)

    async def get_project_phases(
        self, project_id: int, run_as: str | None = None
    ) -> list[ProjectPhase]:
        """The phases of the project; :class:`~cw_facade.ConnectWiseNotFoundError` if missing."""
        if run_as is not None:
            return await (await self._as(run_as)).get_project_phases(project_id)
        op = ops.get_project_projects_by_parent_id_phases
        return await self._kids(ProjectPhase, op, check_id("project_id", project_id))

    async def get_project_phase(
        self, project_id: int, phase_id: int, run_as: str | None = None
    ) -> ProjectPhase | None:
        """Phase ``phase_id`` of the project, or ``None`` when either is missing."""
        if run_as is not None:
            return await (await self._as(run_as)).get_project_phase(project_id, phase_id)
        op = ops.get_project_projects_by_parent_id_phases_by_id
        ids = check_id("project_id", project_id), check_id("phase_id", phase_id)
        return await self._one(ProjectPhase, op, *ids)

    async def get_project_tickets(
        self, project_id: int, conditions: Conditions | None = None, run_as: str | None = None
    ) -> list[Ticket]:
        """The project tickets of the project (``project/tickets``, matching ``conditions``)."""
        if run_as is not None:
            return await (await self._as(run_as)).get_project_tickets(project_id, conditions)
        where = self._and(f"project/id={check_id('project_id', project_id)}", conditions)
        op, count = ops.get_project_tickets, ops.get_project_tickets_count
        return await self._where(Ticket, op, count, where)

    async def get_project_time_entries(
        self, project_id: int, conditions: Conditions | None = None, run_as: str | None = None
    ) -> list[TimeEntry]:
        """Time charged to project tickets with id ``project_id`` (the toolkit's query)."""
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
        """Add a phase titled ``description`` to the project."""
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
