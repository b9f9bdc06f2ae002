"""Models on real-shaped payloads: tolerant properties, attribute fallback, equality, repr."""

from __future__ import annotations

import copy
import pickle
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest

from cw_facade.models import (
    Board,
    BoardStatus,
    BoardType,
    Callback,
    Company,
    CompanyNote,
    Configuration,
    ConfigurationReference,
    Contact,
    Model,
    Note,
    Priority,
    Site,
    Source,
    SystemInfo,
    Ticket,
)
from cw_manage_client.models import CompanyConfiguration as GeneratedConfiguration
from cw_manage_client.models import Ticket as GeneratedTicket


def ticket_payload() -> dict[str, Any]:
    """A ticket as a real server sends it, quirks included."""
    return {
        "id": 1234,
        "summary": "Server offline",
        "recordType": "ServiceTicket",
        "board": {
            "id": 1,
            "name": "Help Desk",
            "_info": {"board_href": "https://x//service/boards/1"},
        },
        "status": {"id": 17, "name": "New", "Sort": 0},
        "company": {"id": 250, "identifier": "Acme", "name": "Acme Corp"},
        "priority": {"id": 8, "name": "Priority 3 - Normal", "sort": 6},
        "owner": {"id": 3, "identifier": "jdoe", "name": "John Doe"},
        "severity": "Catastrophic",  # not in the document's enum
        "impact": None,
        "closedFlag": True,
        "closedDate": "2024-02-01T10:11:12.1234567Z",
        "customerUpdatedFlag": False,
        "issueFlag": True,  # undocumented key
        "customFields": [
            {"id": 1, "caption": "Region", "type": "Text", "value": "EU"},
            {"id": 2, "caption": "Seats", "type": "Number", "value": 12},
            {"id": 3, "caption": "VIP", "type": "Checkbox", "value": True},
            {"id": 4, "caption": "Notes", "type": "Text"},
            {"id": 5, "caption": "Cost", "type": "Number", "value": 2.5, "numberOfDecimals": 2},
        ],
        "_info": {
            "lastUpdated": "2022-09-15T09:39:42Z",
            "dateEntered": "2022-09-14T08:00:00.12Z",
            "mobileGuid": "not-a-guid",
        },
    }


class TestTicket:
    def test_properties_read_nested_data(self) -> None:
        ticket = Ticket(ticket_payload())
        assert ticket.id == 1234
        assert ticket.summary == "Server offline"
        assert (ticket.company_name, ticket.company_id) == ("Acme Corp", 250)
        assert ticket.company_identifier == "Acme"
        assert (ticket.status_name, ticket.status_id) == ("New", 17)
        assert (ticket.priority_name, ticket.priority_id) == ("Priority 3 - Normal", 8)
        assert (ticket.board_name, ticket.board_id) == ("Help Desk", 1)
        assert ticket.owner_name == "John Doe"
        assert ticket.is_closed is True

    def test_timestamps_are_aware_and_accept_seven_fraction_digits(self) -> None:
        ticket = Ticket(ticket_payload())
        assert ticket.closed_datetime == datetime(2024, 2, 1, 10, 11, 12, 123456, tzinfo=UTC)
        assert ticket.last_updated == datetime(2022, 9, 15, 9, 39, 42, tzinfo=UTC)
        assert ticket.date_entered == datetime(2022, 9, 14, 8, 0, 0, 120000, tzinfo=UTC)
        assert ticket.closed_datetime is not None and ticket.closed_datetime.tzinfo is not None

    def test_custom_fields_keep_value_types(self) -> None:
        ticket = Ticket(ticket_payload())
        assert ticket.custom_fields == {
            "Region": "EU",
            "Seats": 12,
            "VIP": True,
            "Notes": None,
            "Cost": 2.5,
        }
        assert ticket.custom_field("Region") == "EU"
        assert ticket.custom_field("region") == "EU"  # case-insensitive fallback
        assert ticket.custom_field("Seats") == 12
        assert ticket.custom_field("VIP") is True
        assert ticket.custom_field("Notes") is None
        assert ticket.custom_field("Missing") is None

    def test_custom_fields_tolerate_junk(self) -> None:
        ticket = Ticket({"customFields": [None, "x", {"value": 1}, {"caption": 5, "value": 2}]})
        assert ticket.custom_fields == {}
        assert ticket.custom_field("x") is None
        assert Ticket({"customFields": None}).custom_fields == {}

    def test_partial_fields_answer_none(self) -> None:
        ticket = Ticket({"id": 7, "summary": "only two fields"})
        for name in (
            "company_name",
            "company_id",
            "status_name",
            "priority_name",
            "board_name",
            "owner_name",
            "is_closed",
            "closed_datetime",
            "date_entered",
            "last_updated",
        ):
            assert getattr(ticket, name) is None, name
        assert ticket.custom_fields == {}

    def test_nulls_and_wrong_types_answer_none(self) -> None:
        ticket = Ticket(
            {
                "id": "12",
                "summary": None,
                "company": None,
                "status": "New",
                "board": {"id": True, "name": 5},
                "owner": {"identifier": "jdoe"},
                "closedFlag": "false",
                "closedDate": "yesterday",
                "_info": None,
            }
        )
        assert ticket.id == 12
        assert ticket.summary is None
        assert ticket.company_name is None
        assert ticket.status_name is None
        assert ticket.board_id is None and ticket.board_name is None
        assert ticket.owner_name == "jdoe"
        assert ticket.is_closed is False
        assert ticket.closed_datetime is None
        assert ticket.last_updated is None

    def test_case_variant_keys(self) -> None:
        ticket = Ticket({"ID": 3, "Summary": "shouty", "Status": {"Name": "Open", "ID": 2}})
        assert ticket.id == 3
        assert ticket.summary == "shouty"
        assert ticket.status_name == "Open"
        assert ticket.status_id == 2


