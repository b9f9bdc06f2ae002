"""Pure input checks: query values, parameter names, credentials as headers, ids."""

from __future__ import annotations

from typing import Any

import pytest

from cw_facade._errors import ConnectWiseConfigurationError, ConnectWiseError
from cw_facade._secrets import SecretString
from cw_facade._validation import (
    MAX_ID,
    InvalidArgumentError,
    check_credentials,
    check_endpoint_ids,
    check_extra_params,
    check_header_value,
    check_id,
    check_record_id,
    normalize_param_name,
)
from cw_facade.conditions import C, ConditionsSyntaxError
from cw_facade.conditions._query import check_conditions, check_fields, check_order_by

RESERVED = {"conditions": "conditions", "orderby": "order_by", "fields": "fields"}


class TestOrderBy:
    @pytest.mark.parametrize(
        ("value", "sent"),
        [
            ("id desc", "id desc"),
            ("id DESC, summary", "id desc,summary asc"),
            ("  company/name asc ", "company/name asc"),
            ("_info/lastUpdated desc", "_info/lastUpdated desc"),
            (C.id.desc(), "id desc"),
            (C.board.name, "board/name asc"),
            ([C.id.desc(), "summary asc"], "id desc,summary asc"),
            (("id",), "id asc"),
            (None, None),
            ("   ", None),
        ],
    )
    def test_accepted(self, value: Any, sent: str | None) -> None:
        assert check_order_by(value) == sent

    @pytest.mark.parametrize(
        "value",
        [
            "id; drop table",
            "id desc asc",
            "id sideways",
            "len(summary)",
            '"summary"',
            "id,,summary",
            "id,",
            "company//name",
            "1id",
            [],
            [5],
            5,
            b"id",
            {"id": "asc"},
            object(),
        ],
    )
    def test_refused(self, value: Any) -> None:
        with pytest.raises(InvalidArgumentError) as caught:
            check_order_by(value)
        assert caught.value.argument == "order_by"


class TestFields:
    @pytest.mark.parametrize(
        ("value", "sent"),
        [
            ("id,summary,status/name", "id,summary,status/name"),
            (" id , summary ", "id,summary"),
            (["id", C.status.name], "id,status/name"),
            (C.company.id, "company/id"),
            (None, None),
            ("", None),
        ],
    )
    def test_accepted(self, value: Any, sent: str | None) -> None:
        assert check_fields(value) == sent

    @pytest.mark.parametrize(
        "value", ["id,,x", "id summary", "id,'x'", "a-b", ",", ["id", 3], 7, b"id", object()]
    )
    def test_refused(self, value: Any) -> None:
        with pytest.raises(InvalidArgumentError) as caught:
            check_fields(value, argument="fields")
        assert caught.value.argument == "fields"


class TestConditions:
    @pytest.mark.parametrize(
        "argument", ["conditions", "child_conditions", "custom_field_conditions"]
    )
    def test_strings_are_parsed_for_each_conditions_argument(self, argument: str) -> None:
        text = 'communicationItems/value like "j*"'
        assert check_conditions(text, argument=argument) == text
        with pytest.raises(ConditionsSyntaxError):
            check_conditions('caption="Region" AND', argument=argument)

    def test_custom_field_conditions(self) -> None:
        text = 'caption="Region" AND value="EU"'
        assert check_conditions(text, argument="custom_field_conditions") == text

    def test_expressions_render(self) -> None:
        assert check_conditions(C.id > 5) == "id>5"
        assert check_conditions((C.a == 1) & (C.b == "x")) == 'a=1 AND b="x"'

    def test_validation_can_be_turned_off_for_strings_only(self) -> None:
        assert check_conditions("not ( valid", validate=False) == "not ( valid"
        with pytest.raises(InvalidArgumentError):
            check_conditions(42, validate=False)

    @pytest.mark.parametrize("value", [42, b"id=1", ["id=1"], {"id": 1}, object(), C.id])
    def test_other_objects_are_refused_never_stringified(self, value: Any) -> None:
        with pytest.raises(InvalidArgumentError, match="must be a conditions string") as caught:
            check_conditions(value, argument="child_conditions")
        assert caught.value.argument == "child_conditions"

    def test_blank_means_none(self) -> None:
        assert check_conditions(None) is None
        assert check_conditions("  ") is None

    def test_syntax_errors_are_connectwise_errors(self) -> None:
        with pytest.raises(ConnectWiseError):
            check_conditions("id ==")


class TestParamNames:
    @pytest.mark.parametrize(
        "name", ["conditions ", " conditions", "Conditions", "CONDITIONS", "\tconditions\n"]
    )
    def test_names_normalise(self, name: str) -> None:
        assert normalize_param_name(name) == "conditions"

    @pytest.mark.parametrize("name", ["", "  ", "order by", "a=b", "x&y", "pagé", 5, None])
    def test_unusable_names(self, name: Any) -> None:
        with pytest.raises(InvalidArgumentError, match="params"):
            normalize_param_name(name)

    @pytest.mark.parametrize("name", ["conditions ", "ORDERBY", " fields"])
    def test_a_reserved_name_in_any_spelling_is_refused(self, name: str) -> None:
        with pytest.raises(InvalidArgumentError, match=r"as the .*= argument"):
            check_extra_params({name: "x"}, RESERVED)

    def test_two_spellings_of_one_name_are_refused(self) -> None:
        with pytest.raises(InvalidArgumentError, match="same parameter"):
            check_extra_params({"pageId": 1, "pageid ": 2})

    def test_names_come_back_stripped(self) -> None:
        assert check_extra_params({" pageId ": 5, "childconditions": "x"}, RESERVED) == {
            "pageId": 5,
            "childconditions": "x",
        }


