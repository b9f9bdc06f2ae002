"""Toolkit parity for agreements, invoices and opportunities (``finance/``,
``sales/opportunities``).

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
)

if TYPE_CHECKING:
    from cw_facade._async._domain import Conditions, Fields
    from cw_manage_client import operations as ops
else:
    ops = LazyModule("cw_manage_client.operations")


class AsyncBusinessToolsMixin(AsyncToolkitBase):
    """Agreements, invoices and opportunities, toolkit-shaped."""

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
        the pages, ``fields`` projects.

        ``run_as`` acts as another member (see :meth:`impersonate`). Raises
        :class:`~cw_facade.ConnectWiseConfigurationError` for bad arguments (before sending)
        and the API's errors otherwise.
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
        """The agreement ``agreement_id``, or ``None`` when it does not exist.

        ``run_as`` acts as another member (see :meth:`impersonate`). Raises
        :class:`~cw_facade.InvalidArgumentError` for a bad id or ``run_as`` (before sending)
        and the API's errors otherwise.
        """
        if run_as is not None:
            return await (await self._as(run_as)).get_agreement(agreement_id)
        return await self._one(
            Agreement, ops.get_finance_agreements_by_id, check_id("agreement_id", agreement_id)
        )

    async def get_agreement_count(
        self, conditions: Conditions | None = None, run_as: str | None = None
    ) -> int:
        """How many agreements match ``conditions``.

        ``run_as`` acts as another member (see :meth:`impersonate`). Raises
        :class:`~cw_facade.ConnectWiseConfigurationError` for bad arguments (before sending)
        and the API's errors otherwise.
        """
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
        the pages, ``fields`` projects.

        ``run_as`` acts as another member (see :meth:`impersonate`). Raises
        :class:`~cw_facade.ConnectWiseConfigurationError` for bad arguments (before sending)
        and the API's errors otherwise.
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
        """The invoice ``invoice_id``, or ``None`` when it does not exist.

        ``run_as`` acts as another member (see :meth:`impersonate`). Raises
        :class:`~cw_facade.InvalidArgumentError` for a bad id or ``run_as`` (before sending)
        and the API's errors otherwise.
        """
        if run_as is not None:
            return await (await self._as(run_as)).get_invoice(invoice_id)
        return await self._one(
            Invoice, ops.get_finance_invoices_by_id, check_id("invoice_id", invoice_id)
        )

    async def get_invoice_count(
        self, conditions: Conditions | None = None, run_as: str | None = None
    ) -> int:
        """How many invoices match ``conditions``.

        ``run_as`` acts as another member (see :meth:`impersonate`). Raises
        :class:`~cw_facade.ConnectWiseConfigurationError` for bad arguments (before sending)
        and the API's errors otherwise.
        """
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
        the pages, ``fields`` projects.

        ``run_as`` acts as another member (see :meth:`impersonate`). Raises
        :class:`~cw_facade.ConnectWiseConfigurationError` for bad arguments (before sending)
        and the API's errors otherwise.
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
        """The opportunity ``opportunity_id``, or ``None`` when it does not exist.

        ``run_as`` acts as another member (see :meth:`impersonate`). Raises
        :class:`~cw_facade.InvalidArgumentError` for a bad id or ``run_as`` (before sending)
        and the API's errors otherwise.
        """
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
        """How many opportunities match ``conditions``.

        ``run_as`` acts as another member (see :meth:`impersonate`). Raises
        :class:`~cw_facade.ConnectWiseConfigurationError` for bad arguments (before sending)
        and the API's errors otherwise.
        """
        if run_as is not None:
            return await (await self._as(run_as)).get_opportunity_count(conditions)
        return await self._counted(ops.get_sales_opportunities_count, conditions)

    # -- agreements ------------------------------------------------------------------------

    async def get_company_agreements(
        self, company_id: int, run_as: str | None = None
    ) -> list[Agreement]:
        """The agreements of the company that are not cancelled.

        ``run_as`` acts as another member (see :meth:`impersonate`). Raises
        :class:`~cw_facade.ConnectWiseConfigurationError` for bad arguments (before sending)
        and the API's errors otherwise.
        """
        if run_as is not None:
            return await (await self._as(run_as)).get_company_agreements(company_id)
        where = f"company/id={check_id('company_id', company_id)} AND cancelledFlag=false"
        op, count = ops.get_finance_agreements, ops.get_finance_agreements_count
        return await self._where(Agreement, op, count, where)

    async def get_agreement_additions(
        self, agreement_id: int, conditions: Conditions | None = None, run_as: str | None = None
    ) -> list[AgreementAddition]:
        """The additions (products) of the agreement (matching ``conditions``).

        ``run_as`` acts as another member (see :meth:`impersonate`). Raises
        :class:`~cw_facade.InvalidArgumentError` for bad arguments (before sending),
        :class:`~cw_facade.ConnectWiseNotFoundError` when the parent record does not exist,
        and the API's errors otherwise.
        """
        if run_as is not None:
            client = await self._as(run_as)
            return await client.get_agreement_additions(agreement_id, conditions)
        op = ops.get_finance_agreements_by_parent_id_additions
        record_id = check_id("agreement_id", agreement_id)
        return await self._kids(AgreementAddition, op, record_id, conditions)

    async def get_agreement_addition(
        self, agreement_id: int, addition_id: int, run_as: str | None = None
    ) -> AgreementAddition | None:
        """Addition ``addition_id`` of the agreement, or ``None`` when either is missing.

        ``run_as`` acts as another member (see :meth:`impersonate`). Raises
        :class:`~cw_facade.InvalidArgumentError` for a bad id or ``run_as`` (before sending)
        and the API's errors otherwise.
        """
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

        ``run_as`` acts as another member (see :meth:`impersonate`). Raises
        :class:`~cw_facade.InvalidArgumentError` for bad arguments (before sending),
        :class:`~cw_facade.ConnectWiseNotFoundError` for a missing record, and the API's
        errors otherwise.
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
        """The invoices of the company (also matching ``conditions``).

        ``run_as`` acts as another member (see :meth:`impersonate`). Raises
        :class:`~cw_facade.ConnectWiseConfigurationError` for bad arguments (before sending)
        and the API's errors otherwise.
        """
        if run_as is not None:
            return await (await self._as(run_as)).get_company_invoices(company_id, conditions)
        where = self._and(f"company/id={check_id('company_id', company_id)}", conditions)
        op, count = ops.get_finance_invoices, ops.get_finance_invoices_count
        return await self._where(Invoice, op, count, where)

    async def get_agreement_invoices(
        self, agreement_id: int, run_as: str | None = None
    ) -> list[Invoice]:
        """The invoices of the agreement.

        ``run_as`` acts as another member (see :meth:`impersonate`). Raises
        :class:`~cw_facade.ConnectWiseConfigurationError` for bad arguments (before sending)
        and the API's errors otherwise.
        """
        if run_as is not None:
            return await (await self._as(run_as)).get_agreement_invoices(agreement_id)
        where = f"agreement/id={check_id('agreement_id', agreement_id)}"
        op, count = ops.get_finance_invoices, ops.get_finance_invoices_count
        return await self._where(Invoice, op, count, where)

    async def get_company_opportunities(
        self, company_id: int, conditions: Conditions | None = None, run_as: str | None = None
    ) -> list[Opportunity]:
        """The opportunities of the company (also matching ``conditions``).

        ``run_as`` acts as another member (see :meth:`impersonate`). Raises
        :class:`~cw_facade.ConnectWiseConfigurationError` for bad arguments (before sending)
        and the API's errors otherwise.
        """
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
        """The opportunities not closed yet (``closedDate=null``), ``limit`` at most.

        ``run_as`` acts as another member (see :meth:`impersonate`). Raises
        :class:`~cw_facade.ConnectWiseConfigurationError` for bad arguments (before sending)
        and the API's errors otherwise.
        """
        if run_as is not None:
            return await (await self._as(run_as)).get_open_opportunities(conditions, limit)
        where = self._and("closedDate=null", conditions)
        op, count = ops.get_sales_opportunities, ops.get_sales_opportunities_count
        return await self._where(Opportunity, op, count, where, limit=limit)
