"""cw-facade: a typed, tolerant, production-ready client for the ConnectWise Manage REST API.

Everything a user needs is importable from here::

    from cw_facade import ConnectWiseClient, AsyncConnectWiseClient, TicketDefaults, C

``cw_facade.conditions`` holds the conditions builder, parser and evaluator,
``cw_facade.models`` the typed models, and ``cw_facade.testing`` the local ConnectWise
Manage simulator (imported only when asked for). The generated low-level client is the
separate package ``cw_manage_client``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cw_facade._bundles import BundleRequest, BundleResult
from cw_facade._defaults import TicketDefaults
from cw_facade._errors import (
    ConnectWiseAPIError,
    ConnectWiseAuthenticationError,
    ConnectWiseAuthError,
    ConnectWiseBadRequestError,
    ConnectWiseClosedError,
    ConnectWiseConfigurationError,
    ConnectWiseConflictError,
    ConnectWiseConnectionError,
    ConnectWiseDeadlineError,
    ConnectWiseError,
    ConnectWiseJSONDepthError,
    ConnectWiseLimitError,
    ConnectWiseMissingRecordsError,
    ConnectWiseNotFoundError,
    ConnectWisePageLoopError,
    ConnectWisePermissionError,
    ConnectWiseRateLimitError,
    ConnectWiseResponseError,
    ConnectWiseResponseTooLargeError,
    ConnectWiseServerError,
    ConnectWiseTimeoutError,
    ErrorDetail,
)
from cw_facade._governor import RateGovernor, RateLimiter
from cw_facade._many import ManyResult
from cw_facade._paging import ConnectWisePagingWarning
from cw_facade._secrets import SecretString
from cw_facade._sync._client import ConnectWiseClient
from cw_facade._validation import InvalidArgumentError, MissingArgumentError, UnknownNameError
from cw_facade.models import (
    Agreement,
    AgreementAddition,
    Board,
    BoardItem,
    BoardStatus,
    BoardSubtype,
    BoardType,
    Callback,
    Company,
    CompanyNote,
    CompanyStatus,
    Configuration,
    ConfigurationQuestion,
    ConfigurationReference,
    Contact,
    Invoice,
    Member,
    Model,
    Note,
    Opportunity,
    Priority,
    Project,
    ProjectPhase,
    ScheduleEntry,
    Site,
    Source,
    SystemInfo,
    Ticket,
    TicketTask,
    TimeEntry,
)

if TYPE_CHECKING:
    from cw_facade._async._client import AsyncConnectWiseClient
    from cw_facade._webhooks import (
        CallbackEvent,
        CallbackVerifier,
        InvalidCallbackError,
        InvalidSignatureError,
        MemoryReplayStore,
        ReplayedCallbackError,
        ReplayGuard,
        ReplayStore,
        check_key_url,
        compute_signature,
        fetch_signing_key,
        fetch_signing_key_async,
        parse_callback,
        verify_signature,
    )
    from cw_facade.conditions import C, ConditionsSyntaxError, parse

#: Names imported on first use: ``import cw_facade`` skips asyncio, the conditions parser and
#: the webhook helpers (hashlib, hmac) until a program asks for them.
_LAZY = {
    "AsyncConnectWiseClient": "cw_facade._async._client",
    "C": "cw_facade.conditions",
    "ConditionsSyntaxError": "cw_facade.conditions",
    "parse": "cw_facade.conditions",
    **dict.fromkeys(
        (
            "CallbackEvent",
            "CallbackVerifier",
            "InvalidCallbackError",
            "InvalidSignatureError",
            "MemoryReplayStore",
            "ReplayGuard",
            "ReplayStore",
            "ReplayedCallbackError",
            "check_key_url",
            "compute_signature",
            "fetch_signing_key",
            "fetch_signing_key_async",
            "parse_callback",
            "verify_signature",
        ),
        "cw_facade._webhooks",
    ),
}

__version__ = "0.1.0"

__all__ = [
    "Agreement",
    "AgreementAddition",
    "AsyncConnectWiseClient",
    "Board",
    "BoardItem",
    "BoardStatus",
    "BoardSubtype",
    "BoardType",
    "BundleRequest",
    "BundleResult",
    "C",
    "Callback",
    "CallbackEvent",
    "CallbackVerifier",
    "Company",
    "CompanyNote",
    "CompanyStatus",
    "ConditionsSyntaxError",
    "Configuration",
    "ConfigurationQuestion",
    "ConfigurationReference",
    "ConnectWiseAPIError",
    "ConnectWiseAuthError",
    "ConnectWiseAuthenticationError",
    "ConnectWiseBadRequestError",
    "ConnectWiseClient",
    "ConnectWiseClosedError",
    "ConnectWiseConfigurationError",
    "ConnectWiseConflictError",
    "ConnectWiseConnectionError",
    "ConnectWiseDeadlineError",
    "ConnectWiseError",
    "ConnectWiseJSONDepthError",
    "ConnectWiseLimitError",
    "ConnectWiseMissingRecordsError",
    "ConnectWiseNotFoundError",
    "ConnectWisePageLoopError",
    "ConnectWisePagingWarning",
    "ConnectWisePermissionError",
    "ConnectWiseRateLimitError",
    "ConnectWiseResponseError",
    "ConnectWiseResponseTooLargeError",
    "ConnectWiseServerError",
    "ConnectWiseTimeoutError",
    "Contact",
    "ErrorDetail",
    "InvalidArgumentError",
    "InvalidCallbackError",
    "InvalidSignatureError",
    "Invoice",
    "ManyResult",
    "Member",
    "MemoryReplayStore",
    "MissingArgumentError",
    "Model",
    "Note",
    "Opportunity",
    "Priority",
    "Project",
    "ProjectPhase",
    "RateGovernor",
    "RateLimiter",
    "ReplayGuard",
    "ReplayStore",
    "ReplayedCallbackError",
    "ScheduleEntry",
    "SecretString",
    "Site",
    "Source",
    "SystemInfo",
    "Ticket",
    "TicketDefaults",
    "TicketTask",
    "TimeEntry",
    "UnknownNameError",
    "__version__",
    "check_key_url",
    "compute_signature",
    "fetch_signing_key",
    "fetch_signing_key_async",
    "parse",
    "parse_callback",
    "verify_signature",
]


def __getattr__(name: str) -> Any:
    """Import a lazily exported name (see ``_LAZY``) on first use."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    """The module's names, the lazily imported ones included."""
    return sorted(set(globals()) | set(_LAZY))
