"""``cw export``: lazy, id-ordered, resumable exports with progress on stderr."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import httpx
import pytest

from cw_facade.cli._export import _last_line
from cw_facade.testing import ManageSimulator
from tests.cli.conftest import Runner, Tty, run_cw


def ticket_count(cw: Runner, where: str | None = None) -> int:
    args = ["api", "getServiceTicketsCount"] + ([f"conditions={where}"] if where else [])
    return int(json.loads(cw(*args).out)["count"])


def jsonl_ids(path: Path) -> list[int]:
    return [json.loads(line)["id"] for line in path.read_text().splitlines()]


def test_export_jsonl_to_a_file(cw: Runner, tmp_path: Path, sim: ManageSimulator) -> None:
    out = tmp_path / "tickets.jsonl"
    ran = cw("export", "tickets", "--output", str(out), "--page-size", "10")
    assert ran.code == 0, ran.err
    ids = jsonl_ids(out)
    total = ticket_count(cw)
    assert ids == sorted(ids) and len(ids) == len(set(ids)) == total
    pages = -(-total // 10)
    assert (
        ran.err.strip().splitlines()[-1] == f"exported {total:,} tickets ({pages} pages) to {out}"
    )
    listing = [e for e in sim.request_log if e.path.endswith("/service/tickets")]
    assert all(e.headers.get("pagination-type") == "forward-only" for e in listing)
    assert ran.out == ""


def test_export_where_and_fields_to_csv(cw: Runner, tmp_path: Path) -> None:
    out = tmp_path / "open.csv"
    ran = cw(
        "export", "tickets", "--where", "closedFlag=false", "--fields", "summary,status/name",
        "--format", "csv", "--output", str(out),
    )  # fmt: skip
    assert ran.code == 0, ran.err
    rows = list(csv.reader(io.StringIO(out.read_text())))
    assert rows[0] == ["id", "summary", "status/name"]
    assert len(rows) - 1 == ticket_count(cw, "closedFlag=false")
    assert all(r[2] for r in rows[1:])


def test_export_to_stdout(cw: Runner) -> None:
    ran = cw("export", "companies", "--format", "csv")
    assert ran.code == 0
    rows = list(csv.DictReader(io.StringIO(ran.out)))
    assert rows[0]["identifier"] and "exported" in ran.err


def test_export_any_endpoint_path(cw: Runner) -> None:
    ran = cw("export", "service/boards", "--format", "csv")
    assert ran.code == 0, ran.err
    rows = list(csv.DictReader(io.StringIO(ran.out)))
    assert rows and "name" in rows[0] and "id" in rows[0]


def test_an_unknown_resource(cw: Runner) -> None:
    ran = cw("export", "widgets")
    assert ran.code == 2
    assert "unknown resource 'widgets'" in ran.err


def test_an_existing_file_is_kept_without_resume_or_force(cw: Runner, tmp_path: Path) -> None:
    out = tmp_path / "t.jsonl"
    out.write_text('{"id": 1}\n')
    ran = cw("export", "tickets", "--output", str(out))
    assert ran.code == 2 and "--resume" in ran.err
    assert out.read_text() == '{"id": 1}\n'
    forced = cw("export", "tickets", "--output", str(out), "--force")
    assert forced.code == 0
    assert len(jsonl_ids(out)) == ticket_count(cw)


def test_resume_needs_a_file(cw: Runner) -> None:
    ran = cw("export", "tickets", "--resume")
    assert ran.code == 2
    assert "--resume needs --output FILE" in ran.err


@pytest.mark.parametrize("size", ["0", "1001"])
def test_page_size_bounds(cw: Runner, size: str) -> None:
    assert cw("export", "tickets", "--page-size", size).code == 2


def test_a_bad_where_is_refused(cw: Runner) -> None:
    ran = cw("export", "tickets", "--where", "id >")
    assert ran.code == 2
    assert "expected" in ran.err


def test_resume_continues_after_the_last_id(
    cw: Runner, tmp_path: Path, sim: ManageSimulator
) -> None:
    full = tmp_path / "full.jsonl"
    cw("export", "tickets", "--output", str(full))
    lines = full.read_text().splitlines(keepends=True)
    partial = tmp_path / "partial.jsonl"
    partial.write_text("".join(lines[:7]) + lines[7][:15])  # killed mid-line
    ran = cw("export", "tickets", "--output", str(partial), "--resume")
    assert ran.code == 0, ran.err
    assert partial.read_text() == full.read_text()
    last = json.loads(lines[6])["id"]
    assert f"resuming {partial} after id {last}" in ran.err
    assert "dropped a half-written last line" in ran.err
    sent = [e for e in sim.request_log if e.path.endswith("/service/tickets")][-1]
    assert sent.query["conditions"] == f"id > {last}"


def test_resume_keeps_the_where(cw: Runner, tmp_path: Path, sim: ManageSimulator) -> None:
    out = tmp_path / "open.jsonl"
    cw("export", "tickets", "--where", "closedFlag=false", "--output", str(out))
    expected = out.read_text()
    lines = expected.splitlines(keepends=True)
    out.write_text("".join(lines[:3]))
    ran = cw("export", "tickets", "--where", "closedFlag=false", "--output", str(out), "--resume")
    assert ran.code == 0
    assert out.read_text() == expected
    last = json.loads(lines[2])["id"]
    sent = [e for e in sim.request_log if e.path.endswith("/service/tickets")][-1]
    assert sent.query["conditions"] == f"(closedFlag=false) AND id > {last}"


def test_resume_a_csv(cw: Runner, tmp_path: Path) -> None:
    full = tmp_path / "full.csv"
    cw("export", "tickets", "--format", "csv", "--output", str(full))
    text = full.read_text()
    lines = text.splitlines(keepends=True)
    partial = tmp_path / "partial.csv"
    partial.write_text("".join(lines[:5]) + lines[5][:4])
    ran = cw("export", "tickets", "--format", "csv", "--output", str(partial), "--resume")
    assert ran.code == 0, ran.err
    assert partial.read_text() == text


def test_resume_a_csv_with_other_fields_is_refused(cw: Runner, tmp_path: Path) -> None:
    out = tmp_path / "t.csv"
    cw("export", "tickets", "--format", "csv", "--fields", "summary", "--output", str(out))
    ran = cw(
        "export", "tickets", "--format", "csv", "--fields", "board/name", "--output", str(out),
        "--resume",
    )  # fmt: skip
    assert ran.code == 2 and "has columns id,summary" in ran.err


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("t.jsonl", "not json\n", "is not JSON"),
        ("t.jsonl", '{"name": "x"}\n', "no integer id"),
        ("t.csv", "name\nx\n", "no id column"),
        ("t.csv", "id,name\nabc,x\n", "no integer id"),
    ],
)
def test_resume_refuses_a_file_it_cannot_read(
    cw: Runner, tmp_path: Path, name: str, content: str, message: str
) -> None:
    out = tmp_path / name
    out.write_text(content)
    fmt = "csv" if name.endswith(".csv") else "jsonl"
    ran = cw("export", "tickets", "--format", fmt, "--output", str(out), "--resume")
    assert ran.code == 2
    assert message in ran.err


def test_resume_of_an_empty_or_missing_file_starts_afresh(cw: Runner, tmp_path: Path) -> None:
    out = tmp_path / "new.jsonl"
    assert cw("export", "tickets", "--output", str(out), "--resume").code == 0
    assert len(jsonl_ids(out)) == ticket_count(cw)
    header_only = tmp_path / "h.csv"
    header_only.write_text("id,summary\n")
    ran = cw("export", "tickets", "--format", "csv", "--fields", "summary", "--output",
             str(header_only), "--resume")  # fmt: skip
    assert ran.code == 0
    assert len(header_only.read_text().splitlines()) == ticket_count(cw) + 1


def test_last_line_reads_backwards_across_chunks(tmp_path: Path) -> None:
    path = tmp_path / "big.jsonl"
    long_line = json.dumps({"id": 5, "pad": "x" * 200_000})
    path.write_text('{"id": 4}\n' + long_line + "\n\n" + '{"id": 6, "par')
    line, end = _last_line(path)
    assert line is not None and json.loads(line)["id"] == 5
    assert end == len(path.read_bytes()) - len('{"id": 6, "par')
    only = tmp_path / "one.jsonl"
    only.write_text('{"id": 1}')
    assert _last_line(only) == (None, 0)


def test_the_progress_bar_on_a_terminal(env: dict[str, str], tmp_path: Path) -> None:
    err = Tty()
    out = tmp_path / "t.jsonl"
    ran = run_cw(["export", "tickets", "--output", str(out), "--page-size", "20"], env, stderr=err)
    assert ran.code == 0
    frames = ran.err.split("\r\033[K")
    last = frames[-1].splitlines()[0]
    total = len(jsonl_ids(out))
    assert last.startswith(f"tickets {total:,}/{total:,}")
    assert "100% [" in last and f"{-(-total // 20)} pages" in last
    quiet = run_cw(
        ["export", "tickets", "--output", str(out), "--force", "--no-progress"], env, stderr=Tty()
    )
    assert "\r" not in quiet.err


def test_no_total_means_no_eta(tmp_path: Path, env: dict[str, str], sim: ManageSimulator) -> None:
    sim.add_fault("malformed-json", path="/service/tickets/count")
    out = tmp_path / "t.jsonl"
    ran = run_cw(["export", "tickets", "--output", str(out)], env, stderr=Tty())
    assert ran.code == 0, ran.err
    assert "no total from service/tickets/count" in ran.err
    last = ran.err.split("\r\033[K")[-1].splitlines()[0]
    assert last.startswith(f"tickets {len(jsonl_ids(out)):,}  ")
    assert "ETA" not in last and "%" not in last


class InterruptAfter(httpx.HTTPTransport):
    """A real transport that raises KeyboardInterrupt on the Nth ticket page (a Ctrl+C)."""

    def __init__(self, pages: int) -> None:
        super().__init__()
        self.pages = pages

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/service/tickets"):
            self.pages -= 1
            if self.pages < 0:
                raise KeyboardInterrupt
        return super().handle_request(request)


def test_ctrl_c_keeps_whole_pages_and_resume_finishes(
    env: dict[str, str], tmp_path: Path, cw: Runner
) -> None:
    out = tmp_path / "t.jsonl"
    args = ["export", "tickets", "--output", str(out), "--page-size", "10"]
    stopped = run_cw(args, env, transport=InterruptAfter(pages=2))
    assert stopped.code == 130
    assert "interrupted after 20 tickets (run again with --resume to continue)" in stopped.err
    assert jsonl_ids(out) == list(range(1, 21))
    resumed = run_cw([*args, "--resume"], env)
    assert resumed.code == 0, resumed.err
    ids = jsonl_ids(out)
    assert ids == sorted(set(ids)) and len(ids) == ticket_count(cw)
