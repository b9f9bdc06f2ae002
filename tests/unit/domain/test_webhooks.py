"""Callback parsing, signature verification and the guarded signing-key fetch."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from typing import Any

import httpx
import pytest

from cw_facade._errors import ConnectWiseError
from cw_facade._webhooks import (
    InvalidCallbackError,
    InvalidSignatureError,
    compute_signature,
    fetch_signing_key,
    fetch_signing_key_async,
    parse_callback,
    verify_signature,
)
from cw_facade.models import Company, Model, Ticket

KEY = "s1gning-k3y"
SITE = "https://na.myconnectwise.net"
KEY_URL = (
    "https://api-na.myconnectwise.net/v4_6_release/system/callbackkey/index.rails"
    "?companyName=acme&id=89966c04-9889-46ad-8d5e-421103aca922"
)
TRUST: dict[str, Any] = {"sites": SITE, "company": "acme"}


def payload(entity: Any = None, **overrides: Any) -> dict[str, Any]:
    body = {
        "MessageId": "f2b1",
        "FromUrl": "https://na.myconnectwise.net",
        "CompanyId": "acme",
        "MemberId": "jdoe",
        "Action": "updated",
        "Type": "ticket",
        "ID": 1234,
        "ProductInstanceId": None,
        "PartnerId": None,
        "Entity": json.dumps({"id": 1234, "summary": "Server offline", "status": {"name": "New"}})
        if entity is None
        else entity,
        "Metadata": {"key_url": KEY_URL},
        "CallbackObjectRecId": 7,
    }
    body.update(overrides)
    return body


def signed(body: bytes) -> dict[str, str]:
    """Headers with the signature computed independently of the code under test."""
    key = hashlib.sha256(KEY.encode()).digest()
    digest = hmac.new(key, body, hashlib.sha256).digest()
    return {"X-Content-Signature": base64.b64encode(digest).decode()}


class TestParse:
    def test_entity_as_json_string(self) -> None:
        event = parse_callback(json.dumps(payload()), {})
        assert (event.action, event.type, event.id) == ("updated", "ticket", 1234)
        assert isinstance(event.entity, Ticket)
        assert event.entity.summary == "Server offline"
        assert event.entity.status_name == "New"
        assert event.raw["CallbackObjectRecId"] == 7
        assert event.key_url == KEY_URL
        assert (event.member_id, event.company_id) == ("jdoe", "acme")

    def test_entity_as_object_and_other_types(self) -> None:
        body = payload({"id": 250, "name": "Acme Corp"}, Type="Company", ID="250", Action="added")
        event = parse_callback(json.dumps(body).encode(), {})
        assert isinstance(event.entity, Company)
        assert (event.entity.name, event.id, event.action) == ("Acme Corp", 250, "added")

    def test_unknown_type_gives_a_plain_model(self) -> None:
        event = parse_callback(json.dumps(payload({"id": 1, "x": 2}, Type="activity")), {})
        assert type(event.entity) is Model
        assert event.entity.x == 2

    @pytest.mark.parametrize("entity", ["not json", "[1, 2]", 5, ""])
    def test_unreadable_entity_is_none(self, entity: Any) -> None:
        event = parse_callback(json.dumps(payload(entity)), {})
        assert event.entity is None
        assert event.id == 1234

    def test_deleted_event_without_entity(self) -> None:
        body = payload(Action="deleted")
        del body["Entity"]
        event = parse_callback(json.dumps(body), {})
        assert (event.action, event.entity) == ("deleted", None)

    def test_case_variant_keys(self) -> None:
        event = parse_callback(json.dumps({"action": "added", "type": "ticket", "id": 3}), {})
        assert (event.action, event.type, event.id) == ("added", "ticket", 3)
        assert event.key_url is None

    @pytest.mark.parametrize("body", [b"", b"not json", b"[1]", b"\xff\xfe", "null"])
    def test_malformed_bodies(self, body: bytes | str) -> None:
        with pytest.raises(InvalidCallbackError):
            parse_callback(body, {})

    def test_repr_leaves_out_the_payload(self) -> None:
        event = parse_callback(json.dumps(payload()), {})
        assert "Entity" not in repr(event)


class TestSignature:
    def test_good_signature(self) -> None:
        body = json.dumps(payload()).encode()
        event = parse_callback(body, signed(body), signing_key=KEY)
        assert event.id == 1234
        assert compute_signature(body, KEY) == signed(body)["X-Content-Signature"]

    def test_str_body_is_signed_as_utf8(self) -> None:
        text = json.dumps(payload({"id": 1, "summary": "Ünïcode ✓"}), ensure_ascii=False)
        event = parse_callback(text, signed(text.encode("utf-8")), signing_key=KEY)
        assert event.entity is not None and event.entity.summary == "Ünïcode ✓"

    def test_header_name_is_case_insensitive(self) -> None:
        body = b'{"ID": 1}'
        header = signed(body)["X-Content-Signature"]
        verify_signature(body, {"x-content-signature": header}, KEY)
        verify_signature(body, httpx.Headers({"X-CONTENT-SIGNATURE": header}), KEY)

    def test_tampered_body(self) -> None:
        body = json.dumps(payload()).encode()
        headers = signed(body)
        with pytest.raises(InvalidSignatureError, match="does not match"):
            parse_callback(body.replace(b"1234", b"1235"), headers, signing_key=KEY)

    def test_wrong_key(self) -> None:
        body = b'{"ID": 1}'
        with pytest.raises(InvalidSignatureError):
            parse_callback(body, signed(body), signing_key="other-key")

    @pytest.mark.parametrize("headers", [{}, {"x-content-signature": ""}, {"other": "x"}])
    def test_missing_signature(self, headers: dict[str, str]) -> None:
        with pytest.raises(InvalidSignatureError, match="missing"):
            parse_callback(b'{"ID": 1}', headers, signing_key=KEY)

    def test_garbage_signature(self) -> None:
        with pytest.raises(InvalidSignatureError):
            parse_callback(b'{"ID": 1}', {"x-content-signature": "ünicode!"}, signing_key=KEY)

    @pytest.mark.parametrize("key", ["", b"bytes-key"])
    def test_empty_or_non_text_keys_are_refused(self, key: Any) -> None:
        body = b'{"ID": 1}'
        with pytest.raises(InvalidCallbackError, match="signing_key") as caught:
            parse_callback(body, signed(body), signing_key=key)
        assert not isinstance(caught.value, InvalidSignatureError)

    def test_no_key_means_no_verification(self) -> None:
        assert parse_callback(b'{"ID": 1}', {"x-content-signature": "bogus"}).id == 1

    def test_errors_are_connectwise_errors(self) -> None:
        assert issubclass(InvalidSignatureError, InvalidCallbackError)
        assert issubclass(InvalidCallbackError, ConnectWiseError)
        assert issubclass(InvalidCallbackError, ValueError)


class TestFetchKey:
    def transport(self, response: httpx.Response, seen: list[httpx.Request]) -> httpx.MockTransport:
        def handler(request: httpx.Request) -> httpx.Response:
            seen.append(request)
            return response

        return httpx.MockTransport(handler)

    def test_sync_fetch(self) -> None:
        seen: list[httpx.Request] = []
        response = httpx.Response(200, json={"signing_key": KEY})
        assert fetch_signing_key(KEY_URL, **TRUST, transport=self.transport(response, seen)) == KEY
        assert [str(r.url) for r in seen] == [KEY_URL]
        assert "authorization" not in seen[0].headers

    @pytest.mark.anyio
    async def test_async_fetch(self) -> None:
        def handler(request: httpx.Request) -> httpx.Response:
            return httpx.Response(200, json={"signing_key": KEY})

        key = await fetch_signing_key_async(
            KEY_URL, **TRUST, transport=httpx.MockTransport(handler)
        )
        assert key == KEY

    @pytest.mark.anyio
    async def test_async_fetch_refuses_untrusted_hosts(self) -> None:
        with pytest.raises(InvalidCallbackError):
            await fetch_signing_key_async("https://evil.example.com/key", **TRUST)

    @pytest.mark.parametrize(
        "response",
        [
            httpx.Response(500, json={"signing_key": KEY}),
            httpx.Response(302, headers={"Location": "https://evil.example.com/"}),
            httpx.Response(200, text="not json"),
            httpx.Response(200, json=["signing_key"]),
            httpx.Response(200, json={"signing_key": ""}),
            httpx.Response(200, json={"other": KEY}),
            httpx.Response(200, json={"signing_key": 5}),
            httpx.Response(200, text='{"signing_key": ' * 10 + "1" + "}" * 10),
            httpx.Response(200, content=b'{"signing_key": "' + b"k" * 70_000 + b'"}'),
            httpx.Response(200, text='{"signing_key": NaN}'),
        ],
    )
    def test_bad_answers(self, response: httpx.Response) -> None:
        seen: list[httpx.Request] = []
        with pytest.raises(InvalidCallbackError):
            fetch_signing_key(KEY_URL, **TRUST, transport=self.transport(response, seen))
        assert len(seen) == 1  # redirects are not followed

    def test_transport_failure(self) -> None:
        def handler(request: httpx.Request) -> httpx.Response:
            raise httpx.ConnectError("refused", request=request)

        with pytest.raises(InvalidCallbackError, match="ConnectError") as caught:
            fetch_signing_key(KEY_URL, **TRUST, transport=httpx.MockTransport(handler))
        assert isinstance(caught.value.__cause__, httpx.ConnectError)

    def test_complete_flow(self) -> None:
        body = json.dumps(payload()).encode()
        response = httpx.Response(200, json={"signing_key": KEY})
        unverified = parse_callback(body, signed(body))
        key = fetch_signing_key(unverified.key_url, **TRUST, transport=self.transport(response, []))
        assert parse_callback(body, signed(body), signing_key=key).id == 1234


class TestExpectedCompany:
    def test_a_signed_callback_from_the_expected_company_passes(self) -> None:
        body = json.dumps(payload()).encode()
        event = parse_callback(body, signed(body), signing_key=KEY, expected_company="ACME")
        assert event.company_id == "acme"

    def test_a_correctly_signed_callback_from_another_tenant_is_refused(self) -> None:
        body = json.dumps(payload(CompanyId="intruder")).encode()
        with pytest.raises(InvalidCallbackError, match="'intruder', not the expected 'acme'"):
            parse_callback(body, signed(body), signing_key=KEY, expected_company="acme")

    def test_a_callback_without_company_is_refused_when_one_is_expected(self) -> None:
        body = json.dumps(payload(CompanyId=None)).encode()
        with pytest.raises(InvalidCallbackError, match="from company None"):
            parse_callback(body, {}, expected_company="acme")

    def test_an_empty_expected_company_is_a_mistake(self) -> None:
        with pytest.raises(InvalidCallbackError, match="non-empty"):
            parse_callback(json.dumps(payload()), {}, expected_company=" ")
