"""``cw doctor``: each check, what it says, and the exit status."""

from __future__ import annotations

import email.utils
import json
import re
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest

from cw_facade.cli._doctor_setup import api_host_for, site_host_for
from cw_facade.testing import ManageSimulator
from tests.cli.conftest import Runner, run_cw


def lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("[")]


def test_a_good_configuration_passes(cw: Runner, sim: ManageSimulator) -> None:
    ran = cw("doctor")
    assert ran.code == 0, ran.out
    found = lines(ran.out)
    assert "[ok  ] base_url from env CW_BASE_URL" in found
    assert any("is on codebase v4_6_release/" in line for line in found)
    assert "[ok  ] credentials have the company+public:private form (keys not shown)" in found
    assert f"[ok  ] clientId {sim.client_id} is a GUID" in found
    assert any(line.startswith("[ok  ] logged in at") for line in found)
    assert "[ok  ] read tickets" in found
    assert "[ok  ] read time entries" in found  # the simulator serves every selected module
    assert any("callback 1 (ticket)" in line and "inactive" in line for line in found)
    assert ran.err == "no problems found\n"


def test_a_wrong_codebase_is_named_with_the_fix(cw: Runner) -> None:
    ran = cw("doctor", "--codebase", "v2020_1")
    assert ran.code == 3
    assert "[FAIL] configured codebase v2020_1/ but the server serves v4_6_release/" in ran.out
    assert (
        "fix: remove the codebase setting (discovery finds it) or set it to v4_6_release/"
        in ran.out
    )
    assert "[FAIL] login: 404 from the API root (wrong codebase or API host)" in ran.out
    assert "read tickets" not in ran.out
    assert ran.err == "2 check(s) failed\n"


def test_a_wrong_codebase_in_a_full_api_root(cw: Runner, sim: ManageSimulator) -> None:
    ran = cw("doctor", CW_BASE_URL=f"{sim.base_url}/v2019_3/apis/3.0")
    assert ran.code == 3
    assert "configured codebase v2019_3/ but the server serves v4_6_release/" in ran.out


def test_a_wrong_key(cw: Runner) -> None:
    ran = cw("doctor", CW_PRIVATE_KEY="not-the-key")
    assert ran.code == 3
    assert "[FAIL] login refused: 401" in ran.out
    assert "not-the-key" not in ran.out + ran.err


def test_an_unknown_company(cw: Runner) -> None:
    ran = cw("doctor", CW_COMPANY="nobody")
    assert ran.code == 3
    assert "[FAIL] company 'nobody' is unknown to" in ran.out
    assert "company id you type at login" in ran.out


def test_missing_settings(cw: Runner) -> None:
    ran = cw("doctor", CW_PUBLIC_KEY="", CW_CLIENT_ID="")
    assert ran.code == 3
    assert "[FAIL] settings missing: public_key, client_id" in ran.out
    assert "--public-key / CW_PUBLIC_KEY" in ran.out
    assert "login" not in ran.out


def test_nothing_configured(cw: Runner) -> None:
    ran = cw("doctor", CW_BASE_URL="", CW_COMPANY="", CW_PUBLIC_KEY="", CW_PRIVATE_KEY="",
             CW_CLIENT_ID="")  # fmt: skip
    assert ran.code == 3
    assert "no config file at" in ran.out
    assert "settings missing: base_url, company, public_key, private_key, client_id" in ran.out


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"CW_CLIENT_ID": "my-client"}, "[FAIL] clientId is not a GUID"),
        ({"CW_PUBLIC_KEY": "cwfacade+demo-public"}, "the public key holds '+'"),
        ({"CW_COMPANY": "cw facade"}, "the company id holds '+', ':' or spaces"),
    ],
)
def test_credential_form_problems(cw: Runner, overrides: dict[str, str], message: str) -> None:
    ran = cw("doctor", **overrides)
    assert ran.code == 3
    assert message in ran.out


def test_a_base_url_without_scheme(cw: Runner) -> None:
    ran = cw("doctor", CW_BASE_URL="na.myconnectwise.net")
    assert ran.code == 3
    assert "[FAIL] base_url is not an http(s) URL with a host" in ran.out


