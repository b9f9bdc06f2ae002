"""``cw doctor``: check a configuration step by step and say what to fix.

Each check prints ``[ok  ]``, ``[warn]`` or ``[FAIL]`` with what it found and, when something
is wrong, a ``fix:`` line. Checks that need an earlier one to pass are skipped when it did not.
Exit status 0 when nothing failed (warnings allowed), 3 otherwise. Nothing here prints a key.
"""

from __future__ import annotations

import argparse
import email.utils
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import httpx

from cw_facade import (
    ConnectWiseAuthError,
    ConnectWiseConfigurationError,
    ConnectWiseConnectionError,
    ConnectWiseError,
    ConnectWiseNotFoundError,
    ConnectWisePermissionError,
)
from cw_facade._constants import DEFAULT_API_VERSION
from cw_facade.cli._config import ENVIRONMENT, ConfigError, Settings, missing_message
from cw_facade.cli._exit import CONFIG, OK

if TYPE_CHECKING:
    from cw_facade.cli._app import Context

CLOUD_REGIONS = ("na", "eu", "au", "aus", "za")
CLOUD_DOMAIN = "myconnectwise.net"
#: Seconds of clock difference worth a warning (watermarks and signatures suffer).
MAX_SKEW_S = 120
#: Timeout of the unauthenticated probes (discovery, callback URLs).
PROBE_TIMEOUT_S = 5.0
#: The reads checked, with the security-role permission each needs.
READS = (
    ("tickets", "service/tickets", "Service Desk > Service Tickets (Inquire)"),
    ("boards", "service/boards", "System > Table Setup (Inquire)"),
    ("companies", "company/companies", "Companies > Company Maintenance (Inquire)"),
    ("contacts", "company/contacts", "Companies > Contacts (Inquire)"),
    ("configurations", "company/configurations", "Companies > Configurations (Inquire)"),
    ("time entries", "time/entries", "Time & Expense > Time Entry (Inquire)"),
    ("agreements", "finance/agreements", "Finance > Agreements (Inquire)"),
    ("callbacks", "system/callbacks", "System > Table Setup (Inquire)"),
)


@dataclass
class Check:
    """One line of the report: ``ok`` is True, False (failed) or None (a warning)."""

    ok: bool | None
    text: str
    fix: str | None = None


@dataclass
class Findings:
    """What earlier checks learnt, for the later ones."""

    site_url: str | None = None
    discovered: dict[str, Any] | None = None
    date_header: str | None = None
    authenticated: bool = False


def api_host_for(host: str) -> str | None:
    """``na.myconnectwise.net`` → ``api-na.myconnectwise.net``; ``None`` for other hosts."""
    region, _, domain = host.lower().partition(".")
    return (
        f"api-{region}.{CLOUD_DOMAIN}"
        if domain == CLOUD_DOMAIN and region in CLOUD_REGIONS
        else None
    )


def site_host_for(host: str) -> str:
    """``api-na.myconnectwise.net`` → ``na.myconnectwise.net``; other hosts unchanged."""
    region, _, domain = host.lower().partition(".")
    if domain == CLOUD_DOMAIN and region.startswith("api-") and region[4:] in CLOUD_REGIONS:
        return f"{region[4:]}.{CLOUD_DOMAIN}"
    return host


# -- the checks ------------------------------------------------------------------------------


def check_settings(settings: Settings) -> Iterator[Check]:
    """Every required setting present; where each came from (never a value of a key)."""
    path = settings.config_path
    if path is not None and path.exists():
        profile = f"profile {settings.profile!r}" if settings.profile else "no profile used"
        yield Check(True, f"config file {path} ({profile})")
    elif path is not None:
        yield Check(True, f"no config file at {path} (flags and environment only)")
    for name in ENVIRONMENT:
        source = settings.sources.get(name)
        if source:
            yield Check(True, f"{name} from {source}")
    if settings.missing:
        yield Check(
            False,
            "settings missing: " + ", ".join(settings.missing),
            missing_message(settings.missing),
        )


def check_host(settings: Settings, found: Findings) -> Iterator[Check]:
    """Site vs API host: which host discovery uses and which the API is on."""
    url = httpx.URL(settings.base_url or "")
    host = url.host
    if not host or url.scheme not in {"http", "https"}:
        yield Check(
            False,
            "base_url is not an http(s) URL with a host",
            "use the site you log in to, e.g. https://na.myconnectwise.net",
        )
        return
    site = site_host_for(host)
    port = f":{url.port}" if url.port else ""
    found.site_url = f"{url.scheme}://{site}{port}"
    if site != host:
        yield Check(True, f"API host {host}; its site (for discovery) is {site}")
    elif api_host_for(host):
        yield Check(True, f"site {host}; the API is served from {api_host_for(host)} (automatic)")
    else:
        yield Check(True, f"host {host} (on-premise or custom: site and API host are the same)")
    if url.path.strip("/") and not url.path.rstrip("/").endswith("apis/3.0"):
        yield Check(
            False,
            f"base_url has the path {url.path!r}",
            "give the site alone (https://host) or a full API root ending in /apis/3.0",
        )


