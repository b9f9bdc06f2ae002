"""``cw export RESOURCE``: every matching record to a JSONL or CSV file, resumable.

The scan is lazy (``iter_all``, one page in memory) and forward-only, so records come in id
order and a page boundary never shifts. The file is flushed after each page. ``--resume``
reads the last complete record of the file (dropping a half-written last line), and continues
with ``id > last`` added to the conditions. Progress goes to stderr; the total for the ETA
comes from ``/count``.
"""

from __future__ import annotations

import argparse
import csv
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from cw_facade import ConnectWiseAPIError
from cw_facade.cli._exit import INTERRUPTED, UsageError
from cw_facade.cli._output import csv_rows
from cw_facade.cli._progress import Progress
from cw_facade.cli._resources import BY_NAME, RESOURCES, check_where, split_fields

if TYPE_CHECKING:
    from cw_facade.cli._app import Context

DEFAULT_PAGE_SIZE = 1000
_CHUNK = 64 * 1024

EPILOG = """\
examples:
  cw export tickets --where 'closedFlag=false' --output open.jsonl
  cw export companies --format csv --fields id,identifier,name --output companies.csv
  cw export tickets --output all.jsonl --resume      # continue after an interruption
  cw export service/boards --format csv > boards.csv  # any list endpoint
"""


def target(name: str) -> tuple[str, str, tuple[str, ...]]:
    """(endpoint, label, default CSV columns) for a resource name or an endpoint path."""
    if name in BY_NAME:
        resource = BY_NAME[name]
        return resource.endpoint, resource.name, resource.columns
    if "/" in name.strip("/"):
        return name.strip("/"), name.strip("/"), ()
    known = ", ".join(r.name for r in RESOURCES)
    raise UsageError(
        f"unknown resource {name!r}: use one of {known}, or a path like service/boards"
    )


def _last_line(path: Path) -> tuple[bytes | None, int]:
    """The last complete line of ``path`` and the offset just after it (0 when none)."""
    with path.open("rb") as handle:
        position = handle.seek(0, 2)
        tail = b""
        while position > 0:
            step = min(_CHUNK, position)
            position -= step
            handle.seek(position)
            tail = handle.read(step) + tail
            cut = tail.rfind(b"\n")
            if cut == -1:
                continue
            complete = tail[: cut + 1].rstrip(b"\r\n \t")
            start = complete.rfind(b"\n")
            if start == -1 and position > 0:
                continue
            return complete[start + 1 :], position + cut + 1
    return None, 0


def _drop_partial(console: Any, path: Path, complete_end: int) -> None:
    if path.stat().st_size > complete_end:
        with path.open("rb+") as handle:
            handle.truncate(complete_end)
        console.warn(f"dropped a half-written last line of {path}")


def resume_jsonl(console: Any, path: Path) -> int | None:
    """The id of the last complete record of a JSONL export (``None`` if it is empty)."""
    line, complete_end = _last_line(path)
    _drop_partial(console, path, complete_end)
    if not line or not line.strip():
        return None
    try:
        record = json.loads(line)
    except ValueError:
        raise UsageError(f"the last line of {path} is not JSON: cannot resume") from None
    record_id = record.get("id") if isinstance(record, dict) else None
    if isinstance(record_id, bool) or not isinstance(record_id, int):
        raise UsageError(f"the last record of {path} has no integer id: cannot resume")
    return record_id


def resume_csv(console: Any, path: Path) -> tuple[list[str], int | None]:
    """(header, id of the last complete row) of a CSV export."""
    _, complete_end = _last_line(path)
    _drop_partial(console, path, complete_end)
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        header = next(reader, None)
        last = None
        for row in reader:
            last = row
    if not header or "id" not in header:
        raise UsageError(f"{path} has no id column: cannot resume")
    if last is None:
        return header, None
    text = last[header.index("id")]
    if not text.isdigit():
        raise UsageError(f"the last row of {path} has no integer id: cannot resume")
    return header, int(text)


def _conditions(where: str | None, last_id: int | None) -> str | None:
    if last_id is None:
        return where
    after = f"id > {last_id}"
    return f"({where}) AND {after}" if where else after


def _open(args: argparse.Namespace, resuming: bool) -> tuple[TextIO | None, Path | None]:
    if not args.output or args.output == "-":
        if args.resume:
            raise UsageError("--resume needs --output FILE")
        return None, None
    path = Path(args.output)
    if path.exists() and path.stat().st_size and not (args.resume or args.force):
        raise UsageError(f"{path} exists: add --resume to continue it or --force to overwrite")
    handle: TextIO = path.open("a" if resuming else "w", encoding="utf-8", newline="")
    return handle, path


