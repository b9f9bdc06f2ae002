"""The engagement rules as pure functions over plain rows (no database, no network).

Every rule reading the example's README states lives here, so each one is tested directly:

- a *client* is a company that is not deleted, whose status is not an inactive one and that is
  not the MSP itself (a company of type ``Owner``);
- its *primary contact* is the company's ``defaultContact``, else its active contact marked
  ``defaultFlag``, else none;
- a record is *inside* an N-day window when ``now - N days <= moment <= now``;
- *help-desk usage*: tickets entered inside the window; one point per two, at most 5;
- *first-touch resolution*: tickets entered inside the window, closed now, and resolved
  (``dateResolved``, else ``closedDate``) at most 4 hours after they were entered and no later
  than ``now``; one point each, at most 5;
- *project engagement*: the ``actualHours`` of ``Billable`` time entries started inside the
  window: 40+ hours 5 points, 20+ 4, 10+ 3, anything less (none at all included) 2;
- the *industry* comes from the company's market name (case, spaces and punctuation ignored).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

DEFAULT_WINDOWS = (30, 60, 90)
QUICK_RESOLUTION = timedelta(hours=4)
MAX_POINTS = 5
TICKETS_PER_POINT = 2
# (at least this many billable hours, points), highest first; below the last: FLOOR_POINTS.
HOUR_STEPS = ((40.0, 5), (20.0, 4), (10.0, 3))
FLOOR_POINTS = 2
INACTIVE_STATUSES = frozenset({"inactive"})
OWNER_TYPES = frozenset({"owner"})
BILLABLE = "billable"
OTHER_INDUSTRY = "other"
INDUSTRIES: Mapping[str, str] = {
    "legal": "legal",
    "healthcare": "healthcare",
    "manufacturing": "manufacturing",
    "retail": "retail",
    "financial": "finance",
    "finance": "finance",
    "education": "education",
    "nonprofit": "nonprofit",
}


@dataclass(frozen=True)
class Company:
    """A company as read from the database.

    ``market``: its market description's name; ``status``: its status name; ``types``: the
    names of its company types; ``default_contact_id`` / ``default_contact_name``: the
    company's ``defaultContact`` reference.
    """

    id: int
    name: str
    market: str | None = None
    status: str | None = None
    deleted: bool = False
    types: tuple[str, ...] = ()
    default_contact_id: int | None = None
    default_contact_name: str | None = None


@dataclass(frozen=True)
class Contact:
    """A contact: its company, name, ``defaultFlag`` and ``inactiveFlag``."""

    id: int
    company_id: int | None
    first_name: str | None = None
    last_name: str | None = None
    default: bool = False
    inactive: bool = False

    @property
    def name(self) -> str:
        """First and last name joined (either may be missing)."""
        return " ".join(part for part in (self.first_name, self.last_name) if part)


@dataclass(frozen=True)
class Ticket:
    """A service ticket: when it was entered, whether it is closed, when it was resolved.

    ``resolved`` is ``dateResolved``, or ``closedDate`` when the ticket has no
    ``dateResolved``.
    """

    id: int
    company_id: int | None
    entered: datetime | None
    closed: bool = False
    resolved: datetime | None = None


@dataclass(frozen=True)
class TimeEntry:
    """A time entry: when the work started, its ``actualHours`` and ``billableOption``."""

    id: int
    company_id: int | None
    start: datetime | None
    hours: float = 0.0
    billable_option: str | None = None

    @property
    def billable(self) -> bool:
        """Whether the entry's ``billableOption`` is ``Billable``."""
        return (self.billable_option or "").lower() == BILLABLE


@dataclass(frozen=True)
class Agreement:
    """An agreement: its dates and whether it was cancelled."""

    id: int
    company_id: int | None
    start: datetime | None = None
    end: datetime | None = None
    cancelled: bool = False


@dataclass(frozen=True)
class WindowScore:
    """One client's points over one window, with the numbers behind them."""

    days: int
    tickets: int
    quick_resolutions: int
    billable_hours: float
    help_desk: int
    first_touch: int
    project: int

    @property
    def total(self) -> int:
        """The three metrics' points added up (at most 15)."""
        return self.help_desk + self.first_touch + self.project


