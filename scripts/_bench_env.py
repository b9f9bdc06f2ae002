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
    """``scripts/_bench_server.py`` in a child process (its own core and GIL)."""

    def __init__(self, tickets: int, open_count: int | None = None, latency_ms: float = 0):
        self._args = ["--tickets", str(tickets), "--latency-ms", str(latency_ms)]
        if open_count is not None:
            self._args += ["--open", str(open_count)]
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


def run_json(command: Sequence[str], timeout: float = 600.0) -> dict[str, Any]:
    """Run a child that prints one JSON object; raise with its stderr on failure."""
    done = subprocess.run(list(command), capture_output=True, text=True, timeout=timeout)
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
