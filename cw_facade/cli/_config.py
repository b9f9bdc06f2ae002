"""Connection settings for command-line tools: flags, then environment, then a profile.

Shared by ``cw`` and the MCP server. Each setting is taken from the first place that has it:

1. a flag (``--base-url`` ...), passed in as ``flags``;
2. the environment: ``CW_BASE_URL``, ``CW_COMPANY``, ``CW_PUBLIC_KEY``, ``CW_PRIVATE_KEY``,
   ``CW_CLIENT_ID``, ``CW_CODEBASE``, ``CW_API_VERSION``;
3. a named profile of the config file (``$CW_CONFIG``, else
   ``$XDG_CONFIG_HOME/cw-facade/config.toml``, else ``~/.config/cw-facade/config.toml``)::

       default_profile = "prod"

       [profiles.prod]
       base_url = "https://na.myconnectwise.net"
       company = "yourcompany"
       public_key = "..."
       private_key = "..."
       client_id = "..."

       [profiles.prod.defaults]      # TicketDefaults for `cw tickets create`
       company_id = 250
       board_id = 1

The profile is ``--profile``, else ``$CW_PROFILE``, else ``default_profile``, else
``default`` when the file has one. A config file that holds a private key must not be readable
by group or others (``chmod 600``): :func:`resolve` refuses it. The private key is kept in a
:class:`~cw_facade.SecretString` and never appears in a message of this module.
"""

from __future__ import annotations

import os
import stat
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import httpx

from cw_facade import ConnectWiseClient, SecretString, TicketDefaults

#: Connection settings and the environment variable of each.
ENVIRONMENT = {
    "base_url": "CW_BASE_URL",
    "company": "CW_COMPANY",
    "public_key": "CW_PUBLIC_KEY",
    "private_key": "CW_PRIVATE_KEY",
    "client_id": "CW_CLIENT_ID",
    "codebase": "CW_CODEBASE",
    "api_version": "CW_API_VERSION",
}
#: The settings a client cannot do without.
REQUIRED = ("base_url", "company", "public_key", "private_key", "client_id")
CONFIG_ENV = "CW_CONFIG"
PROFILE_ENV = "CW_PROFILE"
DEFAULT_PROFILE = "default"
_DEFAULT_FIELDS = frozenset(f.name for f in fields(TicketDefaults))


class ConfigError(Exception):
    """The settings are incomplete, the config file is unsafe or malformed.

    The message says what to fix; it never holds a key.
    """


@dataclass(frozen=True)
class Settings:
    """Resolved connection settings; ``sources`` names where each came from.

    ``sources`` maps a setting to ``"flag"``, ``"env CW_..."`` or ``"profile NAME"``.
    ``private_key`` is a :class:`~cw_facade.SecretString` (its ``str`` is masked).
    """

    base_url: str | None = None
    company: str | None = None
    public_key: str | None = None
    private_key: SecretString | None = None
    client_id: str | None = None
    codebase: str | None = None
    api_version: str | None = None
    profile: str | None = None
    config_path: Path | None = None
    defaults: TicketDefaults = field(default_factory=TicketDefaults)
    sources: Mapping[str, str] = field(default_factory=dict)

    def __repr__(self) -> str:
        """Where the settings point and where they came from; never a key."""
        return (
            f"Settings(base_url={self.base_url!r}, company={self.company!r}, "
            f"profile={self.profile!r}, sources={dict(self.sources)!r})"
        )

    @property
    def missing(self) -> list[str]:
        """The required settings not given anywhere."""
        return [name for name in REQUIRED if not getattr(self, name)]

    def secrets(self) -> list[str]:
        """The secret values to keep out of any output (the private key)."""
        return [self.private_key.get_secret_value()] if self.private_key else []

    def client(
        self,
        *,
        transport: httpx.BaseTransport | None = None,
        timeout: float | None = None,
        max_retries: int | None = None,
        rate_limit: float | str | None = None,
    ) -> ConnectWiseClient:
        """A :class:`~cw_facade.ConnectWiseClient` for these settings.

        ``transport`` is handed to the client (tests use ``httpx.MockTransport``);
        ``timeout``, ``max_retries`` and ``rate_limit`` (requests a minute, or ``"none"``
        for no pacing) override the client's defaults when given.
        Raises :class:`ConfigError` naming the missing settings, and
        :class:`~cw_facade.ConnectWiseConfigurationError` for a malformed URL or codebase.
        """
        if self.missing:
            raise ConfigError(missing_message(self.missing))
        options: dict[str, Any] = {"ticket_defaults": self.defaults, "transport": transport}
        if self.codebase:
            options["codebase"] = self.codebase
        if self.api_version:
            options["api_version"] = self.api_version
        if timeout is not None:
            options["timeout"] = timeout
        if max_retries is not None:
            options["max_retries"] = max_retries
        if rate_limit is not None:
            options["rate_limit"] = None if rate_limit == "none" else rate_limit
        assert self.base_url and self.company and self.public_key and self.client_id
        assert self.private_key is not None
        return ConnectWiseClient(
            base_url=self.base_url,
            client=self.company,
            username=self.public_key,
            password=self.private_key,
            client_id=self.client_id,
            **options,
        )


