"""One set of ConnectWise credentials per server process: the environment, or a profile.

They are resolved by the command line's loader (:mod:`cw_facade.cli._config`): the ``CW_*``
variables (``CW_BASE_URL``, ``CW_COMPANY``, ``CW_PUBLIC_KEY``, ``CW_PRIVATE_KEY``,
``CW_CLIENT_ID``, optional ``CW_CODEBASE`` and ``CW_API_VERSION``) win over a profile of the
config file (``--profile``/``CW_PROFILE``; the file is ``$CW_CONFIG`` or
``~/.config/cw-facade/config.toml``, mode 0600). Give each person their own server process
with their own member's API keys, so ConnectWise applies that member's security role to
everything the agent does.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from cw_facade._errors import ConnectWiseConfigurationError
from cw_facade._secrets import SecretString

if TYPE_CHECKING:
    # Imported where used: the command line may import this package from its own.
    from cw_facade.cli._config import Settings

#: Environment variable of each required credential (the command line's names).
ENV_NAMES = {
    "base_url": "CW_BASE_URL",
    "company": "CW_COMPANY",
    "public_key": "CW_PUBLIC_KEY",
    "private_key": "CW_PRIVATE_KEY",
    "client_id": "CW_CLIENT_ID",
}


@dataclass(frozen=True, slots=True)
class Credentials:
    """A site or API root, the login company, a member's key pair and the integration's clientId.

    ``codebase`` and ``api_version`` are optional client options (``None``: the client's
    default). The private key is a :class:`~cw_facade.SecretString`: it never shows in a
    ``repr``.
    """

    base_url: str
    company: str
    public_key: str
    private_key: SecretString = field(repr=False)
    client_id: str
    codebase: str | None = None
    api_version: str | None = None

    @property
    def actor(self) -> str:
        """Who acts, for the audit log: ``company+public_key`` (never the private key)."""
        return f"{self.company}+{self.public_key}"

    @classmethod
    def from_settings(cls, settings: Settings) -> Credentials:
        """The credentials of resolved command-line :class:`~cw_facade.cli._config.Settings`.

        Raises ``ConnectWiseConfigurationError`` naming every required setting not given.
        """
        if settings.missing:
            names = ", ".join(
                f"{ENV_NAMES[name]} (profile key {name})" for name in settings.missing
            )
            raise ConnectWiseConfigurationError(f"missing connection settings: {names}")
        assert settings.base_url and settings.company and settings.public_key
        assert settings.private_key is not None and settings.client_id
        return cls(
            settings.base_url,
            settings.company,
            settings.public_key,
            settings.private_key,
            settings.client_id,
            settings.codebase,
            settings.api_version,
        )

    @classmethod
    def from_env(
        cls, env: Mapping[str, str] | None = None, *, profile: str | None = None
    ) -> Credentials:
        """Resolve the ``CW_*`` variables of ``env`` (default ``os.environ``), then ``profile``.

        Raises ``ConnectWiseConfigurationError`` naming every missing setting, or for an
        unknown profile or an unsafe or malformed config file (its message never holds a key).
        """
        from cw_facade.cli._config import ConfigError, resolve

        env = os.environ if env is None else env
        try:
            settings = resolve({}, env, profile=profile)
        except ConfigError as exc:
            raise ConnectWiseConfigurationError(str(exc)) from None
        return cls.from_settings(settings)
