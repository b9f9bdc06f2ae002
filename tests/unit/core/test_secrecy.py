"""No credential appears in any repr, str, log record or exception, on every path."""

from __future__ import annotations

import base64
import logging
import traceback
from typing import Any

import httpx
import pytest

from cw_facade._errors import ConnectWiseError

from .conftest import CLIENT, PASSWORD, USERNAME, Server, cw_error, respond

pytestmark = pytest.mark.anyio

TOKEN = base64.b64encode(f"{CLIENT}+{USERNAME}:{PASSWORD}".encode()).decode()
SECRETS = [PASSWORD, USERNAME, TOKEN, f"{USERNAME}:{PASSWORD}"]
INFO = "/login/companyinfo/acme"


def _every_path(request: httpx.Request) -> httpx.Response | Exception:
    path = request.url.path
    if path == INFO:
        return respond(200, {"Codebase": "v2025_1/"})
    name = path.rsplit("/", 1)[-1]
    answers: dict[str, Any] = {
        "ok": lambda: respond(200, [{"id": 1}]),
        "created": lambda: respond(201, {"id": 2}),
        "gone": lambda: respond(204),
        "html": lambda: respond(502, text="<html>proxy</html>"),
        "busy": lambda: respond(429, headers={"Retry-After": "1"}),
        "invalid": lambda: cw_error(400, "InvalidObject", "bad", errors=[{"field": "x"}]),
        "auth": lambda: cw_error(401, "Unauthorized", "no"),
        "text": lambda: respond(200, text="not json"),
        "down": lambda: httpx.ConnectError("refused"),
        "slow": lambda: httpx.ReadTimeout("slow"),
        "count": lambda: respond(200, {"count": 3}),
        "tickets": lambda: respond(200, [{"id": 1}, {"id": 2}]),
    }
    return answers[name]() if name in answers else respond(404, text="<html/>")


CALLS: list[tuple[str, tuple[Any, ...], dict[str, Any]]] = [
    ("get", ("x/ok",), {}),
    ("get", ("x/missing",), {}),
    ("post", ("x/created", {"a": 1}), {}),
    ("patch", ("x/ok", 1, [{"op": "replace", "path": "a", "value": 1}]), {}),
    ("put", ("x/ok", 1, {"a": 1}), {}),
    ("delete", ("x/gone", 1), {}),
    ("get", ("x/html",), {}),
    ("get", ("x/busy",), {}),
    ("post", ("x/invalid", {}), {}),
    ("get", ("x/auth",), {}),
    ("get", ("x/text",), {}),
    ("get", ("x/down",), {}),
    ("get", ("x/slow",), {}),
    ("count", ("service/tickets",), {}),
    ("get_all", ("service/tickets",), {"pagesize": 3}),
    ("delete", ("x/missing", 1), {}),
]


async def test_no_credential_leaks_anywhere(make: Any, caplog: pytest.LogCaptureFixture) -> None:
    twin = make(Server(_every_path), base_url="https://na.myconnectwise.net", log_bodies=True)
    seen: list[str] = [repr(twin.client), str(twin.client), repr(vars(twin.client))]
    errors: list[BaseException] = []
    with caplog.at_level(logging.DEBUG, logger="cw_facade"):
        for name, args, kwargs in CALLS:
            try:
                seen.append(repr(await twin.call(name, *args, **kwargs)))
            except ConnectWiseError as exc:
                errors.append(exc)
    assert len(errors) >= 8
    for error in errors:
        seen.extend([str(error), repr(error), repr(error.args), repr(vars(error))])
        seen.extend(traceback.format_exception(error))
    for record in caplog.records:
        seen.extend([record.getMessage(), repr(record.args), repr(record.__dict__)])
    assert len(caplog.records) > len(CALLS)
    text = "\n".join(seen)
    for secret in SECRETS:
        assert secret not in text
    assert "**********" in repr(vars(twin.client._config))
