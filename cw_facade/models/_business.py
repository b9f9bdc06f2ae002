"""Models of the business records: agreements, invoices, opportunities, projects, lookups."""

from __future__ import annotations

from datetime import datetime

from cw_facade.models._base import Model
from cw_facade.models._values import as_bool
from cw_facade.models._work import as_float


class _Named(Model):
    """A record with a ``name``."""

    __slots__ = ()
    _repr_fields = ("name",)

    @property
    def name(self) -> str | None:
        """The record's name."""
        return self._str("name")


class Agreement(_Named):
    """An agreement (``finance/agreements``): a contract with a customer company."""

    __slots__ = ()
    _generated_name = "Agreement"

    @property
    def company_id(self) -> int | None:
        """Id of the customer company."""
        return self._int("company", "id")

    @property
    def company_name(self) -> str | None:
        """Name of the customer company."""
        return self._str("company", "name")

    @property
    def type_name(self) -> str | None:
        """Name of the agreement type."""
        return self._str("type", "name")

    @property
    def is_cancelled(self) -> bool | None:
        """Whether the agreement is cancelled (``cancelledFlag``)."""
        return as_bool(self._get("cancelledFlag"))

    @property
    def start_date(self) -> datetime | None:
        """When the agreement starts, timezone-aware."""
        return self._datetime("startDate")

    @property
    def end_date(self) -> datetime | None:
        """When the agreement ends, timezone-aware."""
        return self._datetime("endDate")


class AgreementAddition(Model):
    """A product added to an agreement (``finance/agreements/{id}/additions``)."""

    __slots__ = ()
    _generated_name = "Addition"
    _repr_fields = ("product_identifier", "quantity")

    @property
    def agreement_id(self) -> int | None:
        """Id of the agreement."""
        return self._int("agreementId")

    @property
    def product_id(self) -> int | None:
        """Id of the catalog product."""
        return self._int("product", "id")

    @property
    def product_identifier(self) -> str | None:
        """Identifier of the catalog product."""
        return self._str("product", "identifier")

    @property
    def quantity(self) -> float | None:
        """How many units."""
        return as_float(self._get("quantity"))

    @property
    def unit_price(self) -> float | None:
        """Price of one unit."""
        return as_float(self._get("unitPrice"))


class Invoice(Model):
    """An invoice (``finance/invoices``)."""

    __slots__ = ()
    _generated_name = "Invoice"
    _repr_fields = ("invoice_number",)

    @property
    def invoice_number(self) -> str | None:
        """The invoice number shown to the customer."""
        return self._str("invoiceNumber")

    @property
    def company_id(self) -> int | None:
        """Id of the billed company."""
        return self._int("company", "id")

    @property
    def agreement_id(self) -> int | None:
        """Id of the agreement invoiced, if any."""
        return self._int("agreement", "id")

    @property
    def total(self) -> float | None:
        """The invoice total."""
        return as_float(self._get("total"))

    @property
    def balance(self) -> float | None:
        """What is still owed."""
        return as_float(self._get("balance"))

    @property
    def date(self) -> datetime | None:
        """The invoice date, timezone-aware."""
        return self._datetime("date")


class Opportunity(_Named):
    """A sales opportunity (``sales/opportunities``)."""

    __slots__ = ()
    _generated_name = "Opportunity"

    @property
    def company_id(self) -> int | None:
        """Id of the prospect company."""
        return self._int("company", "id")

    @property
    def status_name(self) -> str | None:
        """Name of the opportunity's status."""
        return self._str("status", "name")

    @property
    def expected_close_date(self) -> datetime | None:
        """When the opportunity is expected to close, timezone-aware."""
        return self._datetime("expectedCloseDate")

    @property
    def closed_date(self) -> datetime | None:
        """When it closed (``None`` while open), timezone-aware."""
        return self._datetime("closedDate")


class Project(_Named):
    """A project (``project/projects``)."""

    __slots__ = ()
    _generated_name = "Project"

    @property
    def company_id(self) -> int | None:
        """Id of the project's company."""
        return self._int("company", "id")

    @property
    def status_name(self) -> str | None:
        """Name of the project's status."""
        return self._str("status", "name")

    @property
    def manager_identifier(self) -> str | None:
        """Identifier of the project manager."""
        return self._str("manager", "identifier")

    @property
    def estimated_start(self) -> datetime | None:
        """Planned start, timezone-aware."""
        return self._datetime("estimatedStart")

    @property
    def estimated_end(self) -> datetime | None:
        """Planned end, timezone-aware."""
        return self._datetime("estimatedEnd")


class ProjectPhase(Model):
    """A phase of a project (``project/projects/{id}/phases``)."""

    __slots__ = ()
    _generated_name = "ProjectPhase"
    _repr_fields = ("description",)

    @property
    def project_id(self) -> int | None:
        """Id of the project."""
        return self._int("projectId")

    @property
    def description(self) -> str | None:
        """The phase description (its title)."""
        return self._str("description")

    @property
    def estimated_hours(self) -> float | None:
        """Hours planned for the phase."""
        return as_float(self._get("budgetHours")) or as_float(self._get("estimatedHours"))


class BoardItem(_Named):
    """An item of a service board (``service/boards/{id}/items``)."""

    __slots__ = ()
    _generated_name = "BoardItem"


class BoardSubtype(_Named):
    """A ticket subtype of a service board (``service/boards/{id}/subtypes``)."""

    __slots__ = ()
    _generated_name = "BoardSubType"


class CompanyStatus(_Named):
    """A company status (``company/companies/statuses``)."""

    __slots__ = ()
    _generated_name = "CompanyStatus"


class ConfigurationQuestion(Model):
    """A question of a configuration type (``company/configurations/types/{id}/questions``)."""

    __slots__ = ()
    _generated_name = "ConfigurationTypeQuestion"
    _repr_fields = ("question",)

    @property
    def question(self) -> str | None:
        """The question text."""
        return self._str("question")
