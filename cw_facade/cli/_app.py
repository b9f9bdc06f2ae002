"""The ``cw`` program: the parser, the shared options, the run context and :func:`main`.

Each command lives in its own module with a ``register(commands, parents)`` function that
adds its parser and sets ``handler``; :data:`COMMANDS` lists them in help order. A new
command is one more module and one more entry.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NoReturn, TextIO

import httpx

from cw_facade import ConnectWiseClient, __version__
from cw_facade.cli import _exit
from cw_facade.cli._config import ENVIRONMENT, Settings, resolve
from cw_facade.cli._output import FORMATS, Console

Handler = Callable[["Context", argparse.Namespace], int]

EPILOG = """\
examples:
  cw tickets list --where 'closedFlag=false' --limit 10
  cw tickets get 5 --format json
  cw api getServiceTicketsById id=5
  cw api --search ticket notes
  cw export tickets --format jsonl --output tickets.jsonl
  cw sync --to sqlite:cw.db
  cw doctor

connection settings come from flags, then the environment (CW_BASE_URL, CW_COMPANY,
CW_PUBLIC_KEY, CW_PRIVATE_KEY, CW_CLIENT_ID), then a profile in ~/.config/cw-facade/config.toml
(or $CW_CONFIG). exit status: 0 ok, 1 API error, 2 usage, 3 configuration or authentication,
4 not found, 5 no connection, 130 interrupted.
"""


class Parser(argparse.ArgumentParser):
    """An ArgumentParser that writes through the run's :class:`Console` (redacted)."""

    console: Console | None = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """An ArgumentParser whose help keeps the examples' line breaks."""
        kwargs.setdefault("formatter_class", formatter)
        super().__init__(*args, **kwargs)

    def _print_message(self, message: str, file: Any = None) -> None:
        if not message:
            return
        if self.console is None:
            super()._print_message(message, file)
        elif file is sys.stderr or file is self.console.stderr:
            self.console.stderr.write(self.console.redact(message))
        else:
            self.console.data(message)

    def error(self, message: str) -> NoReturn:
        """Print usage and the error to stderr, exit 2 (what argparse does, but redacted)."""
        self.print_usage(sys.stderr)
        self.exit(_exit.USAGE, f"cw: error: {message}\n")


def formatter(prog: str) -> argparse.HelpFormatter:
    """Help text keeps the epilog's line breaks (the examples)."""
    return argparse.RawDescriptionHelpFormatter(prog, max_help_position=32)


def connection_options() -> argparse.ArgumentParser:
    """``--profile``, ``--base-url`` ... shared by every command that talks to a server."""
    parent = argparse.ArgumentParser(add_help=False)
    group = parent.add_argument_group("connection (flag, else environment, else profile)")
    group.add_argument("--profile", default=argparse.SUPPRESS, help="profile in the config file")
    helps = {
        "base_url": "site (https://na.myconnectwise.net) or API root",
        "company": "login company id",
        "public_key": "API member public key",
        "private_key": "API member private key (prefer CW_PRIVATE_KEY or a profile)",
        "client_id": "integration clientId (a GUID)",
        "codebase": "codebase, e.g. v4_6_release (default: discovered)",
        "api_version": "pinned API version, e.g. 2025.8",
    }
    for name, variable in ENVIRONMENT.items():
        group.add_argument(
            "--" + name.replace("_", "-"),
            dest=name,
            metavar=variable,
            default=argparse.SUPPRESS,
            help=helps[name],
        )
    group.add_argument("--timeout", type=float, default=argparse.SUPPRESS, help="seconds")
    group.add_argument("--max-retries", type=int, default=argparse.SUPPRESS)
    group.add_argument(
        "--rate-limit",
        type=rate_limit_value,
        metavar="PER_MINUTE",
        default=argparse.SUPPRESS,
        help="requests a minute (default 950), or 'none' for no pacing",
    )
    return parent


#: ``--rate-limit none``: the client sends unpaced (a 429 still holds it back).
NO_RATE_LIMIT = "none"


def rate_limit_value(text: str) -> float | str:
    """``--rate-limit``: a positive number of requests a minute, or ``none``."""
    if text.strip().lower() == NO_RATE_LIMIT:
        return NO_RATE_LIMIT
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not 0 < value < float("inf"):
        raise argparse.ArgumentTypeError(
            f"expected a positive number of requests a minute or 'none', got {text!r}"
        )
    return value


def output_options(formats: Sequence[str] = FORMATS) -> argparse.ArgumentParser:
    """``--format`` and ``--no-color``."""
    parent = argparse.ArgumentParser(add_help=False)
    group = parent.add_argument_group("output")
    group.add_argument(
        "--format",
        choices=formats,
        default=argparse.SUPPRESS,
        help="default: table on a terminal, json otherwise" if "table" in formats else None,
    )
    group.add_argument("--no-color", action="store_true", default=argparse.SUPPRESS)
    return parent