def check_discovery(ctx: Context, settings: Settings, found: Findings) -> Iterator[Check]:
    """``/login/companyinfo/{company}``: the company is known and which codebase it is on."""
    url = f"{found.site_url}/login/companyinfo/{quote(settings.company or '', safe='')}"
    try:
        with httpx.Client(transport=ctx.transport, timeout=PROBE_TIMEOUT_S) as http:
            response = http.get(url)
    except httpx.HTTPError as exc:
        yield Check(
            False,
            f"codebase discovery: no answer from {found.site_url} ({type(exc).__name__})",
            "check base_url and the network (proxy, firewall, DNS)",
        )
        return
    found.date_header = response.headers.get("date")
    try:
        body = response.json() if response.status_code == 200 else {}
    except ValueError:
        body = {}
    if response.status_code == 200 and body is None:
        yield Check(
            False,
            f"company {settings.company!r} is unknown to {found.site_url}",
            "company is the company id you type at login (not the company's name)",
        )
        return
    if not isinstance(body, dict) or not body.get("Codebase"):
        yield Check(
            None,
            f"codebase discovery answered {response.status_code} without a codebase",
            "set codebase (e.g. v4_6_release) in the profile or with --codebase",
        )
        return
    found.discovered = body
    served = str(body["Codebase"]).strip("/") + "/"
    yield Check(
        True,
        f"company {body.get('CompanyName') or settings.company!r} is on codebase "
        f"{served} (version {body.get('VersionCode', '?')})",
    )
    configured = _configured_codebase(settings)
    if configured and configured != served:
        yield Check(
            False,
            f"configured codebase {configured} but the server serves {served}",
            f"remove the codebase setting (discovery finds it) or set it to {served}",
        )


def _configured_codebase(settings: Settings) -> str | None:
    if settings.codebase:
        return settings.codebase.strip("/") + "/"
    path = httpx.URL(settings.base_url or "").path.strip("/")
    if path.endswith("apis/3.0") and path != "apis/3.0":
        return path[: -len("apis/3.0")].strip("/") + "/"
    return None


def check_credentials(settings: Settings) -> Iterator[Check]:
    """The ``company+public:private`` form and the clientId."""
    company, public = settings.company or "", settings.public_key or ""
    private = settings.private_key.get_secret_value() if settings.private_key else ""
    problems = []
    if any(c in company for c in "+: ") or company != company.strip():
        problems.append("the company id holds '+', ':' or spaces")
    if "+" in public:
        problems.append("the public key holds '+' (give company and public key separately)")
    if ":" in public or any(c.isspace() for c in public):
        problems.append("the public key holds ':' or spaces")
    if not private or any(c.isspace() for c in private):
        problems.append("the private key is empty or holds spaces")
    if problems:
        yield Check(
            False,
            "credentials: " + "; ".join(problems),
            "the Authorization header is Basic base64(company+public:private): "
            "set each part on its own",
        )
    else:
        yield Check(True, "credentials have the company+public:private form (keys not shown)")
    try:
        uuid.UUID(settings.client_id or "")
        yield Check(True, f"clientId {settings.client_id} is a GUID")
    except ValueError:
        yield Check(
            False,
            "clientId is not a GUID",
            "register the integration at developer.connectwise.com and use its "
            "ClientID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)",
        )


def _version(text: str) -> tuple[int, ...] | None:
    digits = text.lstrip("vV").split(".")
    try:
        return tuple(int(d) for d in digits[:2])
    except ValueError:
        return None


def check_version_and_clock(settings: Settings, found: Findings) -> Iterator[Check]:
    """The pinned API version against the server's, and the clock against its Date header."""
    pinned = settings.api_version or DEFAULT_API_VERSION
    server = str((found.discovered or {}).get("VersionCode") or "")
    if server and _version(pinned) and _version(server) and _version(pinned) > _version(server):  # type: ignore[operator]
        yield Check(
            None,
            f"API version {pinned} is newer than the server's {server}",
            f'set api_version = "{server.lstrip("v")}" in the profile',
        )
    elif server:
        yield Check(True, f"API version {pinned} (server {server})")
    if not found.date_header:
        yield Check(None, "clock: the server sent no Date header, skew not checked")
        return
    parsed = email.utils.parsedate_to_datetime(found.date_header)
    skew = time.time() - parsed.timestamp()
    if abs(skew) > MAX_SKEW_S:
        yield Check(
            None,
            f"clock: this machine is {skew:+.0f} s off the server",
            "sync the clock (NTP); incremental reads by lastUpdated need it",
        )
    else:
        yield Check(True, f"clock within {abs(skew):.0f} s of the server")


