"""What the transport logs (logger ``cw_facade``): never headers or credentials.

DEBUG: method, path, status, elapsed time and retries of every attempt; request and response
bodies only with ``log_bodies=True``. WARNING: each retry, and a failed codebase discovery.
"""

from __future__ import annotations

import logging

import httpx

from cw_facade._constants import LOGGER_NAME
from cw_facade._responses import api_path

logger = logging.getLogger(LOGGER_NAME)
logger.addHandler(logging.NullHandler())


def exchange(
    request: httpx.Request, response: httpx.Response, elapsed: float, retries: int, bodies: bool
) -> None:
    """One attempt that got a response (DEBUG)."""
    if not logger.isEnabledFor(logging.DEBUG):
        return
    logger.debug(
        "%s %s -> %d in %.0f ms (retries %d)",
        request.method,
        api_path(request.url),
        response.status_code,
        elapsed * 1000.0,
        retries,
    )
    if bodies:  # opt-in: bodies may hold personal data, never credentials
        logger.debug("request body: %s", request.content.decode("utf-8", "replace"))
        logger.debug("response body: %s", response.text)


def failure(request: httpx.Request, exc: Exception, elapsed: float, retries: int) -> None:
    """One attempt that got no response (DEBUG)."""
    if logger.isEnabledFor(logging.DEBUG):
        logger.debug(
            "%s %s -> %s after %.0f ms (retries %d)",
            request.method,
            api_path(request.url),
            type(exc).__name__,
            elapsed * 1000.0,
            retries,
        )


def retrying(request: httpx.Request, reason: str, delay: float, retry: int, limit: int) -> None:
    """A retry about to wait ``delay`` seconds (WARNING)."""
    logger.warning(
        "retrying %s %s after %s in %.2f s (retry %d of %d)",
        request.method,
        api_path(request.url),
        reason,
        delay,
        retry,
        limit,
    )


def deleted_earlier(request: httpx.Request, retries: int) -> None:
    """A retried DELETE found the record gone after a lost response (WARNING)."""
    logger.warning(
        "%s %s answered 404 after %d retries: an earlier attempt deleted it; reporting success",
        request.method,
        api_path(request.url),
        retries,
    )


def discovery(site: str, codebase: str | None, ok: bool) -> None:
    """The outcome of codebase discovery (DEBUG, or WARNING when it fell back)."""
    if ok:
        logger.debug("codebase %s (discovered from %s)", codebase, site)
    else:
        logger.warning("codebase discovery at %s failed; using %s", site, codebase)
