"""The engagement example's rules, as pure functions (examples/engagement/engagement_rules.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from engagement_rules import (
    Agreement,
    Company,
    Contact,
    Dataset,
    Ticket,
    TimeEntry,
    agreements_in_force,
    billable_hours,
    check_windows,
    first_touch_points,
    help_desk_points,
    industry_for,
    inside,
    is_client,
    parse_instant,
    primary_contact,
    project_points,
    resolved_quickly,
    score_clients,
    score_window,
)

NOW = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
DAY = timedelta(days=1)
HOUR = timedelta(hours=1)
SECOND = timedelta(seconds=1)


def ticket(entered: timedelta, took: timedelta | None = None, *, closed: bool = True) -> Ticket:
    """A ticket of company 1 entered ``entered`` before NOW, resolved ``took`` later."""
    at = NOW - entered
    resolved = None if took is None else at + took
    return Ticket(1, 1, at, closed=closed and took is not None, resolved=resolved)


def entry(before: timedelta, hours: float, option: str | None = "Billable") -> TimeEntry:
    return TimeEntry(1, 1, NOW - before, hours, option)


@pytest.mark.parametrize(
    ("count", "points"),
    [(0, 0), (1, 0), (2, 1), (3, 1), (4, 2), (9, 4), (10, 5), (11, 5), (500, 5)],
)
def test_help_desk_gives_a_point_per_two_tickets_up_to_five(count: int, points: int) -> None:
    assert help_desk_points(count) == points


@pytest.mark.parametrize(("count", "points"), [(0, 0), (1, 1), (4, 4), (5, 5), (6, 5)])
def test_first_touch_gives_a_point_per_quick_ticket_up_to_five(count: int, points: int) -> None:
    assert first_touch_points(count) == points


@pytest.mark.parametrize(
    ("hours", "points"),
    [
        (0.0, 2),
        (9.99, 2),
        (10.0, 3),
        (19.99, 3),
        (20.0, 4),
        (39.99, 4),
        (40.0, 5),
        (1000.0, 5),
    ],
)
def test_project_points_follow_the_hour_steps(hours: float, points: int) -> None:
    assert project_points(hours) == points


@pytest.mark.parametrize("bad", [-1, -5])
def test_negative_counts_are_refused(bad: int) -> None:
    with pytest.raises(ValueError, match="negative"):
        help_desk_points(bad)
    with pytest.raises(ValueError, match="negative"):
        first_touch_points(bad)


@pytest.mark.parametrize("bad", [-0.5, float("nan"), float("inf")])
def test_bad_hours_are_refused(bad: float) -> None:
    with pytest.raises(ValueError, match="finite"):
        project_points(bad)


@pytest.mark.parametrize(
    ("market", "industry"),
    [
        ("Legal", "legal"),
        ("Healthcare", "healthcare"),
        ("Manufacturing", "manufacturing"),
        ("Retail", "retail"),
        ("Financial", "finance"),
        ("Education", "education"),
        ("Non-Profit", "nonprofit"),
        ("non profit", "nonprofit"),
        ("NONPROFIT", "nonprofit"),
        (" legal ", "legal"),
        ("Finance", "finance"),
        ("Financial Services", "other"),
        ("Transportation", "other"),
        ("", "other"),
        (None, "other"),
    ],
)
def test_market_types_map_to_industries(market: str | None, industry: str) -> None:
    assert industry_for(market) == industry


@pytest.mark.parametrize(
    ("company", "scored"),
    [
        (Company(1, "A", status="Active", types=("Client",)), True),
        (Company(1, "A"), True),
        (Company(1, "A", status="Inactive"), False),
        (Company(1, "A", status=" INACTIVE "), False),
        (Company(1, "A", status="Not-Approved"), True),
        (Company(1, "A", deleted=True), False),
        (Company(1, "A", types=("Client", "Owner")), False),
        (Company(1, "A", types=("Vendor",)), True),
    ],
)
def test_clients_are_active_undeleted_companies_other_than_the_owner(
    company: Company, scored: bool
) -> None:
    assert is_client(company) is scored


def test_the_primary_contact_is_the_company_default_then_the_flagged_contact() -> None:
    contacts = [
        Contact(5, 1, "Flagged", "Later", default=True),
        Contact(3, 1, "Flagged", "First", default=True),
        Contact(4, 1, "Company", "Default"),
        Contact(6, 1, "Gone", "Away", default=True, inactive=True),
        Contact(7, 2, "Other", "Company", default=True),
    ]
    assert primary_contact(Company(1, "A", default_contact_id=4), contacts) == "Company Default"
    assert primary_contact(Company(1, "A"), contacts) == "Flagged First"
    # the company's default is inactive: fall back to the flagged one
    assert primary_contact(Company(1, "A", default_contact_id=6), contacts) == "Flagged First"
    # the company's default is not in the database: its reference's name
    unknown = Company(1, "A", default_contact_id=99, default_contact_name="Ref Name")
    assert primary_contact(unknown, contacts) == "Ref Name"
    assert primary_contact(Company(3, "C"), contacts) is None
    only_inactive = [Contact(1, 3, "Gone", "Away", default=True, inactive=True)]
    assert primary_contact(Company(3, "C"), only_inactive) is None


def test_windows_include_both_ends() -> None:
    assert inside(NOW - 30 * DAY, NOW, 30)
    assert not inside(NOW - 30 * DAY - SECOND, NOW, 30)
    assert inside(NOW, NOW, 30)
    assert not inside(NOW + SECOND, NOW, 30)
    assert not inside(None, NOW, 30)


def test_a_naive_now_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        inside(NOW, NOW.replace(tzinfo=None), 30)
    with pytest.raises(ValueError, match="timezone-aware"):
        score_clients(Dataset(companies=[]), NOW.replace(tzinfo=None))


def test_exactly_four_hours_counts_as_a_quick_resolution() -> None:
    assert resolved_quickly(ticket(DAY, 4 * HOUR), NOW)
    assert not resolved_quickly(ticket(DAY, 4 * HOUR + SECOND), NOW)
    assert resolved_quickly(ticket(DAY, timedelta(0)), NOW)


def test_open_reopened_unresolved_and_inconsistent_tickets_are_not_quick() -> None:
    assert not resolved_quickly(ticket(DAY), NOW)  # open
    reopened = Ticket(1, 1, NOW - DAY, closed=False, resolved=NOW - DAY + HOUR)
    assert not resolved_quickly(reopened, NOW)
    no_date = Ticket(1, 1, NOW - DAY, closed=True, resolved=None)
    assert not resolved_quickly(no_date, NOW)
    backwards = Ticket(1, 1, NOW - DAY, closed=True, resolved=NOW - DAY - HOUR)
    assert not resolved_quickly(backwards, NOW)
    no_entry = Ticket(1, 1, None, closed=True, resolved=NOW)
    assert not resolved_quickly(no_entry, NOW)


def test_a_resolution_after_now_does_not_count_yet() -> None:
    entered_an_hour_ago = ticket(HOUR, 2 * HOUR)
    assert not resolved_quickly(entered_an_hour_ago, NOW)
    assert resolved_quickly(entered_an_hour_ago, NOW + HOUR)


def test_only_billable_hours_inside_the_window_count_and_add_up_exactly() -> None:
    entries = [
        entry(DAY, 7.6),
        entry(2 * DAY, 14.2),
        entry(3 * DAY, 14.9),
        entry(4 * DAY, 3.3),
        entry(DAY, 8.0, "DoNotBill"),
        entry(DAY, 8.0, "NoCharge"),
        entry(DAY, 8.0, None),
        entry(31 * DAY, 8.0),
        TimeEntry(9, 1, None, 8.0, "Billable"),
    ]
    assert sum(e.hours for e in entries[:4]) < 40  # float addition alone would miss 40
    assert billable_hours(entries, NOW, 30) == 40.0
    assert project_points(billable_hours(entries, NOW, 30)) == 5
    assert billable_hours(entries, NOW, 31) == 48.0
    assert billable_hours([entry(DAY, 1.0, "billable")], NOW, 30) == 1.0


def test_corrections_never_make_hours_negative() -> None:
    assert billable_hours([entry(DAY, 2.0), entry(DAY, -5.0)], NOW, 30) == 0.0


def test_a_window_score_counts_tickets_entered_inside_it() -> None:
    tickets = [
        ticket(DAY, HOUR),
        ticket(2 * DAY, 5 * HOUR),
        ticket(30 * DAY, HOUR),
        ticket(30 * DAY + SECOND, HOUR),
        ticket(10 * DAY),
    ]
    score = score_window(tickets, [entry(DAY, 20.0)], NOW, 30)
    assert (score.tickets, score.quick_resolutions, score.billable_hours) == (4, 2, 20.0)
    assert (score.help_desk, score.first_touch, score.project, score.total) == (2, 2, 4, 8)
    empty = score_window([], [], NOW, 30)
    assert (empty.help_desk, empty.first_touch, empty.project, empty.total) == (0, 0, 2, 2)


def test_agreements_in_force() -> None:
    agreements = [
        Agreement(1, 1, NOW - 100 * DAY, None),
        Agreement(2, 1, NOW - 100 * DAY, NOW + DAY),
        Agreement(3, 1, NOW - 100 * DAY, NOW - DAY),
        Agreement(4, 1, NOW + DAY, None),
        Agreement(5, 1, NOW - 100 * DAY, None, cancelled=True),
        Agreement(6, 1, None, None),
        Agreement(7, 1, NOW, NOW),
    ]
    assert agreements_in_force(agreements, NOW) == 4


@pytest.mark.parametrize("bad", [[], [0], [-30], [True], [30, "60"]])
def test_bad_windows_are_refused(bad: list[object]) -> None:
    with pytest.raises(ValueError):
        check_windows(bad)  # type: ignore[arg-type]


def test_windows_are_kept_once_in_the_order_given() -> None:
    assert check_windows([90, 30, 90]) == (90, 30)


def test_timestamps_parse_to_aware_utc() -> None:
    assert parse_instant("2025-01-01T00:00:00Z") == datetime(2025, 1, 1, tzinfo=UTC)
    assert parse_instant("2025-01-01T02:00:00+02:00") == datetime(2025, 1, 1, tzinfo=UTC)
    assert parse_instant("2025-01-01T00:00:00") == datetime(2025, 1, 1, tzinfo=UTC)
    assert parse_instant(None) is None
    assert parse_instant("") is None
    with pytest.raises(ValueError):
        parse_instant("yesterday")


def test_score_clients_skips_non_clients_and_orders_by_name() -> None:
    data = Dataset(
        companies=[
            Company(2, "beta", market="Legal"),
            Company(1, "Alpha", market="Retail", default_contact_id=10),
            Company(3, "Gamma", status="Inactive"),
            Company(4, "Us", types=("Owner",)),
        ],
        contacts=[Contact(10, 1, "Ada", "Lovelace")],
        tickets=[Ticket(1, 1, NOW - DAY, True, NOW - DAY + HOUR), Ticket(2, None, NOW)],
        time_entries=[TimeEntry(1, 2, NOW - 40 * DAY, 12.0, "Billable")],
        agreements=[Agreement(1, 2, NOW - DAY, None)],
    )
    scores = score_clients(data, NOW, [30, 60])
    assert [(s.company.id, s.industry, s.primary_contact, s.agreements) for s in scores] == [
        (1, "retail", "Ada Lovelace", 0),
        (2, "legal", None, 1),
    ]
    alpha, beta = scores
    assert [(w.days, w.total) for w in alpha.windows] == [(30, 3), (60, 3)]
    assert [(w.days, w.project) for w in beta.windows] == [(30, 2), (60, 3)]
    assert beta.window(60).billable_hours == 12.0
    with pytest.raises(KeyError, match="no 90-day score"):
        beta.window(90)
