"""Keeping the client's secrets out of reprs, logs, tracebacks and exceptions.

:class:`SecretString` wraps one secret so that it prints as a mask; :class:`Redactor` removes
a client's secrets from text an exception is about to carry (an error body that echoes the
request headers, a URL, a reason phrase), in every spelling the secret can take on the wire.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Iterable
from typing import Any, Final
from urllib.parse import quote, quote_plus

import httpx

_MASK: Final = "**********"
#: Secrets shorter than this are not also masked in base64 (their base64 is too short to
#: be told apart from ordinary text); the full ``Authorization`` token always is.
_MIN_BASE64_SOURCE: Final = 6


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


#: Headers whose whole value is a credential; :meth:`Redactor.scrub_headers` masks them.
SECRET_HEADERS: Final = frozenset({"authorization", "clientid", "proxy-authorization"})


class Redactor:
    """Removes the client's own secrets from text, JSON values, headers and httpx messages.

    Build it once from the credentials (:meth:`for_credentials`); every form a secret can take
    on the wire is masked: the text itself (matched ignoring case), its JSON-escaped and
    percent-encoded spellings, and the base64 ``Authorization`` token (standard and URL-safe,
    with or without padding). ``repr()`` shows only how many forms it knows; it cannot be
    pickled, so an exception that meets it never carries it along.

    Secrets are masked wherever they occur, so a very short secret also masks the same
    characters in unrelated text: that errs on the side of hiding.
    """

    __slots__ = ("_count", "_pattern")

    def __init__(self, secrets: Iterable[str | SecretString]) -> None:
        """Mask each non-empty string of ``secrets`` (and its escaped spellings)."""
        forms: set[str] = set()
        for secret in secrets:
            text = secret.get_secret_value() if isinstance(secret, SecretString) else secret
            if not isinstance(text, str):
                raise TypeError(f"Redactor takes str secrets, not {type(text).__name__}")
            if text:
                forms.update(_spellings(text))
        ordered = sorted(forms, key=len, reverse=True)
        self._count = len(ordered)
        self._pattern = (
            re.compile("|".join(map(re.escape, ordered)), re.IGNORECASE) if ordered else None
        )

    @classmethod
    def for_credentials(
        cls,
        *,
        company: str,
        public_key: str | SecretString,
        private_key: str | SecretString,
        client_id: str | SecretString,
    ) -> Redactor:
        """The redactor of one client's credentials.

        Masks the private key, the public key, ``company+public_key``, the whole
        ``company+public_key:private_key`` string and its base64 form (the ``Authorization``
        token), and ``client_id``. The company id alone is not a secret and stays readable.
        """
        public, private = _reveal(public_key), _reveal(private_key)
        auth = f"{company}+{public}:{private}"
        token = base64.b64encode(auth.encode("utf-8")).decode("ascii")
        return cls([private, public, f"{company}+{public}", f"{public}:{private}", auth, token,
                    _reveal(client_id)])  # fmt: skip

    def __repr__(self) -> str:
        """How many spellings are masked; never one of them."""
        return f"Redactor({self._count} masked spellings)"

    def __reduce__(self) -> tuple[object, ...]:
        """Refuse to pickle: a redactor holds the secrets it masks."""
        raise TypeError("Redactor cannot be pickled")

    def scrub(self, text: str) -> str:
        """``text`` with every secret replaced by ``**********``."""
        if self._pattern is None or not isinstance(text, str):
            return text
        return self._pattern.sub(_MASK, text)

    def scrub_bytes(self, data: bytes) -> bytes:
        """``data`` (UTF-8, or any bytes) with every secret masked; other bytes unchanged."""
        if self._pattern is None or not data:
            return data
        text = data.decode("utf-8", "surrogateescape")
        return self.scrub(text).encode("utf-8", "surrogateescape")

    def scrub_obj(self, value: Any) -> Any:
        """A copy of a JSON-like value (dicts, lists, tuples, strings) with secrets masked.

        Keys are scrubbed too; numbers, booleans, ``None`` and other objects pass unchanged.
        """
        if isinstance(value, str):
            return self.scrub(value)
        if isinstance(value, dict):
            return {self.scrub_obj(k): self.scrub_obj(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return type(value)(self.scrub_obj(item) for item in value)
        return value

    def scrub_headers(self, headers: httpx.Headers) -> httpx.Headers:
        """A copy of ``headers``: credential headers masked whole, others scrubbed."""
        return httpx.Headers(
            [
                (name, _MASK if name.lower() in SECRET_HEADERS else self.scrub(value))
                for name, value in headers.multi_items()
            ]
        )

    def scrub_request(self, request: httpx.Request) -> httpx.Request:
        """A copy of ``request`` with its URL, headers and (read) body scrubbed."""
        try:
            content = self.scrub_bytes(request.content)
        except httpx.RequestNotRead:
            content = b""
        headers = self.scrub_headers(request.headers)
        headers.pop("content-length", None)
        return httpx.Request(
            request.method, self.scrub(str(request.url)), headers=headers, content=content
        )

    def scrub_response(self, response: httpx.Response) -> httpx.Response:
        """A read copy of ``response``: body, headers, reason and ``request`` scrubbed.

        The copy holds the decoded body, so ``Content-Encoding`` is dropped from its headers.
        An unread streaming response keeps no body.
        """
        try:
            content = self.scrub_bytes(response.content)
        except httpx.ResponseNotRead:
            content = b""
        headers = self.scrub_headers(response.headers)
        for name in ("content-encoding", "content-length", "transfer-encoding"):
            headers.pop(name, None)
        extensions: dict[str, Any] = {}
        reason = response.extensions.get("reason_phrase")
        if isinstance(reason, bytes):
            extensions["reason_phrase"] = self.scrub_bytes(reason)
        if "http_version" in response.extensions:
            extensions["http_version"] = response.extensions["http_version"]
        try:
            request: httpx.Request | None = self.scrub_request(response.request)
        except RuntimeError:  # built without a request
            request = None
        return httpx.Response(
            response.status_code,
            headers=headers,
            content=content,
            request=request,
            extensions=extensions,
        )

    def scrub_http_error(self, exc: httpx.HTTPError) -> httpx.HTTPError:
        """``exc`` itself, its ``args``, ``request`` and (for status errors) ``response`` scrubbed.

        For the httpx exception a client error chains as ``__cause__``: its ``request`` still
        carries the real ``Authorization`` and ``clientId`` headers until scrubbed.
        """
        exc.args = tuple(self.scrub(a) if isinstance(a, str) else a for a in exc.args)
        try:
            exc.request = self.scrub_request(exc.request)
        except RuntimeError:  # no request attached
            pass
        if isinstance(exc, httpx.HTTPStatusError):
            exc.response = self.scrub_response(exc.response)
        return exc


def _reveal(value: str | SecretString) -> str:
    return value.get_secret_value() if isinstance(value, SecretString) else value


def _spellings(secret: str) -> set[str]:
    """The ways ``secret`` can appear in a body, a header or a URL."""
    forms = {secret, json.dumps(secret)[1:-1], quote(secret, safe=""), quote_plus(secret)}
    if len(secret) >= _MIN_BASE64_SOURCE:
        raw = secret.encode("utf-8")
        for encoded in (base64.b64encode(raw), base64.urlsafe_b64encode(raw)):
            text = encoded.decode("ascii")
            forms.update({text, text.rstrip("=")})
    return {form for form in forms if form}
