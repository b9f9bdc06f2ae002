"""Parsing ``base_url`` into site and API root, codebase discovery answers, web-UI links.

A *site* is what a user types into a browser (``https://na.myconnectwise.net``,
``https://connect.example.com``); the API then lives at ``{api host}/{codebase}apis/3.0/``,
where the codebase is discovered. A *full API root* (``…/v4_6_release/apis/3.0``) names the
codebase itself and needs no discovery.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from urllib.parse import quote, urlencode

import httpx

from cw_facade import _json
from cw_facade._constants import FALLBACK_CODEBASE
from cw_facade._errors import ConnectWiseConfigurationError, ConnectWiseJSONDepthError

#: Cloud site hosts whose API is served from ``api-{region}.myconnectwise.net``.
CLOUD_REGIONS = frozenset({"na", "eu", "au", "aus", "za"})
_CLOUD_DOMAIN = "myconnectwise.net"
_API_SUFFIX = "apis/3.0"
_CODEBASE_RE = re.compile(r"^[A-Za-z0-9_.\-]+(/[A-Za-z0-9_.\-]+)*/$")
_LOOPBACK_NAMES = frozenset({"localhost"})


@dataclass(frozen=True, slots=True)
class Endpoints:
    """Where the API lives: ``scheme``, site and API hosts (with port), and the codebase.

    ``codebase`` is ``None`` until discovered, when the caller gave a site only.
    """

    scheme: str
    site_host: str
    api_host: str
    codebase: str | None

    def api_root(self, codebase: str) -> str:
        """``{scheme}://{api_host}/{codebase}apis/3.0/``."""
        return f"{self.scheme}://{self.api_host}/{codebase}{_API_SUFFIX}/"

    def companyinfo_url(self, client: str) -> str:
        """The codebase discovery URL for company ``client``."""
        return f"{self.scheme}://{self.site_host}/login/companyinfo/{quote(client, safe='')}"


def normalize_codebase(codebase: str) -> str:
    """``v4_6_release`` or ``/v4_6_release/`` → ``v4_6_release/``; reject anything odd."""
    text = codebase.strip().strip("/") + "/"
    if not _CODEBASE_RE.match(text) or ".." in text:
        raise ConnectWiseConfigurationError(f"invalid codebase {codebase!r}")
    return text


def _is_loopback(host: str) -> bool:
    if host.lower() in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _api_host_for(host: str) -> str:
    """Map a cloud site host (``na.myconnectwise.net``) to its API host."""
    region, _, domain = host.lower().partition(".")
    if domain == _CLOUD_DOMAIN and region in CLOUD_REGIONS:
        return f"api-{region}.{_CLOUD_DOMAIN}"
    return host


def _site_host_for(host: str) -> str:
    """Map a cloud API host (``api-na.myconnectwise.net``) back to its site host."""
    region, _, domain = host.lower().partition(".")
    if domain == _CLOUD_DOMAIN and region.startswith("api-") and region[4:] in CLOUD_REGIONS:
        return f"{region[4:]}.{_CLOUD_DOMAIN}"
    return host


def _parse_url(base_url: str) -> httpx.URL:
    if not isinstance(base_url, str) or not base_url.strip():
        raise ConnectWiseConfigurationError("base_url must be a non-empty URL string")
    text = base_url.strip()
    if "://" not in text:
        raise ConnectWiseConfigurationError("base_url needs a scheme, e.g. https://")
    try:
        url = httpx.URL(text)
    except httpx.InvalidURL as exc:
        raise ConnectWiseConfigurationError("base_url is not a valid URL") from exc
    if url.scheme not in {"http", "https"} or not url.host:
        raise ConnectWiseConfigurationError("base_url must be an http(s) URL with a host")
    if url.userinfo:
        raise ConnectWiseConfigurationError("base_url must not carry credentials")
    if url.query or url.fragment:
        raise ConnectWiseConfigurationError("base_url must not have a query or fragment")
    return url


def parse_base_url(
    base_url: str, *, codebase: str | None = None, allow_insecure_http: bool = False
) -> Endpoints:
    """Validate ``base_url`` and split it into :class:`Endpoints`.

    Refuses plain ``http://`` to a host that is not loopback unless ``allow_insecure_http``
    (Basic auth would travel in clear text). An explicit ``codebase`` wins over discovery but
    must agree with a full API root.
    """
    url = _parse_url(base_url)
    if url.scheme == "http" and not allow_insecure_http and not _is_loopback(url.host):
        raise ConnectWiseConfigurationError(
            "refusing plain http:// to a non-loopback host (credentials would travel in clear "
            "text); use https:// or pass allow_insecure_http=True"
        )
    host = url.netloc.decode("ascii")
    path = url.path.strip("/")
    given = normalize_codebase(codebase) if codebase is not None else None
    if path.endswith(_API_SUFFIX):
        prefix = path[: -len(_API_SUFFIX)]
        found = normalize_codebase(prefix) if prefix.strip("/") else ""
        if given is not None and given != found:
            raise ConnectWiseConfigurationError("codebase disagrees with the API root in base_url")
        return Endpoints(url.scheme, _site_host_for(host), host, found)
    if path:
        raise ConnectWiseConfigurationError(
            "base_url must be a site (https://host) or an API root ending in /apis/3.0"
        )
    return Endpoints(url.scheme, host, _api_host_for(host), given)


def codebase_from(response: httpx.Response | None, client: str, site: str) -> str:
    """The codebase in a ``/login/companyinfo`` response, or the fallback when it failed.

    ``response`` is ``None`` when the request itself failed. A JSON ``null`` body means the
    company is unknown: that is a configuration error, not something to fall back from.
    """
    if response is None or response.status_code != 200:
        return FALLBACK_CODEBASE
    try:
        body = _json.loads(response.content, max_depth=8)
    except (ValueError, ConnectWiseJSONDepthError):
        return FALLBACK_CODEBASE
    if body is None:
        raise ConnectWiseConfigurationError(f"company {client!r} is unknown to {site}")
    value = body.get("Codebase") if isinstance(body, dict) else None
    try:
        return normalize_codebase(value) if isinstance(value, str) else FALLBACK_CODEBASE
    except ConnectWiseConfigurationError:
        return FALLBACK_CODEBASE


def ticket_url(site: str, codebase: str, ticket_id: int, company: str) -> str:
    """Link to a ticket in the ConnectWise web UI.

    ``site`` is a host (``na.myconnectwise.net``) or a site URL; ``company`` is the login
    company id. Cloud API hosts are mapped back to their site host.
    """
    text = site if "://" in site else f"https://{site}"
    url = _parse_url(text)
    host = _site_host_for(url.netloc.decode("ascii"))
    query = urlencode({"service_recid": int(ticket_id), "companyName": company})
    page = "services/system_io/Service/fv_sr100_request.rails"
    return f"{url.scheme}://{host}/{normalize_codebase(codebase)}{page}?{query}"
