"""Benchmark plumbing: bench servers in child processes, the peers' virtualenv, statistics."""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType
from typing import Any

SCRIPTS = Path(__file__).resolve().parent
ROOT = SCRIPTS.parent
PEER_VENV = ROOT / ".bench" / "peers"
#: Exact peer versions installed into the throwaway virtualenv (httpx is the baseline there).
PEER_REQUIREMENTS = ("pyconnectwise==0.6.1.2", "connectpyse-manage==0.0.7", "httpx")
#: Seconds a bench server may take to seed its tickets.
SERVER_START_TIMEOUT = 300.0


def median(values: Sequence[float]) -> float:
    """The median (``nan`` for no values)."""
    return statistics.median(values) if values else float("nan")


def ratios(numerators: Sequence[float], denominators: Sequence[float]) -> list[float]:
    """Per-round ratios of two interleaved series."""
    return [n / d for n, d in zip(numerators, denominators, strict=True) if d > 0]


def machine() -> str:
    """One line describing this machine, Python and the date."""
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    when = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    return (
        f"{os.cpu_count()} cores, {model}, Python {platform.python_version()} "
        f"({platform.system()}), {when}"
    )


class BenchServer:
    """``scripts/_bench_server.py`` in a child process (its own core and GIL).

    ``tickets``: how many tickets it serves; ``open_count``: how many of them stay open
    (default all); ``latency_ms``: added to every answer; ``rate_limit``: a token-bucket limit
    such as ``"1000/min"`` (answered with 429 and ``Retry-After``), ``rate_burst`` its bucket
    size; ``notes_tickets``: tickets 1..K get ``id % 4`` notes each. :meth:`command` talks to
    the running server's control channel.
    """

    def __init__(
        self,
        tickets: int,
        open_count: int | None = None,
        latency_ms: float = 0,
        *,
        rate_limit: str | None = None,
        rate_burst: int | None = None,
        notes_tickets: int = 0,
    ):
        self._args = ["--tickets", str(tickets), "--latency-ms", str(latency_ms)]
        if open_count is not None:
            self._args += ["--open", str(open_count)]
        if rate_limit is not None:
            self._args += ["--rate-limit", rate_limit]
        if rate_burst is not None:
            self._args += ["--rate-burst", str(rate_burst)]
        if notes_tickets:
            self._args += ["--notes-tickets", str(notes_tickets)]
        self._process: subprocess.Popen[str] | None = None
        self.base_url = self.api_root = ""

    def __enter__(self) -> BenchServer:
        command = [sys.executable, str(SCRIPTS / "_bench_server.py"), *self._args]
        self._process = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        assert self._process.stdout is not None
        line = self._process.stdout.readline()
        if not line:
            self.__exit__(None, None, None)
            raise RuntimeError("the bench server did not start")
        info = json.loads(line)
        self.base_url, self.api_root = info["base_url"], info["api_root"]
        return self

    def command(self, line: str) -> dict[str, Any]:
        """Send one control command (see ``_bench_server.py``) and return its JSON answer.

        Raises ``RuntimeError`` when the server is not running, closed its output, or answered
        ``{"error": ...}``.
        """
        process = self._process
        if process is None or process.stdin is None or process.stdout is None:
            raise RuntimeError("the bench server is not running")
        process.stdin.write(line.rstrip("\n") + "\n")
        process.stdin.flush()
        answer = process.stdout.readline()
        if not answer:
            raise RuntimeError("the bench server stopped answering")
        found: dict[str, Any] = json.loads(answer)
        if "error" in found and len(found) == 1:
            raise RuntimeError(f"bench server: {found['error']}")
        return found

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        process, self._process = self._process, None
        if process is None:
            return
        assert process.stdin is not None and process.stdout is not None
        process.stdin.close()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        process.stdout.close()


def run_json(
    command: Sequence[str], timeout: float = 600.0, stdin: str | None = None
) -> dict[str, Any]:
    """Run a child that prints one JSON object (given ``stdin`` as its input); raise
    ``RuntimeError`` with the last line of its stderr when it fails."""
    done = subprocess.run(
        list(command), capture_output=True, text=True, timeout=timeout, input=stdin
    )
    if done.returncode != 0:
        raise RuntimeError(done.stderr.strip().splitlines()[-1] if done.stderr else "failed")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def peer_python() -> tuple[Path | None, str]:
    """The peers' virtualenv Python, created on first use; or ``None`` and why not."""
    python = PEER_VENV / "bin" / "python"
    stamp = PEER_VENV / ".installed"
    wanted = "\n".join(PEER_REQUIREMENTS)
    if stamp.exists() and stamp.read_text() == wanted:
        return python, ""
    try:
        subprocess.run([sys.executable, "-m", "venv", str(PEER_VENV)], check=True)
        pip = [str(python), "-m", "pip", "install", "--quiet", *PEER_REQUIREMENTS]
        subprocess.run(pip, check=True, capture_output=True, text=True)
    except (OSError, subprocess.CalledProcessError) as exc:
        return None, f"peer install failed: {exc}"
    stamp.write_text(wanted)
    return python, ""
