"""``make bench``: cw-facade against a bare httpx baseline and its peers, one table.

Every workload runs against the simulator on loopback, served from a child process
(``scripts/_bench_server.py``: ~45-field tickets, memoized GET answers). Each figure is the
median of interleaved rounds, and each ratio is the median of per-round ratios measured in the
same round. The peers (pyconnectwise, ConnectPyse-Manage) are installed into the throwaway
virtualenv ``.bench/peers`` and run there, one child process per round, never imported here.
``--quick`` is a short smoke run with small sizes; ``--no-peers`` skips the peers; ``--only
SECTION`` (repeatable, or comma-separated) runs only the sections named (see ``SECTIONS``).

The counted sections (``nplus1``, ``many``, ``scan``) run once per ``make bench`` (each
contestant once: the loops are long) against one served simulator with 100 ms latency and a
1,000/min token-bucket limit (429 + ``Retry-After``); for each contestant they report wall
time, the requests the server read and the 429s it answered (counters reset before each
contestant, buckets refilled), errors surfaced, and records wrong against the server's truth.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
from collections.abc import Callable, Sequence
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
#: Simulated WAN latency and tenant rate limit of the counted sections.
COUNTED_LATENCY_MS = 100.0
RATE_LIMIT = "1000/min"
#: Changes a second the mutator makes during each scan (update, insert, delete, close).
MUTATIONS_PER_S = 200.0
MUTATION_SEED = 14
#: The README's async figure for 20,000 tickets at 100 ms (2026-11-23, no changes, no limit).
TODAY_SCAN_S = 1.23
#: Seconds one counted peer run may take (2,000 sequential requests at 100 ms and more).
COUNTED_TIMEOUT_S = 1800.0
#: Round trips timed with the default governor in force (it paces them: keep it short).
PACED_TRIPS = 20
#: Every section, in the order a full run goes; ``--only`` picks some.
SECTIONS = ("parse", "requests", "memory", "import", "bulk", "nplus1", "many", "scan")


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
    notes_tickets: int
    many_ids: int
    scan_tickets: int


FULL = Sizes(7, 3, 200, 5, 20_000, 2_000, 100_000, 15, 500, 2_000, 20_000)
QUICK = Sizes(2, 1, 20, 1, 2_000, 500, 3_000, 2, 50, 100, 2_000)


@dataclass
class Report:
    """Table rows and target verdicts, in order."""

    rows: list[tuple[str, str, str, str]] = field(default_factory=list)
    targets: list[tuple[str, str, bool | None]] = field(default_factory=list)
    counted: list[Counted] = field(default_factory=list)

    def row(self, section: str, name: str, value: str, ratio: str = "") -> None:
        """Add one table row."""
        self.rows.append((section, name, value, ratio))

    def count(self, run: Counted) -> None:
        """Add one row of the counted table (wall time, requests, 429s, errors, wrong)."""
        self.counted.append(run)

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
        if self.counted:
            lines += [
                *([""] if self.rows else []),
                *_columns([COUNTED_HEADER, *map(Counted.cells, self.counted)]),
                *COUNTED_LEGEND,
            ]
        lines += ["", "targets:"]
        for goal, measured, met in self.targets:
            mark = "n/a " if met is None else ("met " if met else "MISS")
            lines.append(f"  [{mark}] {goal}: {measured}")
        return "\n".join(lines)


#: Columns of the counted table.
COUNTED_HEADER = (
    "section",
    "contestant",
    "wall",
    "ratio",
    "requests",
    "429s",
    "errors",
    "records wrong",
    "note",
)
#: What the counted table's columns mean (printed under it).
COUNTED_LEGEND = (
    "ratio: N+1 and get many: speed-up over the bare loop (its wall time / this one);",
    "  exact scan: wall time / bound. requests and 429s: as the server counted them",
    "  (discovery included); records wrong: lost, duplicated or extra against the server's truth",
    f"  (scan: open the whole scan, while {MUTATIONS_PER_S:g} changes/s update, insert, delete",
    "  and close open tickets). Every contestant runs once, with fresh rate-limit buckets.",
)
#: Columns aligned right (numbers).
_RIGHT = {2, 4, 5, 6}


@dataclass
class Counted:
    """One contestant's counted run: ``seconds`` is ``None`` when it could not run (``note``
    says why); ``ratio`` is the section's comparison (e.g. ``12.3x faster than bare``)."""

    section: str
    contestant: str
    seconds: float | None
    requests: int = 0
    throttled: int = 0
    errors: int = 0
    wrong: work.Wrong | None = None
    ratio: str = ""
    note: str = ""

    def cells(self) -> tuple[str, ...]:
        """The row's cells as text."""
        if self.seconds is None:
            counts = (str(self.requests), str(self.throttled), str(self.errors))
            shown = counts if self.requests else ("", "", "")
            return (self.section, self.contestant, "n/a", "", *shown, "", self.note)
        return (
            self.section,
            self.contestant,
            seconds_text(self.seconds),
            self.ratio,
            str(self.requests),
            str(self.throttled),
            str(self.errors),
            str(self.wrong) if self.wrong is not None else "n/a",
            self.note,
        )


