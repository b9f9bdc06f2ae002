"""Models of the work records: time entries, schedule entries, members and ticket tasks."""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any

from cw_facade.models._base import Model
from cw_facade.models._values import as_bool


def as_float(value: Any) -> float | None:
    """``value`` as a finite float (``1.5``, ``2`` or ``"1.5"``), else None; never booleans."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        number = float(value)
    elif isinstance(value, str):
        try:
            number = float(value)
        except ValueError:
            return None
    else:
        return None
    return number if math.isfinite(number) else None


class TimeEntry(Model):
    """A time entry (``time/entries``): hours a member worked on a ticket, project or company.

    Every property returns ``None`` when the record lacks the data.
    """

    __slots__ = ()
    _generated_name = "TimeEntry"
    _repr_fields = ("member_identifier", "actual_hours")

    @property
    def charge_to_id(self) -> int | None:
        """Id of the ticket, project ticket or activity the time is charged to."""
        return self._int("chargeToId")

    @property
    def charge_to_type(self) -> str | None:
        """What the time is charged to (``"ServiceTicket"``, ``"ProjectTicket"``...)."""
        return self._str("chargeToType")

    @property
    def member_id(self) -> int | None:
        """Id of the member who worked."""
        return self._int("member", "id")

    @property
    def member_identifier(self) -> str | None:
        """Identifier of the member who worked (``"jsmith"``)."""
        return self._str("member", "identifier")

    @property
    def company_id(self) -> int | None:
        """Id of the company the work was for."""
        return self._int("company", "id")

    @property
    def actual_hours(self) -> float | None:
        """Hours worked."""
        return as_float(self._get("actualHours"))

    @property
    def notes(self) -> str | None:
        """The notes of the entry."""
        return self._str("notes")

    @property
    def is_billable(self) -> bool | None:
        """Whether the time is billable (``billableOption`` is ``"Billable"``)."""
        option = self._str("billableOption")
        return None if option is None else option == "Billable"

    @property
    def time_start(self) -> datetime | None:
        """When the work started, timezone-aware."""
        return self._datetime("timeStart")

    @property
    def time_end(self) -> datetime | None:
        """When the work ended, timezone-aware."""
        return self._datetime("timeEnd")


class ScheduleEntry(Model):
    """A schedule entry (``schedule/entries``): a member booked on a ticket or activity."""

    __slots__ = ()
    _generated_name = "ScheduleEntry"
    _repr_fields = ("name",)

    @property
    def name(self) -> str | None:
        """The entry's name."""
        return self._str("name")

    @property
    def object_id(self) -> int | None:
        """Id of the scheduled ticket or activity."""
        return self._int("objectId")

    @property
    def type_identifier(self) -> str | None:
        """Kind of scheduled object (``"S"`` service ticket, ``"C"`` activity...)."""
        return self._str("type", "identifier")

    @property
    def member_id(self) -> int | None:
        """Id of the scheduled member."""
        return self._int("member", "id")

    @property
    def member_identifier(self) -> str | None:
        """Identifier of the scheduled member."""
        return self._str("member", "identifier")

    @property
    def date_start(self) -> datetime | None:
        """Start of the booking, timezone-aware."""
        return self._datetime("dateStart")

    @property
    def date_end(self) -> datetime | None:
        """End of the booking, timezone-aware."""
        return self._datetime("dateEnd")

    @property
    def hours(self) -> float | None:
        """Hours booked."""
        return as_float(self._get("hours"))

    @property
    def is_done(self) -> bool | None:
        """Whether the entry is marked done (``doneFlag``)."""
        return as_bool(self._get("doneFlag"))


class Member(Model):
    """A member (``system/members``): a person who logs in to ConnectWise."""

    __slots__ = ()
    _generated_name = "Member"
    _repr_fields = ("identifier",)

    @property
    def identifier(self) -> str | None:
        """The login identifier (``"jsmith"``)."""
        return self._str("identifier")

    @property
    def first_name(self) -> str | None:
        """First name."""
        return self._str("firstName")

    @property
    def last_name(self) -> str | None:
        """Last name."""
        return self._str("lastName")

    @property
    def name(self) -> str | None:
        """First and last name, or whichever of them the record has."""
        parts = [p for p in (self.first_name, self.last_name) if p]
        return " ".join(parts) if parts else None

    @property
    def email(self) -> str | None:
        """Office e-mail address."""
        return self._str("officeEmail") or self._str("defaultEmail")

    @property
    def is_inactive(self) -> bool | None:
        """Whether the member is inactive (``inactiveFlag``)."""
        return as_bool(self._get("inactiveFlag"))


class TicketTask(Model):
    """A task on a ticket (``service/tickets/{id}/tasks``)."""

    __slots__ = ()
    _generated_name = "TicketTask"
    _repr_fields = ("notes",)

    @property
    def ticket_id(self) -> int | None:
        """Id of the ticket the task belongs to."""
        return self._int("ticketId")

    @property
    def notes(self) -> str | None:
        """The task text."""
        return self._str("notes")

    @property
    def is_closed(self) -> bool | None:
        """Whether the task is done (``closedFlag``)."""
        return as_bool(self._get("closedFlag"))

    @property
    def priority(self) -> int | None:
        """Order of the task in the ticket's list."""
        return self._int("priority")
