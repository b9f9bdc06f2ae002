"""The simulator's limits: what it refuses, with ConnectWise's error bodies, instead of stalling.

One frozen :class:`Limits` value per simulator (``ManageSimulator(limits=Limits(...))``). Every
limit is answered with a JSON body ``{"code": ..., "message": ...}`` that names the limit.
"""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_MAX_BODY_BYTES = 10 * 1024 * 1024
DEFAULT_MAX_URL_CHARS = 65_536
DEFAULT_MAX_CONDITION_CHARS = 100_000
DEFAULT_MAX_CONDITION_TERMS = 1_000
DEFAULT_MAX_JSON_DEPTH = 64
DEFAULT_CONDITION_BUDGET_S = 5.0
DEFAULT_MAX_BUNDLE_REQUESTS = 100


@dataclass(frozen=True)
class Limits:
    """Bounds on what one request may ask of the simulator.

    ``max_body_bytes``: largest request body (413 ``RequestTooLarge``; larger bodies are never
    read). ``max_url_chars``: longest request target (414 ``UriTooLong``).
    ``max_condition_chars`` and ``max_condition_terms``: longest ``conditions`` (or
    ``childConditions``/``customFieldConditions``) text and most comparisons in it, counting each
    value of an ``in (...)`` list (400 ``ApiFindCondition``). ``max_json_depth``: deepest
    nesting of a JSON request body (400 ``BadRequest``). ``condition_budget_s``: the most time
    one request may spend evaluating conditions before it is answered with 400
    ``ApiFindCondition`` (other requests are served meanwhile). ``max_bundle_requests``: most
    requests in one ``POST /system/bundles`` (400 ``BadRequest``).

    Raises ``ValueError`` for a limit that is not positive.
    """

    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
    max_url_chars: int = DEFAULT_MAX_URL_CHARS
    max_condition_chars: int = DEFAULT_MAX_CONDITION_CHARS
    max_condition_terms: int = DEFAULT_MAX_CONDITION_TERMS
    max_json_depth: int = DEFAULT_MAX_JSON_DEPTH
    condition_budget_s: float = DEFAULT_CONDITION_BUDGET_S
    max_bundle_requests: int = DEFAULT_MAX_BUNDLE_REQUESTS

    def __post_init__(self) -> None:
        for name, value in vars(self).items():
            if not value > 0:
                raise ValueError(f"Limits.{name} must be positive, not {value!r}")
