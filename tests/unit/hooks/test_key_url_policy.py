"""A signing key is fetched only from the receiver's own site, key path and company."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from cw_facade._callback_keys import (
    InvalidCallbackError,
    check_key_url,
    fetch_signing_key,
    fetch_signing_key_async,
    site_origins,
)

SITE = "https://na.myconnectwise.net"
COMPANY = "acme"
GUID = "89966c04-9889-46ad-8d5e-421103aca922"
REAL = f"https://api-na.myconnectwise.net/v4_6_release/system/callbackkey/index.rails?companyName=acme&id={GUID}"


def explode(request: httpx.Request) -> httpx.Response:
    raise AssertionError(f"no request may be sent, got {request.url}")


@pytest.mark.parametrize(
    "url",
    [
        REAL,
        REAL.replace("api-na.", "na."),
        REAL.replace(".net/", ".net:443/"),
        REAL.replace(".net/", ".net./"),
        REAL.replace("companyName=acme", "companyName=ACME"),
        REAL.replace("/v4_6_release/", "/v2025_1//"),
        REAL.replace("system/callbackkey/index.rails", "System/CallbackKey/Index.rails"),
        REAL.replace("/v4_6_release/", "/v4_6_release/apis/3.0/"),
        f"  {REAL}  ",
    ],
)
def test_the_receivers_own_key_urls_pass(url: str) -> None:
    assert check_key_url(url, sites=SITE, company=COMPANY) == url.strip()


REFUSED = {
    "another region's host": (REAL.replace("api-na.", "api-eu."), "not the receiver's own"),
    "a forger's host": (REAL.replace("api-na.myconnectwise.net", "evil.example"), "evil.example"),
    "a look-alike host": (REAL.replace(".net/", ".net.evil.example/"), "not the receiver's own"),
    "plain http": (REAL.replace("https:", "http:"), "must be https"),
    "another port": (REAL.replace(".net/", ".net:8443/"), ":8443"),
    "user info": (REAL.replace("https://", "https://u:p@"), "user info"),
    "a fragment": (REAL + "#x", "fragment"),
    "another path": (REAL.replace("system/callbackkey/index.rails", "system/documents/5/download"), "key path"),  # noqa: E501
    "a dot segment": (REAL.replace("/v4_6_release/", "/v4_6_release/../"), "key path"),
    "an encoded dot segment": (REAL.replace("/v4_6_release/", "/%2e%2e/"), "key path"),
    "an encoded slash": (REAL.replace("/system/callbackkey", "/system%2Fcallbackkey"), "key path"),
    "no codebase": (REAL.replace("/v4_6_release/", "/"), "key path"),
    "a long codebase": (REAL.replace("/v4_6_release/", "/a/b/c/d/"), "key path"),
    "a key path prefix only": (REAL.replace("/index.rails", "/index.rails/more"), "key path"),
    "another company": (REAL.replace("companyName=acme", "companyName=intruder"), "'intruder'"),
    "no company": (REAL.replace("companyName=acme&", ""), "no companyName"),
    "two companies": (REAL + "&companyName=intruder", "more than once"),
    "the simulator path off loopback": (
        "https://na.myconnectwise.net/v4_6_release/apis/3.0/system/callbackSigningKey",
        "key path",
    ),
    "a file URL": ("file:///etc/passwd", "has no host"),
    "an ftp URL": (REAL.replace("https:", "ftp:"), "must be https"),
    "not a URL": ("not a url", "has no host"),
    "empty": ("", "no signing key URL"),
    "None": (None, "no signing key URL"),
    "a number": (42, "no signing key URL"),
}  # fmt: skip


@pytest.mark.parametrize(("url", "reason"), REFUSED.values(), ids=REFUSED.keys())
def test_anything_else_is_refused_before_any_request(url: Any, reason: str) -> None:
    with pytest.raises(InvalidCallbackError, match=reason):
        check_key_url(url, sites=SITE, company=COMPANY)
    with pytest.raises(InvalidCallbackError, match=reason):
        fetch_signing_key(url, sites=SITE, company=COMPANY, transport=httpx.MockTransport(explode))


@pytest.mark.anyio
@pytest.mark.parametrize(("url", "reason"), list(REFUSED.values())[:6])
async def test_the_async_fetch_refuses_the_same(url: Any, reason: str) -> None:
    with pytest.raises(InvalidCallbackError, match=reason):
        await fetch_signing_key_async(
            url, sites=SITE, company=COMPANY, transport=httpx.MockTransport(explode)
        )


class TestSites:
    def test_a_cloud_site_admits_its_api_host_and_back(self) -> None:
        both = {("na.myconnectwise.net", 443), ("api-na.myconnectwise.net", 443)}
        assert site_origins(SITE) == both
        assert site_origins("api-na.myconnectwise.net") == both

    def test_hosts_urls_and_ports(self) -> None:
        assert site_origins(["cw.example.com", "https://cw.example.com/v4_6_release/apis/3.0"]) == {
            ("cw.example.com", 443)
        }
        assert site_origins("http://127.0.0.1:8123") == {("127.0.0.1", 8123)}
        assert site_origins("CW.Example.COM:8443") == {("cw.example.com", 8443)}
        assert site_origins("http://[::1]:9000") == {("::1", 9000)}

    def test_an_explicitly_named_host_is_trusted(self) -> None:
        url = REAL.replace("api-na.myconnectwise.net", "cw.internal.example")
        with pytest.raises(InvalidCallbackError):
            check_key_url(url, sites=SITE, company=COMPANY)
        assert check_key_url(url, sites=[SITE, "cw.internal.example"], company=COMPANY) == url
        on_port = url.replace("example/", "example:8443/")
        assert check_key_url(on_port, sites="cw.internal.example:8443", company=COMPANY)

    @pytest.mark.parametrize("sites", [[], [""], ["  "], [None], ["https://"]])
    def test_no_usable_site_is_refused(self, sites: Any) -> None:
        with pytest.raises(InvalidCallbackError, match=r"sites|host"):
            check_key_url(REAL, sites=sites, company=COMPANY)

    @pytest.mark.parametrize("company", ["", "  ", None, 5])
    def test_the_company_must_be_named(self, company: Any) -> None:
        with pytest.raises(InvalidCallbackError, match="company"):
            check_key_url(REAL, sites=SITE, company=company)


class TestLoopback:
    SIM = "http://127.0.0.1:8123"
    SIM_KEY = f"{SIM}/v4_6_release/apis/3.0/system/callbackSigningKey"

    def test_the_simulator_key_path_is_accepted_on_loopback(self) -> None:
        assert check_key_url(self.SIM_KEY, sites=self.SIM, company=COMPANY) == self.SIM_KEY
        real_path = f"{self.SIM}/v4_6_release/system/callbackkey/index.rails?companyName=acme"
        assert check_key_url(real_path, sites=self.SIM, company=COMPANY) == real_path

    def test_a_simulator_key_url_naming_another_company_is_refused(self) -> None:
        with pytest.raises(InvalidCallbackError, match="'other'"):
            check_key_url(f"{self.SIM_KEY}?companyName=other", sites=self.SIM, company=COMPANY)

    def test_the_real_path_still_needs_the_company_on_loopback(self) -> None:
        with pytest.raises(InvalidCallbackError, match="no companyName"):
            check_key_url(
                f"{self.SIM}/v4_6_release/system/callbackkey/index.rails",
                sites=self.SIM,
                company=COMPANY,
            )

    @pytest.mark.parametrize(
        "url",
        [
            SIM_KEY.replace(":8123", ":8124"),
            SIM_KEY.replace("127.0.0.1", "localhost"),
            SIM_KEY.replace("127.0.0.1", "127.0.0.2"),
        ],
    )
    def test_other_loopback_origins_are_not_the_site(self, url: str) -> None:
        with pytest.raises(InvalidCallbackError, match="not the receiver's own"):
            check_key_url(url, sites=self.SIM, company=COMPANY)

    def test_http_is_refused_off_loopback_even_when_the_site_is_http(self) -> None:
        with pytest.raises(InvalidCallbackError, match="must be https"):
            check_key_url(
                "http://cw.example.com/v4_6_release/system/callbackkey/index.rails?companyName=acme",
                sites="http://cw.example.com",
                company=COMPANY,
            )
