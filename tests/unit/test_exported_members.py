"""The public surface of ``cw_facade`` is pinned: adding or removing a name is a decision."""

from __future__ import annotations

import inspect

import cw_facade

EXPECTED = {
    "Agreement", "AgreementAddition", "AsyncConnectWiseClient", "Board", "BoardItem",
    "BundleRequest", "BundleResult", "ConnectWiseMissingRecordsError", "ManyResult",
    "BoardSubtype", "CompanyStatus", "ConfigurationQuestion", "Invoice", "Member",
    "Opportunity", "Project", "ProjectPhase", "ScheduleEntry", "TicketTask", "TimeEntry",
    "BoardStatus", "BoardType", "C",
    "Callback",
    "CallbackEvent", "CallbackVerifier", "Company", "CompanyNote", "ConditionsSyntaxError",
    "Configuration", "ConfigurationReference", "ConnectWiseAPIError", "ConnectWiseAuthError",
    "ConnectWiseAuthenticationError", "ConnectWiseBadRequestError", "ConnectWiseClient",
    "ConnectWiseClosedError",
    "ConnectWiseConfigurationError", "ConnectWiseConflictError", "ConnectWiseConnectionError",
    "ConnectWiseDeadlineError", "ConnectWiseError", "ConnectWiseJSONDepthError",
    "ConnectWiseLimitError", "ConnectWiseNotFoundError", "ConnectWisePageLoopError",
    "ConnectWisePagingWarning",
    "ConnectWisePermissionError", "ConnectWiseRateLimitError", "ConnectWiseResponseError",
    "ConnectWiseResponseTooLargeError", "ConnectWiseServerError", "ConnectWiseTimeoutError",
    "Contact", "ErrorDetail", "InvalidArgumentError", "InvalidCallbackError",
    "InvalidSignatureError", "MemoryReplayStore", "MissingArgumentError", "Model", "Note",
    "Priority", "RateGovernor", "RateLimiter", "ReplayGuard", "ReplayStore",
    "ReplayedCallbackError", "SecretString", "Site",
    "Source", "SystemInfo", "Ticket", "TicketDefaults", "UnknownNameError", "__version__",
    "check_key_url", "compute_signature", "fetch_signing_key", "fetch_signing_key_async",
    "parse", "parse_callback", "verify_signature",
}  # fmt: skip


def test_all_is_sorted_and_pinned() -> None:
    assert cw_facade.__all__ == sorted(cw_facade.__all__)
    assert set(cw_facade.__all__) == EXPECTED


def test_every_exported_name_exists_and_is_documented() -> None:
    for name in cw_facade.__all__:
        member = getattr(cw_facade, name)
        if inspect.isclass(member) or inspect.isfunction(member):
            assert inspect.getdoc(member), f"{name} has no docstring"


def test_public_methods_of_both_clients_are_documented_twins() -> None:
    sync = {n for n in dir(cw_facade.ConnectWiseClient) if not n.startswith("_")}
    asynchronous = {n for n in dir(cw_facade.AsyncConnectWiseClient) if not n.startswith("_")}
    assert sync == asynchronous - {"aclose"}  # the async client has close() as well
    for cls in (cw_facade.ConnectWiseClient, cw_facade.AsyncConnectWiseClient):
        for name in sync if cls is cw_facade.ConnectWiseClient else asynchronous:
            assert inspect.getdoc(getattr(cls, name)), f"{cls.__name__}.{name}"
