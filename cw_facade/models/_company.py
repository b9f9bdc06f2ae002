"""Models of the Company module: companies, their sites and notes, contacts, configurations."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cw_facade.models._base import Model
from cw_facade.models._service import Note
from cw_facade.models._values import as_bool, as_str, lookup, nested

#: Company status names that mean the company is not active (compared ignoring case).
INACTIVE_COMPANY_STATUSES = frozenset({"inactive", "not-approved", "deleted"})
#: Words in a communication type name that mark a phone number (when ``communicationType``
#: is missing from the item).
_PHONE_WORDS = ("phone", "direct", "mobile", "cell", "home", "office")


class Company(Model):
    """A company (``company/companies``): a customer, vendor or prospect."""

    __slots__ = ()
    _generated_name = "Company"
    _repr_fields = ("name",)

    @property
    def name(self) -> str | None:
        """The company name."""
        return self._str("name")

    @property
    def identifier(self) -> str | None:
        """The short unique identifier (``"Acme"``)."""
        return self._str("identifier")

    @property
    def status_name(self) -> str | None:
        """Name of the company status (``"Active"``)."""
        return self._str("status", "name")

    @property
    def type_names(self) -> list[str]:
        """Names of the company's types (``["Client"]``); empty when unknown."""
        types = self._get("types")
        if not isinstance(types, list):
            return []
        names = (as_str(nested(entry, "name")) for entry in types)
        return [name for name in names if name is not None]

    @property
    def is_active(self) -> bool | None:
        """False when deleted or in an inactive status, True otherwise; None without data.

        ConnectWise statuses are configurable; the names counted as inactive are
        :data:`INACTIVE_COMPANY_STATUSES`.
        """
        deleted = as_bool(self._get("deletedFlag"))
        status = self.status_name
        if deleted:
            return False
        if status is not None:
            return status.strip().casefold() not in INACTIVE_COMPANY_STATUSES
        return None if deleted is None else True


class Site(Model):
    """A site (address) of a company (``company/companies/{id}/sites``)."""

    __slots__ = ()
    _generated_name = "CompanySite"
    _repr_fields = ("name",)

    @property
    def name(self) -> str | None:
        """The site name (``"Main"``)."""
        return self._str("name")

    @property
    def company_id(self) -> int | None:
        """Id of the company the site belongs to."""
        return self._int("company", "id")

    @property
    def city(self) -> str | None:
        """The site's city."""
        return self._str("city")

    @property
    def phone_number(self) -> str | None:
        """The site's phone number."""
        return self._str("phoneNumber")


class CompanyNote(Note):
    """A note on a company (``company/companies/{id}/notes``); ``is_internal`` is None."""

    __slots__ = ()
    _generated_name = "CompanyNote"

    @property
    def company_id(self) -> int | None:
        """Id of the company the note belongs to."""
        return self._int("company", "id")


class Contact(Model):
    """A contact person (``company/contacts``)."""

    __slots__ = ()
    _generated_name = "Contact"
    _repr_fields = ("full_name",)

    @property
    def first_name(self) -> str | None:
        """The contact's first name."""
        return self._str("firstName")

    @property
    def last_name(self) -> str | None:
        """The contact's last name."""
        return self._str("lastName")

    @property
    def full_name(self) -> str | None:
        """First and last name joined by a space; None when both are missing."""
        parts = [part.strip() for part in (self.first_name, self.last_name) if part]
        return " ".join(part for part in parts if part) or None

    @property
    def company_name(self) -> str | None:
        """Name of the contact's company."""
        return self._str("company", "name")

    @property
    def company_id(self) -> int | None:
        """Id of the contact's company."""
        return self._int("company", "id")

    @property
    def is_active(self) -> bool | None:
        """Whether the contact is in use (not ``inactiveFlag``)."""
        flag = as_bool(self._get("inactiveFlag"))
        return None if flag is None else not flag

    @property
    def email(self) -> str | None:
        """The default email address, else the first one."""
        return _pick_communication(self._get("communicationItems"), _is_email)

    @property
    def phone(self) -> str | None:
        """The default phone number, else the first one, else ``defaultPhoneNbr``."""
        found = _pick_communication(self._get("communicationItems"), _is_phone)
        return found or self._str("defaultPhoneNbr")


def _communication_kind(item: Mapping[str, Any]) -> tuple[str, str]:
    kind = as_str(lookup(item, "communicationType")) or ""
    type_name = as_str(nested(item, "type", "name")) or ""
    return kind.casefold(), type_name.casefold()


def _is_email(item: Mapping[str, Any]) -> bool:
    kind, type_name = _communication_kind(item)
    return kind == "email" if kind else "mail" in type_name


def _is_phone(item: Mapping[str, Any]) -> bool:
    kind, type_name = _communication_kind(item)
    if kind:
        return kind == "phone"
    return any(word in type_name for word in _PHONE_WORDS)


def _pick_communication(items: Any, wanted: Any) -> str | None:
    if not isinstance(items, list):
        return None
    matches = [item for item in items if isinstance(item, Mapping) and wanted(item)]
    matches.sort(key=lambda item: as_bool(lookup(item, "defaultFlag")) is not True)
    for item in matches:
        value = as_str(lookup(item, "value"))
        if value:
            return value
    return None


class Configuration(Model):
    """A configuration item (``company/configurations``): a server, workstation, device."""

    __slots__ = ()
    _generated_name = "CompanyConfiguration"
    _repr_fields = ("name",)

    @property
    def name(self) -> str | None:
        """The configuration name (``"PROD-WEB-01"``)."""
        return self._str("name")

    @property
    def type_name(self) -> str | None:
        """Name of the configuration type (``"Server"``)."""
        return self._str("type", "name")

    @property
    def company_name(self) -> str | None:
        """Name of the owning company."""
        return self._str("company", "name")

    @property
    def company_id(self) -> int | None:
        """Id of the owning company."""
        return self._int("company", "id")

    @property
    def status_name(self) -> str | None:
        """Name of the configuration status (``"Active"``)."""
        return self._str("status", "name")

    @property
    def is_active(self) -> bool | None:
        """Whether the configuration is active (``activeFlag``)."""
        return as_bool(self._get("activeFlag"))

    @property
    def ip_address(self) -> str | None:
        """The configuration's IP address."""
        return self._str("ipAddress")


class ConfigurationReference(Model):
    """A configuration attached to a ticket (``service/tickets/{id}/configurations``)."""

    __slots__ = ()
    _generated_name = "ConfigurationReference"
    _repr_fields = ("device_identifier",)

    @property
    def device_identifier(self) -> str | None:
        """The configuration's device identifier (often its name)."""
        return self._str("deviceIdentifier")