def missing_message(missing: list[str]) -> str:
    """What to say when settings are missing: the flag, variable and profile key of each."""
    parts = [f"--{n.replace('_', '-')} / {ENVIRONMENT[n]} / profile key {n}" for n in missing]
    return "missing connection settings: " + "; ".join(parts) + " (run `cw doctor` to check)"


def config_path(env: Mapping[str, str]) -> Path:
    """Where the config file is: ``$CW_CONFIG``, else under the XDG config directory."""
    if env.get(CONFIG_ENV):
        return Path(env[CONFIG_ENV]).expanduser()
    base = env.get("XDG_CONFIG_HOME") or str(Path(env.get("HOME", "~")) / ".config")
    return Path(base).expanduser() / "cw-facade" / "config.toml"


def load_config(path: Path) -> dict[str, Any]:
    """Read the TOML config file at ``path`` (``{}`` when there is none).

    Raises :class:`ConfigError` for unreadable or invalid TOML, a malformed profile table, or
    a file holding a private key that group or others may read.
    """
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise ConfigError(f"cannot read config file {path}: {exc.strerror}") from None
    try:
        config = tomllib.loads(data.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"config file {path} is not valid TOML: {exc}") from None
    profiles = config.get("profiles", {})
    if not isinstance(profiles, dict) or not all(isinstance(p, dict) for p in profiles.values()):
        raise ConfigError(f"config file {path}: [profiles.NAME] must be tables")
    if any("private_key" in p for p in profiles.values()):
        check_private(path)
    return config


def check_private(path: Path) -> None:
    """Refuse a key-holding file that group or others can read or write (POSIX only)."""
    if os.name != "posix":
        return
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        raise ConfigError(
            f"config file {path} holds a private key but its mode is {mode:04o} (group/others "
            f"may read it); run: chmod 600 {path}"
        )


def _profile_name(chosen: str | None, env: Mapping[str, str], config: Mapping[str, Any]) -> str:
    return chosen or env.get(PROFILE_ENV) or str(config.get("default_profile") or DEFAULT_PROFILE)


def _profile(config: Mapping[str, Any], name: str, explicit: bool, path: Path) -> dict[str, Any]:
    profiles: dict[str, Any] = config.get("profiles", {})
    if name not in profiles:
        if explicit:
            known = ", ".join(sorted(profiles)) or "none"
            raise ConfigError(f"no profile {name!r} in {path} (profiles: {known})")
        return {}
    profile: dict[str, Any] = profiles[name]
    unknown = sorted(set(profile) - set(ENVIRONMENT) - {"defaults"})
    if unknown:
        raise ConfigError(f"profile {name!r} in {path}: unknown keys {', '.join(unknown)}")
    for key, value in profile.items():
        if key != "defaults" and not isinstance(value, str):
            raise ConfigError(f"profile {name!r} in {path}: {key} must be a string")
    return profile


def _defaults(raw: object, name: str, path: Path) -> TicketDefaults:
    if raw is None:
        return TicketDefaults()
    if not isinstance(raw, dict) or set(raw) - _DEFAULT_FIELDS:
        valid = ", ".join(sorted(_DEFAULT_FIELDS))
        raise ConfigError(f"profile {name!r} in {path}: [defaults] takes only {valid}")
    try:
        return TicketDefaults(**raw)
    except ValueError as exc:
        raise ConfigError(f"profile {name!r} in {path}: defaults: {exc}") from None


def resolve(
    flags: Mapping[str, str | None],
    env: Mapping[str, str],
    *,
    profile: str | None = None,
    path: Path | None = None,
) -> Settings:
    """Merge ``flags``, ``env`` and the profile into :class:`Settings` (nothing is sent).

    ``flags`` maps setting names (``base_url`` ...) to values given on the command line;
    ``profile`` is the ``--profile`` value; ``path`` overrides :func:`config_path`.
    Raises :class:`ConfigError` for an unknown explicit profile or a bad config file.
    Missing settings are not an error here (see :attr:`Settings.missing`).
    """
    path = path or config_path(env)
    config = load_config(path)
    explicit = bool(profile or env.get(PROFILE_ENV))
    name = _profile_name(profile, env, config)
    chosen = _profile(config, name, explicit, path)
    values: dict[str, str] = {}
    sources: dict[str, str] = {}
    for key, variable in ENVIRONMENT.items():
        for source, value in (
            ("flag", flags.get(key)),
            (f"env {variable}", env.get(variable)),
            (f"profile {name}", chosen.get(key)),
        ):
            if value is not None and str(value).strip():
                values[key], sources[key] = str(value).strip(), source
                break
    secret = values.pop("private_key", None)
    return Settings(
        **values,
        private_key=SecretString(secret) if secret else None,
        profile=name if chosen else None,
        config_path=path,
        defaults=_defaults(chosen.get("defaults"), name, path),
        sources=sources,
    )