def _columns(rows: Sequence[Sequence[str]]) -> list[str]:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return [
        "  ".join(
            cell.rjust(widths[i]) if i in _RIGHT else cell.ljust(widths[i])
            for i, cell in enumerate(row)
        ).rstrip()
        for row in rows
    ]


def seconds_text(seconds: float) -> str:
    """Seconds for the counted table (``ms`` below one second)."""
    return ms(seconds) if seconds < 1 else f"{seconds:.2f} s"


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

    def counted(
        self, peer: str, workload: str, api_root: str, ids: Sequence[int]
    ) -> work.Outcome | str:
        """One counted child run (``notes``, ``many``, ``scan``), or why it could not run.

        A failure here is kept to this run: the peer still runs the next workload.
        """
        if self.python is None or peer in self.failed:
            return self.why(peer)
        script = str(env.SCRIPTS / "_bench_peers.py")
        command = [str(self.python), script, peer, workload, api_root]
        try:
            found = env.run_json(command, COUNTED_TIMEOUT_S, stdin=json.dumps(list(ids)))
        except (RuntimeError, OSError, subprocess.TimeoutExpired) as exc:
            return f"n/a ({workload}: {exc})"
        return work.Outcome(
            float(found["seconds"]), found["produced"], int(found["errors"]), str(found["error"])
        )

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
    """1,000-ticket page and single-ticket round trips, against a bare httpx client.

    These measure what a call costs, so the facade client runs without pacing
    (``rate_limit=None``, like the bare client and the peers); one extra row shows what the
    default governor makes of a tight loop on loopback (it holds it to its pace, by design).
    """
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
    with ConnectWiseClient(**work.governed_kwargs(site)) as governed:
        work.trip_facade(governed, 1)
        paced = work.trip_facade(governed, PACED_TRIPS)
    result = (
        _request_rows(report, "GET 1,000-ticket page", page, peer_page, peers),
        _request_rows(report, "get_ticket round trip", trip, peer_trip, peers),
    )
    label = f"cw-facade, default governor, {PACED_TRIPS} calls in a row"
    report.row("get_ticket round trip", label, ms(paced), "(paced)")
    return result


def _request_rows(
    report: Report,
    section: str,
    ours: dict[str, list[float]],
    peer_samples: dict[str, list[list[float]]],
    peers: PeerRunner,
) -> dict[str, float]:
    ratio = env.median(env.ratios(ours["ours"], ours["bare"]))
    report.row(section, "bare httpx GET + json.loads", ms(env.median(ours["bare"])), "1.00x")
    label = "cw-facade (typed models, rate_limit=None)"
    report.row(section, label, ms(env.median(ours["ours"])), times(ratio))
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


# -- counted sections: N+1, get many, the exact scan while data changes ---------------------


