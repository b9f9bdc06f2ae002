"""Exit statuses of ``cw`` and the error that maps to each.

======  ===========================================================================
status  meaning
======  ===========================================================================
0       success
1       the API answered with an error (400, 409, 429, 5xx ...) or a bad response
2       usage: bad arguments, a ``--where`` that does not parse, an unknown operation
3       configuration or authentication: missing settings, an unsafe config file,
        401 (wrong keys or clientId), 403 (a security-role permission is missing);
        also ``cw doctor`` when a check failed
4       not found: the record does not exist (or a 404 from a wrong codebase)
5       no answer: connection refused, DNS, TLS, timeout
130     interrupted (Ctrl+C)
======  ===========================================================================
"""

from __future__ import annotations

from cw_facade import (
    ConditionsSyntaxError,
    ConnectWiseAPIError,
    ConnectWiseAuthError,
    ConnectWiseConfigurationError,
    ConnectWiseConnectionError,
    ConnectWiseMassDeletionError,
    ConnectWiseNotFoundError,
    ConnectWisePermissionError,
    ConnectWiseSyncInProgressError,
)
from cw_facade.cli._config import ConfigError

OK = 0
API_ERROR = 1
USAGE = 2
CONFIG = 3
NOT_FOUND = 4
CONNECTION = 5
INTERRUPTED = 130


class UsageError(Exception):
    """A command-line mistake the parser cannot see (exit 2); the message says what to fix."""


class NotFound(Exception):
    """The record asked for does not exist (exit 4)."""


def status_for(error: BaseException) -> int:
    """The exit status for ``error`` (see the module docstring)."""
    if isinstance(error, KeyboardInterrupt):
        return INTERRUPTED
    if isinstance(error, ConfigError | ConnectWiseAuthError | ConnectWisePermissionError):
        return CONFIG
    if isinstance(error, NotFound | ConnectWiseNotFoundError):
        return NOT_FOUND
    if isinstance(error, UsageError | ConditionsSyntaxError | ConnectWiseConfigurationError):
        return USAGE
    if isinstance(error, ValueError):  # any other bad input (a ConfigError is handled above)
        return USAGE
    if isinstance(error, ConnectWiseConnectionError):
        return CONNECTION
    return API_ERROR


def hint_for(error: BaseException) -> str | None:
    """A line saying what to try next, for the errors where one helps."""
    if isinstance(error, ConnectWiseAuthError):
        return (
            "check the company id, public and private key and clientId "
            "(`cw doctor` checks them step by step)"
        )
    if isinstance(error, ConnectWisePermissionError):
        return "the API member's security role lacks a permission for this (run `cw doctor`)"
    if isinstance(error, ConnectWiseNotFoundError):
        return "a 404 on a collection usually means a wrong codebase or host: run `cw doctor`"
    if isinstance(error, ConnectWiseConnectionError):
        return "is the base URL right and the server reachable? (`cw doctor` checks)"
    if isinstance(error, ConnectWiseMassDeletionError):
        return (
            "check the API member's permissions; if the deletions are real, "
            "pass a larger --max-delete-fraction"
        )
    if isinstance(error, ConnectWiseSyncInProgressError):
        return "wait for the other run to finish (a killed run releases the lock at once)"
    return None


def is_api_error(error: BaseException) -> bool:
    """Whether ``error`` came from the server (as opposed to the input)."""
    return isinstance(error, ConnectWiseAPIError)
