"""scripts/bench.py: every workload runs once at toy sizes (no timing is asserted)."""

from __future__ import annotations

import sys
from collections.abc import Iterator

import _bench_env as env
import _bench_server
import _bench_work as work
import bench
import httpx
import pytest

from cw_facade import ConnectWiseClient


@pytest.fixture(scope="module")
def server() -> Iterator[env.BenchServer]:
    with env.BenchServer(1_200, open_count=1_100) as running:
        yield running


def _positive(value: float) -> bool:
    return isinstance(value, float) and value > 0


def test_served_tickets_look_like_production_ones(server: env.BenchServer) -> None:
    url = f"{server.api_root}service/tickets"
    with httpx.Client(headers=work.bare_headers()) as http:
        first = http.get(f"{url}/1").json()
        last = http.get(f"{url}/1200").json()
        count = http.get(f"{url}/count", params={"conditions": work.BULK_CONDITION}).json()
    assert 40 <= len(first) <= 50
    assert (first["closedFlag"], last["closedFlag"]) == (False, True)
    assert count == {"count": 1_100}
    assert first["site"]["_info"]["site_href"].startswith(server.api_root)
    assert len(first["customFields"]) == len(_bench_server._CUSTOM_FIELDS)


def test_parse_and_request_workloads_run(server: env.BenchServer) -> None:
    headers = work.bare_headers()
    with httpx.Client() as http, ConnectWiseClient(**work.client_kwargs(server.base_url)) as c:
        page = http.get(
            f"{server.api_root}service/tickets", params={"pageSize": 1000}, headers=headers
        ).content
        parsers = (work.parse_json, work.parse_facade, work.parse_facade_read)
        assert all(_positive(parse(page)) for parse in (*parsers, work.parse_generated))
        assert _positive(work.page_bare(http, server.api_root, headers))
        assert _positive(work.page_facade(c))
        assert _positive(work.trip_bare(http, server.api_root, headers, 2))
        assert _positive(work.trip_facade(c, 2))


def test_bulk_workloads_see_every_open_ticket(server: env.BenchServer) -> None:
    for run in (work.bulk_sync, work.bulk_async):
        seconds, count = run(server.base_url)
        assert _positive(seconds)
        assert count == 1_100


def test_fresh_process_children_report_sane_shapes(server: env.BenchServer) -> None:
    memory = env.run_json(
        [sys.executable, str(env.SCRIPTS / "_bench_work.py"), "memory", server.base_url, "150"]
    )
    assert memory["tickets"] == 150 and memory["peak_rss_mb"] > 1
    first = env.run_json(
        [sys.executable, str(env.SCRIPTS / "_bench_import.py"), "cw_facade", server.api_root]
    )
    assert first["ok"] is True
    assert 0 < first["import_ms"] <= first["first_ms"]


def test_latency_bound_and_statistics() -> None:
    assert work.latency_bound(20_000, 0.1) == pytest.approx(0.5)
    assert work.latency_bound(1_001, 0.1) == pytest.approx(0.1)
    assert env.median([3.0, 1.0, 2.0]) == 2.0
    assert env.ratios([2.0, 6.0], [1.0, 3.0]) == [2.0, 2.0]
    with pytest.raises(ValueError):
        env.ratios([1.0], [])


def test_report_renders_rows_and_verdicts() -> None:
    report = bench.Report()
    report.row("parse", "json.loads", "1.00 ms", "1.00x")
    report.target("page <= 1.25x", "0.98x", True)
    report.target("peers", "n/a", None)
    report.target("bulk", "2.00x", False)
    text = report.render("header")
    assert text.splitlines()[0] == "header"
    assert "parse  json.loads  1.00 ms  1.00x" in text
    assert "[met ] page <= 1.25x: 0.98x" in text
    assert "[n/a ] peers: n/a" in text and "[MISS] bulk: 2.00x" in text


def test_ratios_print_as_multiples_and_unknown_ones_as_n_a() -> None:
    assert bench.times(1.234) == "1.23x"
    assert bench.times(float("nan")) == "n/a"
    assert bench.ms(0.00123) == "1.23 ms" and bench.ms(0.5) == "500.0 ms"


def test_a_peer_that_cannot_run_is_reported_with_its_reason() -> None:
    runner = bench.PeerRunner(None, "peer install failed: offline", "http://127.0.0.1:1/")
    assert runner.sample("connectpyse", "parse") == {}
    assert runner.why("pyconnectwise") == "n/a (peer install failed: offline)"
