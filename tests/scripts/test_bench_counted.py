"""The counted bench sections: server plumbing, records-wrong accounting, a tiny end-to-end run.

No timing is asserted: only what was produced, counted and judged.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import _bench_env as env
import _bench_server as server_mod
import _bench_work as work
import bench
import httpx
import pytest

from cw_facade.testing import ManageSimulator
from cw_facade.testing._crud import dump as plain_dump

# -- records wrong ---------------------------------------------------------------------------


def test_get_many_accounting_counts_lost_duplicated_and_extra_ids() -> None:
    assert work.wrong_ids([1, 2, 3], [3, 1, 2]) == work.Wrong()
    found = work.wrong_ids([1, 2, 3, 4], [1, 1, 2, 9])
    assert found == work.Wrong(missing=2, duplicated=1, unexpected=1)
    assert found.total == 4
    assert str(found) == "4 (2 lost, 1 dup, 1 extra)"
    assert str(work.Wrong()) == "0"


def test_notes_accounting_checks_each_ticket_and_parent() -> None:
    truth = {1: [10, 11], 2: [], 3: [12]}
    assert work.wrong_notes(truth, {1: [11, 10], 2: [], 3: [12]}) == work.Wrong()
    # ticket 3 absent: its note is lost; 12 under ticket 1 is both a duplicate there and extra
    found = work.wrong_notes(truth, {1: [10, 11, 11, 12], 2: [], 7: [99, 98]})
    assert found == work.Wrong(missing=1, duplicated=1, unexpected=3)


def test_scan_accounting_judges_stable_records_and_duplicates() -> None:
    stable, possible = [1, 2, 3], [1, 2, 3, 4, 5]
    # 4 (closed during the scan) and 5 (inserted) may come or not; 3 must
    assert work.wrong_scan(stable, possible, [1, 2, 3, 5]) == work.Wrong()
    assert work.wrong_scan(stable, possible, [1, 2]) == work.Wrong(missing=1)
    assert work.wrong_scan(stable, possible, [1, 2, 2, 3, 4, 4]) == work.Wrong(duplicated=2)
    assert work.wrong_scan(stable, possible, [1, 2, 3, 8]) == work.Wrong(unexpected=1)


def test_scan_bound_adds_parse_time_to_the_latency_bound() -> None:
    assert work.scan_bound(20_000, 0.1, 0.6) == pytest.approx(1.1)


# -- the bench server's id window and encoded tickets ----------------------------------------


@pytest.mark.parametrize(
    ("conditions", "window"),
    [
        ("(closedFlag = false) AND id > 5 AND id <= 10", (5, 10, None)),
        ("id >= 5 and id < 10", (4, 9, None)),
        (
            "id in (3, 1, 2) and closedFlag = false",
            (-1, server_mod._NO_UPPER, frozenset({1, 2, 3})),
        ),
        ("id = 4 and id in (4, 5)", (-1, server_mod._NO_UPPER, frozenset({4}))),
        ("closedFlag = false", None),
        ("id > 5 or id < 2", None),
        ("id != 3", None),
        ("not (id > 5)", None),
        ("id > ", None),
    ],
)
def test_id_window_reads_only_a_top_level_and(conditions: str, window: Any) -> None:
    assert server_mod.id_window(conditions) == window


@pytest.fixture(scope="module")
def sim() -> Iterator[server_mod.BenchSimulator]:
    simulator = server_mod.BenchSimulator(tickets=300)
    with simulator:
        simulator.widen_tickets(250)
        simulator.narrow_tickets()
        simulator.seed_notes(12)
        yield simulator


def _ids(sim: ManageSimulator, params: dict[str, Any], **headers: str) -> list[int]:
    with httpx.Client(headers={**work.bare_headers(), **headers}) as http:
        answer = http.get(f"{sim.api_root}service/tickets", params=params)
    answer.raise_for_status()
    return [r["id"] for r in answer.json()]


def test_narrowed_listings_answer_as_the_unnarrowed_filter_does(
    sim: server_mod.BenchSimulator,
) -> None:
    sim.memo.enabled = False
    try:
        every = _ids(sim, {"pageSize": 1000})
        assert every == list(range(1, 301))
        cases = {
            "closedFlag = false AND id > 240 AND id <= 260": list(range(241, 251)),
            "id in (300, 7, 250, 999) AND closedFlag = false": [7, 250],
            "id >= 299": [299, 300],
            "(id > 10 AND id < 13) AND closedFlag = false": [11, 12],
        }
        for conditions, expected in cases.items():
            assert _ids(sim, {"conditions": conditions, "pageSize": 1000}) == expected
        forward = _ids(
            sim,
            {"conditions": "closedFlag = false AND id <= 20", "pageSize": 5, "pageId": 12},
            **{"pagination-type": "forward-only"},
        )
        assert forward == [13, 14, 15, 16, 17]
    finally:
        sim.memo.enabled = True


def test_encoded_tickets_are_the_same_bytes_as_a_plain_dump(
    sim: server_mod.BenchSimulator,
) -> None:
    encoder = server_mod.EncodedTickets(sim)
    records = sim.store.collection(server_mod.TICKETS).records
    payload = [records[1], records[2], {"id": 1, "copy": True}, records[3]]
    assert encoder(payload) == plain_dump(payload)
    assert encoder(payload) == plain_dump(payload)  # the second time from the kept bytes
    assert encoder({"count": 3}) == plain_dump({"count": 3})
    assert encoder([]) == plain_dump([])
    changed = {**records[2], "summary": "new"}
    assert encoder([changed]) == plain_dump([changed])


def test_seeded_notes_follow_the_rule_and_are_served(sim: server_mod.BenchSimulator) -> None:
    truth = sim.note_ids(1, 12)
    assert [len(truth[str(t)]) for t in range(1, 13)] == [
        server_mod.notes_for(t) for t in range(1, 13)
    ]
    with httpx.Client(headers=work.bare_headers()) as http:
        for ticket in (3, 4, 7):
            served = http.get(f"{sim.api_root}service/tickets/{ticket}/notes").json()
            assert [n["id"] for n in served] == truth[str(ticket)]
            assert all(n["ticketId"] == ticket for n in served)


def test_mutator_changes_leave_exactly_the_stable_tickets_open(
    sim: server_mod.BenchSimulator,
) -> None:
    tickets = sim.store.collection(server_mod.TICKETS)
    before, next_id = dict(tickets.records), tickets.next_id
    mutator = server_mod.Mutator(sim, 100, seed=3)
    for _ in range(400):
        mutator.change()
    during = dict(tickets.records)
    report = mutator.stop()
    assert report["initial"] == list(range(1, 251))
    assert all(report["ops"][kind] > 0 for kind in ("update", "insert", "delete", "close"))
    open_now = {k for k, r in during.items() if r["closedFlag"] is False}
    assert open_now == set(report["stable"]) | set(report["inserted"])
    assert set(report["inserted"]) == set(range(next_id, next_id + report["ops"]["insert"]))
    updated = [k for k in report["stable"] if during[k] is not before[k]]
    assert updated and all(during[k]["summary"].startswith("Changed") for k in updated)
    assert all(
        during[k]["_info"]["lastUpdated"] > before[k]["_info"]["lastUpdated"] for k in updated
    )
    assert tickets.records == before and tickets.next_id == next_id  # restored


def test_the_mutator_thread_runs_until_stopped(sim: server_mod.BenchSimulator) -> None:
    tickets = sim.store.collection(server_mod.TICKETS)
    before = dict(tickets.records)
    sim.start_mutator(2000, seed=5)
    assert not sim.memo.enabled
    with pytest.raises(RuntimeError, match="already running"):
        sim.start_mutator(10, seed=1)
    deadline = time.monotonic() + 60
    while tickets.records == before and time.monotonic() < deadline:
        time.sleep(0.01)  # wait for a first change (no timing is asserted)
    report = sim.stop_mutator()
    assert sum(report["ops"].values()) > 0
    assert tickets.records == before and sim.memo.enabled
    with pytest.raises(RuntimeError, match="not running"):
        sim.stop_mutator()
    with pytest.raises(ValueError, match="positive"):
        server_mod.Mutator(sim, 0, seed=1)


# -- the control channel, counters and a rate-limited bare loop ------------------------------


def test_control_channel_counts_throttles_and_resets() -> None:
    with env.BenchServer(30, rate_limit="3/min", notes_tickets=5) as running:
        url = f"{running.api_root}service/tickets/1"
        with httpx.Client(headers=work.bare_headers()) as http:
            statuses = [http.get(url).status_code for _ in range(4)]
            assert statuses == [200, 200, 200, 429]
            assert running.command("counters") == {"requests": 4, "throttled": 1}
            assert running.command("reset") == {"ok": True}
            assert running.command("counters") == {"requests": 0, "throttled": 0}
            assert http.get(url).status_code == 200  # the bucket is full again
        notes = running.command("notes 1 5")
        assert [len(notes[str(t)]) for t in range(1, 6)] == [1, 2, 3, 0, 1]
        every = [n for t in range(1, 6) for n in notes[str(t)]]
        assert every == sorted(set(every))
        with pytest.raises(RuntimeError, match="unknown command 'bogus'"):
            running.command("bogus")
        with pytest.raises(RuntimeError, match="not running"):
            running.command("mutate stop")
        with pytest.raises(RuntimeError, match="positive"):
            running.command("mutate start -1 3")
    with pytest.raises(RuntimeError, match="not running"):
        running.command("counters")


def test_bare_loop_sleeps_retry_after_and_tries_again(monkeypatch: pytest.MonkeyPatch) -> None:
    with ManageSimulator(rate_limit="1/min", tickets=5) as sim:
        slept: list[float] = []

        def sleep(seconds: float) -> None:
            slept.append(seconds)
            sim.set_rate_limit("1/min")  # a fresh bucket instead of a minute's wait

        monkeypatch.setattr(work.time, "sleep", sleep)
        found = work.many_bare(sim.api_root, [1, 2])
        assert found.produced == [1, 2] and found.errors == 0
        assert slept == [60.0]
        assert sim.counters.throttled == 1 and sim.counters.requests == 3


def test_bare_loop_counts_an_error_and_goes_on() -> None:
    with ManageSimulator(tickets=5) as sim:
        found = work.many_bare(sim.api_root, [1, 999, 2])
        assert found.produced == [1, 2]
        assert found.errors == 1 and "404" in found.error


# -- bench.py: --only, the counted table, a tiny end-to-end run -----------------------------


def test_only_picks_sections_in_run_order_and_refuses_unknown_ones() -> None:
    assert bench.sections(None) == bench.SECTIONS
    assert bench.sections(["scan,nplus1", "many"]) == ("nplus1", "many", "scan")
    with pytest.raises(SystemExit, match=r"unknown section.*nope"):
        bench.sections(["nope"])
    with pytest.raises(SystemExit, match="unknown section"):
        bench.sections([" , "])


def test_counted_table_renders_numbers_and_reasons() -> None:
    report = bench.Report()
    report.count(bench.Counted("N+1", "bare", 51.2, 500, 0, 0, work.Wrong(), "1.00x"))
    report.count(bench.Counted("N+1", "peer", None, note="n/a (peer install failed)"))
    report.count(bench.Counted("N+1", "broken", None, 3, 1, 1, note="n/a (boom)"))
    report.count(
        bench.Counted("N+1", "other", 0.25, 7, 1, 2, work.Wrong(missing=3), "204.80x", "first")
    )
    text = report.render("header")
    lines = text.splitlines()
    assert any(line.split()[:2] == ["section", "contestant"] for line in lines)
    row = next(line for line in lines if "other" in line)
    assert row.split()[2:] == ["250.0", "ms", "204.80x", "7", "1", "2", "3", "(3", "lost)", "first"]
    assert "n/a (peer install failed)" in text and "51.20 s" in text
    broken = next(line for line in lines if "broken" in line)
    assert broken.split()[2:] == ["n/a", "3", "1", "1", "n/a", "(boom)"]
    assert bench.COUNTED_LEGEND[0] in text


def test_a_tiny_run_of_the_counted_sections(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bench, "COUNTED_LATENCY_MS", 5.0)
    tiny = bench.Sizes(1, 1, 1, 1, 0, 0, 0, 1, 6, 5, 400)
    peers = bench.PeerRunner(None, "skipped (--no-peers)", "")
    report = bench.measure(("nplus1", "many", "scan"), tiny, peers)
    runs = {
        (r.section.split(":")[0], r.section.endswith("not changing"), r.contestant): r
        for r in report.counted
    }
    assert len(runs) == len(report.counted) == 5 + 5 + 7
    bare = runs["N+1", False, bench.BARE]
    assert (bare.requests, bare.throttled, bare.errors, bare.wrong) == (6, 0, 0, work.Wrong())
    assert runs["get many", False, bench.BARE].requests == 5
    ours = [r for k, r in runs.items() if "cw-facade" in k[2] and "page numbers" not in k[2]]
    assert len(ours) == 2 + 2 + 3
    for run in ours:
        assert run.seconds is not None and run.errors == 0, run
        assert run.wrong == work.Wrong(), run
        assert 0 < run.requests, run
    for key in (("N+1", False, bench.OURS_ASYNC), ("get many", False, bench.OURS_ASYNC)):
        assert runs[key].requests < 5  # discovery and one batch, not one GET per id
    peer_rows = [r for r in report.counted if r.contestant in bench.PEER_LABELS.values()]
    assert len(peer_rows) == 2 * 3
    assert all(r.seconds is None and "--no-peers" in r.note for r in peer_rows)
    verdicts = {goal: met for goal, _, met in report.targets}
    assert verdicts["N+1: facade 0 errors surfaced, 0 records wrong"] is True
    assert verdicts["get many: facade 0 errors surfaced, 0 records wrong"] is True
    assert verdicts["exact scan: 0 lost, 0 duplicated while the data changes"] is True
    assert verdicts["N+1: >= 5x faster than the faster peer"] is None  # peers n/a


def test_a_peer_that_cannot_run_a_counted_workload_says_why(tmp_path: Any) -> None:
    failing = tmp_path / "python"
    failing.write_text("#!/bin/sh\necho 'peer exploded' >&2\nexit 3\n")
    failing.chmod(0o755)
    runner = bench.PeerRunner(failing, "", "http://127.0.0.1:1/")
    found = runner.counted("connectpyse", "notes", "http://127.0.0.1:1/", [1, 2])
    assert found == "n/a (notes: peer exploded)"
    assert runner.failed == {}  # the next workload still runs


def test_counted_workloads_keep_the_default_governor() -> None:
    assert work.client_kwargs("http://127.0.0.1:1")["rate_limit"] is None  # overhead rows
    assert "rate_limit" not in work.governed_kwargs("http://127.0.0.1:1")  # counted rows