@dataclass(frozen=True)
class ClientScore:
    """A client's industry, primary contact, agreements in force and one score per window."""

    company: Company
    industry: str
    primary_contact: str | None
    agreements: int
    windows: tuple[WindowScore, ...]

    def window(self, days: int) -> WindowScore:
        """The score over ``days`` days; raises ``KeyError`` for a window not scored."""
        for score in self.windows:
            if score.days == days:
                return score
        raise KeyError(f"no {days}-day score; scored windows: {[w.days for w in self.windows]}")


@dataclass(frozen=True)
class Dataset:
    """Everything the scores need, as plain rows."""

    companies: Sequence[Company]
    contacts: Sequence[Contact] = ()
    tickets: Sequence[Ticket] = ()
    time_entries: Sequence[TimeEntry] = ()
    agreements: Sequence[Agreement] = ()


def parse_instant(text: str | None) -> datetime | None:
    """A ConnectWise timestamp (``2025-01-01T00:00:00Z``, any ISO 8601 form) as an aware UTC
    datetime; ``None`` or empty text gives ``None``; a time without a zone is taken as UTC.

    Raises ``ValueError`` for text that is not ISO 8601.
    """
    if not text:
        return None
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def check_windows(windows: Iterable[int]) -> tuple[int, ...]:
    """The windows, each once, in the order given.

    Raises ``ValueError`` when there is none or one is not a positive whole number of days.
    """
    found: list[int] = []
    for days in windows:
        if isinstance(days, bool) or not isinstance(days, int) or days <= 0:
            raise ValueError(f"a window is a positive number of days, not {days!r}")
        if days not in found:
            found.append(days)
    if not found:
        raise ValueError("give at least one window (e.g. 30 60 90)")
    return tuple(found)


def _check_now(now: datetime) -> None:
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware (e.g. datetime.now(UTC))")


def industry_for(market: str | None) -> str:
    """The industry of a ConnectWise market name: Legal → legal, Healthcare → healthcare,
    Manufacturing → manufacturing, Retail → retail, Financial → finance, Education →
    education, Non-Profit → nonprofit; any other name, or none, → other.

    Case, spaces and punctuation are ignored (``"non profit"`` and ``"NonProfit"`` are
    nonprofit); the industry names themselves map to themselves (``"Finance"`` → finance).
    """
    if not market:
        return OTHER_INDUSTRY
    key = re.sub(r"[^0-9a-z]", "", market.lower())
    return INDUSTRIES.get(key, OTHER_INDUSTRY)


def is_client(company: Company) -> bool:
    """Whether a company is scored: not deleted, status not ``Inactive``, not the ``Owner``
    (the MSP itself). A company without a status counts as active."""
    if company.deleted:
        return False
    if (company.status or "").strip().lower() in INACTIVE_STATUSES:
        return False
    return not any(name.strip().lower() in OWNER_TYPES for name in company.types)


def primary_contact(company: Company, contacts: Iterable[Contact]) -> str | None:
    """The name of the company's primary contact, or ``None``.

    The company's ``defaultContact`` comes first (unless that contact is known to be
    inactive; its name is taken from the contact row, else from the reference); then the
    company's active contact with ``defaultFlag`` (the lowest id if several).
    """
    own = [c for c in contacts if c.company_id == company.id]
    by_id = {c.id: c for c in own}
    if company.default_contact_id is not None:
        chosen = by_id.get(company.default_contact_id)
        if chosen is None and company.default_contact_name:
            return company.default_contact_name
        if chosen is not None and not chosen.inactive and chosen.name:
            return chosen.name
    flagged = sorted((c for c in own if c.default and not c.inactive), key=lambda c: c.id)
    return flagged[0].name if flagged and flagged[0].name else None


def inside(moment: datetime | None, now: datetime, days: int) -> bool:
    """Whether ``moment`` lies in the ``days``-day window ending at ``now`` (both ends
    included); ``None`` is never inside. Raises ``ValueError`` for a naive ``now``."""
    _check_now(now)
    if moment is None:
        return False
    return now - timedelta(days=days) <= moment <= now


def resolved_quickly(ticket: Ticket, now: datetime) -> bool:
    """Whether a ticket counts for first-touch resolution as of ``now``: closed, resolved no
    later than 4 hours after it was entered (exactly 4 hours counts) and not after ``now``.
    A resolution time before the entry time is inconsistent data and does not count."""
    if not ticket.closed or ticket.entered is None or ticket.resolved is None:
        return False
    took = ticket.resolved - ticket.entered
    return timedelta(0) <= took <= QUICK_RESOLUTION and ticket.resolved <= now