def counted_run(
    server: env.BenchServer,
    section: str,
    contestant: str,
    run: Callable[[], work.Outcome | str],
    judge: Judge,
    *,
    mutate: bool = False,
) -> Counted:
    """Reset the server's counters and buckets, run one contestant, count and judge it.

    With ``mutate`` the mutator changes tickets during the run and ``judge`` gets what it
    reported (``{}`` without it) besides what the contestant produced.
    """
    server.command("reset")
    if mutate:
        server.command(f"mutate start {MUTATIONS_PER_S:g} {MUTATION_SEED}")
    try:
        outcome = run()
    finally:
        changes = server.command("mutate stop") if mutate else {}
    counters = server.command("counters")
    requests, throttled = int(counters["requests"]), int(counters["throttled"])
    if isinstance(outcome, str):
        return Counted(section, contestant, None, note=outcome)
    if outcome.errors and not outcome.produced:
        note = f"n/a ({outcome.error})"
        return Counted(section, contestant, None, requests, throttled, outcome.errors, note=note)
    wrong = judge(outcome.produced, changes)
    note = f"first error: {outcome.error}" if outcome.errors else ""
    return Counted(
        section, contestant, outcome.seconds, requests, throttled, outcome.errors, wrong, note=note
    )


#: Records wrong from (what a contestant produced, what the mutator reported).
Judge = Callable[[Any, dict[str, Any]], work.Wrong]


def _int_keys(produced: Any) -> dict[int, list[int]]:
    """A ``{ticket: [note ids]}`` whose keys came as JSON text, as integers."""
    return {int(k): [int(n) for n in v] for k, v in dict(produced).items()}


def _speedups(report: Report, runs: list[Counted], base: str) -> None:
    """Fill each run's ratio as speed-up against the ``base`` contestant, and report them."""
    reference = next((r.seconds for r in runs if r.contestant == base), None)
    for run in runs:
        if run.seconds is not None and reference:
            run.ratio = "1.00x" if run.contestant == base else f"{reference / run.seconds:.2f}x"
        report.count(run)


def _peer_label(peer: str) -> str:
    return PEER_LABELS[peer]


BARE = "bare httpx loop (sequential)"
OURS_ASYNC = f"cw-facade async (concurrency {work.CONCURRENCY})"
OURS_SYNC = "cw-facade sync"


def nplus1_section(
    report: Report, server: env.BenchServer, sizes: Sizes, peers: PeerRunner
) -> list[Counted]:
    """The notes of tickets 1..N: one call on the facade, one GET per ticket elsewhere."""
    count = sizes.notes_tickets
    section = f"N+1: notes of {count:,} tickets"
    ids = list(range(1, count + 1))
    truth = _int_keys(server.command(f"notes 1 {count}"))

    def judge(produced: Any, _: dict[str, Any]) -> work.Wrong:
        return work.wrong_notes(truth, _int_keys(produced))

    site, root = server.base_url, server.api_root
    contestants: list[tuple[str, Callable[[], work.Outcome | str]]] = [
        (BARE, lambda: work.notes_bare(root, ids)),
        (OURS_ASYNC, lambda: work.notes_facade_async(site, ids)),
        (OURS_SYNC, lambda: work.notes_facade_sync(site, ids)),
    ]
    for peer in PEERS:
        contestants.append((_peer_label(peer), _peer_call(peers, peer, "notes", root, ids)))
    runs = [counted_run(server, section, name, run, judge) for name, run in contestants]
    _speedups(report, runs, BARE)
    return runs


def _peer_call(
    peers: PeerRunner, peer: str, workload: str, root: str, ids: Sequence[int]
) -> Callable[[], work.Outcome | str]:
    return lambda: peers.counted(peer, workload, root, ids)


def many_ids(count: int) -> list[int]:
    """``count`` existing ticket ids, every third one, in a fixed shuffled order."""
    ids = list(range(2, 3 * count + 2, 3))
    random.Random(MUTATION_SEED).shuffle(ids)
    return ids