GUID = "0f8fad5b-d9cb-469f-a165-70867728950e"


class TestCredentials:
    def test_good_credentials_come_back_as_text(self) -> None:
        assert check_credentials(
            company="acme", public_key="pub", private_key=SecretString("pr:iv"), client_id=GUID
        ) == ("acme", "pub", "pr:iv", GUID)

    @pytest.mark.parametrize(
        ("name", "value", "reason"),
        [
            ("client_id", f"{GUID}\r\nX-Evil: 1", "line break"),
            ("client_id", f"{GUID}\n", "whitespace"),
            ("client_id", "gu\nid", "line break"),
            ("company", "ac\rme", "line break"),
            ("private_key", "se\x00cret", "control character"),
            ("public_key", "pub\x7f", "control character"),
            ("client_id", "guïd", "not ASCII"),
            ("private_key", "ключ", "not Latin-1"),
            ("company", "acme ", "whitespace"),
            ("public_key", "", "non-empty"),
            ("client_id", None, "non-empty"),
            ("company", "ac:me", "':'"),
            ("public_key", "pu:b", "':'"),
        ],
    )
    def test_bad_credentials_are_configuration_errors(
        self, name: str, value: Any, reason: str
    ) -> None:
        given = {"company": "acme", "public_key": "pub", "private_key": "priv", "client_id": GUID}
        given[name] = value
        with pytest.raises(ConnectWiseConfigurationError, match=reason) as caught:
            check_credentials(**given)
        message = str(caught.value)
        assert message.startswith(name)
        if isinstance(value, str) and len(value) > 2:
            assert value.strip() not in message  # never the (possibly secret) value

    def test_latin1_is_fine_inside_authorization(self) -> None:
        assert check_header_value("private_key", "clé", highest=0xFF) == "clé"
        with pytest.raises(ConnectWiseConfigurationError, match="not ASCII"):
            check_header_value("client_id", "clé")


class TestIds:
    @pytest.mark.parametrize("good", [1, 250, MAX_ID])
    def test_good_ids(self, good: int) -> None:
        assert check_id("ticket_id", good) == good
        assert check_record_id("record_id", str(good)) == good

    @pytest.mark.parametrize(
        ("bad", "reason"),
        [
            (True, "positive integer"),
            (False, "positive integer"),
            (0, "not 0"),
            (-4, "not -4"),
            (MAX_ID + 1, "larger than the largest ConnectWise id"),
            pytest.param(10**5000, "about 5,000 digits", id="5000-digits"),
            (5.0, "not 5.0"),
            (None, "not None"),
            ([1], "not a list"),
        ],
    )
    def test_bad_int_ids(self, bad: Any, reason: str) -> None:
        with pytest.raises(InvalidArgumentError, match=reason) as caught:
            check_id("ticket_id", bad)
        assert caught.value.argument == "ticket_id"

    @pytest.mark.parametrize(
        ("bad", "reason"),
        [
            ("0", "not 0"),
            ("000", "not 0"),
            ("-5", "ASCII digits"),
            ("+5", "ASCII digits"),
            ("4_2", "ASCII digits"),
            ("٤٢", "ASCII digits"),
            ("\uff14\uff12", "ASCII digits"),  # full-width 4 2
            ("", "ASCII digits"),
            pytest.param("9" * 5000, "larger than the largest", id="5000-digit-text"),
            (str(MAX_ID + 1), "larger than the largest"),
            (b"5", "not a bytes"),
        ],
    )
    def test_bad_record_ids(self, bad: Any, reason: str) -> None:
        with pytest.raises(InvalidArgumentError, match=reason):
            check_record_id("record_id", bad)

    def test_leading_zeros_and_spaces_are_read(self) -> None:
        assert check_record_id("record_id", " 0042 ") == 42
        assert check_record_id("record_id", "0" * 50 + "7") == 7

    @pytest.mark.parametrize(
        "endpoint", ["service/tickets/0", "service/tickets/0/notes", "x/99999999999", "x/٤٢"]
    )
    def test_endpoint_ids(self, endpoint: str) -> None:
        with pytest.raises(InvalidArgumentError, match="endpoint"):
            check_endpoint_ids(endpoint)

    def test_endpoints_with_good_ids_pass(self) -> None:
        path = "service/tickets/5/notes/v2"
        assert check_endpoint_ids(path) == path


def test_the_wire_names_of_conditions_arguments_are_normalised() -> None:
    from cw_facade.conditions._query import CONDITION_WIRE_NAMES

    assert {normalize_param_name(n) for n in ("childConditions ", "CustomFieldConditions")} <= (
        CONDITION_WIRE_NAMES
    )
    assert "conditions" in CONDITION_WIRE_NAMES