def help_desk_points(ticket_count: int) -> int:
    """One point per two tickets, at most 5 (0-1 tickets: 0; 2-3: 1; 10 or more: 5).

    Raises ``ValueError`` for a negative count.
    """
    if ticket_count < 0:
        raise ValueError(f"a ticket count cannot be negative: {ticket_count}")
    return min(MAX_POINTS, ticket_count // TICKETS_PER_POINT)


def first_touch_points(quick_resolutions: int) -> int:
    """One point per ticket resolved within 4 hours, at most 5.

    Raises ``ValueError`` for a negative count.
    """
    if quick_resolutions < 0:
        raise ValueError(f"a ticket count cannot be negative: {quick_resolutions}")
    return min(MAX_POINTS, quick_resolutions)


def project_points(billable_hours: float) -> int:
    """40 or more billable hours: 5 points; 20+: 4; 10+: 3; less (none included): 2.

    Raises ``ValueError`` for negative or non-finite hours.
    """
    if not math.isfinite(billable_hours) or billable_hours < 0:
        raise ValueError(f"billable hours must be a finite number >= 0, not {billable_hours}")
    for at_least, points in HOUR_STEPS:
        if billable_hours >= at_least:
            return points
    return FLOOR_POINTS


def billable_hours(entries: Iterable[TimeEntry], now: datetime, days: int) -> float:
    """The ``actualHours`` of billable entries started inside the window, added exactly and
    rounded to hundredths (so 12.3 + 7.7 is exactly 20.0); negative entries (corrections)
    count, but the total is never below 0."""
    hours = [e.hours for e in entries if e.billable and inside(e.start, now, days)]
    return max(0.0, round(math.fsum(hours), 2))


def score_window(
    tickets: Sequence[Ticket], entries: Sequence[TimeEntry], now: datetime, days: int
) -> WindowScore:
    """One client's score over one window from its own tickets and time entries."""
    recent = [t for t in tickets if inside(t.entered, now, days)]
    quick = sum(1 for t in recent if resolved_quickly(t, now))
    hours = billable_hours(entries, now, days)
    return WindowScore(
        days=days,
        tickets=len(recent),
        quick_resolutions=quick,
        billable_hours=hours,
        help_desk=help_desk_points(len(recent)),
        first_touch=first_touch_points(quick),
        project=project_points(hours),
    )


def agreements_in_force(agreements: Iterable[Agreement], now: datetime) -> int:
    """How many agreements are in force at ``now``: not cancelled, started (or without a start
    date) and not ended (no end date, or ending at or after ``now``)."""
    _check_now(now)
    return sum(
        1
        for a in agreements
        if not a.cancelled
        and (a.start is None or a.start <= now)
        and (a.end is None or a.end >= now)
    )


def score_clients(
    data: Dataset, now: datetime, windows: Iterable[int] = DEFAULT_WINDOWS
) -> list[ClientScore]:
    """Score every client of ``data`` over each window, ordered by name then id.

    Raises ``ValueError`` for a naive ``now`` or a bad window (see :func:`check_windows`).
    """
    _check_now(now)
    spans = check_windows(windows)
    tickets: dict[int, list[Ticket]] = {}
    for ticket in data.tickets:
        if ticket.company_id is not None:
            tickets.setdefault(ticket.company_id, []).append(ticket)
    entries: dict[int, list[TimeEntry]] = {}
    for entry in data.time_entries:
        if entry.company_id is not None:
            entries.setdefault(entry.company_id, []).append(entry)
    agreements: dict[int, list[Agreement]] = {}
    for agreement in data.agreements:
        if agreement.company_id is not None:
            agreements.setdefault(agreement.company_id, []).append(agreement)
    contacts: dict[int, list[Contact]] = {}
    for contact in data.contacts:
        if contact.company_id is not None:
            contacts.setdefault(contact.company_id, []).append(contact)
    scores = []
    for company in sorted(data.companies, key=lambda c: (c.name.lower(), c.id)):
        if not is_client(company):
            continue
        own_tickets = tickets.get(company.id, [])
        own_entries = entries.get(company.id, [])
        scores.append(
            ClientScore(
                company=company,
                industry=industry_for(company.market),
                primary_contact=primary_contact(company, contacts.get(company.id, [])),
                agreements=agreements_in_force(agreements.get(company.id, []), now),
                windows=tuple(score_window(own_tickets, own_entries, now, d) for d in spans),
            )
        )
    return scores