def many_section(
    report: Report, server: env.BenchServer, sizes: Sizes, peers: PeerRunner
) -> list[Counted]:
    """Tickets by id: ``get_tickets_by_ids`` on the facade, one GET per id elsewhere."""
    ids = many_ids(sizes.many_ids)
    section = f"get many: {len(ids):,} tickets by id"

    def judge(produced: Any, _: dict[str, Any]) -> work.Wrong:
        return work.wrong_ids(ids, [int(i) for i in produced])

    site, root = server.base_url, server.api_root
    contestants: list[tuple[str, Callable[[], work.Outcome | str]]] = [
        (BARE, lambda: work.many_bare(root, ids)),
        (OURS_ASYNC, lambda: work.many_facade_async(site, ids)),
        (OURS_SYNC, lambda: work.many_facade_sync(site, ids)),
    ]
    for peer in PEERS:
        contestants.append((_peer_label(peer), _peer_call(peers, peer, "many", root, ids)))
    runs = [counted_run(server, section, name, run, judge) for name, run in contestants]
    _speedups(report, runs, BARE)
    return runs


#: How the exact-scan rows name the data while they scan it.
CHANGING, STILL = "changing", "not changing"


@dataclass
class ScanResult:
    """The exact-scan section's runs and the bound they are held to."""

    runs: list[Counted]
    bound: float
    parse: float


def scan_section(report: Report, sizes: Sizes, peers: PeerRunner) -> ScanResult:
    """Every open ticket while a mutator changes them; each contestant once."""
    total = sizes.scan_tickets
    section = f"exact scan: {total:,} tickets, {CHANGING}"
    latency = COUNTED_LATENCY_MS / 1000.0
    with env.BenchServer(
        total + total // 5, total, COUNTED_LATENCY_MS, rate_limit=RATE_LIMIT
    ) as server:
        site, root = server.base_url, server.api_root
        pages = _scan_pages(root)  # also warms the server's encoded tickets
        parse = env.median([work.parse_pages(pages) for _ in range(3)])
        bound = work.scan_bound(total, latency, parse)
        still = set(range(1, total + 1))

        def judge_still(produced: Any, _: dict[str, Any]) -> work.Wrong:
            return work.wrong_scan(still, still, [int(i) for i in produced])

        def judge_changing(produced: Any, changes: dict[str, Any]) -> work.Wrong:
            possible = set(changes["initial"]) | set(changes["inserted"])
            return work.wrong_scan(changes["stable"], possible, [int(i) for i in produced])

        runs = [
            counted_run(
                server,
                f"exact scan: {total:,} tickets, {STILL}",
                OURS_ASYNC + ", exact",
                lambda: work.scan_facade_async(site),
                judge_still,
            )
        ]
        contestants: list[tuple[str, Callable[[], work.Outcome | str]]] = [
            (OURS_ASYNC + ", exact", lambda: work.scan_facade_async(site)),
            (OURS_SYNC + ", exact", lambda: work.scan_facade_sync(site)),
            (OURS_ASYNC + ", page numbers", lambda: work.scan_facade_async(site, False)),
            ("bare httpx page loop (page=1, 2, ...)", lambda: work.scan_bare(root)),
        ]
        for peer in PEERS:
            contestants.append((_peer_label(peer), _peer_call(peers, peer, "scan", root, ())))
        for name, contestant in contestants:
            runs.append(counted_run(server, section, name, contestant, judge_changing, mutate=True))
    for found in runs:
        if found.seconds is not None:
            found.ratio = f"{found.seconds / bound:.2f}x bound"
        report.count(found)
    report.row(section, "bound: ceil(pages / concurrency) x latency", ms(bound - parse))
    report.row(section, "bound: + parse time (facade models, one core)", ms(parse))
    report.row(section, "bound: total", ms(bound), "1.00x")
    today = f"{TODAY_SCAN_S:.2f} s" if total == FULL.scan_tickets else "n/a (--quick size)"
    report.row(section, "today's figure (README: async, no changes, no limit)", today)
    return ScanResult(runs, bound, parse)


