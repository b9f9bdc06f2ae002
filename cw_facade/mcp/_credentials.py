"""One set of ConnectWise credentials per server process, read from the environment.

The variables are the ones the demo and the CLI use: ``CW_BASE_URL``, ``CW_COMPANY``,
``CW_PUBLIC_KEY``, ``CW_PRIVATE_KEY`` and ``CW_CLIENT_ID``. Give each person their own server
process with their own member's API keys, so ConnectWise applies that member's security role
to everything the agent does.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field

from cw_facade._errors import ConnectWiseConfigurationError
from cw_facade._secrets import SecretString

#: Environment variable for each credential, in the order the clients take them.
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

    The private key is a :class:`~cw_facade.SecretString`: it never shows in a ``repr``.
    """

    base_url: str
    company: str
    public_key: str
    private_key: SecretString = field(repr=False)
    client_id: str

    @property
    def actor(self) -> str:
        """Who acts, for the audit log: ``company+public_key`` (never the private key)."""
        return f"{self.company}+{self.public_key}"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Credentials:
        """Read the ``CW_*`` variables (see :data:`ENV_NAMES`).

        Raises ``ConnectWiseConfigurationError`` naming every variable that is unset or empty.
        """
        env = os.environ if env is None else env
        values = {key: env.get(name, "").strip() for key, name in ENV_NAMES.items()}
        missing = [ENV_NAMES[key] for key, value in values.items() if not value]
        if missing:
            raise ConnectWiseConfigurationError(
                f"set {', '.join(missing)} in the environment of the MCP server"
            )
        return cls(
            values["base_url"],
            values["company"],
            values["public_key"],
            SecretString(values["private_key"]),
            values["client_id"],
        )
