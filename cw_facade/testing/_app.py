"""The HTTP-free core of the simulator: one request in, one response out.

Authentication, codebase discovery, the callback signing key, routing by the description and
ConnectWise's headers and error bodies all live here; :mod:`._server` only moves bytes.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import json
import re
import threading
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from cw_facade.testing._bundles import BUNDLE_ROUTES, run_bundle
from cw_facade.testing._callbacks import CallbackDispatcher
from cw_facade.testing._crud import Call, Crud, NoBody, Result, dump
from cw_facade.testing._errors import ApiError, bad_request
from cw_facade.testing._limits import Limits
from cw_facade.testing._records import Writer
from cw_facade.testing._routing import Route
from cw_facade.testing._spec import Description, default_description
from cw_facade.testing._store import Store

API_VERSION = "2025.8"
SERVER_NAME = "cw-facade-simulator"
CONTENT_TYPE = "application/json; charset=utf-8"
API_PREFIX = "apis/3.0"
COMPANY_INFO = re.compile(r"^/login/companyinfo/([^/]+)/?$", re.IGNORECASE)
SIGNING_KEY_PATH = "system/callbackSigningKey"
MUTATING = ("POST", "PUT", "PATCH")


@dataclass(frozen=True)
class Settings:
    """What the simulator accepts and how it describes itself."""

    company: str
    public_key: str
    private_key: str = field(repr=False)
    client_id: str
    codebase: str
    site_url: str
    signing_key: str = field(repr=False, default="simulator-signing-key")

    @property
    def api_root(self) -> str:
        """``{site}/{codebase}apis/3.0/``."""
        return f"{self.site_url}/{self.codebase}{API_PREFIX}/"


@dataclass
class Request:
    """A parsed HTTP request."""

    method: str
    target: str
    headers: dict[str, str]
    body: bytes

    @property
    def path(self) -> str:
        """The path without the query string."""
        return self.target.partition("?")[0]

    @property
    def query(self) -> list[tuple[str, str]]:
        """Query parameters in order."""
        return parse_qsl(self.target.partition("?")[2], keep_blank_values=True)


@dataclass
class Response:
    """A response ready to be written."""

    status: int
    body: bytes
    headers: list[tuple[str, str]]


class App:
    """Answers requests over a store, as ConnectWise Manage would."""

    def __init__(
        self,
        settings: Settings,
        store: Store,
        callbacks: CallbackDispatcher,
        spec: Description | None = None,
        limits: Limits | None = None,
    ) -> None:
        self.settings = settings
        self.store = store
        self.spec = spec or default_description()
        self.limits = limits or Limits()
        self.crud = Crud(Writer(store, settings.api_root, self.spec), callbacks, self.limits)
        self._requests = 0
        self._counter_lock = threading.Lock()

    def next_request_id(self) -> str:
        """A deterministic request id (counter based)."""
        with self._counter_lock:
            self._requests += 1
            return f"00000000-0000-4000-8000-{self._requests:012d}"

    def handle(self, request: Request) -> Response:
        """Answer one request; never raises."""
        request_id = self.next_request_id()
        try:
            result = self._dispatch(request)
        except ApiError as exc:
            result = Result(exc.status, exc.body())
        except RecursionError:
            result = Result(
                400, {"code": "BadRequest", "message": "The request is nested too deeply."}
            )
        except Exception as exc:  # a simulator bug must not kill the connection
            result = Result(500, {"code": "ConnectWiseApi", "message": f"Simulator error: {exc}"})
        return self._response(result, request_id)

    def refusal(self, method: str, path: str, headers: dict[str, str]) -> Response | None:
        """The error response to send before reading a body (``None``: go on and read it).

        Requests to the API root are authenticated here, from the headers alone, so an
        unauthenticated client never gets its body read.
        """
        prefix = f"/{self.settings.codebase}{API_PREFIX}"
        lowered = path.lower()
        if not lowered.startswith(prefix.lower()):
            return None
        sub = lowered[len(prefix) :].strip("/")
        if sub == SIGNING_KEY_PATH.lower() and method == "GET":
            return None
        try:
            self._authenticate(headers)
        except ApiError as exc:
            return self._response(Result(exc.status, exc.body()), self.next_request_id())
        return None

    def is_api(self, target: str) -> bool:
        """Whether ``target`` is under the API root (rate limits apply there)."""
        prefix = f"/{self.settings.codebase}{API_PREFIX}".lower()
        return target.lower().startswith(prefix)

    def answer(self, status: int, payload: Any, headers: list[tuple[str, str]]) -> Response:
        """A response with the standard headers that did not come from the store (faults)."""
        return self._response(Result(status, payload, headers), self.next_request_id())

    def _response(self, result: Result, request_id: str) -> Response:
        headers = [
            ("api-current-version", API_VERSION),
            ("x-cw-request-id", request_id),
            ("x-server-name", SERVER_NAME),
            *result.headers,
        ]
        if result.status == 204 or isinstance(result.payload, NoBody):
            return Response(result.status, b"", headers)
        return Response(
            result.status, dump(result.payload), [("Content-Type", CONTENT_TYPE), *headers]
        )

    def _dispatch(self, request: Request) -> Result:
        found = COMPANY_INFO.match(request.path)
        if found and request.method == "GET":
            return Result(200, self._company_info(found.group(1)))
        prefix = f"/{self.settings.codebase}{API_PREFIX}"
        if not request.path.lower().startswith(prefix.lower()):
            raise ApiError(404, "NotFound", f"{request.path} not found")
        sub = re.sub("/{2,}", "/", request.path[len(prefix) :])
        if sub.strip("/").lower() == SIGNING_KEY_PATH.lower() and request.method == "GET":
            return Result(200, {"signing_key": self.settings.signing_key})
        self._authenticate(request.headers)
        return self._route(request, sub.rstrip("/") or "/")

    def _company_info(self, company: str) -> Any:
        if company.lower() != self.settings.company.lower():
            return None
        return {
            "CompanyName": "Facade Managed Services",
            "Codebase": self.settings.codebase,
            "VersionCode": f"v{API_VERSION}",
            "VersionNumber": f"v{API_VERSION}.0",
            "CompanyID": self.settings.company,
            "IsCloud": False,
            "SiteUrl": self.settings.site_url.split("://", 1)[-1],
        }

    def _authenticate(self, headers: dict[str, str]) -> None:
        user, _, secret = (_basic_credentials(headers.get("authorization", "")) or "").partition(
            ":"
        )
        company, _, public = user.partition("+")
        valid = (
            company.lower() == self.settings.company.lower()
            and hmac.compare_digest(public.encode(), self.settings.public_key.encode())
            and hmac.compare_digest(secret.encode(), self.settings.private_key.encode())
        )
        if not valid:
            raise ApiError(
                401, "Unauthorized", "Authentication failed: wrong or missing credentials."
            )
        if headers.get("clientid", "") != self.settings.client_id:
            raise ApiError(401, "Unauthorized", "A valid clientId header is required.")

    def _route(self, request: Request, sub: str) -> Result:
        route, ids, known = self.spec.match(request.method, sub)
        fallback = BUNDLE_ROUTES.get(sub.lower()) if request.method == "POST" else None
        if route is None and fallback is not None:
            route, ids = fallback, {}  # served even where the description lacks them
        if route is None:
            if known:
                raise ApiError(405, "MethodNotAllowed", f"{request.method} is not allowed on {sub}")
            raise ApiError(404, "NotFound", f"{sub} not found")
        call = Call(
            route=route,
            ids=ids,
            params={k.lower(): v for k, v in request.query},
            body=self._body(request, route),
            url=f"{self.settings.site_url}{request.path}",
            query=request.query,
            headers=request.headers,
        )
        if route.kind == "bundle":
            return run_bundle(self.crud, call)
        result: Result = getattr(self.crud, route.kind)(call)
        return result

    def _body(self, request: Request, route: Route) -> Any:
        if route.method not in MUTATING:
            return None
        if route.request_schema is None and not request.body.strip():
            return {}  # an operation that declares no body (``/copy``, ``/clear``, ...)
        body = _json_body(request)
        if _depth_exceeds(body, self.limits.max_json_depth):
            raise bad_request(
                f"The request body is nested deeper than {self.limits.max_json_depth} levels."
            )
        return body


def _basic_credentials(header: str) -> str | None:
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "basic" or not token:
        return None
    try:
        decoded = base64.b64decode(token.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    return decoded if ":" in decoded else None


def _json_body(request: Request) -> Any:
    if not request.body.strip():
        raise bad_request("The request body is empty.")
    try:
        return json.loads(request.body, parse_constant=_no_constant)
    except RecursionError:
        raise bad_request("The request body is nested too deeply.") from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise bad_request(f"The request body is not valid JSON: {exc.__class__.__name__}.") from exc


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _depth_exceeds(value: Any, limit: int) -> bool:
    """Whether ``value`` nests containers deeper than ``limit`` (iterative: no recursion)."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            if depth > limit:
                return True
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return False
