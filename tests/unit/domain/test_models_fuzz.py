"""No model property raises, whatever shape the JSON takes."""

from __future__ import annotations

import inspect
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from cw_facade import models
from cw_facade.models import Model, Ticket

KEYS = [
    "id",
    "actualHours",
    "member",
    "chargeToId",
    "billableOption",
    "timeStart",
    "quantity",
    "unitPrice",
    "total",
    "budgetHours",
    "hours",
    "firstName",
    "question",
    "ID",
    "name",
    "Name",
    "summary",
    "company",
    "status",
    "priority",
    "board",
    "owner",
    "type",
    "types",
    "source",
    "closedFlag",
    "closedDate",
    "dateCreated",
    "_info",
    "dateEntered",
    "lastUpdated",
    "customFields",
    "caption",
    "value",
    "communicationItems",
    "communicationType",
    "defaultFlag",
    "firstName",
    "lastName",
    "inactiveFlag",
    "inactive",
    "deletedFlag",
    "activeFlag",
    "ipAddress",
    "internalAnalysisFlag",
    "internalFlag",
    "createdBy",
    "member",
    "identifier",
    "url",
    "level",
    "objectId",
    "isCloud",
    "version",
    "closedStatus",
    "text",
]

scalars = (
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=30)
)
json_values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=8), inner, max_size=6)
    ),
    max_leaves=25,
)
records = st.dictionaries(st.sampled_from(KEYS), json_values, max_size=12)

MODEL_CLASSES = [
    cls for _, cls in inspect.getmembers(models, inspect.isclass) if issubclass(cls, Model)
]


def read_everything(model: Model) -> None:
    for name, member in inspect.getmembers(type(model)):
        if isinstance(member, property):
            getattr(model, name)
    repr(model)
    model.to_dict()


@settings(max_examples=150, deadline=None)
@given(records)
def test_no_property_of_any_model_raises(raw: dict[str, Any]) -> None:
    for cls in MODEL_CLASSES:
        read_everything(cls(raw))


@settings(max_examples=100, deadline=None)
@given(records, st.text(max_size=10))
def test_custom_field_never_raises(raw: dict[str, Any], caption: str) -> None:
    ticket = Ticket(raw)
    ticket.custom_field(caption)
    assert isinstance(ticket.custom_fields, dict)


def test_every_model_class_is_covered() -> None:
    assert len(MODEL_CLASSES) == 30