def test_an_unsafe_config_file(cw: Runner, tmp_path: Path) -> None:
    config = tmp_path / "c.toml"
    config.write_text('[profiles.default]\nprivate_key = "k-e-y-1234"\n')
    config.chmod(0o644)
    ran = cw("doctor", CW_CONFIG=str(config))
    assert ran.code == 3
    assert "chmod 600" in ran.out
    assert "k-e-y-1234" not in ran.out + ran.err


def test_no_server_at_all(cw: Runner) -> None:
    ran = cw("doctor", "--max-retries", "0", CW_BASE_URL="http://127.0.0.1:9")
    assert ran.code == 3
    assert "[FAIL] codebase discovery: no answer from http://127.0.0.1:9" in ran.out


@pytest.mark.parametrize(
    ("host", "api"),
    [("na.myconnectwise.net", "api-na.myconnectwise.net"), ("cw.example.com", None)],
)
def test_cloud_host_mapping(host: str, api: str | None) -> None:
    assert api_host_for(host) == api
    assert site_host_for(api or host) == host


# -- a cloud-like server played by a MockTransport ----------------------------------------


def cloud(
    skew_s: float = 0,
    version: str = "v2025.8",
    forbid: str = "",
    date: str | None = None,
    info_status: int = 200,
) -> httpx.MockTransport:
    def handler(request: httpx.Request) -> httpx.Response:
        host, path = request.url.host, request.url.path
        if host == "na.myconnectwise.net" and path == "/login/companyinfo/acme":
            sent = date or email.utils.formatdate(time.time() + skew_s, usegmt=True)
            body = {"Codebase": "v2025_1/", "VersionCode": version, "CompanyName": "Acme"}
            return httpx.Response(200, json=body, headers={"Date": sent})
        if host == "hooks.example.com":
            if path == "/gone":
                return httpx.Response(404)
            if path == "/down":
                raise httpx.ConnectError("refused", request=request)
            return httpx.Response(405 if request.method == "HEAD" else 200)
        assert host == "api-na.myconnectwise.net", host
        sub = path.removeprefix("/v2025_1/apis/3.0/")
        if forbid and sub == forbid:
            return httpx.Response(403, json={"code": "Security", "message": "Not permitted"})
        if sub == "system/info":
            return httpx.Response(info_status, json={"version": version})
        if sub == "system/callbacks":
            hooks = [
                {"id": 1, "type": "ticket", "url": "https://hooks.example.com/cw"},
                {"id": 2, "type": "company", "url": "https://hooks.example.com/gone"},
                {"id": 3, "type": "contact", "url": "https://hooks.example.com/down"},
                {"id": 4, "type": "time", "url": "not a url"},
            ]
            return httpx.Response(200, json=hooks)
        return httpx.Response(200, json=[{"id": 1}])

    return httpx.MockTransport(handler)


@pytest.fixture
def cloud_env(tmp_path: Path) -> dict[str, str]:
    return {
        "CW_BASE_URL": "https://na.myconnectwise.net",
        "CW_COMPANY": "acme",
        "CW_PUBLIC_KEY": "acmepublic",
        "CW_PRIVATE_KEY": "acme-private-key",
        "CW_CLIENT_ID": "00000000-0000-4000-8000-000000000000",
        "CW_CONFIG": str(tmp_path / "none.toml"),
    }


def test_cloud_site_clock_version_and_callbacks(cloud_env: dict[str, str]) -> None:
    ran = run_cw(["doctor"], cloud_env, transport=cloud())
    found = lines(ran.out)
    assert (
        "[ok  ] site na.myconnectwise.net; the API is served from api-na.myconnectwise.net "
        "(automatic)" in found
    )
    assert any(line.startswith("[ok  ] clock within") for line in found)
    assert "[ok  ] API version 2025.8 (server v2025.8)" in found
    assert "[ok  ] callback 1 (ticket) https://hooks.example.com/cw: answers 200" in found
    assert "[FAIL] callback 2 (company) https://hooks.example.com/gone: answers 404" in found
    assert (
        "[FAIL] callback 3 (contact) https://hooks.example.com/down: no answer (ConnectError)"
        in found
    )
    assert "[FAIL] callback 4 (time) not a url: not an http(s) URL" in ran.out
    assert ran.code == 3