def _scan_pages(api_root: str) -> list[bytes]:
    """The open tickets' pages as bytes (page numbers; the data is not changing)."""
    pages: list[bytes] = []
    with httpx.Client(headers=work.bare_headers(), timeout=120) as http:
        for page in range(1, 1_000_000):
            params: dict[str, str | int] = {
                "conditions": work.BULK_CONDITION,
                "pageSize": work.PAGE_SIZE,
                "page": page,
            }
            body = http.get(f"{api_root}service/tickets", params=params).raise_for_status()
            pages.append(body.content)
            if len(json.loads(body.content)) < work.PAGE_SIZE:
                return pages
    return pages


def counted_verdicts(report: Report, name: str, runs: list[Counted]) -> None:
    """The targets of the N+1 and get-many sections."""
    by = {r.contestant: r for r in runs}
    ours, bare = by.get(OURS_ASYNC), by.get(BARE)
    if ours is None or ours.seconds is None:
        report.target(f"{name}: facade measured", ours.note if ours else "missing", False)
        return
    peer_seconds = [by[_peer_label(p)].seconds for p in PEERS if _peer_label(p) in by]
    known = [s for s in peer_seconds if s is not None]
    if len(known) == len(PEERS):
        speedup = min(known) / ours.seconds
        report.target(f"{name}: >= 5x faster than the faster peer", times(speedup), speedup >= 5)
    else:
        report.target(f"{name}: >= 5x faster than the faster peer", "peers n/a", None)
    if bare is not None and bare.seconds is not None:
        speedup = bare.seconds / ours.seconds
        report.target(f"{name}: >= 3x faster than the bare loop", times(speedup), speedup >= 3)
    facade = [r for r in runs if r.contestant in (OURS_ASYNC, OURS_SYNC) and r.seconds is not None]
    errors = sum(r.errors for r in facade)
    wrong = sum(r.wrong.total for r in facade if r.wrong is not None)
    report.target(
        f"{name}: facade 0 errors surfaced, 0 records wrong",
        f"{errors} errors, {wrong} wrong",
        errors == 0 and wrong == 0,
    )
    share = ours.throttled / ours.requests if ours.requests else 0.0
    report.target(
        f"{name}: 429s <= 1 % of requests",
        f"{ours.throttled} of {ours.requests} ({share:.1%})",
        share <= 0.01,
    )


def scan_verdicts(report: Report, scan: ScanResult) -> None:
    """The targets of the exact scan while data changes."""
    ours = next(
        (
            r
            for r in scan.runs
            if r.section.endswith(f", {CHANGING}") and r.contestant == OURS_ASYNC + ", exact"
        ),
        None,
    )
    if ours is None or ours.seconds is None or ours.wrong is None:
        report.target("exact scan: async exact measured", ours.note if ours else "missing", False)
        return
    ratio = ours.seconds / scan.bound
    report.target("exact scan: async <= 1.3x (latency bound + parse)", times(ratio), ratio <= 1.3)
    lost, dup = ours.wrong.missing, ours.wrong.duplicated
    report.target(
        "exact scan: 0 lost, 0 duplicated while the data changes",
        f"{lost} lost, {dup} duplicated ({ours.wrong.unexpected} unexpected)",
        ours.wrong.total == 0 and ours.errors == 0,
    )


# -- verdicts -----------------------------------------------------------------------------------


def verdicts(
    report: Report,
    page: dict[str, float] | None,
    trip: dict[str, float] | None,
    bulk: dict[str, float] | None,
    memory: float | None,
    imports: dict[str, float] | None,
) -> None:
    """The issue's targets, each met or not, from this run's ratios (``None``: not run)."""
    if page is not None:
        peer_page = [page[p] for p in PEERS]
        ours = page["ours"]
        report.target("page request <= 1.25x bare httpx", times(ours), ours <= 1.25)
        report.target(
            "page request faster than peers", _vs(ours, peer_page), _beats(ours, peer_page)
        )
    if trip is not None:
        peer_trip = [trip[p] for p in PEERS]
        ours = trip["ours"]
        report.target("get_ticket <= 1.3x bare httpx", times(ours), ours <= 1.3)
        report.target("get_ticket faster than peers", _vs(ours, peer_trip), _beats(ours, peer_trip))
    if bulk is not None:
        async_ratio = bulk["async"] / bulk["bound"]
        report.target("async bulk <= 1.3x latency bound", times(async_ratio), async_ratio <= 1.3)
        speedups = [bulk[p] / bulk["async"] for p in PEERS if bulk[p] == bulk[p]]
        report.target(
            "async bulk >= 5x faster than peers",
            ", ".join(times(s) for s in speedups) or "peers n/a",
            min(speedups) >= 5 if len(speedups) == len(PEERS) else None,
        )
    if memory is not None:
        report.target("memory 100k <= 1.2x 2k", times(memory), memory <= 1.2)
    if imports is not None:
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


