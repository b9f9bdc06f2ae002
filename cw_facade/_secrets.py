"""A string wrapper that keeps secrets out of reprs, logs and tracebacks."""

from __future__ import annotations

from typing import Final

_MASK: Final = "**********"


class SecretString:
    """A secret (password, private key) that prints as ``**********``.

    ``str()``, ``repr()`` and formatting all show the mask; only :meth:`get_secret_value`
    returns the real text. Two instances never compare equal to each other or to a ``str``, so
    an equality check cannot be used to probe the value; use :meth:`get_secret_value` explicitly.
    """

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        """Wrap ``value``; it must be a ``str``."""
        if not isinstance(value, str):
            raise TypeError(f"SecretString wraps a str, not {type(value).__name__}")
        self._value = value

    def get_secret_value(self) -> str:
        """Return the secret itself; never log or print the result."""
        return self._value

    def __bool__(self) -> bool:
        """True when the secret is not empty (tells nothing else about it)."""
        return bool(self._value)

    def __len__(self) -> int:
        """Length of the mask, not of the secret."""
        return len(_MASK)

    def __str__(self) -> str:
        """The mask."""
        return _MASK

    def __repr__(self) -> str:
        """``SecretString('**********')``."""
        return f"SecretString('{_MASK}')"

    def __format__(self, format_spec: str) -> str:
        """The mask, formatted."""
        return format(_MASK, format_spec)

    def __eq__(self, other: object) -> bool:
        """Only identical objects are equal."""
        return self is other

    def __hash__(self) -> int:
        """Identity hash: the value never feeds the hash."""
        return id(self)

    def __reduce__(self) -> tuple[object, ...]:
        """Refuse to pickle, so a secret is never written out by accident."""
        raise TypeError("SecretString cannot be pickled")
