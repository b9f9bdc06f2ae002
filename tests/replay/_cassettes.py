"""vcrpy configuration of the replay tests: where cassettes live, how requests match, and mode.

Replay (the default, what CI runs): record mode ``none``; every request must match an unplayed
interaction on method, scheme, host, port, path, query, body (JSON compared parsed) and the
headers that matter (:func:`wire_headers`); a cassette must exist for every test, and every
interaction in it must have been played when the test ends.

Recording (``CW_FACADE_RECORD=1``, set by ``scripts/record_cassettes.py``): record mode
``all`` into a fresh file, scrubbed by :class:`~tests.replay._scrub.Scrubber`.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import vcr
from vcr.cassette import Cassette

from tests.replay._scrub import KEPT_REQUEST_HEADERS, REPLAY_TARGET, Scrubber, Target

CASSETTE_DIR = Path(__file__).resolve().parent / "cassettes"
MATCH_ON = ("method", "scheme", "host", "port", "path", "query", "body", "wire_headers")

ENV_RECORD = "CW_FACADE_RECORD"
ENV_CASSETTE_DIR = "CW_FACADE_CASSETTE_DIR"
ENV_BASE_URL = "CW_FACADE_RECORD_BASE_URL"
ENV_COMPANY = "CW_FACADE_RECORD_COMPANY"
ENV_PUBLIC_KEY = "CW_FACADE_RECORD_PUBLIC_KEY"
ENV_PRIVATE_KEY = "CW_FACADE_RECORD_PRIVATE_KEY"
ENV_CLIENT_ID = "CW_FACADE_RECORD_CLIENT_ID"
SERVER_VARIABLES = (ENV_BASE_URL, ENV_COMPANY, ENV_PUBLIC_KEY, ENV_PRIVATE_KEY, ENV_CLIENT_ID)


class MissingCassetteError(FileNotFoundError):
    """A replayed test has no cassette (record it with ``make record``)."""


class UnplayedInteractionsError(AssertionError):
    """A replayed test ended without sending every request its cassette holds."""


def recording(env: Mapping[str, str] = os.environ) -> bool:
    """Whether this run records cassettes instead of replaying them."""
    return env.get(ENV_RECORD, "") == "1"


def real_server_target(env: Mapping[str, str] = os.environ) -> Target | None:
    """The real server to record against: recording, and every ``CW_FACADE_RECORD_*`` set.

    When replaying, the variables are ignored: replay never leaves the cassettes.
    """
    values = [env.get(name, "") for name in SERVER_VARIABLES]
    if not recording(env) or not any(values):
        return None
    if not all(values):
        missing = [n for n, v in zip(SERVER_VARIABLES, values, strict=True) if not v]
        raise RuntimeError(f"recording against a server needs {', '.join(missing)}")
    return Target(*values, record=True)


def cassette_dir(env: Mapping[str, str] = os.environ) -> Path:
    """The cassette library (``CW_FACADE_CASSETTE_DIR`` overrides it, for tests of the tests)."""
    return Path(env[ENV_CASSETTE_DIR]) if env.get(ENV_CASSETTE_DIR) else CASSETTE_DIR


def wire_headers(r1: Any, r2: Any) -> None:
    """vcrpy matcher: the kept (scrubbed) request headers must be equal."""
    first = {k.lower(): v for k, v in r1.headers.items() if k.lower() in KEPT_REQUEST_HEADERS}
    second = {k.lower(): v for k, v in r2.headers.items() if k.lower() in KEPT_REQUEST_HEADERS}
    if first != second:
        raise AssertionError(f"headers differ: {first} != {second}")


def make_vcr(target: Target, library: Path) -> vcr.VCR:
    """A VCR that records (``all``) for a recording target, else replays (``none``)."""
    scrubber = Scrubber(target)
    config = vcr.VCR(
        cassette_library_dir=str(library),
        serializer="yaml",
        record_mode="all" if target.record else "none",
        match_on=MATCH_ON,
        decode_compressed_response=True,
        before_record_request=scrubber.request,
        before_record_response=scrubber.response,
    )
    config.register_matcher("wire_headers", wire_headers)
    return config


def requests_sent(cassette: Cassette) -> int:
    """How many requests went through ``cassette`` so far (recorded or played)."""
    return len(cassette) if cassette.record_mode == "all" else cassette.play_count


def cassette_name(module: str, test: str) -> str:
    """``test_raw``, ``test_get[x]`` → ``test_raw/test_get-x.yaml``."""
    safe = re.sub(r"[^A-Za-z0-9_.-]+", "-", test).strip("-")
    return f"{module}/{safe}.yaml"


@contextmanager
def use_cassette(
    name: str, *, target: Target = REPLAY_TARGET, library: Path | None = None
) -> Iterator[Cassette]:
    """Record or replay the cassette ``name`` around the block (see the module docstring)."""
    library = library or cassette_dir()
    path = library / name
    if target.record:
        path.unlink(missing_ok=True)
    elif not path.is_file():
        raise MissingCassetteError(f"no cassette {path}; run `make record`")
    with make_vcr(target, library).use_cassette(name, allow_playback_repeats=False) as cassette:
        yield cassette
        if not target.record and not cassette.all_played:
            unplayed = len(cassette) - len(cassette.play_counts)
            raise UnplayedInteractionsError(f"{name}: {unplayed} recorded request(s) not sent")
