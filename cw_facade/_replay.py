"""Refusing replayed callbacks: remember each verified ``MessageId`` for a window.

A signed callback stays correctly signed forever, so whoever captured one can POST it again.
:class:`ReplayGuard` remembers the ``MessageId`` of every callback it lets through for
``window`` seconds and refuses a second one with :class:`ReplayedCallbackError`. It only
works on callbacks whose signature was verified first (``parse_callback`` enforces that), so
a forger cannot use up a real message's id in advance.

Memory: :class:`MemoryReplayStore` (the default) keeps at most ``max_entries`` ids in this
process, dropping the oldest first when full (which shortens the window under heavy traffic).
Several processes or hosts behind one receiver URL need one shared store: anything with the
two methods of :class:`ReplayStore` (a Redis ``SET key 1 NX EX ttl`` is ``add``).
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Final, Protocol, runtime_checkable

from cw_facade._callback_keys import InvalidCallbackError

#: How long a ``MessageId`` is remembered by default (seconds): a day.
DEFAULT_REPLAY_WINDOW: Final = 24 * 3600.0
#: Most ids a :class:`MemoryReplayStore` keeps by default (about 15 MB at the most).
DEFAULT_MAX_ENTRIES: Final = 100_000
#: Longest ``MessageId`` accepted (ConnectWise sends GUIDs, 36 characters).
MAX_MESSAGE_ID_LENGTH: Final = 200


class ReplayedCallbackError(InvalidCallbackError):
    """A callback whose ``MessageId`` was already accepted within the replay window."""


@runtime_checkable
class ReplayStore(Protocol):
    """Where a :class:`ReplayGuard` remembers ids; implement it for a store shared by processes.

    Both methods must be safe to call from several threads at once.
    """

    def add(self, key: str, ttl: float) -> bool:
        """Remember ``key`` for ``ttl`` seconds; ``True`` if it was not remembered already.

        Must be atomic: of two concurrent calls with the same new key, exactly one gets True.
        """
        ...

    def discard(self, key: str) -> None:
        """Forget ``key`` (no error when it is not remembered)."""
        ...


class MemoryReplayStore:
    """A thread-safe in-process :class:`ReplayStore`, bounded by time and by size.

    ``max_entries`` caps how many keys are kept (the oldest go first); ``clock`` is the time
    source in seconds (``time.monotonic``; tests pass a fake one). Raises ``ValueError`` for a
    ``max_entries`` below 1.
    """

    def __init__(
        self, max_entries: int = DEFAULT_MAX_ENTRIES, *, clock: Callable[[], float] = time.monotonic
    ) -> None:
        """Start empty; see the class docstring for the arguments."""
        if isinstance(max_entries, bool) or not isinstance(max_entries, int) or max_entries < 1:
            raise ValueError(f"max_entries must be a positive integer, not {max_entries!r}")
        self.max_entries = max_entries
        self._clock = clock
        self._expiry: OrderedDict[str, float] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        """How many keys are remembered now (expired ones included until the next add)."""
        return len(self._expiry)

    def add(self, key: str, ttl: float) -> bool:
        """See :meth:`ReplayStore.add`."""
        now = self._clock()
        with self._lock:
            self._purge(now)
            expires = self._expiry.get(key)
            if expires is not None and expires > now:
                return False
            self._expiry.pop(key, None)
            while len(self._expiry) >= self.max_entries:
                self._expiry.popitem(last=False)
            self._expiry[key] = now + ttl
            return True

    def discard(self, key: str) -> None:
        """See :meth:`ReplayStore.discard`."""
        with self._lock:
            self._expiry.pop(key, None)

    def _purge(self, now: float) -> None:
        """Drop expired keys from the oldest end (keys are added in time order)."""
        while self._expiry:
            key, expires = next(iter(self._expiry.items()))
            if expires > now:
                return
            del self._expiry[key]


class ReplayGuard:
    """Refuses a callback whose ``MessageId`` it has seen within ``window`` seconds.

    ``store`` is where ids are kept (a new :class:`MemoryReplayStore` when not given);
    ``namespace`` prefixes every key, so one shared store can serve several receivers.
    Raises ``ValueError`` for a ``window`` that is not a positive number, ``TypeError`` for a
    ``store`` without the :class:`ReplayStore` methods.
    """

    def __init__(
        self,
        window: float = DEFAULT_REPLAY_WINDOW,
        *,
        store: ReplayStore | None = None,
        namespace: str = "cw-facade:callback:",
    ) -> None:
        """See the class docstring."""
        if isinstance(window, bool) or not isinstance(window, int | float) or not window > 0:
            raise ValueError(f"window must be a positive number of seconds, not {window!r}")
        if store is not None and not isinstance(store, ReplayStore):
            raise TypeError("store must have add(key, ttl) and discard(key) methods")
        self.window = float(window)
        self.store: ReplayStore = store if store is not None else MemoryReplayStore()
        self.namespace = namespace

    def check(self, message_id: object) -> None:
        """Record ``message_id`` as seen, or raise if it was seen within the window.

        Raises :class:`ReplayedCallbackError` for a repeat, and :class:`InvalidCallbackError`
        for a missing, empty, non-text or over-long id (then replays cannot be told apart).
        """
        key = self._key(message_id)
        if not self.store.add(key, self.window):
            raise ReplayedCallbackError(
                f"callback MessageId {message_id!r} was already accepted (a replay)"
            )

    def forget(self, message_id: object) -> None:
        """Forget ``message_id``, so a redelivery is accepted again.

        Call it when your handler failed after :meth:`check` and answered ConnectWise with a
        status it retries (404, 409, 419 or 429). Raises like :meth:`check` for a bad id.
        """
        self.store.discard(self._key(message_id))

    def _key(self, message_id: object) -> str:
        if isinstance(message_id, int) and not isinstance(message_id, bool):
            message_id = str(message_id)
        if not isinstance(message_id, str) or not message_id.strip():
            raise InvalidCallbackError(
                "the callback has no MessageId, so a replay could not be told apart"
            )
        text = message_id.strip()
        if len(text) > MAX_MESSAGE_ID_LENGTH:
            raise InvalidCallbackError(
                f"the callback MessageId is longer than {MAX_MESSAGE_ID_LENGTH} characters"
            )
        return self.namespace + text.casefold()
