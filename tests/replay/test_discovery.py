"""Replayed codebase discovery (``login/companyinfo``) and the ticket link built from it."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from vcr.cassette import Cassette

from cw_facade import AsyncConnectWiseClient, ConnectWiseClient
from tests.replay._scrub import NEUTRAL_ORIGIN

COMPANYINFO = f"{NEUTRAL_ORIGIN}/login/companyinfo/cwfacade"
TICKET_PAGE = "v4_6_release/services/system_io/Service/fv_sr100_request.rails"


def _check_link(link: str) -> None:
    """The link is on the client's own site (neutral in replay, the simulator when recording)."""
    assert link.split("/", 3)[3] == f"{TICKET_PAGE}?service_recid=5&companyName=cwfacade"


def test_discovery_and_ticket_link(
    make_client: Callable[..., ConnectWiseClient], cassette: Cassette
) -> None:
    discovering_client = make_client(codebase=None)
    assert discovering_client.codebase is None
    _check_link(discovering_client.get_ticket_url(5))
    assert discovering_client.codebase == "v4_6_release/"
    assert discovering_client.get_ticket(5).id == 5
    assert cassette.requests[0].uri == COMPANYINFO
    assert len(cassette.requests) == 2


@pytest.mark.anyio
async def test_discovery_and_ticket_link_async(
    make_aclient: Callable[..., AsyncConnectWiseClient], cassette: Cassette
) -> None:
    discovering_aclient = make_aclient(codebase=None)
    assert discovering_aclient.codebase is None
    _check_link(await discovering_aclient.get_ticket_url(5))
    assert discovering_aclient.codebase == "v4_6_release/"
    assert (await discovering_aclient.get_ticket(5)).id == 5
    assert cassette.requests[0].uri == COMPANYINFO
    assert len(cassette.requests) == 2
