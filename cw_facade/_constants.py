"""Tunables of the transport layer, in one place.

Every default a user can override (timeout, retries, page size, concurrency) starts here; the
rest are limits of the ConnectWise API itself or of this client's patience.
"""

from __future__ import annotations

#: Seconds allowed for each phase of one HTTP request (waiting for a pooled connection, each
#: write, each read) and for each attempt as a whole (see ``_core.total_timeout``).
DEFAULT_TIMEOUT = 30.0
#: Time allowed to establish a connection (seconds), never more than ``DEFAULT_TIMEOUT``.
CONNECT_TIMEOUT = 10.0
#: Seconds one whole call may take: every attempt, every retry delay and ``Retry-After`` wait,
#: and codebase discovery (the client option ``deadline``; ``None`` there means no limit).
DEFAULT_DEADLINE = 120.0
#: Largest response body read, counted both as received (compressed) and once decompressed
#: (the client option ``max_response_bytes``; ``None`` there means no limit). 256 MiB.
DEFAULT_MAX_RESPONSE_BYTES = 256 * 1024 * 1024
#: Most bytes one decompression step may produce, so a gzip bomb never inflates past the
#: cap by more than this.
DECODE_CHUNK_BYTES = 64 * 1024

#: How often a failed call is repeated before its error is raised.
DEFAULT_MAX_RETRIES = 3
#: Longest ``Retry-After`` honoured (seconds); a server asking for more gets its error raised.
RETRY_AFTER_CAP = 60.0
#: First backoff delay (seconds) when the server gives no ``Retry-After``; doubled per retry.
BACKOFF_BASE = 0.5
#: Longest backoff delay (seconds).
BACKOFF_MAX = 8.0
#: Fraction of a backoff delay removed at random, so clients do not retry in lockstep.
BACKOFF_JITTER = 0.25

#: Requests per minute a client sends at most (the client option ``rate_limit``; ``None``
#: there means no pacing): 5 % under ConnectWise's documented ~1,000, so a client alone on its
#: tenant is never refused, with room for clock drift and the odd request of another tool.
DEFAULT_RATE_LIMIT = 950.0
#: Requests that may start at once after a quiet spell: small, so a fresh client (or one
#: back from idling) does not fire a volley that trips a tenant others are using.
DEFAULT_RATE_BURST = 5
#: What a 429 multiplies the pace by (multiplicative decrease).
RATE_DECREASE = 0.5
#: What each success adds back to a lowered pace, as a fraction of the configured pace
#: (additive increase: from half the pace back to all of it in 50 successes).
RATE_RECOVERY = 0.01
#: Lowest pace 429s can bring a client to, as a fraction of the configured pace.
RATE_FLOOR = 0.05

#: Records per page requested by ``get_all``/``iter_all`` unless told otherwise.
DEFAULT_PAGE_SIZE = 1000
#: Largest ``pageSize`` ConnectWise accepts.
MAX_PAGE_SIZE = 1000
#: Pages the async client fetches at once when the total is known.
DEFAULT_CONCURRENCY = 4

#: Model version pinned in the ``Accept`` header.
DEFAULT_API_VERSION = "2025.8"
#: Codebase used when discovery fails.
FALLBACK_CODEBASE = "v4_6_release/"
#: Vendor media type of the API; the version is appended as a parameter.
MEDIA_TYPE = "application/vnd.connectwise.com+json"

#: ``User-Agent`` of every request.
USER_AGENT = "cw-facade"

#: Name of the logger every module of the package writes to.
LOGGER_NAME = "cw_facade"
#: Longest response body excerpt kept in an error message (characters).
BODY_EXCERPT_LIMIT = 200

#: Response bodies at least this large decode with the cyclic garbage collector paused.
GC_PAUSE_MIN_BYTES = 64 * 1024