def test_a_date_header_that_does_not_parse(cloud_env: dict[str, str]) -> None:
    ran = run_cw(["doctor"], cloud_env, transport=cloud(date="yesterday-ish"))
    assert "[warn] clock: the server's Date header does not parse, skew not checked" in ran.out


def test_a_failing_server_at_login(cloud_env: dict[str, str]) -> None:
    env = {**cloud_env}
    ran = run_cw(["doctor", "--max-retries", "0"], env, transport=cloud(info_status=500))
    assert ran.code == 3
    assert "[FAIL] login: 500" in ran.out
    assert "read tickets" not in ran.out


def test_the_api_host_leads_to_its_site(cloud_env: dict[str, str]) -> None:
    env = {**cloud_env, "CW_BASE_URL": "https://api-na.myconnectwise.net"}
    ran = run_cw(["doctor"], env, transport=cloud())
    assert (
        "[ok  ] API host api-na.myconnectwise.net; its site (for discovery) is na.myconnectwise.net"
        in ran.out
    )


def test_clock_skew_and_an_old_server_warn(cloud_env: dict[str, str]) -> None:
    ran = run_cw(["doctor"], cloud_env, transport=cloud(skew_s=-3600, version="v2025.1"))
    assert "[warn] API version 2025.8 is newer than the server's v2025.1" in ran.out
    assert 'set api_version = "2025.1"' in ran.out
    assert re.search(
        r"\[warn\] clock: this machine is \+(3599|3600|3601) s off the server", ran.out
    )


def test_a_403_names_the_missing_permission(cloud_env: dict[str, str]) -> None:
    ran = run_cw(["doctor"], cloud_env, transport=cloud(forbid="time/entries"))
    assert "[FAIL] read time entries: 403 forbidden" in ran.out
    assert (
        "fix: grant the API member's security role Time & Expense > Time Entry (Inquire)" in ran.out
    )


# -- a real callback receiver on loopback ----------------------------------------------------


class Receiver(BaseHTTPRequestHandler):
    def do_HEAD(self) -> None:
        self.send_response(204)
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def receiver() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/cw-hook"
    finally:
        server.shutdown()
        server.server_close()


def test_a_registered_callback_that_answers(cw: Runner, receiver: str) -> None:
    body = {"url": receiver, "objectId": 1, "type": "company", "level": "owner"}
    registered = cw("api", "postSystemCallbacks", "--body", json.dumps(body))
    assert registered.code == 0, registered.err
    ran = cw("doctor")
    assert f"(company) {receiver}: answers 204" in ran.out


def test_an_api_root_on_the_cloud_site_host_warns(cloud_env: dict[str, str]) -> None:
    env = {**cloud_env, "CW_BASE_URL": "https://na.myconnectwise.net/v2025_1/apis/3.0"}
    answer_503 = httpx.MockTransport(lambda r: httpx.Response(503))
    ran = run_cw(["doctor", "--max-retries", "0"], env, transport=answer_503)
    assert (
        "[warn] an API root on the site host na.myconnectwise.net: cloud APIs are served from "
        "api-na.myconnectwise.net" in ran.out
    )
    assert "fix: give the site alone (https://na.myconnectwise.net) or use " in ran.out
    assert "https://api-na.myconnectwise.net/v2025_1/apis/3.0" in ran.out


def test_a_codebase_path_without_the_api_suffix_fails(cloud_env: dict[str, str]) -> None:
    env = {**cloud_env, "CW_BASE_URL": "https://na.myconnectwise.net/v4_6_release"}
    ran = run_cw(["doctor"], env, transport=cloud())
    assert "[FAIL] base_url has the path '/v4_6_release'" in ran.out
    assert ran.code == 3
