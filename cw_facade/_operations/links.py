"""Links into the ConnectWise web UI."""

from __future__ import annotations

from typing import Any

from cw_facade._constants import FALLBACK_CODEBASE
from cw_facade._urls import Endpoints, ticket_url
from cw_facade._validation import check_id


def ticket_link(endpoints: Endpoints, codebase: str | None, company: str, ticket_id: Any) -> str:
    """The web UI link to ticket ``ticket_id`` on the site of ``endpoints``."""
    site = f"{endpoints.scheme}://{endpoints.site_host}"
    record_id = check_id("ticket_id", ticket_id)
    return ticket_url(site, codebase or FALLBACK_CODEBASE, record_id, company)