def run(ctx: Context, args: argparse.Namespace) -> int:
    """``cw export``."""
    endpoint, label, default_columns = target(args.resource)
    where = check_where(args.where)
    fields = split_fields(args.fields)
    if fields and "id" not in fields:
        fields.insert(0, "id")
    fmt = args.format or "jsonl"
    if args.page_size < 1 or args.page_size > DEFAULT_PAGE_SIZE:
        raise UsageError("--page-size must be between 1 and 1000")
    path = Path(args.output) if args.output and args.output != "-" else None
    resuming = bool(args.resume and path and path.exists() and path.stat().st_size)
    last_id, columns = None, fields or list(default_columns)
    if resuming and path is not None:
        if fmt == "jsonl":
            last_id = resume_jsonl(ctx.console, path)
        else:
            header, last_id = resume_csv(ctx.console, path)
            if fields and header != fields:
                raise UsageError(f"{path} has columns {','.join(header)}, not --fields")
            columns = header
    conditions = _conditions(where, last_id)
    client = ctx.client()
    try:
        total: int | None = client.count(endpoint, conditions=conditions)
    except ConnectWiseAPIError as exc:
        ctx.console.warn(f"no total from {endpoint}/count ({exc.status_code}): no ETA")
        total = None
    records = client.iter_all(
        endpoint,
        conditions=conditions,
        fields=fields or None,
        pagesize=args.page_size,
        forward_only=True,
    )
    handle, path = _open(args, resuming)
    stream = handle or ctx.console.stdout
    show = not args.no_progress and bool(getattr(ctx.console.stderr, "isatty", bool)())
    progress = Progress(
        ctx.console.stderr, total=total, pagesize=args.page_size, label=label, enabled=show
    )
    if last_id is not None:
        ctx.console.say(f"resuming {path} after id {last_id}")
    try:
        _write(stream, records, fmt, columns, progress, header=not resuming)
    except KeyboardInterrupt:
        stream.flush()
        progress.finish()
        again = " (run again with --resume to continue)" if path else ""
        ctx.console.say(f"interrupted after {progress.records:,} {label}{again}")
        return INTERRUPTED
    finally:
        if handle is not None:
            handle.close()
    progress.finish()
    where_to = f" to {path}" if path else ""
    ctx.console.say(f"exported {progress.records:,} {label} ({progress.pages} pages){where_to}")
    return 0


def _write(
    stream: TextIO,
    records: Any,
    fmt: str,
    columns: list[str],
    progress: Progress,
    *,
    header: bool,
) -> None:
    pagesize = progress.pagesize
    if fmt == "jsonl":
        for record in records:
            stream.write(json.dumps(record, ensure_ascii=False) + "\n")
            progress.advance()
            if progress.records % pagesize == 0:
                stream.flush()
        stream.flush()
        return
    writer = csv.writer(stream, lineterminator="\n")
    for chosen, row in csv_rows(_counted(records, progress, stream), columns):
        if header:
            writer.writerow(chosen)
            header = False
        writer.writerow(row)
    if header and columns:
        writer.writerow(columns)
    stream.flush()


def _counted(records: Any, progress: Progress, stream: TextIO) -> Any:
    """Pass records through, counting each and flushing after every page."""
    for record in records:
        if progress.records and progress.records % progress.pagesize == 0:
            stream.flush()
        yield record
        progress.advance()


def register(commands: Any, parents: dict[str, argparse.ArgumentParser]) -> None:
    """Add ``cw export``."""
    parser = commands.add_parser(
        "export",
        parents=[parents["connection"]],
        help="export records to JSONL or CSV (resumable)",
        description=(
            "Export every record of a resource matching --where, in id order, one page in "
            "memory at a time; progress on stderr. The id is always exported."
        ),
        epilog=EPILOG,
    )
    parser.add_argument("--format", choices=("jsonl", "csv"), default="jsonl")
    parser.add_argument("--no-color", action="store_true")
    parser.add_argument("resource", help="tickets, companies, ... or an endpoint path")
    parser.add_argument("--where", help="conditions, checked before sending")
    parser.add_argument("--fields", help="comma list (id is added when missing)")
    parser.add_argument("--output", "-o", help="file to write (default: stdout)")
    parser.add_argument("--resume", action="store_true", help="continue after the file's last id")
    parser.add_argument("--force", action="store_true", help="overwrite an existing file")
    parser.add_argument("--page-size", type=int, default=DEFAULT_PAGE_SIZE)
    parser.add_argument("--no-progress", action="store_true", help="draw no progress bar")
    parser.set_defaults(handler=run)
