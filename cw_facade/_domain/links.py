"""Links into the ConnectWise web UI."""

from __future__ import annotations

from cw_facade._constants import FALLBACK_CODEBASE
from cw_facade._urls import Endpoints, ticket_url


def ticket_link(endpoints: Endpoints, codebase: str | None, company: str, ticket_id: int) -> str:
    """The web UI link to ticket ``ticket_id`` (checked) on the site of ``endpoints``."""
    site = f"{endpoints.scheme}://{endpoints.site_host}"
    return ticket_url(site, codebase or FALLBACK_CODEBASE, ticket_id, company)
