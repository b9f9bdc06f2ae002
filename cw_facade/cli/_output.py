"""Where ``cw`` writes: data on stdout in a chosen format, messages on stderr.

Formats: ``table`` (aligned columns for people), ``json`` (one document), ``jsonl`` (one
record per line) and ``csv``. Colour is used only when the stream is a terminal, ``NO_COLOR``
is unset or empty, ``TERM`` is not ``dumb`` and ``--no-color`` was not given. Every message
passes through :meth:`Console.redact`, which masks the secrets it was told about.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any, TextIO

FORMATS = ("table", "json", "jsonl", "csv")
#: Longest table cell before it is cut with an ellipsis.
MAX_CELL = 48
_MASK = "********"
_RED, _YELLOW, _GREEN, _BOLD, _DIM, _RESET = (
    "\033[31m",
    "\033[33m",
    "\033[32m",
    "\033[1m",
    "\033[2m",
    "\033[0m",
)


def wants_color(stream: TextIO, env: Mapping[str, str], disabled: bool = False) -> bool:
    """Whether to colour ``stream``: a TTY, no ``NO_COLOR``, not ``TERM=dumb``, not disabled."""
    if disabled or env.get("NO_COLOR") or env.get("TERM") == "dumb":
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


class Console:
    """stdout for data, stderr for messages, with colour decided once per stream."""

    def __init__(
        self,
        stdout: TextIO,
        stderr: TextIO,
        env: Mapping[str, str],
        *,
        no_color: bool = False,
    ) -> None:
        """Wrap the two streams; ``env`` decides colour (``NO_COLOR``, ``TERM``)."""
        self.stdout, self.stderr = stdout, stderr
        self.color_out = wants_color(stdout, env, no_color)
        self.color_err = wants_color(stderr, env, no_color)
        self._secrets: list[str] = []

    def add_secret(self, value: str | None) -> None:
        """Mask ``value`` wherever it would appear in a message or data line."""
        if value and len(value) >= 4 and value not in self._secrets:
            self._secrets.append(value)

    def redact(self, text: str) -> str:
        """``text`` with every registered secret replaced by a mask."""
        for secret in self._secrets:
            text = text.replace(secret, _MASK)
        return text

    def paint(self, text: str, code: str, *, err: bool = True) -> str:
        """``text`` in colour ``code`` when the stream takes colour."""
        return f"{code}{text}{_RESET}" if (self.color_err if err else self.color_out) else text

    def data(self, text: str) -> None:
        """Write ``text`` (a line or block of data) to stdout."""
        self.stdout.write(self.redact(text))

    def say(self, text: str) -> None:
        """A message line on stderr."""
        self.stderr.write(self.redact(text) + "\n")
        self.stderr.flush()

    def error(self, text: str, hint: str | None = None) -> None:
        """``cw: error: text`` in red on stderr, with an optional hint line."""
        self.say(self.paint("cw: error: ", _RED) + text)
        if hint:
            self.say(self.paint("hint: ", _DIM) + hint)

    def warn(self, text: str) -> None:
        """``cw: warning: text`` on stderr."""
        self.say(self.paint("cw: warning: ", _YELLOW) + text)

    def status(self, ok: bool | None, text: str) -> None:
        """A check line for ``cw doctor``: ``ok``, ``FAIL`` or (``None``) ``warn``."""
        label = {True: ("ok  ", _GREEN), False: ("FAIL", _RED), None: ("warn", _YELLOW)}[ok]
        self.stdout.write(self.redact(f"[{self.paint(label[0], label[1], err=False)}] {text}\n"))


# -- values ----------------------------------------------------------------------------------


def value_at(record: Mapping[str, Any], path: str) -> Any:
    """The value at ``path`` (``status/name``) in ``record``; ``None`` when absent.

    Keys match exactly first, then case-insensitively (servers vary the case).
    """
    current: Any = record
    for part in path.strip("/").split("/"):
        if not isinstance(current, Mapping):
            return None
        if part in current:
            current = current[part]
            continue
        folded = {str(k).casefold(): v for k, v in current.items()}
        current = folded.get(part.casefold())
    return current


def cell_text(value: Any, *, for_table: bool) -> str:
    """One value as text: a reference shows its name in a table, JSON elsewhere."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Mapping) and for_table:
        for key in ("name", "identifier", "id"):
            if value.get(key) is not None:
                return str(value[key])
    if isinstance(value, Mapping | list):
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    text = str(value)
    if for_table:
        text = " ".join(text.split())
        if len(text) > MAX_CELL:
            text = text[: MAX_CELL - 1] + "…"
    return text


