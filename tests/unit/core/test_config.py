"""Configuration: base_url parsing, insecure-URL refusal, credentials, SecretString."""

from __future__ import annotations

import pickle
from typing import Any

import httpx
import pytest

from cw_facade._async._client import AsyncConnectWiseClient
from cw_facade._errors import ConnectWiseConfigurationError
from cw_facade._secrets import SecretString
from cw_facade._sync._client import ConnectWiseClient
from cw_facade._urls import parse_base_url, ticket_url

from .conftest import API_ROOT, CLIENT, CLIENT_ID, PASSWORD, USERNAME

CLASSES = [ConnectWiseClient, AsyncConnectWiseClient]


@pytest.mark.parametrize(
    ("base_url", "site", "api", "codebase"),
    [
        ("https://na.myconnectwise.net", "na.myconnectwise.net", "api-na.myconnectwise.net", None),
        ("https://EU.myconnectwise.net/", "eu.myconnectwise.net", "api-eu.myconnectwise.net", None),
        (
            "https://aus.myconnectwise.net",
            "aus.myconnectwise.net",
            "api-aus.myconnectwise.net",
            None,
        ),
        ("https://za.myconnectwise.net", "za.myconnectwise.net", "api-za.myconnectwise.net", None),
        ("https://au.myconnectwise.net", "au.myconnectwise.net", "api-au.myconnectwise.net", None),
        (
            "https://sandbox-na.myconnectwise.net",
            "sandbox-na.myconnectwise.net",
            "sandbox-na.myconnectwise.net",
            None,
        ),
        (
            "https://connect.example.com:8443",
            "connect.example.com:8443",
            "connect.example.com:8443",
            None,
        ),
        (
            "https://api-na.myconnectwise.net/v2025_1/apis/3.0/",
            "na.myconnectwise.net",
            "api-na.myconnectwise.net",
            "v2025_1/",
        ),
        (
            "http://127.0.0.1:8080/v4_6_release/apis/3.0",
            "127.0.0.1:8080",
            "127.0.0.1:8080",
            "v4_6_release/",
        ),
        ("http://localhost/apis/3.0", "localhost", "localhost", ""),
    ],
)
def test_parse_base_url(base_url: str, site: str, api: str, codebase: str | None) -> None:
    endpoints = parse_base_url(base_url)
    assert (endpoints.site_host, endpoints.api_host, endpoints.codebase) == (site, api, codebase)


def test_api_root_and_companyinfo_urls() -> None:
    endpoints = parse_base_url("https://na.myconnectwise.net", codebase="/v2025_1")
    assert endpoints.api_root("v2025_1/") == "https://api-na.myconnectwise.net/v2025_1/apis/3.0/"
    assert endpoints.companyinfo_url("my co") == (
        "https://na.myconnectwise.net/login/companyinfo/my%20co"
    )


@pytest.mark.parametrize(
    "base_url",
    [
        "",
        "na.myconnectwise.net",
        "ftp://na.myconnectwise.net",
        "https://user:pw@na.myconnectwise.net",
        "https://na.myconnectwise.net/some/page",
        "https://na.myconnectwise.net/?x=1",
        "https:///apis/3.0",
        "https://host/v4 6/apis/3.0",
    ],
)
def test_bad_base_urls(base_url: str) -> None:
    with pytest.raises(ConnectWiseConfigurationError):
        parse_base_url(base_url)


@pytest.mark.parametrize(
    "base_url", ["http://na.myconnectwise.net", "http://10.0.0.5/v4_6_release/apis/3.0"]
)
def test_plain_http_is_refused_unless_opted_in(base_url: str) -> None:
    with pytest.raises(ConnectWiseConfigurationError, match="allow_insecure_http"):
        parse_base_url(base_url)
    assert parse_base_url(base_url, allow_insecure_http=True).scheme == "http"


@pytest.mark.parametrize("base_url", ["http://127.0.0.1", "http://[::1]:81", "http://localhost"])
def test_plain_http_to_loopback_is_allowed(base_url: str) -> None:
    assert parse_base_url(base_url).scheme == "http"


def test_codebase_must_agree_with_api_root() -> None:
    with pytest.raises(ConnectWiseConfigurationError, match="disagrees"):
        parse_base_url("https://h/v4_6_release/apis/3.0", codebase="v2025_1")
    assert parse_base_url("https://h/v4_6_release/apis/3.0", codebase="v4_6_release").codebase


@pytest.mark.parametrize("codebase", ["", "a b", "../x", "v1/../v2"])
def test_bad_codebase(codebase: str) -> None:
    with pytest.raises(ConnectWiseConfigurationError):
        parse_base_url("https://connect.example.com", codebase=codebase)


