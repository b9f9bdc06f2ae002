"""Re-record the replay cassettes of ``tests/replay`` (``make record`` runs this).

By default the cassettes are recorded against a fresh in-process ``ManageSimulator`` into a
new directory that replaces the old one only when every test passed, so the result is exactly
what the current tests send, a failed recording changes nothing, and recording twice gives
byte-identical files. With ``--base-url`` (and the credentials, as
options or as the ``CW_FACADE_RECORD_*`` environment variables) they are recorded against a
real ConnectWise server instead; tests that inject simulator faults are left out and keep
their cassettes. Either way every cassette is scrubbed before it is written (placeholders for
credentials, ``https://cw.replay.invalid`` for the server's host).

The recording is a pytest run of ``tests/replay`` with ``CW_FACADE_RECORD=1``; the replay
conftest reads that variable and the connection settings.

    python scripts/record_cassettes.py                       # against the simulator
    python scripts/record_cassettes.py -k test_tickets       # only some tests
    CW_FACADE_RECORD_BASE_URL=https://na.myconnectwise.net CW_FACADE_RECORD_COMPANY=acme \\
    CW_FACADE_RECORD_PUBLIC_KEY=... CW_FACADE_RECORD_PRIVATE_KEY=... \\
    CW_FACADE_RECORD_CLIENT_ID=... python scripts/record_cassettes.py   # a real server

Prefer the environment variables for the keys: options are visible in ``ps`` and in shell
history.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: Suffix of the directory a full re-recording is written to before it replaces the library.
RECORDING_SUFFIX = ".recording"
TESTS = ROOT / "tests" / "replay"
DEFAULT_CASSETTES = TESTS / "cassettes"

ENV_RECORD = "CW_FACADE_RECORD"
ENV_CASSETTE_DIR = "CW_FACADE_CASSETTE_DIR"
#: Option name → environment variable the replay conftest reads.
SERVER_OPTIONS = {
    "base_url": "CW_FACADE_RECORD_BASE_URL",
    "company": "CW_FACADE_RECORD_COMPANY",
    "public_key": "CW_FACADE_RECORD_PUBLIC_KEY",
    "private_key": "CW_FACADE_RECORD_PRIVATE_KEY",
    "client_id": "CW_FACADE_RECORD_CLIENT_ID",
}
#: Tests about the cassettes themselves; they never record.
META_MARKER = "replay_meta"
SIMULATOR_MARKER = "needs_simulator"


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """The command line; server settings default to their environment variables."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    for option, variable in SERVER_OPTIONS.items():
        parser.add_argument(
            "--" + option.replace("_", "-"),
            default=os.environ.get(variable, ""),
            help=f"real server setting (default: ${variable})",
        )
    parser.add_argument("--cassette-dir", type=Path, default=DEFAULT_CASSETTES)
    parser.add_argument("-k", dest="keyword", default="", help="record only tests matching")
    parser.add_argument("-q", "--quiet", action="store_true", help="less pytest output")
    return parser.parse_args(argv)


def server_settings(args: argparse.Namespace) -> dict[str, str]:
    """The ``CW_FACADE_RECORD_*`` variables for a real server; empty for the simulator."""
    values = {option: str(getattr(args, option)) for option in SERVER_OPTIONS}
    if not any(values.values()):
        return {}
    missing = [f"--{o.replace('_', '-')}" for o, v in values.items() if not v]
    if missing:
        raise SystemExit(f"recording against a server needs {', '.join(missing)}")
    return {SERVER_OPTIONS[option]: value for option, value in values.items()}


def pytest_command(args: argparse.Namespace, real_server: bool) -> list[str]:
    """The pytest invocation that records."""
    command = [sys.executable, "-m", "pytest", str(TESTS)]
    markers = f"not {META_MARKER}"
    if real_server:
        # The session-wide loopback guard of tests/conftest.py must not block the real server.
        command += ["--confcutdir", str(TESTS)]
        markers += f" and not {SIMULATOR_MARKER}"
    command += ["-m", markers]
    if args.keyword:
        command += ["-k", args.keyword]
    command.append("-q" if args.quiet else "-v")
    return command


def record(args: argparse.Namespace, env: Mapping[str, str] = os.environ) -> int:
    """Record the cassettes; return pytest's exit status."""
    server = server_settings(args)
    library = args.cassette_dir.resolve()
    # A full re-recording goes to a fresh sibling directory that replaces the library only
    # when every test passed: a failed recording leaves the old cassettes untouched.
    whole = not server and not args.keyword
    target = library.with_name(library.name + RECORDING_SUFFIX) if whole else library
    if whole:
        shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True, exist_ok=True)
    child_env = {key: value for key, value in env.items() if key not in SERVER_OPTIONS.values()}
    child_env.update(server)
    child_env[ENV_RECORD] = "1"
    child_env[ENV_CASSETTE_DIR] = str(target)
    completed = subprocess.run(pytest_command(args, bool(server)), cwd=ROOT, env=child_env)
    if whole:
        if completed.returncode == 0:
            shutil.rmtree(library, ignore_errors=True)
            target.rename(library)
        else:
            print(
                f"record_cassettes: recording failed; {library} is unchanged "
                f"(the partial recording is in {target})",
                file=sys.stderr,
            )
    return completed.returncode


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point."""
    return record(parse_args(argv))


if __name__ == "__main__":
    raise SystemExit(main())
