#!/usr/bin/env python3
"""Prove the simulator is faithful enough for a client no one here wrote.

Installs the ConnectPyse-Manage toolkit from PyPI into a throwaway virtualenv under
``.bench/toolkit-venv`` (never a project dependency), starts the simulator
(``python -m cw_facade.testing serve``) on loopback, and runs the toolkit inside that venv:
get a ticket, page through tickets, create one with defaults, update its status and priority,
add a note, read notes back, and find a configuration. Exits non-zero on any failure.

Not part of ``make test``: it needs PyPI to install the toolkit.
Usage: ``.venv/bin/python scripts/toolkit_against_simulator.py``
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".bench" / "toolkit-venv"
TOOLKIT = "connectpyse-manage==0.0.7"
SERVE_TIMEOUT = 30.0

# Runs inside the toolkit's venv; talks to the simulator only through the toolkit.
TOOLKIT_SCRIPT = r"""
import sys
from connectwise import ConnectWiseClient, TicketDefaults

base_url, company, public, private, client_id = sys.argv[1:6]
cw = ConnectWiseClient(
    base_url=base_url, client=company, username=public, password=private, client_id=client_id,
    ticket_defaults=TicketDefaults(company_id=250, board_id=1, priority_id=8),
)
assert str(cw._password) == "**********"
ticket = cw.get_ticket(ticket_id=1)
assert ticket is not None and ticket.id == 1, ticket
print(f"get_ticket: #{ticket.id} {ticket.summary!r} status={ticket.status_name}")
assert cw.get_ticket(ticket_id=999999) is None
print("get_ticket(999999): None")
tickets = cw.get_tickets(conditions="closedFlag=false AND company/id=250", pagesize=5)
assert len(tickets) > 5, len(tickets)
print(f"get_tickets paged {len(tickets)} open tickets of company 250 in pages of 5")
new = cw.create_ticket(summary="Server offline", body="PROD-WEB-01 is unreachable")
print(f"create_ticket: #{new.id} company={new.company_name} board={new.board_name}")
updated = cw.update_ticket_status(ticket_id=new.id, status_id=456)
assert updated.status_name == "Resolved", updated.status_name
print(f"update_ticket_status: {updated.status_name}")
updated = cw.update_ticket_priority(ticket_id=new.id, priority_id=7)
print(f"update_ticket_priority: {updated.priority_name}")
note = cw.add_ticket_note(ticket_id=new.id, note_text="Investigating", internal=True)
notes = cw.get_ticket_notes(ticket_id=new.id)
assert any(n.text == "Investigating" for n in notes), notes
print(f"add_ticket_note + get_ticket_notes: {len(notes)} notes")
configs = cw.get_configurations(conditions='name="PROD-WEB-01" AND company/id=250')
assert configs and configs[0].name == "PROD-WEB-01", configs
print(f"get_configurations: {configs[0].name} {configs[0].ipAddress}")
print("toolkit OK")
"""


def toolkit_python() -> Path:
    """The throwaway venv's interpreter, with the toolkit installed."""
    python = VENV / "bin" / "python"
    if not python.exists():
        venv.create(VENV, with_pip=True)
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", TOOLKIT], check=True, timeout=600
    )
    return python


def start_simulator() -> tuple[subprocess.Popen[str], str]:
    """Start ``python -m cw_facade.testing serve`` and read its base URL."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "cw_facade.testing", "serve", "--port", "0"],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    assert proc.stdout is not None
    for line in proc.stdout:
        found = re.search(r"(http://127\.0\.0\.1:\d+)", line)
        if found:
            return proc, found.group(1)
    proc.kill()
    raise SystemExit("toolkit_against_simulator: the simulator did not print its URL")


def main() -> int:
    """Install the toolkit, start the simulator, run the toolkit against it."""
    from cw_facade.testing import DEMO_CLIENT_ID, DEMO_COMPANY, DEMO_PRIVATE_KEY, DEMO_PUBLIC_KEY

    python = toolkit_python()
    proc, base_url = start_simulator()
    try:
        args = [base_url, DEMO_COMPANY, DEMO_PUBLIC_KEY, DEMO_PRIVATE_KEY, DEMO_CLIENT_ID]
        result = subprocess.run(
            [str(python), "-c", TOOLKIT_SCRIPT, *args], timeout=120, check=False
        )
        return result.returncode
    finally:
        proc.terminate()
        proc.wait(10)


if __name__ == "__main__":
    sys.exit(main())