class TestAttributeFallback:
    def test_camel_and_snake_case_names_of_api_keys(self) -> None:
        ticket = Ticket(ticket_payload())
        assert ticket.closedFlag is True
        assert ticket.closed_flag is True
        assert ticket.customerUpdatedFlag is False
        assert ticket.recordType == "ServiceTicket"
        assert ticket.record_type == "ServiceTicket"
        assert ticket.issueFlag is True  # undocumented but present
        assert ticket._info["mobileGuid"] == "not-a-guid"

    def test_config_ip_address_as_in_the_toolkit(self) -> None:
        config = Configuration({"id": 1, "name": "PROD-WEB-01", "ipAddress": "10.0.0.5"})
        assert config.ipAddress == "10.0.0.5"
        assert config.ip_address == "10.0.0.5"

    def test_known_schema_keys_missing_from_the_record_are_none(self) -> None:
        ticket = Ticket({"id": 1})
        assert ticket.budgetHours is None
        assert ticket.budget_hours is None
        assert ticket.addressLine1 is None
        assert ticket.address_line_1 is None
        assert Configuration({}).macAddress is None

    def test_typos_raise_attribute_error(self) -> None:
        ticket = Ticket({"id": 1, "summary": "x"})
        with pytest.raises(AttributeError, match="sumary"):
            _ = ticket.sumary
        with pytest.raises(AttributeError):
            _ = ticket.company_nmae
        assert not hasattr(ticket, "nonexistent")

    def test_case_insensitive_key_lookup(self) -> None:
        status = Model({"Sort": 4, "name": "x"})
        assert status.sort == 4
        assert status.Sort == 4

    def test_models_are_read_only(self) -> None:
        ticket = Ticket({"id": 1})
        with pytest.raises(AttributeError):
            ticket.summary = "changed"  # type: ignore[misc]
        with pytest.raises(AttributeError):
            ticket.anything = 1


class TestModelBasics:
    def test_construction_keeps_the_dict_and_parses_nothing(self) -> None:
        raw = ticket_payload()
        ticket = Ticket.from_raw(raw)
        assert ticket.raw is raw
        with pytest.raises(AttributeError):  # no key index is built until a fallback needs it
            object.__getattribute__(ticket, "_index")
        assert ticket.summary == "Server offline"  # a property on a known key needs no index
        with pytest.raises(AttributeError):
            object.__getattribute__(ticket, "_index")
        assert ticket.record_type == "ServiceTicket"
        assert object.__getattribute__(ticket, "_index")["recordtype"] == "recordType"

    def test_mappings_that_are_not_dicts_are_copied(self) -> None:
        from types import MappingProxyType

        raw = {"id": 3}
        ticket = Ticket(MappingProxyType(raw))
        assert ticket.raw == raw and type(ticket.raw) is dict

    def test_to_dict_is_a_deep_copy(self) -> None:
        raw = ticket_payload()
        copied = Ticket(raw).to_dict()
        assert copied == raw
        copied["company"]["name"] = "changed"
        assert raw["company"]["name"] == "Acme Corp"

    def test_equality_is_type_and_raw(self) -> None:
        assert Ticket({"id": 1}) == Ticket({"id": 1})
        assert Ticket({"id": 1}) != Ticket({"id": 2})
        assert Ticket({"id": 1}) != Note({"id": 1})
        assert Ticket({"id": 1}) != {"id": 1}
        with pytest.raises(TypeError):
            hash(Ticket({"id": 1}))

    def test_repr_is_short(self) -> None:
        assert repr(Ticket({"id": 5, "summary": "Server offline"})) == (
            "Ticket(id=5, summary='Server offline')"
        )
        long = Ticket({"id": 6, "summary": "x" * 500, "initialDescription": "y" * 10_000})
        assert len(repr(long)) < 80
        assert repr(Ticket({})) == "Ticket(id=0)"
        assert Ticket({"id": None}).id == 0

    def test_pickle_and_copy_round_trip(self) -> None:
        ticket = Ticket(ticket_payload())
        assert pickle.loads(pickle.dumps(ticket)) == ticket
        assert copy.deepcopy(ticket) == ticket
        assert copy.copy(ticket).summary == "Server offline"

    def test_to_generated_builds_the_attrs_model(self) -> None:
        generated = Ticket(ticket_payload()).to_generated()
        assert isinstance(generated, GeneratedTicket)
        assert generated.id == 1234
        assert generated.summary == "Server offline"
        assert str(generated.severity) == "Catastrophic"
        config = Configuration({"id": 9, "ipAddress": "10.0.0.1"}).to_generated()
        assert isinstance(config, GeneratedConfiguration)
        assert config.ip_address == "10.0.0.1"

    def test_plain_model_has_no_generated_counterpart(self) -> None:
        with pytest.raises(TypeError):
            Model({}).to_generated()


