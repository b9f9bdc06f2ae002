"""``cw tickets|companies|contacts|configurations|time-entries|agreements ...``: common work.

``list`` and ``get`` use the client's raw methods (``iter_all`` and ``get``) on each
resource's endpoint, so every resource works alike and records print as the server sent them;
``tickets create|note|status`` use the ticket methods (defaults from the profile, names
resolved to ids).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from cw_facade.cli._exit import NotFound, UsageError
from cw_facade.cli._output import cell_text, write_json, write_records

if TYPE_CHECKING:
    from cw_facade.cli._app import Context

MAX_PAGE = 1000
DEFAULT_LIMIT = 25


@dataclass(frozen=True)
class Resource:
    """A resource of ``cw``: its command name, endpoint and default table columns."""

    name: str
    endpoint: str
    singular: str
    columns: tuple[str, ...]
    aliases: tuple[str, ...] = ()


RESOURCES = (
    Resource(
        "tickets",
        "service/tickets",
        "ticket",
        ("id", "summary", "status/name", "priority/name", "company/identifier", "board/name"),
    ),
    Resource(
        "companies",
        "company/companies",
        "company",
        ("id", "identifier", "name", "status/name", "phoneNumber"),
    ),
    Resource(
        "contacts",
        "company/contacts",
        "contact",
        ("id", "firstName", "lastName", "company/identifier", "title"),
    ),
    Resource(
        "configurations",
        "company/configurations",
        "configuration",
        ("id", "name", "type/name", "company/identifier", "ipAddress", "status/name"),
    ),
    Resource(
        "time-entries",
        "time/entries",
        "time entry",
        ("id", "chargeToType", "chargeToId", "member/identifier", "timeStart", "actualHours"),
        aliases=("time",),
    ),
    Resource(
        "agreements",
        "finance/agreements",
        "agreement",
        ("id", "name", "type/name", "company/identifier", "agreementStatus", "startDate"),
    ),
)
BY_NAME = {name: r for r in RESOURCES for name in (r.name, *r.aliases)}


def check_where(where: str | None) -> str | None:
    """``where`` if the conditions parser accepts it (raises ``ConditionsSyntaxError``)."""
    if where is None or not where.strip():
        return None
    from cw_facade.conditions import parse

    parse(where)
    return where


def split_fields(fields: str | None) -> list[str]:
    """``"id, summary,status/name"`` → ``["id", "summary", "status/name"]``."""
    return [f.strip() for f in (fields or "").split(",") if f.strip()]


# -- handlers --------------------------------------------------------------------------------


def run_list(ctx: Context, args: argparse.Namespace) -> int:
    """``cw RESOURCE list``."""
    resource: Resource = args.resource
    where = check_where(args.where)
    limit = None if args.all else args.limit
    if limit is not None and limit < 1:
        raise UsageError("--limit must be at least 1 (or use --all)")
    fields = split_fields(args.fields)
    records = ctx.client().iter_all(
        resource.endpoint,
        conditions=where,
        fields=fields or None,
        order_by=args.order_by,
        pagesize=min(limit or MAX_PAGE, MAX_PAGE),
        limit=limit,
    )
    columns = fields or list(resource.columns)
    write_records(ctx.console, records, ctx.format(), columns)
    return 0


def show_record(ctx: Context, record: Mapping[str, Any]) -> None:
    """One record: JSON, a JSON line, a one-row CSV, or a key/value table."""
    fmt = ctx.format()
    if fmt == "json":
        write_json(ctx.console, record)
    elif fmt in {"jsonl", "csv"}:
        write_records(ctx.console, [record], fmt, ())
    else:
        keys = [k for k in record if k != "_info"]
        width = max((len(k) for k in keys), default=0)
        lines = [f"{k.ljust(width)}  {cell_text(record[k], for_table=True)}" for k in keys]
        ctx.console.data("\n".join(lines) + "\n")


def run_get(ctx: Context, args: argparse.Namespace) -> int:
    """``cw RESOURCE get ID``."""
    resource: Resource = args.resource
    fields = split_fields(args.fields)
    record = ctx.client().get(f"{resource.endpoint}/{args.id}", fields=fields or None)
    if record is None:
        raise NotFound(f"{resource.singular} {args.id} not found")
    show_record(ctx, record)
    return 0


def _field_values(pairs: list[str]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for pair in pairs:
        key, sep, text = pair.partition("=")
        if not sep or not key.strip():
            raise UsageError(f"--field takes NAME=VALUE, got {pair!r}")
        try:
            values[key.strip()] = json.loads(text)
        except ValueError:
            values[key.strip()] = text
    return values


def run_create(ctx: Context, args: argparse.Namespace) -> int:
    """``cw tickets create``."""
    ticket = ctx.client().create_ticket(
        args.summary,
        args.body,
        args.company_id,
        args.board_id,
        args.priority_id,
        args.source_id,
        board=args.board,
        priority=args.priority,
        **_field_values(args.field or []),
    )
    ctx.console.say(f"created ticket {ticket.id}")
    show_record(ctx, ticket.to_dict())
    return 0


def run_note(ctx: Context, args: argparse.Namespace) -> int:
    """``cw tickets note ID TEXT``."""
    text = sys.stdin.read() if args.text == "-" else args.text
    note = ctx.client().add_ticket_note(
        args.id, text, internal=args.internal, resolution=args.resolution
    )
    where = "internal" if args.internal else "discussion"
    ctx.console.say(f"added {where} note {note.id} to ticket {args.id}")
    show_record(ctx, note.to_dict())
    return 0


def run_status(ctx: Context, args: argparse.Namespace) -> int:
    """``cw tickets status ID NAME``."""
    name = args.status.strip()
    client = ctx.client()
    if name.isdigit():
        ticket = client.update_ticket_status(args.id, int(name))
    else:
        ticket = client.update_ticket_status(args.id, status=name)
    ctx.console.say(f"ticket {args.id} is now {ticket.status_name!r}")
    show_record(ctx, ticket.to_dict())
    return 0


# -- parsers ---------------------------------------------------------------------------------


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer id, got {text!r}")
    return int(text)


def _list_parser(actions: Any, parents: list[Any], resource: Resource) -> None:
    example = {
        "tickets": 'closedFlag=false AND priority/name="Priority 1 - Emergency Response"',
        "companies": 'status/name="Active"',
        "contacts": 'lastName="Lee"',
        "configurations": 'name contains "PROD"',
        "time-entries": "timeStart > [2024-01-01T00:00:00Z]",
        "agreements": 'agreementStatus="Active"',
    }[resource.name]
    listing = actions.add_parser(
        "list",
        parents=parents,
        help=f"list {resource.name}",
        description=f"List {resource.name} ({resource.endpoint}), {DEFAULT_LIMIT} by default.",
        epilog=(
            "examples:\n"
            f"  cw {resource.name} list --where '{example}'\n"
            f"  cw {resource.name} list --fields {','.join(resource.columns[:3])} --limit 100\n"
            f"  cw {resource.name} list --all --format jsonl > {resource.name}.jsonl"
        ),
    )
    listing.add_argument("--where", help="conditions, checked before sending")
    listing.add_argument("--fields", help="comma list, e.g. id,summary,status/name")
    listing.add_argument("--order-by", help='e.g. "id desc"')
    count = listing.add_mutually_exclusive_group()
    count.add_argument("--limit", type=int, default=DEFAULT_LIMIT, help="at most N records")
    count.add_argument("--all", action="store_true", help="every matching record")
    listing.set_defaults(handler=run_list, resource=resource)


def _get_parser(actions: Any, parents: list[Any], resource: Resource) -> None:
    getter = actions.add_parser(
        "get",
        parents=parents,
        help=f"show one {resource.singular}",
        description=f"Show {resource.singular} ID; exit status 4 when it does not exist.",
        epilog=f"examples:\n  cw {resource.name} get 5\n  cw {resource.name} get 5 --format json",
    )
    getter.add_argument("id", type=_positive)
    getter.add_argument("--fields", help="comma list of fields")
    getter.set_defaults(handler=run_get, resource=resource)


def _ticket_parsers(actions: Any, parents: list[Any]) -> None:
    create = actions.add_parser(
        "create",
        parents=parents,
        help="open a ticket",
        description="Open a ticket; ids left out come from the profile's [defaults].",
        epilog=(
            "examples:\n"
            '  cw tickets create --summary "Disk full on FS01" --body "C: at 99%"\n'
            '  cw tickets create --summary "VPN down" --company-id 250 --board "Service Desk"\n'
            "      --priority High --field contactName='\"Ann Lee\"'"
        ),
    )
    create.add_argument("--summary", required=True, help="1-100 characters")
    create.add_argument("--body", help="initial description")
    for name in ("company", "board", "priority", "source"):
        create.add_argument(f"--{name}-id", type=_positive)
    create.add_argument("--board", help="board name (instead of --board-id)")
    create.add_argument("--priority", help="priority name (instead of --priority-id)")
    create.add_argument(
        "--field", action="append", metavar="NAME=VALUE", help="another API field (JSON or text)"
    )
    create.set_defaults(handler=run_create)

    note = actions.add_parser(
        "note",
        parents=parents,
        help="add a note to a ticket",
        description="Add a note: on the Discussion tab (seen by the customer) unless --internal.",
        epilog=(
            "examples:\n"
            '  cw tickets note 5 "Checked the event log" --internal\n'
            '  cw tickets note 5 "Replaced the disk" --resolution\n'
            "  echo 'long text' | cw tickets note 5 - --internal"
        ),
    )
    note.add_argument("id", type=_positive)
    note.add_argument("text", help="the note text (- reads stdin)")
    note.add_argument("--internal", action="store_true", help="Internal tab (members only)")
    note.add_argument("--resolution", action="store_true", help="also mark it a resolution")
    note.set_defaults(handler=run_note)

    status = actions.add_parser(
        "status",
        parents=parents,
        help="set a ticket's status by name",
        description="Set the status by name (on the ticket's board) or by status id.",
        epilog='examples:\n  cw tickets status 5 Resolved\n  cw tickets status 5 "In Progress"',
    )
    status.add_argument("id", type=_positive)
    status.add_argument("status", metavar="NAME", help="status name, or a status id")
    status.set_defaults(handler=run_status)


def register(commands: Any, parents: dict[str, argparse.ArgumentParser]) -> None:
    """Add one command per resource, each with ``list`` and ``get`` (tickets: more)."""
    common = [parents["connection"], parents["output"]]
    for resource in RESOURCES:
        parser = commands.add_parser(
            resource.name,
            aliases=list(resource.aliases),
            help=f"{resource.name} ({resource.endpoint})",
            description=f"Work with {resource.name} ({resource.endpoint}).",
        )
        actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
        _list_parser(actions, common, resource)
        _get_parser(actions, common, resource)
        if resource.name == "tickets":
            _ticket_parsers(actions, common)
