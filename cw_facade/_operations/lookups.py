"""Resolving names (statuses, priorities, boards) to ids, with a per-client cache.

Each client keeps one :class:`LookupCache`. A name is looked up in the cached list first; on a
miss the list is fetched again once (someone may have added the status since), and a name
still missing raises :class:`~cw_facade._validation.UnknownNameError` listing the valid names.
Names match ignoring case and surrounding whitespace; active records win over inactive ones
of the same name.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from cw_facade._operations._common import get_list
from cw_facade._request import APIRequest, Operation
from cw_facade._validation import InvalidArgumentError, UnknownNameError, check_id, check_text
from cw_facade.models import Board, BoardStatus, Model, Priority, SystemInfo
from cw_facade.models._values import as_bool, as_str, lookup

PRIORITIES_PATH = "service/priorities"
BOARDS_PATH = "service/boards"
SOURCES_PATH = "service/sources"
SYSTEM_INFO_PATH = "system/info"


def board_statuses_path(board_id: object) -> str:
    """Where the statuses of board ``board_id`` live (the id is checked)."""
    return f"{BOARDS_PATH}/{check_id('board_id', board_id)}/statuses"


def board_types_path(board_id: object) -> str:
    """Where the ticket types of board ``board_id`` live (the id is checked)."""
    return f"{BOARDS_PATH}/{check_id('board_id', board_id)}/types"


def _fold(name: str) -> str:
    return name.strip().casefold()


@dataclass(slots=True)
class NameTable:
    """Ids by folded name, and the names as the server spells them."""

    ids: dict[str, int] = field(default_factory=dict)
    names: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, records: list[Model]) -> NameTable:
        """The table of ``records``; active records first, so they win a name clash."""
        table = cls()
        for record in sorted(records, key=_is_inactive):
            name = as_str(lookup(record.raw, "name"))
            if name is None or not record.id:
                continue
            table.ids.setdefault(_fold(name), record.id)
            table.names.append(name)
        return table


def _is_inactive(record: Model) -> bool:
    raw = record.raw
    return bool(as_bool(lookup(raw, "inactiveFlag")) or as_bool(lookup(raw, "inactive")))


class LookupCache:
    """Name tables by lookup path, kept for the life of one client."""

    __slots__ = ("_tables",)

    def __init__(self) -> None:
        """Start empty; tables fill on first use."""
        self._tables: dict[str, NameTable] = {}

    def get(self, path: str) -> NameTable | None:
        """The cached table of ``path``, if any."""
        return self._tables.get(path)

    def store(self, path: str, table: NameTable) -> None:
        """Remember ``table`` for ``path``."""
        self._tables[path] = table

    def clear(self) -> None:
        """Forget every table (the next lookup fetches again)."""
        self._tables.clear()


def resolve_name(
    cache: LookupCache,
    model: type[Model],
    path: str,
    argument: str,
    name: object,
    where: str = "",
) -> Operation[int]:
    """The id of the record of ``path`` named ``name``; see the module docstring."""
    wanted = _fold(check_text(argument, name))
    cached = cache.get(path)
    if cached is not None and wanted in cached.ids:
        return cached.ids[wanted]
    table = NameTable.of(list((yield from get_list(model, path))))
    cache.store(path, table)
    if wanted not in table.ids:
        raise UnknownNameError(argument, str(name).strip(), table.names, where)
    return table.ids[wanted]


def resolve_priority(cache: LookupCache, name: object) -> Operation[int]:
    """The id of the priority named ``name``."""
    return (yield from resolve_name(cache, Priority, PRIORITIES_PATH, "priority", name))


def resolve_board(cache: LookupCache, name: object) -> Operation[int]:
    """The id of the service board named ``name``."""
    return (yield from resolve_name(cache, Board, BOARDS_PATH, "board", name))


def resolve_status(cache: LookupCache, board_id: int, name: object) -> Operation[int]:
    """The id of the status named ``name`` on board ``board_id``."""
    path = board_statuses_path(board_id)
    where = f"on board {board_id}"
    return (yield from resolve_name(cache, BoardStatus, path, "status", name, where))


def ticket_board_id(ticket_id: int) -> Operation[int]:
    """The board id of ticket ``ticket_id`` (a missing ticket raises the API's 404 error)."""
    body = yield APIRequest(
        "GET", f"service/tickets/{check_id('ticket_id', ticket_id)}", params={"fields": "id,board"}
    )
    board = body.get("board") if isinstance(body, dict) else None
    board_id = board.get("id") if isinstance(board, dict) else None
    if isinstance(board_id, bool) or not isinstance(board_id, int):
        raise InvalidArgumentError("status", f"ticket {ticket_id} has no board; pass status_id")
    return board_id


def ping() -> Operation[bool]:
    """``True`` when the server answers ``system/info`` (any error raises)."""
    yield APIRequest("GET", SYSTEM_INFO_PATH)
    return True


def system_info() -> Operation[SystemInfo]:
    """What the server says about itself: version, cloud or not, time zone."""
    body = yield APIRequest("GET", SYSTEM_INFO_PATH)
    return SystemInfo(body if isinstance(body, dict) else {})