class TestNote:
    def test_internal_ticket_note(self) -> None:
        note = Note(
            {
                "id": 1,
                "ticketId": 1234,
                "text": "Checked the logs",
                "internalAnalysisFlag": True,
                "detailDescriptionFlag": False,
                "resolutionFlag": False,
                "createdBy": "jdoe",
                "dateCreated": "2024-01-31T12:00:00.1234567+02:00",
                "issueFlag": False,
            }
        )
        assert note.text == "Checked the logs"
        assert note.is_internal is True
        assert note.is_resolution is False
        assert note.created_by == "jdoe"
        assert note.ticket_id == 1234
        expected = datetime(2024, 1, 31, 12, 0, 0, 123456, tzinfo=timezone(timedelta(hours=2)))
        assert note.date_created == expected

    def test_visibility_of_discussion_notes_and_unflagged_notes(self) -> None:
        assert (
            Note({"detailDescriptionFlag": True, "internalAnalysisFlag": False}).is_internal
            is False
        )
        assert Note({"internalFlag": True}).is_internal is True
        assert Note({"text": "no flags"}).is_internal is None

    def test_created_by_falls_back(self) -> None:
        assert Note({"member": {"identifier": "amy"}}).created_by == "amy"
        assert Note({"_info": {"enteredBy": "api"}}).created_by == "api"
        note = Note({"_info": {"dateEntered": "2024-01-01T00:00:00Z"}})
        assert note.date_created == datetime(2024, 1, 1, tzinfo=UTC)

    def test_company_note(self) -> None:
        note = CompanyNote(
            {"id": 3, "text": "Called", "company": {"id": 250}, "enteredBy": "amy", "flagged": True}
        )
        assert isinstance(note, Note)
        assert (note.text, note.company_id, note.created_by) == ("Called", 250, "amy")
        assert note.is_internal is None
        assert note.flagged is True


