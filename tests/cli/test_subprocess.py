"""``cw`` and ``python -m cw_facade`` as real processes against the simulator on loopback."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

from cw_facade.testing import ManageSimulator
from tests.cli.conftest import ROOT, run_subprocess


def test_cw_lists_tickets(env: dict[str, str]) -> None:
    ran = run_subprocess(["tickets", "list", "--limit", "2"], env)
    assert ran.code == 0, ran.err
    assert [t["id"] for t in json.loads(ran.out)] == [1, 2]


def test_python_dash_m_works_too(env: dict[str, str]) -> None:
    ran = run_subprocess(["tickets", "get", "1", "--fields", "id,summary"], env, module=True)
    assert ran.code == 0, ran.err
    assert set(json.loads(ran.out)) == {"id", "summary"}
    assert run_subprocess(["--version"], env, module=True).out.startswith("cw (cw-facade) ")


def test_a_wrong_key(env: dict[str, str]) -> None:
    ran = run_subprocess(["tickets", "list"], {**env, "CW_PRIVATE_KEY": "wrong-private"})
    assert ran.code == 3
    assert ran.err.startswith("cw: error: 401 Unauthorized")
    assert "wrong-private" not in ran.out + ran.err
    assert "Traceback" not in ran.err


def test_a_wrong_codebase(env: dict[str, str]) -> None:
    ran = run_subprocess(["tickets", "list", "--codebase", "v2020_1"], env)
    assert ran.code == 4
    assert "404" in ran.err and "run `cw doctor`" in ran.err


def test_a_bad_where(env: dict[str, str]) -> None:
    ran = run_subprocess(["tickets", "list", "--where", "summary contains"], env)
    assert ran.code == 2
    assert "cw: error: expected" in ran.err


def test_an_unknown_operation(env: dict[str, str]) -> None:
    ran = run_subprocess(["api", "getTicketsPlease"], env)
    assert ran.code == 2
    assert "no operation 'getTicketsPlease'" in ran.err


def test_api_with_a_body_from_stdin(env: dict[str, str]) -> None:
    body = json.dumps({"text": "piped", "internalAnalysisFlag": True})
    ran = run_subprocess(
        ["api", "postServiceTicketsByParentIdNotes", "parentId=1", "--body", "@-"], env, stdin=body
    )
    assert ran.code == 0, ran.err
    assert json.loads(ran.out)["text"] == "piped"


def test_a_note_from_stdin(env: dict[str, str]) -> None:
    ran = run_subprocess(["tickets", "note", "1", "-", "--internal"], env, stdin="from stdin\n")
    assert ran.code == 0, ran.err
    assert json.loads(ran.out)["text"].strip() == "from stdin"


def test_export_and_resume(env: dict[str, str], tmp_path: Path) -> None:
    out = tmp_path / "t.jsonl"
    first = run_subprocess(["export", "tickets", "--output", str(out)], env)
    assert first.code == 0, first.err
    assert "\r" not in first.err  # stderr is a pipe: no progress bar, one summary line
    lines = out.read_text().splitlines(keepends=True)
    out.write_text("".join(lines[:4]))
    again = run_subprocess(["export", "tickets", "--output", str(out), "--resume"], env)
    assert again.code == 0, again.err
    assert out.read_text() == "".join(lines)


def test_doctor_on_a_wrong_codebase(env: dict[str, str]) -> None:
    ran = run_subprocess(["doctor", "--codebase", "v2020_1"], env)
    assert ran.code == 3
    assert "[FAIL] configured codebase v2020_1/ but the server serves v4_6_release/" in ran.out


def test_cw_simulate_serves_until_interrupted(tmp_path: Path) -> None:
    program = [
        str(Path(sys.executable).parent / "cw"),
        "simulate",
        "--port",
        "0",
        "--tickets",
        "30",
    ]
    process = subprocess.Popen(
        program, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
        env={"PATH": os.environ.get("PATH", "")},
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )  # fmt: skip
    try:
        assert process.stdout is not None
        first = process.stdout.readline()
        assert first.startswith("ConnectWise Manage simulator listening on http://127.0.0.1:")
        base_url = first.rsplit(" ", 1)[1].strip()
        sim = ManageSimulator()
        env = {
            "CW_BASE_URL": base_url, "CW_COMPANY": sim.company, "CW_PUBLIC_KEY": sim.public_key,
            "CW_PRIVATE_KEY": sim.private_key, "CW_CLIENT_ID": sim.client_id,
            "CW_CONFIG": str(tmp_path / "none.toml"),
        }  # fmt: skip
        count = run_subprocess(["api", "getServiceTicketsCount"], env)
        assert json.loads(count.out) == {"count": 30}
    finally:
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=60)
    assert process.returncode == 0
    assert "stopped" in err
