"""Acting as another member: impersonation tokens, precomputed credentials and ``run_as=``.

``impersonate(member_identifier)`` asks ConnectWise for short-lived keys of that member
(``POST /system/members/{memberIdentifier}/tokens``) and answers a client that acts with them.
``with_credentials(public_key, private_key)`` answers a client acting with another member's
own keys. Both share this client's connection pool, options and codebase; closing them is a
no-op (close this client). ``run_as=`` on every toolkit method takes either a member
identifier (impersonated as above, keys cached until shortly before they expire) or an
``Authorization`` value made by :meth:`compute_auth`, as ConnectPyse-Manage's ``run_as`` did.
"""

from __future__ import annotations

import base64
import binascii
import copy
from datetime import UTC, datetime, timedelta
from typing import Any, Self

from cw_facade._async._base import AsyncClientBase
from cw_facade._async._http import AsyncManageHTTP
from cw_facade._endpoints import LazyModule
from cw_facade._responses import one_record, response_error
from cw_facade._secrets import Redactor, SecretString
from cw_facade._validation import InvalidArgumentError
from cw_facade.models._values import as_datetime, as_str

ops = LazyModule("cw_manage_client.operations")

#: Impersonation keys are renewed this long before ConnectWise says they expire.
TOKEN_MARGIN = timedelta(seconds=60)
#: The ``x-cw-usertype`` values ConnectWise accepts on the token request.
USER_TYPES = ("member", "integrator")
_BASIC = "Basic "


class AsyncActingMixin(AsyncClientBase):
    """Clients acting as another member (see the module docstring)."""

    def compute_auth(self, identifier: str, secret: str) -> str:
        """The ``Authorization`` header value for the key pair ``identifier``/``secret``.

        ``identifier`` is a public key, ``secret`` its private key, both for this client's
        login company. Pass the result as ``run_as=`` to act with those keys. Raises
        :class:`~cw_facade.InvalidArgumentError` for an empty or non-string key.
        """
        public, private = _key("identifier", identifier), _key("secret", secret)
        raw = f"{self._config.company}+{public}:{private}".encode()
        return _BASIC + base64.b64encode(raw).decode("ascii")

    def with_credentials(self, public_key: str, private_key: str) -> Self:
        """A client acting with another API member's keys (shares this client's pool).

        Raises :class:`~cw_facade.InvalidArgumentError` for an empty or non-string key.
        """
        return self._acting_with(_key("public_key", public_key), _key("private_key", private_key))

    async def impersonate(self, member_identifier: str, *, user_type: str = "member") -> Self:
        """A client acting as member ``member_identifier`` with short-lived keys.

        Sends ``POST /system/members/{member_identifier}/tokens`` with ``x-cw-usertype:
        user_type`` (``"member"`` for member API keys, ``"integrator"`` for an integrator
        login). The keys expire (ConnectWise decides when); ``run_as=`` renews them itself,
        a client returned here does not. Raises :class:`~cw_facade.InvalidArgumentError` for
        a bad identifier or user type, :class:`~cw_facade.ConnectWiseNotFoundError` for an
        unknown member, :class:`~cw_facade.ConnectWiseResponseError` when the answer has no
        keys, and the API's errors otherwise.
        """
        client, _ = await self._impersonated(member_identifier, user_type)
        return client

    async def _impersonated(
        self, member_identifier: object, user_type: object = "member"
    ) -> tuple[Self, datetime | None]:
        identifier = _key("member_identifier", member_identifier)
        if user_type not in USER_TYPES:
            raise InvalidArgumentError("user_type", f"must be one of {', '.join(USER_TYPES)}")
        args = ops.post_system_members_by_member_identifier_tokens.request_args(identifier)
        args["headers"] = {**args.get("headers", {}), "x-cw-usertype": str(user_type)}
        response = await self._call(args)
        record = one_record(response)
        public, private = as_str(record.get("publicKey")), as_str(record.get("privateKey"))
        if not public or not private:
            raise response_error(response, "no publicKey/privateKey in the token answer")
        return self._acting_with(public, private), as_datetime(record.get("expiration"))

    async def _as(self, run_as: object) -> Self:
        """The client a ``run_as=`` value means: keys of an ``Authorization`` value or a member."""
        if not isinstance(run_as, str) or not run_as.strip():
            raise InvalidArgumentError(
                "run_as", "must be a member identifier or a compute_auth() value"
            )
        if run_as.startswith(_BASIC):
            return self._acting_with(*self._keys_of(run_as))
        cache: dict[str, tuple[Any, datetime | None]] = self.__dict__.setdefault("_cw_acting", {})
        cached = cache.get(run_as)
        if cached is not None and _fresh(cached[1]):
            client: Self = cached[0]
            return client
        client, expires = await self._impersonated(run_as)
        cache[run_as] = (client, expires)
        return client

    def _keys_of(self, authorization: str) -> tuple[str, str]:
        """The key pair inside a ``compute_auth`` value (for this client's company)."""
        problem = "must be a compute_auth() value for this client's company"
        try:
            raw = base64.b64decode(authorization[len(_BASIC) :], validate=True).decode()
        except (binascii.Error, UnicodeDecodeError):
            raise InvalidArgumentError("run_as", problem) from None
        company, plus, rest = raw.partition("+")
        public, colon, private = rest.partition(":")
        if not plus or not colon or company != self._config.company or not public or not private:
            raise InvalidArgumentError("run_as", problem)
        return public, private

    def _acting_with(self, public: str, private: str) -> Self:
        """A copy of this client sending with other keys, on the same connection pool."""
        config = copy.copy(self._config)
        config._username, config._password = SecretString(public), SecretString(private)
        config.redactor = Redactor.for_credentials(
            company=config.company,
            public_key=config._username,
            private_key=config._password,
            client_id=config.client_id,
        )
        clone = copy.copy(self)
        http = self._http
        if http._delegate is not None:
            clone._http = AsyncManageHTTP(config, delegate=http._delegate)
        else:
            clone._http = AsyncManageHTTP(config, transport=http._transport)
        clone._config, clone._api = config, None
        clone.__dict__["_cw_acting"] = {}
        clone.__dict__["_cw_borrowed"] = True
        return clone

    async def aclose(self) -> None:
        """Close the connection pool (a no-op on a client made by :meth:`impersonate`)."""
        if not self.__dict__.get("_cw_borrowed"):
            await super().aclose()


def _key(name: str, value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InvalidArgumentError(name, "must be a non-empty string")
    return value


def _fresh(expires: datetime | None) -> bool:
    """Whether keys expiring at ``expires`` are still good (no expiry: good)."""
    return expires is None or datetime.now(UTC) + TOKEN_MARGIN < expires
