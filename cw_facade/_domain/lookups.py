"""Resolving names (statuses, priorities, boards) to ids, with a per-client cache.

Each client keeps one :class:`LookupCache`. A name is looked up in the cached list first; on a
miss the list is fetched again once (someone may have added the status since), and a name
still missing raises :class:`~cw_facade._validation.UnknownNameError` listing the valid names.
Names match ignoring case and surrounding whitespace; active records win over inactive ones
of the same name.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from cw_facade._validation import InvalidArgumentError, UnknownNameError, check_text
from cw_facade.models import Model
from cw_facade.models._values import as_bool, as_str, lookup

#: Records per page of the lookup lists a method reads itself (statuses, priorities, ...).
LOOKUP_PAGE_SIZE = 1000
#: Most records read for one lookup list (20 pages).
MAX_LOOKUP_RECORDS = 20 * LOOKUP_PAGE_SIZE


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


def wanted_name(argument: str, name: object) -> str:
    """The folded form of a name given as ``argument`` (checked: a non-empty string)."""
    return _fold(check_text(argument, name))


def find_name(table: NameTable, argument: str, wanted: str, name: object, where: str = "") -> int:
    """The id named ``wanted`` in ``table``; :class:`UnknownNameError` listing the names if none."""
    if wanted not in table.ids:
        raise UnknownNameError(argument, str(name).strip(), table.names, where)
    return table.ids[wanted]


def board_of(body: Any, ticket_id: int) -> int:
    """The board id in a ticket body read with ``fields=id,board``."""
    board = body.get("board") if isinstance(body, dict) else None
    board_id = board.get("id") if isinstance(board, dict) else None
    if isinstance(board_id, bool) or not isinstance(board_id, int):
        raise InvalidArgumentError("status", f"ticket {ticket_id} has no board; pass status_id")
    return board_id