def check_login(ctx: Context, found: Findings) -> Iterator[Check]:
    """One authenticated call (``system/info``)."""
    try:
        ctx.client().ping()
    except ConnectWiseAuthError as exc:
        yield Check(
            False,
            f"login refused: {exc.status_code} {exc.message}",
            "check company, public/private key (the API member must be active) and clientId",
        )
        return
    except ConnectWiseNotFoundError:
        yield Check(
            False,
            "login: 404 from the API root (wrong codebase or API host)",
            "remove the codebase setting so discovery finds it, or fix base_url",
        )
        return
    except (ConnectWiseConnectionError, ConnectWiseConfigurationError) as exc:
        yield Check(False, f"login: {exc}", "check base_url and the network")
        return
    found.authenticated = True
    yield Check(True, f"logged in at {ctx.client().api_root}")


def check_reads(ctx: Context) -> Iterator[Check]:
    """A one-record read of each main resource; a 403 names the permission to grant."""
    client = ctx.client()
    for label, endpoint, permission in READS:
        try:
            answer = client.get(endpoint, pagesize=1, fields="id")
        except ConnectWisePermissionError:
            yield Check(
                False,
                f"read {label}: 403 forbidden",
                f"grant the API member's security role {permission}",
            )
            continue
        except ConnectWiseError as exc:
            yield Check(False, f"read {label}: {exc}")
            continue
        if answer is None:
            yield Check(None, f"read {label}: not served here (404 on {endpoint})")
        else:
            yield Check(True, f"read {label}")


def check_callbacks(ctx: Context) -> Iterator[Check]:
    """Registered callbacks, and whether each URL answers a HEAD (or GET)."""
    try:
        registered = ctx.client().get("system/callbacks") or []
    except ConnectWiseError as exc:
        yield Check(None, f"callbacks: cannot list them ({exc})")
        return
    if not registered:
        yield Check(True, "callbacks: none registered")
        return
    with httpx.Client(transport=ctx.transport, timeout=PROBE_TIMEOUT_S) as http:
        for entry in registered:
            yield _probe(http, entry)


def _probe(http: httpx.Client, entry: dict[str, Any]) -> Check:
    url, kind = str(entry.get("url") or ""), entry.get("type") or "?"
    name = f"callback {entry.get('id')} ({kind}) {url}"
    if entry.get("inactiveFlag"):
        return Check(
            None,
            f"{name}: inactive",
            "ConnectWise disables a callback after three "
            "days of failed deliveries: fix the receiver, then reactivate it",
        )
    try:
        response = http.head(url)
        if response.status_code in {405, 501}:
            response = http.get(url)
    except (httpx.HTTPError, ValueError) as exc:
        return Check(
            False,
            f"{name}: no answer ({type(exc).__name__})",
            "ConnectWise cannot deliver there: check the receiver is up and public",
        )
    if response.status_code in {404, 410} or response.status_code >= 500:
        return Check(
            False,
            f"{name}: answers {response.status_code}",
            "deliveries there fail; ConnectWise disables it after three days",
        )
    return Check(True, f"{name}: answers {response.status_code}")


def diagnose(ctx: Context) -> Iterator[Check]:
    """Every check in order, skipping those whose prerequisites failed."""
    try:
        settings = ctx.settings()
    except ConfigError as exc:
        yield Check(False, str(exc))
        return
    yield from check_settings(settings)
    if not settings.base_url:
        return
    found = Findings()
    yield from check_host(settings, found)
    if found.site_url is None or not settings.company:
        return
    yield from check_discovery(ctx, settings, found)
    if settings.missing:
        return
    yield from check_credentials(settings)
    yield from check_version_and_clock(settings, found)
    yield from check_login(ctx, found)
    if found.authenticated:
        yield from check_reads(ctx)
        yield from check_callbacks(ctx)


def run(ctx: Context, args: argparse.Namespace) -> int:
    """``cw doctor``."""
    failed = 0
    for check in diagnose(ctx):
        ctx.console.status(check.ok, check.text)
        if check.fix:
            ctx.console.data(f"       fix: {check.fix}\n")
        failed += check.ok is False
        ctx.console.stdout.flush()
    summary = f"{failed} check(s) failed" if failed else "no problems found"
    ctx.console.say(summary)
    return CONFIG if failed else OK


def register(commands: Any, parents: dict[str, argparse.ArgumentParser]) -> None:
    """Add ``cw doctor``."""
    parser = commands.add_parser(
        "doctor",
        parents=[parents["connection"]],
        help="check the configuration step by step",
        description=(
            "Check the connection settings step by step: site and API host, codebase "
            "discovery, the credentials' form, clientId, API version, clock, login, a read of "
            "each main resource (403 names the missing permission) and the callbacks' URLs."
        ),
        epilog="examples:\n  cw doctor\n  cw doctor --profile staging\n"
        "exit status 0 when no check failed, 3 otherwise.",
    )
    parser.add_argument("--no-color", action="store_true")
    parser.set_defaults(handler=run)