def sections(values: Sequence[str] | None) -> tuple[str, ...]:
    """The sections ``--only`` names (comma-separated or repeated), in run order; all if none.

    Raises ``SystemExit`` (argparse's usage error) for a name not in ``SECTIONS``.
    """
    if not values:
        return SECTIONS
    named = {part.strip() for value in values for part in value.split(",") if part.strip()}
    unknown = sorted(named - set(SECTIONS))
    if unknown or not named:
        raise SystemExit(
            f"bench.py: --only: unknown section(s) {', '.join(unknown) or '(none)'}; "
            f"choose from {', '.join(SECTIONS)}"
        )
    return tuple(name for name in SECTIONS if name in named)


def measure(chosen: Sequence[str], sizes: Sizes, peers: PeerRunner) -> Report:
    """Run the ``chosen`` sections at ``sizes`` (``peers``: how to run the peer libraries)."""
    report = Report()
    page = trip = bulk = imports = None
    memory: float | None = None
    if {"parse", "requests", "memory", "import"} & set(chosen):
        with env.BenchServer(max(sizes.memory_large, 2 * work.PAGE_SIZE)) as server:
            peers.api_root = server.api_root
            if "parse" in chosen:
                with httpx.Client() as http:
                    page_bytes = http.get(
                        f"{server.api_root}service/tickets",
                        params={"pageSize": work.PAGE_SIZE},
                        headers=work.bare_headers(),
                    ).content
                parse_section(report, page_bytes, sizes, peers)
            if "requests" in chosen:
                page, trip = request_section(report, server.base_url, server.api_root, sizes, peers)
            if "memory" in chosen:
                memory = memory_section(report, server.base_url, sizes)
            if "import" in chosen:
                imports = import_section(report, server.api_root, sizes, peers.python)
    if "bulk" in chosen:
        bulk = bulk_section(report, sizes, peers)
    verdicts(report, page, trip, bulk, memory, imports)
    if {"nplus1", "many"} & set(chosen):
        tickets = max(3 * sizes.many_ids + 2, sizes.notes_tickets)
        with env.BenchServer(
            tickets,
            latency_ms=COUNTED_LATENCY_MS,
            rate_limit=RATE_LIMIT,
            notes_tickets=sizes.notes_tickets,
        ) as server:
            if "nplus1" in chosen:
                counted_verdicts(report, "N+1", nplus1_section(report, server, sizes, peers))
            if "many" in chosen:
                counted_verdicts(report, "get many", many_section(report, server, sizes, peers))
    if "scan" in chosen:
        scan_verdicts(report, scan_section(report, sizes, peers))
    return report


def main(argv: list[str] | None = None) -> int:
    """Run the sections asked (every one by default) and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="short smoke run, small sizes")
    parser.add_argument("--no-peers", action="store_true", help="skip the peer libraries")
    parser.add_argument(
        "--only",
        action="append",
        metavar="SECTION",
        help=f"run only these sections (repeat or comma-separate): {', '.join(SECTIONS)}",
    )
    args = parser.parse_args(argv)
    chosen = sections(args.only)
    sizes = QUICK if args.quick else FULL
    python, reason = (None, "skipped (--no-peers)") if args.no_peers else env.peer_python()
    report = measure(chosen, sizes, PeerRunner(python, reason, ""))
    print(report.render(f"cw-facade benchmarks — {env.machine()}"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
