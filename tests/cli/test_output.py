"""Output formats, colour rules and the progress line."""

from __future__ import annotations

import csv
import io
import json

import pytest

from cw_facade.cli._output import (
    Console,
    cell_text,
    columns_for,
    value_at,
    wants_color,
    write_csv,
    write_records,
)
from cw_facade.cli._progress import Progress, duration
from tests.cli.conftest import Tty

RECORDS = [
    {"id": 1, "summary": "Disk full", "status": {"id": 5, "name": "New"}, "closedFlag": False},
    {"id": 2, "summary": "VPN, down", "status": {"id": 6, "name": "Done"}, "tags": ["a", "b"]},
]


def console(stdout: io.StringIO | None = None, env: dict[str, str] | None = None) -> Console:
    return Console(stdout or io.StringIO(), io.StringIO(), env or {})


@pytest.mark.parametrize(
    ("env", "tty", "disabled", "expected"),
    [
        ({}, True, False, True),
        ({}, False, False, False),
        ({"NO_COLOR": "1"}, True, False, False),
        ({"NO_COLOR": ""}, True, False, True),
        ({"TERM": "dumb"}, True, False, False),
        ({}, True, True, False),
    ],
)
def test_colour_only_on_a_terminal_and_never_with_no_color(
    env: dict[str, str], tty: bool, disabled: bool, expected: bool
) -> None:
    stream = Tty() if tty else io.StringIO()
    assert wants_color(stream, env, disabled) is expected


def test_errors_are_red_only_on_a_terminal() -> None:
    plain = Console(io.StringIO(), io.StringIO(), {})
    plain.error("boom", "try this")
    assert plain.stderr.getvalue() == "cw: error: boom\nhint: try this\n"  # type: ignore[attr-defined]
    coloured = Console(Tty(), Tty(), {})
    coloured.error("boom")
    assert "\033[31m" in coloured.stderr.getvalue()  # type: ignore[attr-defined]
    muted = Console(Tty(), Tty(), {"NO_COLOR": "1"})
    muted.error("boom")
    muted.status(True, "fine")
    assert "\033[" not in muted.stderr.getvalue() + muted.stdout.getvalue()  # type: ignore[attr-defined]


def test_secrets_are_masked_everywhere() -> None:
    out = console()
    out.add_secret("hunter22")
    out.add_secret("ab")  # too short to mask safely: ignored
    out.say("key hunter22 here")
    out.data("data hunter22\n")
    assert "hunter22" not in out.stderr.getvalue() + out.stdout.getvalue()  # type: ignore[attr-defined]
    assert "********" in out.stderr.getvalue()  # type: ignore[attr-defined]
    assert out.redact("ab") == "ab"


def test_value_at_walks_paths_and_tolerates_case() -> None:
    record = {"status": {"Name": "New"}, "id": 3}
    assert value_at(record, "status/name") == "New"
    assert value_at(record, "/id") == 3
    assert value_at(record, "id/name") is None
    assert value_at(record, "missing/x") is None


@pytest.mark.parametrize(
    ("value", "table", "csv_text"),
    [
        (None, "", ""),
        (True, "true", "true"),
        ({"id": 5, "name": "New"}, "New", '{"id":5,"name":"New"}'),
        ({"id": 5}, "5", '{"id":5}'),
        ([1, 2], "[1,2]", "[1,2]"),
        ("a\nb   c", "a b c", "a\nb   c"),
        ("x" * 60, "x" * 47 + "…", "x" * 60),
    ],
)
def test_cell_text(value: object, table: str, csv_text: str) -> None:
    assert cell_text(value, for_table=True) == table
    assert cell_text(value, for_table=False) == csv_text


def test_json_is_one_document() -> None:
    out = console()
    assert write_records(out, iter(RECORDS), "json", ()) == 2
    assert json.loads(out.stdout.getvalue()) == RECORDS  # type: ignore[attr-defined]
    empty = console()
    write_records(empty, iter([]), "json", ())
    assert json.loads(empty.stdout.getvalue()) == []  # type: ignore[attr-defined]


