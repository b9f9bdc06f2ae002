"""``make bench``: cw-facade against a bare httpx baseline and its peers, one table.

Every workload runs against the simulator on loopback, served from a child process
(``scripts/_bench_server.py``: ~45-field tickets, memoized GET answers). Each figure is the
median of interleaved rounds, and each ratio is the median of per-round ratios measured in the
same round. The peers (pyconnectwise, ConnectPyse-Manage) are installed into the throwaway
virtualenv ``.bench/peers`` and run there, one child process per round, never imported here.
``--quick`` is a short smoke run with small sizes; ``--no-peers`` skips the peers.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _bench_env as env
import _bench_work as work

PEERS = ("connectpyse", "pyconnectwise")
PEER_LABELS = {"connectpyse": "ConnectPyse-Manage 0.0.7", "pyconnectwise": "pyconnectwise 0.6.1.2"}
#: Simulated WAN latency of the bulk sync, per request.
BULK_LATENCY_MS = 100.0


@dataclass(frozen=True)
class Sizes:
    """How much work each section does."""

    rounds: int
    pairs: int
    trip_calls: int
    bulk_rounds: int
    bulk_tickets: int
    memory_small: int
    memory_large: int
    import_runs: int


FULL = Sizes(7, 3, 200, 5, 20_000, 2_000, 100_000, 15)
QUICK = Sizes(2, 1, 20, 1, 2_000, 500, 3_000, 2)


@dataclass
class Report:
    """Table rows and target verdicts, in order."""

    rows: list[tuple[str, str, str, str]] = field(default_factory=list)
    targets: list[tuple[str, str, bool | None]] = field(default_factory=list)

    def row(self, section: str, name: str, value: str, ratio: str = "") -> None:
        """Add one table row."""
        self.rows.append((section, name, value, ratio))

    def target(self, goal: str, measured: str, met: bool | None) -> None:
        """Record a target; ``None``: not measurable here."""
        self.targets.append((goal, measured, met))

    def render(self, header: str) -> str:
        """The table as text."""
        widths = [max(len(r[i]) for r in self.rows) for i in range(4)] if self.rows else [0] * 4
        lines = [header, ""]
        for section, name, value, ratio in self.rows:
            lines.append(
                f"{section:<{widths[0]}}  {name:<{widths[1]}}  "
                f"{value:>{widths[2]}}  {ratio:<{widths[3]}}".rstrip()
            )
        lines += ["", "targets:"]
        for goal, measured, met in self.targets:
            mark = "n/a " if met is None else ("met " if met else "MISS")
            lines.append(f"  [{mark}] {goal}: {measured}")
        return "\n".join(lines)


def ms(seconds: float) -> str:
    """Milliseconds, three significant-ish digits."""
    value = seconds * 1000.0
    return f"{value:.2f} ms" if value < 10 else f"{value:.1f} ms"


def times(ratio: float) -> str:
    """A ratio as ``1.23x`` (``n/a`` when it could not be measured)."""
    return f"{ratio:.2f}x" if ratio == ratio else "n/a"


class PeerRunner:
    """Runs peer workloads in the throwaway virtualenv, remembering failures as reasons."""

    def __init__(self, python: Path | None, reason: str, api_root: str) -> None:
        self.python, self.api_root = python, api_root
        self.failed: dict[str, str] = {p: reason for p in PEERS} if python is None else {}

    def sample(
        self, peer: str, workload: str, calls: int = 1, pairs: int = 1, root: str = ""
    ) -> dict[str, Any]:
        """One child run, or ``{}`` when the peer cannot run (the reason is kept)."""
        if self.python is None or peer in self.failed:
            return {}
        script = str(env.SCRIPTS / "_bench_peers.py")
        where = root or self.api_root
        command = [str(self.python), script, peer, workload, where, str(calls), str(pairs)]
        try:
            return env.run_json(command)
        except (RuntimeError, OSError) as exc:
            self.failed[peer] = f"{workload}: {exc}"
            return {}

    def why(self, peer: str) -> str:
        """Why a peer has no figure."""
        return f"n/a ({self.failed.get(peer, 'no samples')})"


# -- sections -----------------------------------------------------------------------------------


def parse_section(report: Report, page: bytes, sizes: Sizes, peers: PeerRunner) -> dict[str, float]:
    """Bytes of a 1,000-ticket page to models; ratios to ``json.loads`` of the same bytes."""
    ours: dict[str, Callable[[bytes], float]] = {
        "json.loads (baseline)": work.parse_json,
        "cw-facade models": work.parse_facade,
        "cw-facade models + 6 fields read": work.parse_facade_read,
        "generated attrs from_dict": work.parse_generated,
    }
    samples: dict[str, list[float]] = {name: [] for name in ours}
    peer_samples: dict[str, list[list[float]]] = {p: [] for p in PEERS}
    for fn in ours.values():
        fn(page)  # warm up imports and caches
    for _ in range(sizes.rounds):
        for _ in range(sizes.pairs):
            for name, fn in ours.items():
                samples[name].append(fn(page))
        for peer in PEERS:
            found = peers.sample(peer, "parse", pairs=sizes.pairs)
            peer_samples[peer].extend(found.get("pairs", []))
    base = samples["json.loads (baseline)"]
    result: dict[str, float] = {}
    for name, values in samples.items():
        ratio = env.median(env.ratios(values, base))
        result[name] = ratio
        report.row("parse 1,000 tickets", name, ms(env.median(values)), times(ratio))
    for peer in PEERS:
        result[peer] = _peer_rows(report, "parse 1,000 tickets", peer, peer_samples[peer], peers)
    return result


def _peer_rows(
    report: Report, section: str, peer: str, pairs: list[list[float]], peers: PeerRunner
) -> float:
    """Rows for a peer measured against its own in-process baseline; returns its ratio."""
    if not pairs:
        report.row(section, PEER_LABELS[peer], peers.why(peer))
        return float("nan")
    values = [pair[1] for pair in pairs]
    ratio = env.median(env.ratios(values, [pair[0] for pair in pairs]))
    report.row(section, PEER_LABELS[peer], ms(env.median(values)), times(ratio))
    return ratio


def request_section(
    report: Report, site: str, api_root: str, sizes: Sizes, peers: PeerRunner
) -> tuple[dict[str, float], dict[str, float]]:
    """1,000-ticket page and single-ticket round trips, against a bare httpx client."""
    from cw_facade import ConnectWiseClient

    headers = work.bare_headers()
    page: dict[str, list[float]] = {"bare": [], "ours": []}
    trip: dict[str, list[float]] = {"bare": [], "ours": []}
    peer_page: dict[str, list[list[float]]] = {p: [] for p in PEERS}
    peer_trip: dict[str, list[list[float]]] = {p: [] for p in PEERS}
    with httpx.Client() as http, ConnectWiseClient(**work.client_kwargs(site)) as client:
        work.page_bare(http, api_root, headers), work.page_facade(client)  # warm up
        work.trip_facade(client, 5), work.trip_bare(http, api_root, headers, 5)
        for _ in range(sizes.rounds):
            for _ in range(sizes.pairs):
                page["bare"].append(work.page_bare(http, api_root, headers))
                page["ours"].append(work.page_facade(client))
                trip["bare"].append(work.trip_bare(http, api_root, headers, sizes.trip_calls))
                trip["ours"].append(work.trip_facade(client, sizes.trip_calls))
            for peer in PEERS:
                found = peers.sample(peer, "page", pairs=sizes.pairs)
                peer_page[peer].extend(found.get("pairs", []))
                found = peers.sample(peer, "trip", sizes.trip_calls, sizes.pairs)
                peer_trip[peer].extend(found.get("pairs", []))
    return (
        _request_rows(report, "GET 1,000-ticket page", page, peer_page, peers),
        _request_rows(report, "get_ticket round trip", trip, peer_trip, peers),
    )


def _request_rows(
    report: Report,
    section: str,
    ours: dict[str, list[float]],
    peer_samples: dict[str, list[list[float]]],
    peers: PeerRunner,
) -> dict[str, float]:
    ratio = env.median(env.ratios(ours["ours"], ours["bare"]))
    report.row(section, "bare httpx GET + json.loads", ms(env.median(ours["bare"])), "1.00x")
    report.row(section, "cw-facade (typed models)", ms(env.median(ours["ours"])), times(ratio))
    result = {"ours": ratio}
    for peer in PEERS:
        result[peer] = _peer_rows(report, section, peer, peer_samples[peer], peers)
    return result


def bulk_section(report: Report, sizes: Sizes, peers: PeerRunner) -> dict[str, float]:
    """All tickets matching a condition, 100 ms latency per request, pages of 1,000."""
    total = sizes.bulk_tickets
    section = f"bulk sync {total:,} tickets"
    latency = BULK_LATENCY_MS / 1000.0
    found: dict[str, list[float]] = {"sync": [], "async": [], **{p: [] for p in PEERS}}
    with env.BenchServer(total + total // 5, total, BULK_LATENCY_MS) as server:
        work.bulk_async(server.base_url)  # warm up the server's memo
        for _ in range(sizes.bulk_rounds):
            for name, run in (("sync", work.bulk_sync), ("async", work.bulk_async)):
                seconds, count = run(server.base_url)
                _check_count(name, count, total)
                found[name].append(seconds)
            for peer in PEERS:
                if sample := peers.sample(peer, "bulk", root=server.api_root):
                    _check_count(peer, int(sample["tickets"]), total)
                    found[peer].append(sample["peer"])
    bound = work.latency_bound(total, latency)
    medians = {name: env.median(values) for name, values in found.items()}
    report.row(section, f"latency-bound limit (concurrency {work.CONCURRENCY})", ms(bound), "1.00x")
    report.row(section, "cw-facade sync", ms(medians["sync"]), times(medians["sync"] / bound))
    label = f"cw-facade async, concurrency {work.CONCURRENCY}"
    report.row(section, label, ms(medians["async"]), times(medians["async"] / bound))
    for peer in PEERS:
        if found[peer]:
            report.row(section, PEER_LABELS[peer], ms(medians[peer]), times(medians[peer] / bound))
        else:
            report.row(section, PEER_LABELS[peer], peers.why(peer))
    return {**medians, "bound": bound}


def _check_count(name: str, count: int, expected: int) -> None:
    if count != expected:
        raise RuntimeError(f"{name} produced {count} tickets, expected {expected}")


def memory_section(report: Report, site: str, sizes: Sizes) -> float:
    """Peak RSS of lazily iterating a small and a large scan, each in a fresh process."""
    peaks: dict[int, list[float]] = {sizes.memory_small: [], sizes.memory_large: []}
    script = str(env.SCRIPTS / "_bench_work.py")
    for _ in range(max(1, sizes.rounds // 2)):
        for count in peaks:
            result = env.run_json([sys.executable, script, "memory", site, str(count)])
            _check_count(f"memory {count}", int(result["tickets"]), count)
            peaks[count].append(result["peak_rss_mb"])
    small, large = (env.median(peaks[c]) for c in peaks)
    section = "memory, lazy iter_tickets"
    report.row(section, f"peak RSS, {sizes.memory_small:,} tickets", f"{small:.1f} MB", "1.00x")
    report.row(
        section,
        f"peak RSS, {sizes.memory_large:,} tickets",
        f"{large:.1f} MB",
        times(large / small),
    )
    return large / small


def import_section(
    report: Report, api_root: str, sizes: Sizes, peer_python: Path | None
) -> dict[str, float]:
    """``import`` and import + first parsed ticket, fresh process, median of several."""
    script = str(env.SCRIPTS / "_bench_import.py")
    pythons = {"cw_facade": Path(sys.executable)}
    pythons.update({p: peer_python for p in PEERS if peer_python is not None})
    samples: dict[str, list[dict[str, float]]] = {name: [] for name in pythons}
    for _ in range(sizes.import_runs):
        for name, python in pythons.items():
            samples[name].append(env.run_json([str(python), script, name, api_root]))
    result: dict[str, float] = {}
    labels = {"cw_facade": "cw-facade", **PEER_LABELS}
    for name, values in samples.items():
        imported = env.median([v["import_ms"] for v in values])
        first = env.median([v["first_ms"] for v in values])
        result[name] = first
        report.row("import (fresh process)", f"{labels[name]}: import", f"{imported:.1f} ms")
        report.row("import (fresh process)", f"{labels[name]}: + first ticket", f"{first:.1f} ms")
    return result


# -- verdicts -----------------------------------------------------------------------------------


def verdicts(
    report: Report,
    page: dict[str, float],
    trip: dict[str, float],
    bulk: dict[str, float],
    memory: float,
    imports: dict[str, float],
) -> None:
    """The issue's targets, each met or not, from this run's ratios."""
    peer_page = [page[p] for p in PEERS]
    report.target("page request <= 1.25x bare httpx", times(page["ours"]), page["ours"] <= 1.25)
    report.target(
        "page request faster than peers",
        _vs(page["ours"], peer_page),
        _beats(page["ours"], peer_page),
    )
    peer_trip = [trip[p] for p in PEERS]
    report.target("get_ticket <= 1.3x bare httpx", times(trip["ours"]), trip["ours"] <= 1.3)
    report.target(
        "get_ticket faster than peers",
        _vs(trip["ours"], peer_trip),
        _beats(trip["ours"], peer_trip),
    )
    async_ratio = bulk["async"] / bulk["bound"]
    report.target("async bulk <= 1.3x latency bound", times(async_ratio), async_ratio <= 1.3)
    speedups = [bulk[p] / bulk["async"] for p in PEERS if bulk[p] == bulk[p]]
    report.target(
        "async bulk >= 5x faster than peers",
        ", ".join(times(s) for s in speedups) or "peers n/a",
        min(speedups) >= 5 if len(speedups) == len(PEERS) else None,
    )
    report.target("memory 100k <= 1.2x 2k", times(memory), memory <= 1.2)
    peer_first = [imports[p] for p in PEERS if p in imports]
    text = ", ".join(f"{imports[k]:.0f} ms" for k in imports)
    report.target(
        "import + first call no slower than peers",
        text,
        all(imports["cw_facade"] <= v for v in peer_first) if peer_first else None,
    )


def _vs(ours: float, peers: list[float]) -> str:
    return f"ours {times(ours)}, peers " + ", ".join(times(p) for p in peers)


def _beats(ours: float, peers: list[float]) -> bool | None:
    known = [p for p in peers if p == p]  # drop nan
    return all(ours < p for p in known) if len(known) == len(peers) else None


def main(argv: list[str] | None = None) -> int:
    """Run every section and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="short smoke run, small sizes")
    parser.add_argument("--no-peers", action="store_true", help="skip the peer libraries")
    args = parser.parse_args(argv)
    sizes = QUICK if args.quick else FULL
    python, reason = (None, "skipped (--no-peers)") if args.no_peers else env.peer_python()
    report = Report()
    with env.BenchServer(max(sizes.memory_large, 2 * work.PAGE_SIZE)) as server:
        peers = PeerRunner(python, reason, server.api_root)
        with httpx.Client() as http:
            page_bytes = http.get(
                f"{server.api_root}service/tickets",
                params={"pageSize": work.PAGE_SIZE},
                headers=work.bare_headers(),
            ).content
        parse_section(report, page_bytes, sizes, peers)
        page, trip = request_section(report, server.base_url, server.api_root, sizes, peers)
        memory = memory_section(report, server.base_url, sizes)
        imports = import_section(report, server.api_root, sizes, peers.python)
    bulk = bulk_section(report, sizes, peers)
    verdicts(report, page, trip, bulk, memory, imports)
    print(report.render(f"cw-facade benchmarks — {env.machine()}"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
