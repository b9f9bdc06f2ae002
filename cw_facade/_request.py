"""I/O-free descriptions of API calls, shared by the sync and async clients.

Every domain method is written once as an *operation*: a generator that yields
:class:`APIRequest` objects and receives, for each, the decoded JSON body of the response
(``None`` for an empty body, or for a 404 when ``none_on_404`` is set). The generator's return
value is the method's result. ``ConnectWiseClient`` drives an operation with blocking I/O and
``AsyncConnectWiseClient`` with ``await``; neither the operation nor its validation knows which.
"""

from __future__ import annotations

from collections.abc import Generator, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

T = TypeVar("T")

#: A domain method written once for both clients (see the module docstring).
Operation = Generator["APIRequest", Any, T]

#: Query parameter values the API understands.
ParamValue = str | int | float | bool


@dataclass(frozen=True, slots=True)
class APIRequest:
    """One call to the API, before any I/O.

    ``path`` is relative to the API root (``service/tickets/5``, no leading slash). ``json`` is
    the request body (``None`` sends none). With ``none_on_404`` a 404 answers ``None`` instead
    of raising; use it only where the caller's return type says ``X | None``.
    """

    method: str
    path: str
    params: Mapping[str, ParamValue] = field(default_factory=dict)
    json: Any = None
    headers: Mapping[str, str] = field(default_factory=dict)
    none_on_404: bool = False

    @property
    def idempotent(self) -> bool:
        """Whether repeating the call cannot duplicate its effect (GET, PUT, DELETE, ...)."""
        return self.method.upper() not in {"POST", "PATCH"}
