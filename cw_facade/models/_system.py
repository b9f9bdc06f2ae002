"""Models of the System module: callbacks (webhook registrations) and server information."""

from __future__ import annotations

from cw_facade.models._base import Model
from cw_facade.models._values import as_bool


class Callback(Model):
    """A webhook registration (``system/callbacks``)."""

    __slots__ = ()
    _generated_name = "CallbackEntry"
    _repr_fields = ("type", "level", "url")

    @property
    def url(self) -> str | None:
        """Where ConnectWise posts the events."""
        return self._str("url")

    @property
    def type(self) -> str | None:
        """Record type watched (``"ticket"``, ``"company"``, ``"contact"``)."""
        return self._str("type")

    @property
    def level(self) -> str | None:
        """Scope of the registration (``"owner"`` for all records, ``"board"``, ...)."""
        return self._str("level")

    @property
    def object_id(self) -> int | None:
        """Id of the record the level refers to (a board id for level ``"board"``)."""
        return self._int("objectId")

    @property
    def description(self) -> str | None:
        """Free text describing the registration."""
        return self._str("description")

    @property
    def is_active(self) -> bool | None:
        """Whether events are sent (not ``inactiveFlag``)."""
        flag = as_bool(self._get("inactiveFlag"))
        return None if flag is None else not flag


class SystemInfo(Model):
    """What the server says about itself (``system/info``)."""

    __slots__ = ()
    _generated_name = "Info"
    _repr_fields = ("version", "is_cloud")

    @property
    def version(self) -> str | None:
        """The server version (``"v2025.8.12345"``)."""
        return self._str("version")

    @property
    def is_cloud(self) -> bool | None:
        """Whether the server is ConnectWise-hosted."""
        return as_bool(self._get("isCloud"))

    @property
    def cloud_region(self) -> str | None:
        """The cloud region (``"NA"``) of a hosted server."""
        return self._str("cloudRegion")

    @property
    def server_time_zone(self) -> str | None:
        """The server's time zone name."""
        return self._str("serverTimeZone")
