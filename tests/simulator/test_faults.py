"""Faults on demand, the global fault rate and latency."""

from __future__ import annotations

import json

import httpx
import pytest

from cw_facade.testing import FAULT_KINDS, ManageSimulator
from tests.simulator.helpers import client_for

TICKETS = r"/service/tickets$"


def test_429_with_retry_after_then_normal(sim: ManageSimulator, api: httpx.Client) -> None:
    sim.add_fault("429", path=TICKETS, count=2, retry_after=7)
    statuses = [api.get("service/tickets").status_code for _ in range(3)]
    assert statuses == [429, 429, 200]
    sim.add_fault("429", path=TICKETS, count=1, retry_after=3)
    limited = api.get("service/tickets")
    assert limited.headers["Retry-After"] == "3"
    assert limited.json()["code"] == "TooManyRequests"
    assert "x-cw-request-id" in limited.headers
    assert [e.status for e in sim.request_log] == [429, 429, 200, 429]


def test_503_and_500_timeout(sim: ManageSimulator, api: httpx.Client) -> None:
    sim.add_fault("503", path=TICKETS, count=1)
    sim.add_fault("500-timeout", path=TICKETS, count=1)
    assert api.get("service/tickets").status_code == 503
    timeout = api.get("service/tickets")
    assert timeout.status_code == 500
    assert timeout.json()["message"] == "timeout"


def test_faults_answer_before_the_store(sim: ManageSimulator, api: httpx.Client) -> None:
    sim.add_fault("503", method="POST", path=TICKETS, count=1)
    body = {"summary": "Not stored", "company": {"id": 250}}
    assert api.post("service/tickets", json=body).status_code == 503
    assert api.get("service/tickets/count").json() == {"count": 300}
    assert api.post("service/tickets", json=body).status_code == 201


def test_method_filter(sim: ManageSimulator, api: httpx.Client) -> None:
    sim.add_fault("503", method="POST", path=TICKETS)
    assert api.get("service/tickets").status_code == 200
    body = {"summary": "Refused", "company": {"id": 250}}
    assert api.post("service/tickets", json=body).status_code == 503
    assert api.get("service/tickets/count").json() == {"count": 300}


def test_html_error_page(sim: ManageSimulator, api: httpx.Client) -> None:
    sim.add_fault("html", path="/service/boards", count=1)
    response = api.get("service/boards")
    assert response.status_code == 502
    assert response.headers["content-type"].startswith("text/html")
    assert response.text.startswith("<!DOCTYPE html>")


def test_malformed_json(sim: ManageSimulator, api: httpx.Client) -> None:
    sim.add_fault("malformed-json", path="/service/boards", count=1)
    broken = api.get("service/boards")
    assert broken.status_code == 200
    with pytest.raises(json.JSONDecodeError):
        json.loads(broken.content)
    assert api.get("service/boards").json()[0]["name"] == "Service Desk"


@pytest.mark.parametrize("kind", ["slow-body", "latency"])
def test_slow_responses_are_complete(sim: ManageSimulator, api: httpx.Client, kind: str) -> None:
    expected = api.get("service/tickets").content
    fault = sim.add_fault(kind, path=TICKETS, count=1, delay=0.01)
    assert api.get("service/tickets").content == expected
    assert fault.remaining == 0  # the fault fired on that request


def test_connection_reset(sim: ManageSimulator) -> None:
    sim.add_fault("reset", path=TICKETS, count=1)
    with client_for(sim) as client:
        with pytest.raises(httpx.TransportError):
            client.get("service/tickets")
        assert client.get("service/tickets").status_code == 200
    assert [e.status for e in sim.request_log] == [None, 200]


def test_probability_zero_never_and_clear(sim: ManageSimulator, api: httpx.Client) -> None:
    sim.add_fault("503", probability=0.0)
    assert api.get("service/boards").status_code == 200
    sim.add_fault("503")
    assert api.get("service/boards").status_code == 503
    sim.clear_faults()
    assert api.get("service/boards").status_code == 200


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"kind": "boom"}, "unknown fault kind"),
        ({"kind": "429", "probability": 2.0}, "probability"),
    ],
)
def test_bad_fault_arguments(sim: ManageSimulator, kwargs: dict[str, object], message: str) -> None:
    kind = str(kwargs.pop("kind"))
    with pytest.raises(ValueError, match=message):
        sim.add_fault(kind, **kwargs)  # type: ignore[arg-type]
    assert "reset" in FAULT_KINDS


def test_fault_rate_and_latency() -> None:
    with ManageSimulator(seed="empty", fault_rate=1.0, latency_ms=1) as sim:
        with client_for(sim) as client:
            outcomes = []
            for _ in range(12):
                try:
                    outcomes.append(client.get("service/boards").status_code)
                except httpx.TransportError:
                    outcomes.append(0)
        with httpx.Client() as plain:
            info = plain.get(f"{sim.base_url}/login/companyinfo/{sim.company}")
    assert set(outcomes) <= {429, 503, 0}
    assert len(set(outcomes)) > 1
    assert info.status_code == 200


def test_fault_rate_bounds() -> None:
    with pytest.raises(ValueError, match="fault_rate"):
        ManageSimulator(fault_rate=1.5)