def test_jsonl_is_one_record_per_line() -> None:
    out = console()
    write_records(out, RECORDS, "jsonl", ())
    lines = out.stdout.getvalue().splitlines()  # type: ignore[attr-defined]
    assert [json.loads(line) for line in lines] == RECORDS


def test_csv_uses_the_columns_and_quotes() -> None:
    out = console()
    write_records(out, RECORDS, "csv", ["id", "summary", "status/name"])
    rows = list(csv.reader(io.StringIO(out.stdout.getvalue())))  # type: ignore[attr-defined]
    assert rows == [
        ["id", "summary", "status/name"],
        ["1", "Disk full", "New"],
        ["2", "VPN, down", "Done"],
    ]


def test_csv_without_columns_takes_the_first_records_keys() -> None:
    stream = io.StringIO()
    assert write_csv(stream, RECORDS, ()) == 2
    rows = list(csv.reader(io.StringIO(stream.getvalue())))
    assert rows[0] == ["id", "summary", "status", "closedFlag"]
    assert rows[1][3] == "false"


def test_csv_of_nothing_is_a_header() -> None:
    stream = io.StringIO()
    assert write_csv(stream, [], ["id", "name"]) == 0
    assert stream.getvalue() == "id,name\n"


def test_table_aligns_columns() -> None:
    out = console()
    write_records(out, RECORDS, "table", ["id", "summary", "status"])
    lines = out.stdout.getvalue().splitlines()  # type: ignore[attr-defined]
    assert lines[0].split() == ["ID", "SUMMARY", "STATUS"]
    assert lines[1].startswith("1   Disk full")
    assert lines[1].index("New") == lines[0].index("STATUS")


def test_an_empty_table_says_so_on_stderr() -> None:
    out = console()
    write_records(out, [], "table", ["id"])
    assert out.stdout.getvalue() == ""  # type: ignore[attr-defined]
    assert out.stderr.getvalue() == "(no records)\n"  # type: ignore[attr-defined]


def test_columns_for_skips_info() -> None:
    assert columns_for([{"id": 1, "_info": {}}, {"name": "x"}], ()) == ["id", "name"]
    assert columns_for(RECORDS, ["id"]) == ["id"]


@pytest.mark.parametrize(("seconds", "text"), [(0, "0:00"), (75, "1:15"), (3725, "1:02:05")])
def test_duration(seconds: float, text: str) -> None:
    assert duration(seconds) == text


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_progress_shows_records_pages_rate_and_eta() -> None:
    clock, stream = Clock(), Tty()
    progress = Progress(stream, total=400, pagesize=100, label="tickets", clock=clock)
    clock.now += 2.0
    progress.advance(150)
    line = progress.line()
    assert line.startswith("tickets 150/400")
    assert "38% [█████████░░░" in line
    assert "2 pages" in line
    assert "75/s" in line
    assert "ETA 0:03" in line
    progress.finish()
    assert stream.getvalue().endswith(line + "\n")


def test_progress_without_a_total_has_no_bar_or_eta() -> None:
    clock = Clock()
    progress = Progress(io.StringIO(), total=None, pagesize=10, clock=clock)
    clock.now += 1
    progress.advance(25)
    assert progress.line() == "records 25  3 pages  25/s"


def test_progress_redraws_at_most_every_tenth_of_a_second() -> None:
    clock, stream = Clock(), Tty()
    progress = Progress(stream, total=10, pagesize=5, clock=clock)
    progress.advance()
    progress.advance()
    assert stream.getvalue().count("\r") == 1
    clock.now += 0.2
    progress.advance()
    assert stream.getvalue().count("\r") == 2


def test_disabled_progress_draws_nothing_and_ascii_without_utf8() -> None:
    stream = io.StringIO()
    progress = Progress(stream, total=4, pagesize=2, enabled=False)
    progress.advance(2)
    progress.finish()
    assert stream.getvalue() == ""
    assert "[############------------]" in progress.line()