def columns_for(records: Sequence[Mapping[str, Any]], preferred: Sequence[str]) -> list[str]:
    """``preferred`` when given, else the top-level keys of the records in first-seen order."""
    if preferred:
        return list(preferred)
    seen: dict[str, None] = {}
    for record in records:
        for key in record:
            if key != "_info":
                seen.setdefault(str(key), None)
    return list(seen)


# -- writers ---------------------------------------------------------------------------------


def write_json(console: Console, value: Any) -> None:
    """One JSON document, indented, on stdout."""
    console.data(json.dumps(value, indent=2, ensure_ascii=False) + "\n")


def write_records(
    console: Console, records: Iterable[Mapping[str, Any]], fmt: str, columns: Sequence[str]
) -> int:
    """Write ``records`` to stdout in ``fmt``; return how many were written.

    ``json`` and ``jsonl`` stream record by record; ``table`` holds the records to size its
    columns (callers bound them with ``--limit``); ``csv`` streams with the given ``columns``
    (or the first record's keys).
    """
    if fmt == "jsonl":
        return _each(console, records, lambda r: json.dumps(r, ensure_ascii=False) + "\n")
    if fmt == "json":
        return _json_array(console, records)
    if fmt == "csv":
        return write_csv(console.stdout, records, columns, console.redact)
    rows = list(records)
    console.data(render_table(console, rows, columns_for(rows, columns)))
    return len(rows)


def _each(console: Console, records: Iterable[Mapping[str, Any]], line: Any) -> int:
    count = 0
    for record in records:
        console.data(line(record))
        count += 1
    return count


def _json_array(console: Console, records: Iterable[Mapping[str, Any]]) -> int:
    count = 0
    for record in records:
        body = json.dumps(record, indent=2, ensure_ascii=False).replace("\n", "\n  ")
        console.data(("[\n  " if count == 0 else ",\n  ") + body)
        count += 1
    console.data("\n]\n" if count else "[]\n")
    return count


def csv_rows(
    records: Iterable[Mapping[str, Any]], columns: Sequence[str]
) -> Iterator[tuple[list[str], list[str]]]:
    """(columns, row) for each record; the columns come from the first record when not given."""
    chosen = list(columns)
    for record in records:
        if not chosen:
            chosen = columns_for([record], ())
        yield chosen, [cell_text(value_at(record, c), for_table=False) for c in chosen]


def write_csv(
    stream: TextIO,
    records: Iterable[Mapping[str, Any]],
    columns: Sequence[str],
    redact: Any = None,
    *,
    header: bool = True,
) -> int:
    """CSV with a header row (unless ``header`` is false); return the number of records."""
    writer = csv.writer(stream, lineterminator="\n")
    count = 0
    for chosen, row in csv_rows(records, columns):
        if count == 0 and header:
            writer.writerow(chosen)
        writer.writerow([redact(v) for v in row] if redact else row)
        count += 1
    if count == 0 and header and columns:
        writer.writerow(list(columns))
    return count


def render_table(console: Console, rows: Sequence[Mapping[str, Any]], columns: list[str]) -> str:
    """Aligned columns with a header line; ``(no records)`` on stderr when empty."""
    if not rows:
        console.say("(no records)")
        return ""
    cells = [[cell_text(value_at(r, c), for_table=True) for c in columns] for r in rows]
    widths = [max(len(c), *(len(row[i]) for row in cells)) for i, c in enumerate(columns)]
    head = "  ".join(c.upper().ljust(w) for c, w in zip(columns, widths, strict=True)).rstrip()
    lines = [console.paint(head, _BOLD, err=False)]
    for row in cells:
        lines.append("  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)).rstrip())
    return "\n".join(lines) + "\n"