class TestCompanyAndContact:
    def test_company(self) -> None:
        company = Company(
            {
                "id": 250,
                "identifier": "Acme",
                "name": "Acme Corp",
                "status": {"id": 1, "name": "Active"},
                "types": [{"id": 1, "name": "Client"}, {"id": 5, "name": "Partner"}, None],
                "deletedFlag": False,
            }
        )
        assert (company.name, company.identifier, company.status_name) == (
            "Acme Corp",
            "Acme",
            "Active",
        )
        assert company.type_names == ["Client", "Partner"]
        assert company.is_active is True
        assert repr(company) == "Company(id=250, name='Acme Corp')"

    @pytest.mark.parametrize(
        ("raw", "expected"),
        [
            ({"status": {"name": "Inactive"}}, False),
            ({"status": {"name": " not-approved "}}, False),
            ({"deletedFlag": True, "status": {"name": "Active"}}, False),
            ({"deletedFlag": False}, True),
            ({}, None),
        ],
    )
    def test_company_is_active(self, raw: dict[str, Any], expected: bool | None) -> None:
        assert Company(raw).is_active is expected

    def test_company_types_missing(self) -> None:
        assert Company({"types": None}).type_names == []

    def test_contact_communication_items(self) -> None:
        contact = Contact(
            {
                "id": 9,
                "firstName": "Ann",
                "lastName": "Lee",
                "company": {"id": 250, "name": "Acme Corp"},
                "inactiveFlag": False,
                "communicationItems": [
                    {
                        "type": {"id": 2, "name": "Direct"},
                        "value": "555-0100",
                        "defaultFlag": False,
                        "communicationType": "Phone",
                    },
                    {
                        "type": {"id": 4, "name": "Mobile"},
                        "value": "555-0199",
                        "defaultFlag": True,
                        "communicationType": "Phone",
                    },
                    {
                        "type": {"id": 1, "name": "Email"},
                        "value": "ann@acme.test",
                        "defaultFlag": True,
                        "communicationType": "Email",
                    },
                    {
                        "type": {"id": 9, "name": "Pager"},
                        "value": "x",
                        "communicationType": "Pager",
                    },
                ],
            }
        )
        assert contact.full_name == "Ann Lee"
        assert contact.email == "ann@acme.test"
        assert contact.phone == "555-0199"  # the default one wins
        assert (contact.company_name, contact.company_id, contact.is_active) == (
            "Acme Corp",
            250,
            True,
        )

    def test_contact_without_communication_type_uses_type_names(self) -> None:
        contact = Contact(
            {
                "firstName": "Bo",
                "communicationItems": [
                    {"type": {"name": "Direct"}, "value": "555-0111"},
                    {"type": {"name": "Email"}, "value": "bo@x.test"},
                ],
            }
        )
        assert (contact.full_name, contact.email, contact.phone) == ("Bo", "bo@x.test", "555-0111")

    def test_contact_with_nothing(self) -> None:
        contact = Contact({"communicationItems": None, "defaultPhoneNbr": "555-0000"})
        assert contact.full_name is None
        assert contact.email is None
        assert contact.phone == "555-0000"
        assert Contact({"communicationItems": [None, {"value": None}]}).email is None


class TestSmallModels:
    def test_configuration(self) -> None:
        config = Configuration(
            {
                "id": 67890,
                "name": "PROD-WEB-01",
                "type": {"id": 3, "name": "Server"},
                "company": {"id": 250, "name": "Acme Corp"},
                "status": {"id": 1, "name": "Active"},
                "activeFlag": True,
                "ipAddress": "10.0.0.5",
            }
        )
        assert (config.name, config.type_name, config.company_name, config.company_id) == (
            "PROD-WEB-01",
            "Server",
            "Acme Corp",
            250,
        )
        assert (config.status_name, config.is_active, config.ip_address) == (
            "Active",
            True,
            "10.0.0.5",
        )

    def test_lookups(self) -> None:
        status = BoardStatus(
            {
                "id": 5,
                "name": "Resolved",
                "closedStatus": True,
                "inactive": False,
                "board": {"id": 1},
            }
        )
        assert (status.name, status.is_closed, status.is_active, status.board_id) == (
            "Resolved",
            True,
            True,
            1,
        )
        assert Board({"id": 1, "name": "Help Desk", "inactiveFlag": True}).is_active is False
        assert BoardType({"id": 2, "name": "Incident", "board": {"id": 1}}).board_id == 1
        assert Priority({"id": 8, "name": "High", "sortOrder": 2}).sort_order == 2
        assert Source({"id": 42, "name": "RMM"}).name == "RMM"
        site = Site(
            {"id": 1, "name": "Main", "company": {"id": 2}, "city": "Oslo", "phoneNumber": "1"}
        )
        assert (site.name, site.company_id, site.city, site.phone_number) == (
            "Main",
            2,
            "Oslo",
            "1",
        )
        ref = ConfigurationReference({"id": 3, "deviceIdentifier": "PROD-WEB-01"})
        assert ref.device_identifier == "PROD-WEB-01"

    def test_callback_and_system_info(self) -> None:
        callback = Callback(
            {
                "id": 4,
                "url": "https://hooks.test/cw",
                "type": "ticket",
                "level": "owner",
                "objectId": 1,
                "inactiveFlag": False,
                "description": "sync",
            }
        )
        assert (callback.url, callback.type, callback.level, callback.object_id) == (
            "https://hooks.test/cw",
            "ticket",
            "owner",
            1,
        )
        assert (callback.is_active, callback.description) == (True, "sync")
        info = SystemInfo(
            {
                "version": "v2025.8",
                "isCloud": True,
                "cloudRegion": "NA",
                "serverTimeZone": "Eastern Standard Time",
            }
        )
        assert (info.version, info.is_cloud, info.cloud_region, info.server_time_zone) == (
            "v2025.8",
            True,
            "NA",
            "Eastern Standard Time",
        )
        assert SystemInfo({}).version is None
