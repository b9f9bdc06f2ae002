"""``cw api``: any operation of the description, by operationId or by method and path.

The catalog (:mod:`cw_facade._catalog`) finds the operation and checks the parameters and
body; the request then goes through the client's raw methods (``get``/``post``/``put``/
``patch``/``delete``), so it gets the client's authentication, codebase discovery and
retries. The answer prints as JSON.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cw_facade._catalog import Call, OperationInfo, build_call, catalog
from cw_facade.cli._exit import NotFound, UsageError
from cw_facade.cli._output import write_json, write_records

if TYPE_CHECKING:
    from cw_facade.cli._app import Context

METHODS = frozenset({"GET", "POST", "PUT", "PATCH", "DELETE"})
_MISSING: Any = object()

EPILOG = """\
examples:
  cw api getServiceTicketsById id=5
  cw api "GET /service/tickets/{id}" id=5 fields=id,summary
  cw api GET /service/tickets/5/notes
  cw api getServiceTickets conditions='closedFlag=false' pageSize=5
  cw api postServiceTicketsByParentIdNotes parentId=5 \\
      --body '{"text": "Checked", "internalAnalysisFlag": true}'
  cw api patchServiceTicketsById id=5 --body @patch.json
  cw api --search ticket notes
  cw api getServiceTicketsById --describe

Operation ids complete with TAB once `cw completion bash|zsh` is set up.
"""


def operation_name(words: list[str]) -> tuple[str, list[str]]:
    """The operation named by the first word(s) and the remaining ``name=value`` words.

    ``["GET", "/service/tickets/5", "fields=id"]`` names ``"GET /service/tickets/5"``.
    """
    head, rest = words[0], words[1:]
    if head.upper() in METHODS and rest and "=" not in rest[0]:
        return f"{head} {rest[0]}", rest[1:]
    return head, rest


def parse_pairs(words: list[str]) -> dict[str, str]:
    """``["id=5", "fields=id,summary"]`` → ``{"id": "5", "fields": "id,summary"}``."""
    values: dict[str, str] = {}
    for word in words:
        name, sep, value = word.partition("=")
        if not sep or not name:
            raise UsageError(f"parameters are NAME=VALUE, got {word!r}")
        if name in values:
            raise UsageError(f"parameter {name!r} given twice")
        values[name] = value
    return values


def read_body(text: str | None) -> Any:
    """``--body``: JSON text, ``@file`` or ``@-`` (stdin); ``_MISSING`` when not given."""
    if text is None:
        return _MISSING
    if text.startswith("@"):
        source = text[1:]
        try:
            text = sys.stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8")
        except OSError as exc:
            raise UsageError(f"cannot read --body file {source}: {exc.strerror}") from None
    try:
        return json.loads(text)
    except ValueError as exc:
        raise UsageError(f"--body is not valid JSON: {exc}") from None


def prepare(words: list[str], body_text: str | None) -> Call:
    """Find the operation and build its checked call (nothing is sent)."""
    name, rest = operation_name(words)
    found = catalog().find(name)
    if found is None:
        catalog().lookup(name)  # raises UnknownOperationError with suggestions
        raise AssertionError("unreachable")
    op, from_path = found
    values: dict[str, object] = dict(parse_pairs(rest))
    for key, value in from_path.items():
        if key in values:
            raise UsageError(f"{key} is given in the path and as {key}=")
        values[key] = value
    body = read_body(body_text)
    return build_call(op, values) if body is _MISSING else build_call(op, values, body)


def _split_record(call: Call) -> tuple[str, str]:
    endpoint, _, record_id = call.path.rpartition("/")
    if not record_id.isdigit():
        raise UsageError(
            f"{call.operation.operation_id}: {call.method} through the client needs a path "
            "ending in a record id"
        )
    return endpoint, record_id


def send(ctx: Context, call: Call) -> Any:
    """Send ``call`` through the client's raw method for its HTTP method."""
    client = ctx.client()
    if call.method != "GET" and call.query:
        names = ", ".join(call.query)
        raise UsageError(f"query parameters ({names}) are sent with GET only")
    if call.method == "GET":
        query: dict[str, Any] = dict(call.query)
        named = {
            "conditions": query.pop("conditions", None),
            "fields": query.pop("fields", None),
            "order_by": query.pop("orderBy", None),
            "page": int(query.pop("page")) if "page" in query else None,
            "pagesize": int(query.pop("pageSize")) if "pageSize" in query else None,
        }
        result = client.get(call.path, **named, **query)
        if result is None:
            raise NotFound(f"not found (404): GET /{call.path}")
        return result
    if call.method == "POST":
        return client.post(call.path, call.body)
    endpoint, record_id = _split_record(call)
    if call.method == "PUT":
        return client.put(endpoint, record_id, call.body)
    if call.method == "PATCH":
        return client.patch(endpoint, record_id, call.body)
    return {"deleted": client.delete(endpoint, record_id)}


def describe(op: OperationInfo) -> dict[str, Any]:
    """What ``--describe`` prints about an operation."""
    return {
        "operationId": op.operation_id,
        "method": op.method,
        "path": op.path,
        "summary": op.summary,
        "tag": op.tag,
        "read": op.is_read,
        "body": "required" if op.body_required else ("optional" if op.has_body else "none"),
        "module": op.module,
        "parameters": [
            {"name": p.name, "in": p.location, "type": p.type, "required": p.required}
            for p in op.parameters
        ],
    }


def run(ctx: Context, args: argparse.Namespace) -> int:
    """``cw api``."""
    if args.search:
        found = catalog().search(args.search)
        rows = [
            {"method": op.method, "path": op.path, "operationId": op.operation_id,
             "summary": op.summary}
            for op in found
        ]  # fmt: skip
        fmt = ctx.format()
        write_records(ctx.console, rows, fmt, ("method", "path", "operationId", "summary"))
        if not rows:
            ctx.console.say(f"no operation matches {' '.join(args.search)!r}")
        return 0 if rows else 4
    if not args.words:
        raise UsageError("name an operation (cw api OPERATION ...) or use --search WORDS")
    if args.describe:
        name, _ = operation_name(args.words)
        write_json(ctx.console, describe(catalog().lookup(name)))
        return 0
    call = prepare(args.words, args.body)
    if args.dry_run:
        plan = {"method": call.method, "path": "/" + call.path, "query": call.query}
        write_json(ctx.console, {**plan, "body": call.body})
        return 0
    result = send(ctx, call)
    if ctx.option("format") == "jsonl" and isinstance(result, list):
        write_records(ctx.console, result, "jsonl", ())
    else:
        write_json(ctx.console, result)
    return 0


def register(commands: Any, parents: dict[str, argparse.ArgumentParser]) -> None:
    """Add ``cw api``."""
    parser = commands.add_parser(
        "api",
        parents=[parents["connection"], parents["output"]],
        help="call any operation of the API description",
        description=(
            "Call any operation of the bundled API description by operationId or by "
            '"METHOD /path", with NAME=VALUE parameters; prints the JSON answer.'
        ),
        epilog=EPILOG,
    )
    parser.add_argument("words", nargs="*", metavar="OPERATION [NAME=VALUE ...]")
    parser.add_argument("--body", help="JSON body: text, @file or @- for stdin")
    parser.add_argument("--search", nargs="+", metavar="WORD", help="find operations")
    parser.add_argument("--describe", action="store_true", help="show the operation, send nothing")
    parser.add_argument("--dry-run", action="store_true", help="show the request, send nothing")
    parser.set_defaults(handler=run)