@dataclass
class Context:
    """What a command handler gets: the console, settings and a client made on demand."""

    console: Console
    env: Mapping[str, str]
    args: argparse.Namespace
    transport: httpx.BaseTransport | None = None
    _settings: Settings | None = field(default=None, repr=False)
    _client: ConnectWiseClient | None = field(default=None, repr=False)

    def option(self, name: str, default: Any = None) -> Any:
        """An option's value, or ``default`` when the command does not take it."""
        return getattr(self.args, name, default)

    def settings(self) -> Settings:
        """The resolved connection settings (see :mod:`cw_facade.cli._config`)."""
        if self._settings is None:
            flags = {name: self.option(name) for name in ENVIRONMENT}
            self._settings = resolve(flags, self.env, profile=self.option("profile"))
            for secret in self._settings.secrets():
                self.console.add_secret(secret)
        return self._settings

    def client(self) -> ConnectWiseClient:
        """The client for this run, built once; closed by :func:`main`."""
        if self._client is None:
            self._client = self.settings().client(
                transport=self.transport,
                timeout=self.option("timeout"),
                max_retries=self.option("max_retries"),
                rate_limit=self.option("rate_limit"),
            )
        return self._client

    def format(self, default_for_pipes: str = "json") -> str:
        """``--format``, else ``table`` on a terminal and ``default_for_pipes`` otherwise."""
        chosen = self.option("format")
        if chosen:
            return str(chosen)
        isatty = getattr(self.console.stdout, "isatty", None)
        return "table" if isatty and isatty() else default_for_pipes

    def close(self) -> None:
        """Close the client if one was made."""
        if self._client is not None:
            self._client.close()


def build_parser(console: Console | None = None) -> argparse.ArgumentParser:
    """The full ``cw`` parser (messages go through ``console`` when given)."""
    from cw_facade.cli import COMMANDS

    parser_class = type("CwParser", (Parser,), {"console": console})
    parser: argparse.ArgumentParser = parser_class(
        prog="cw",
        description="A command line for ConnectWise Manage.",
        epilog=EPILOG,
        formatter_class=formatter,
    )
    parser.add_argument("--version", action="version", version=f"cw (cw-facade) {__version__}")
    commands: Any = parser.add_subparsers(
        dest="command", metavar="COMMAND", parser_class=parser_class
    )
    parents = {"connection": connection_options(), "output": output_options()}
    for module in COMMANDS:
        module.register(commands, parents)
    return parser


def _argv_secrets(argv: Sequence[str]) -> list[str]:
    """Values given with ``--private-key`` (so even a parser error cannot echo them)."""
    found = []
    for i, word in enumerate(argv):
        if word == "--private-key" and i + 1 < len(argv):
            found.append(argv[i + 1])
        elif word.startswith("--private-key="):
            found.append(word.partition("=")[2])
    return found


def main(
    argv: Sequence[str] | None = None,
    *,
    env: Mapping[str, str] | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
    transport: httpx.BaseTransport | None = None,
) -> int:
    """Run ``cw`` with ``argv`` (default ``sys.argv[1:]``); return the exit status.

    ``env``, ``stdout``, ``stderr`` and ``transport`` (handed to the client) let tests run it
    in-process. Errors are reported on stderr as ``cw: error: ...`` and never raise.
    """
    argv = list(sys.argv[1:] if argv is None else argv)
    env = dict(os.environ) if env is None else env
    console = Console(
        stdout or sys.stdout, stderr or sys.stderr, env, no_color="--no-color" in argv
    )
    console.add_secret(env.get("CW_PRIVATE_KEY"))
    for secret in _argv_secrets(argv):
        console.add_secret(secret)
    if argv[:1] == ["__complete"]:
        from cw_facade.cli._completion import complete

        return complete(console, argv[1:])
    parser = build_parser(console)
    try:
        args = parser.parse_args(argv)
    except SystemExit as stop:
        return stop.code if isinstance(stop.code, int) else _exit.USAGE
    handler: Handler | None = getattr(args, "handler", None)
    if handler is None:
        parser.print_help(console.stderr)
        return _exit.USAGE
    context = Context(console, env, args, transport)
    try:
        return handler(context, args)
    except KeyboardInterrupt:
        console.say("interrupted")
        return _exit.INTERRUPTED
    except BrokenPipeError:
        return _exit.OK
    except Exception as error:  # every failure becomes a message and an exit status
        return report(console, error)
    finally:
        context.close()


def report(console: Console, error: BaseException) -> int:
    """Print ``error`` (and a hint) on stderr; return its exit status."""
    from cw_facade.cli._config import ConfigError

    known = (_exit.UsageError, _exit.NotFound, ConfigError, ValueError, OSError)
    if not (_exit.is_api_error(error) or isinstance(error, known)) and not _is_facade(error):
        console.error(f"unexpected {type(error).__name__}: {error}")
        return _exit.API_ERROR
    console.error(str(error), _exit.hint_for(error))
    return _exit.status_for(error)


def _is_facade(error: BaseException) -> bool:
    from cw_facade import ConnectWiseError

    return isinstance(error, ConnectWiseError)
