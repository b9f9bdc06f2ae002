"""What each synced resource is: its endpoint, its table's columns, its parent (pure rules).

A resource is named as the API's plural noun and its table is named the same. Every table
has ``id``, ``data`` (the record's JSON as received) and ``last_updated`` (``_info.lastUpdated``
in ISO 8601 UTC); :attr:`Resource.columns` adds indexed columns read out of the record, so the
data is readable with plain SQL (``SELECT name FROM companies WHERE id = 5``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from cw_facade._validation import InvalidArgumentError
from cw_facade.models._values import as_datetime

#: The condition field of a record's last change (the simulator and ConnectWise accept it
#: on every endpoint synced here; tickets also take plain ``lastUpdated``).
LAST_UPDATED_FIELD = "_info/lastUpdated"


@dataclass(frozen=True)
class Column:
    """An extra column of a resource's table: ``name``, SQL ``type`` and where its value is.

    ``path`` is the key path in the record (``("company", "id")``); ``parent=True`` takes the
    parent record's id instead (``ticket_id`` of a note is the ticket it was listed under).
    """

    name: str
    type: str
    path: tuple[str, ...] = ()
    parent: bool = False

    def value(self, record: Mapping[str, Any], parent_id: int | None) -> Any:
        """This column's value for ``record`` (``None`` when absent or not a scalar)."""
        if self.parent:
            return parent_id
        value: Any = record
        for key in self.path:
            value = value.get(key) if isinstance(value, Mapping) else None
        if isinstance(value, bool):
            return int(value)
        if self.type == "INTEGER":
            return value if isinstance(value, int) else None
        return value if isinstance(value, str | int | float) else None


@dataclass(frozen=True)
class Resource:
    """One synced resource (see the module docstring).

    ``endpoint`` is the list endpoint; for a child resource it holds ``{parent}``
    (``service/tickets/{parent}/notes``) and ``parent`` names the parent resource.
    ``changed_parents_only``: an incremental run lists the children of the parents changed
    since the watermark only (notes of changed tickets); otherwise every parent's children
    are listed on every run (board statuses: boards are few, statuses change on their own).
    ``callback_type`` is the callback ``Type`` of its records, if ConnectWise sends one.
    """

    name: str
    endpoint: str
    columns: tuple[Column, ...] = ()
    parent: str | None = None
    changed_parents_only: bool = False
    callback_type: str | None = None
    condition_field: str = LAST_UPDATED_FIELD

    def child_endpoint(self, parent_id: int) -> str:
        """The endpoint of the children of ``parent_id`` (child resources only)."""
        return self.endpoint.format(parent=parent_id)


def _fk(name: str, *path: str) -> Column:
    return Column(name, "INTEGER", path)


def _text(name: str, *path: str) -> Column:
    return Column(name, "TEXT", path)


RESOURCES: tuple[Resource, ...] = (
    Resource(
        "companies",
        "company/companies",
        (
            _text("identifier", "identifier"),
            _text("name", "name"),
            _fk("status_id", "status", "id"),
        ),
        callback_type="company",
    ),
    Resource(
        "contacts",
        "company/contacts",
        (
            _fk("company_id", "company", "id"),
            _text("first_name", "firstName"),
            _text("last_name", "lastName"),
        ),
        callback_type="contact",
    ),
    Resource(
        "tickets",
        "service/tickets",
        (
            _fk("company_id", "company", "id"),
            _fk("board_id", "board", "id"),
            _fk("status_id", "status", "id"),
            _fk("contact_id", "contact", "id"),
            _text("summary", "summary"),
            Column("closed_flag", "INTEGER", ("closedFlag",)),
        ),
        callback_type="ticket",
    ),
    Resource(
        "ticket_notes",
        "service/tickets/{parent}/notes",
        (Column("ticket_id", "INTEGER", parent=True), _text("date_created", "dateCreated")),
        parent="tickets",
        changed_parents_only=True,
    ),
    Resource(
        "time_entries",
        "time/entries",
        (
            _fk("company_id", "company", "id"),
            _fk("member_id", "member", "id"),
            _fk("agreement_id", "agreement", "id"),
            _fk("charge_to_id", "chargeToId"),
            _text("charge_to_type", "chargeToType"),
            _text("time_start", "timeStart"),
        ),
        callback_type="time",
    ),
    Resource(
        "agreements",
        "finance/agreements",
        (_fk("company_id", "company", "id"), _text("name", "name")),
        callback_type="agreement",
    ),
    Resource("boards", "service/boards", (_text("name", "name"),)),
    Resource(
        "board_statuses",
        "service/boards/{parent}/statuses",
        (Column("board_id", "INTEGER", parent=True), _text("name", "name")),
        parent="boards",
    ),
    Resource(
        "members",
        "system/members",
        (
            _text("identifier", "identifier"),
            _text("first_name", "firstName"),
            _text("last_name", "lastName"),
        ),
        callback_type="member",
    ),
)

BY_NAME: dict[str, Resource] = {r.name: r for r in RESOURCES}
BY_CALLBACK_TYPE: dict[str, Resource] = {
    r.callback_type: r for r in RESOURCES if r.callback_type is not None
}
#: Every resource name, in the order a sync runs them (parents before their children).
RESOURCE_NAMES: tuple[str, ...] = tuple(r.name for r in RESOURCES)


def pick(resources: str | Iterable[str] | None) -> tuple[Resource, ...]:
    """The resources named (``None``: all), in sync order; unknown or repeated names raise.

    Raises :class:`~cw_facade.InvalidArgumentError` (argument ``resources``).
    """
    if resources is None:
        return RESOURCES
    names = [resources] if isinstance(resources, str) else list(resources)
    if not names:
        raise InvalidArgumentError("resources", "name at least one resource")
    for name in names:
        if not isinstance(name, str) or name not in BY_NAME:
            raise InvalidArgumentError(
                "resources", f"unknown resource {name!r}: use {', '.join(RESOURCE_NAMES)}"
            )
    if len(set(names)) != len(names):
        raise InvalidArgumentError("resources", "names a resource twice")
    return tuple(r for r in RESOURCES if r.name in names)


def last_updated(record: Mapping[str, Any]) -> str | None:
    """A record's ``_info.lastUpdated`` as ``YYYY-MM-DDTHH:MM:SSZ`` (UTC), or ``None``."""
    info = record.get("_info")
    value = info.get("lastUpdated") if isinstance(info, Mapping) else None
    moment = parse_instant(value)
    return None if moment is None else format_instant(moment)


def parse_instant(value: Any) -> datetime | None:
    """``value`` (a ConnectWise timestamp) as an aware UTC datetime, or ``None``."""
    moment = as_datetime(value) if isinstance(value, str) else None
    return None if moment is None else moment.astimezone(UTC)


def format_instant(moment: datetime) -> str:
    """``moment`` in ConnectWise's UTC form, to the second (what conditions compare)."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