def test_ticket_url() -> None:
    assert ticket_url("na.myconnectwise.net", "v2025_1", 42, "my co") == (
        "https://na.myconnectwise.net/v2025_1/services/system_io/Service/"
        "fv_sr100_request.rails?service_recid=42&companyName=my+co"
    )
    assert ticket_url("https://api-eu.myconnectwise.net", "v4_6_release/", 7, "acme").startswith(
        "https://eu.myconnectwise.net/v4_6_release/services/"
    )


@pytest.mark.parametrize("cls", CLASSES)
@pytest.mark.parametrize("missing", ["client", "username", "password", "client_id"])
@pytest.mark.parametrize("value", ["", "   ", None, 5])
def test_missing_credentials_fail_at_construction(cls: Any, missing: str, value: Any) -> None:
    args = {"client": CLIENT, "username": USERNAME, "password": PASSWORD, "client_id": CLIENT_ID}
    args[missing] = value
    with pytest.raises(ConnectWiseConfigurationError, match=missing):
        cls(API_ROOT, **args)


@pytest.mark.parametrize("cls", CLASSES)
@pytest.mark.parametrize(
    "options",
    [
        {"timeout": 0},
        {"timeout": -1.0},
        {"timeout": "30"},
        {"max_retries": -1},
        {"max_retries": True},
        {"page_size": 0},
        {"page_size": 1001},
        {"api_version": ""},
    ],
)
def test_bad_options(cls: Any, options: dict[str, Any]) -> None:
    with pytest.raises(ConnectWiseConfigurationError):
        cls(API_ROOT, CLIENT, USERNAME, PASSWORD, CLIENT_ID, **options)


def test_async_concurrency_option() -> None:
    with pytest.raises(ConnectWiseConfigurationError, match="concurrency"):
        AsyncConnectWiseClient(API_ROOT, CLIENT, USERNAME, PASSWORD, CLIENT_ID, concurrency=0)


@pytest.mark.parametrize(("cls", "http_cls"), [(ConnectWiseClient, httpx.Client)])
def test_http_client_and_transport_together_are_refused(cls: Any, http_cls: Any) -> None:
    transport = httpx.MockTransport(lambda r: httpx.Response(200))
    with http_cls(transport=transport) as http, pytest.raises(ConnectWiseConfigurationError):
        cls(API_ROOT, CLIENT, USERNAME, PASSWORD, CLIENT_ID, http_client=http, transport=transport)


def test_timeout_defaults() -> None:
    with ConnectWiseClient(API_ROOT, CLIENT, USERNAME, PASSWORD, CLIENT_ID) as cw:
        assert cw._config.timeout == httpx.Timeout(30.0, connect=10.0)
    with ConnectWiseClient(API_ROOT, CLIENT, USERNAME, PASSWORD, CLIENT_ID, timeout=2) as cw:
        assert cw._config.timeout == httpx.Timeout(2.0, connect=2.0)


def test_password_is_a_secret_string() -> None:
    with ConnectWiseClient(API_ROOT, CLIENT, USERNAME, PASSWORD, CLIENT_ID) as cw:
        assert isinstance(cw._config._password, SecretString)
        assert str(cw._config._password) == "**********"
        assert cw._config._password.get_secret_value() == PASSWORD
        assert PASSWORD not in repr(cw) and USERNAME not in repr(cw)
        assert repr(cw) == (
            "ConnectWiseClient(api_root='https://cw.example.com/v4_6_release/apis/3.0/', "
            "rate_limit=RateGovernor(950/min, burst=5))"
        )


def test_secret_string_behaviour() -> None:
    secret = SecretString("hunter2")
    assert str(secret) == repr(secret)[14:-2] == "**********"
    assert f"{secret}" == f"{secret:>3}" == "**********"
    assert secret != "hunter2" and secret != SecretString("hunter2") and secret == secret
    assert bool(secret) and not SecretString("")
    assert len(secret) == 10
    with pytest.raises(TypeError):
        pickle.dumps(secret)
    with pytest.raises(TypeError):
        SecretString(5)  # type: ignore[arg-type]
    assert SecretString(secret.get_secret_value()).get_secret_value() == "hunter2"


def test_password_may_be_given_as_secret_string() -> None:
    secret = SecretString(PASSWORD)
    with ConnectWiseClient(API_ROOT, CLIENT, USERNAME, secret, CLIENT_ID) as cw:
        assert cw._config._password.get_secret_value() == PASSWORD
