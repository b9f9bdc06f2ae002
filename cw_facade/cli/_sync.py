"""``cw sync``: bring a local SQLite copy of the tenant up to date (see :mod:`cw_facade.sync`).

Progress goes to stderr (a bar per resource on a terminal), the summary to stderr as a
table, or to stdout as JSON with ``--json``. A second ``cw sync`` on the same database while
one runs is refused (exit 1); an interrupted run is resumed by the next one.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from cw_facade.cli._exit import UsageError
from cw_facade.cli._progress import Progress
from cw_facade.sync import (
    DEFAULT_MAX_DELETE_FRACTION,
    DEFAULT_OVERLAP,
    RESOURCE_NAMES,
    SyncProgress,
    SyncReport,
    sync,
)
from cw_facade.sync._options import DEFAULT_SYNC_PAGE_SIZE

if TYPE_CHECKING:
    from cw_facade.cli._app import Context

EPILOG = """\
examples:
  cw sync --to sqlite:cw.db                        # every resource; first run: everything
  cw sync --to sqlite:cw.db tickets ticket_notes   # only these (and nothing else)
  cw sync --to sqlite:cw.db --reconcile            # also remove what was deleted upstream
  cw sync --to sqlite:cw.db --json | jq .resources.tickets

resources: """ + ", ".join(RESOURCE_NAMES)


class Bars:
    """One progress line per resource on stderr, fed by :class:`SyncProgress` events."""

    def __init__(self, ctx: Context, enabled: bool, pagesize: int) -> None:
        """Draw on ``ctx``'s stderr when ``enabled``."""
        self.stream = ctx.console.stderr
        self.enabled = enabled
        self.pagesize = pagesize
        self.current: Progress | None = None
        self.key: tuple[str, str] | None = None

    def __call__(self, event: SyncProgress) -> None:
        """Advance (or start, or finish) the line of ``event``'s resource and phase."""
        key = (event.resource, event.phase)
        if event.phase == "done":
            self.close()
            return
        if key != self.key:
            self.close()
            label = event.resource if event.phase == "scan" else f"{event.resource} ids"
            self.current = Progress(
                self.stream, total=event.total, pagesize=self.pagesize, label=label,
                enabled=self.enabled,
            )  # fmt: skip
            self.key = key
        if self.current is not None:
            self.current.advance(max(0, event.records - self.current.records))

    def close(self) -> None:
        """Finish the current line."""
        if self.current is not None:
            self.current.finish()
        self.current, self.key = None, None


def run(ctx: Context, args: argparse.Namespace) -> int:
    """``cw sync``."""
    unknown = [name for name in args.resources if name not in RESOURCE_NAMES]
    if unknown:
        raise UsageError(f"unknown resource {unknown[0]!r}: use {', '.join(RESOURCE_NAMES)}")
    if args.overlap is not None and not args.overlap >= 0:
        raise UsageError("--overlap must be 0 or more seconds")
    overlap = DEFAULT_OVERLAP if args.overlap is None else timedelta(seconds=args.overlap)
    client = ctx.client()
    show = not args.no_progress and bool(getattr(ctx.console.stderr, "isatty", bool)())
    bars = Bars(ctx, show, args.page_size)
    try:
        report = sync(
            client,
            args.resources or None,
            to=args.to,
            reconcile=args.reconcile,
            overlap=overlap,
            max_delete_fraction=args.max_delete_fraction,
            pagesize=args.page_size,
            progress=bars,
        )
    finally:
        bars.close()
    if args.json:
        ctx.console.data(json.dumps(as_json(report), indent=2) + "\n")
    else:
        ctx.console.say(summary_table(report))
    return 0


def as_json(report: SyncReport) -> dict[str, Any]:
    """The report as plain JSON data."""
    return {
        "run_id": report.run_id,
        "database": report.database,
        "requests": report.requests,
        "counts": asdict(report.counts),
        "resources": {
            name: {**asdict(r), "counts": asdict(r.counts)} for name, r in report.resources.items()
        },
    }


def summary_table(report: SyncReport) -> str:
    """The report as a small table (one line per resource) and a total line."""
    head = ("resource", "added", "updated", "deleted", "unchanged", "scan")
    lines = [head]
    for name, r in report.resources.items():
        c = r.counts
        scan = "full" if r.full else f"since {r.since}"
        if r.resumed:
            scan += ", resumed"
        if r.reconciled:
            scan += ", reconciled"
        lines.append((name, str(c.added), str(c.updated), str(c.deleted), str(c.unchanged), scan))
    widths = [max(len(row[i]) for row in lines) for i in range(len(head) - 1)]
    text = []
    for row in lines:
        cells = [row[0].ljust(widths[0])]
        cells += [cell.rjust(width) for cell, width in zip(row[1:-1], widths[1:], strict=True)]
        text.append("  ".join([*cells, row[-1]]))
    total = report.counts
    requests = "" if report.requests is None else f" in {report.requests:,} requests"
    text.append(
        f"synced to {report.database}{requests}: +{total.added} ~{total.updated} "
        f"-{total.deleted} ={total.unchanged} (run {report.run_id})"
    )
    return "\n".join(text)


def _fraction(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 0 <= value <= 1:
        raise argparse.ArgumentTypeError("must be from 0 to 1")
    return value


def register(commands: Any, parents: dict[str, argparse.ArgumentParser]) -> None:
    """Add ``cw sync``."""
    parser = commands.add_parser(
        "sync",
        parents=[parents["connection"]],
        help="sync records into a local SQLite database (incremental, resumable)",
        description=(
            "Copy the tenant's records into SQLite, one table per resource. The first run "
            "reads everything; later runs read what changed since the last one."
        ),
        epilog=EPILOG,
    )
    parser.add_argument("resources", nargs="*", metavar="RESOURCE", help="default: all")
    parser.add_argument("--to", required=True, metavar="sqlite:PATH", help="the database")
    parser.add_argument(
        "--reconcile", action="store_true", help="also delete rows whose records are gone"
    )
    parser.add_argument(
        "--max-delete-fraction",
        type=_fraction,
        default=DEFAULT_MAX_DELETE_FRACTION,
        metavar="F",
        help=f"a reconciliation may delete at most this share of a table "
        f"(default {DEFAULT_MAX_DELETE_FRACTION})",
    )
    parser.add_argument(
        "--overlap", type=float, metavar="SECONDS", help="re-read window before the watermark"
    )
    parser.add_argument("--page-size", type=int, default=DEFAULT_SYNC_PAGE_SIZE)
    parser.add_argument("--json", action="store_true", help="print the report as JSON on stdout")
    parser.add_argument("--no-progress", action="store_true", help="draw no progress bar")
    parser.add_argument("--no-color", action="store_true")
    parser.set_defaults(handler=run)
