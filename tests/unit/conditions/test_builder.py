"""Field paths, orderBy and fields helpers, and the public surface."""

from __future__ import annotations

import pytest

import cw_facade.conditions as conditions
from cw_facade.conditions import (
    C,
    Field,
    OrderItem,
    fields,
    order_by,
    parse_fields,
    parse_order_by,
)


def test_public_surface_is_pinned() -> None:
    assert conditions.__all__ == [
        "And",
        "C",
        "Comparison",
        "ConditionsSyntaxError",
        "Expr",
        "Field",
        "Not",
        "Operator",
        "Or",
        "OrderItem",
        "field_paths",
        "fields",
        "matches",
        "order_by",
        "parse",
        "parse_fields",
        "parse_order_by",
    ]
    for name in conditions.__all__:
        assert getattr(conditions, name).__doc__, name


@pytest.mark.parametrize(
    ("field", "path"),
    [
        (C.company.id, "company/id"),
        (C["_info"]["lastUpdated"], "_info/lastUpdated"),
        (C._info.lastUpdated, "_info/lastUpdated"),
        (C("company/id"), "company/id"),
        (C.company["id"], "company/id"),
        (C.x["path"], "x/path"),
        (C.x["like"], "x/like"),
        (C.a1.b_2, "a1/b_2"),
        (C.null.x, "null/x"),
        (C("in"), "in"),
    ],
)
def test_field_paths(field: Field, path: str) -> None:
    assert field.path == path
    assert repr(field) == f"Field({path!r})"


@pytest.mark.parametrize("path", ["", "a//b", "/a", "a/", "1a", "a/2b", "a b", "a-b", "é", "a.b"])
def test_invalid_field_paths(path: str) -> None:
    with pytest.raises(ValueError, match="field path"):
        C(path)


@pytest.mark.parametrize("path", ["in", "NULL", "Not", "and", "like"])
def test_keywords_cannot_be_compared(path: str) -> None:
    with pytest.raises(ValueError, match="is a conditions keyword"):
        C(path) == 1  # noqa: B015
    assert fields(C(path)) == path


def test_field_path_must_be_a_string() -> None:
    with pytest.raises(TypeError, match="must be a str, not int"):
        C(5)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="must be a str, not int"):
        C.x[5]  # type: ignore[index]


def test_fields_are_immutable_and_unhashable() -> None:
    with pytest.raises(AttributeError, match="immutable"):
        C.x.path = "y"
    with pytest.raises(TypeError):
        hash(C.x)
    with pytest.raises(AttributeError):
        C.x.__wrapped__  # noqa: B018
    assert repr(C) == "C"


@pytest.mark.parametrize(
    ("items", "text"),
    [
        ((C.id,), "id asc"),
        ((C.id.desc(),), "id desc"),
        ((C.id.desc(), C.summary.asc()), "id desc,summary asc"),
        (("dateEntered desc", "id"), "dateEntered desc,id asc"),
        (("  status/name   DESC ",), "status/name desc"),
        (("id Asc",), "id asc"),
        ((OrderItem("_info/lastUpdated", "desc"),), "_info/lastUpdated desc"),
    ],
)
def test_order_by(items: tuple[Field | OrderItem | str, ...], text: str) -> None:
    assert order_by(*items) == text


@pytest.mark.parametrize(
    ("items", "error", "message"),
    [
        ((), ValueError, "at least one"),
        (("id sideways",), ValueError, "invalid orderBy item 'id sideways'"),
        (("id desc, name",), ValueError, "invalid orderBy item"),
        (("id,name",), ValueError, "invalid field path 'id,name'"),
        (("",), ValueError, "invalid orderBy item ''"),
        ((5,), TypeError, "not int"),
    ],
)
def test_order_by_rejects(items: tuple[object, ...], error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        order_by(*items)  # type: ignore[arg-type]


def test_order_item_checks_direction() -> None:
    with pytest.raises(ValueError, match="'asc' or 'desc'"):
        OrderItem("id", "up")  # type: ignore[arg-type]
    assert str(OrderItem("id")) == "id asc"


def test_fields() -> None:
    assert fields(C.id, "summary", C.status.name) == "id,summary,status/name"
    with pytest.raises(ValueError, match="at least one"):
        fields()
    with pytest.raises(ValueError, match="invalid field path 'id,summary'"):
        fields("id,summary")
    with pytest.raises(TypeError, match="not NoneType"):
        fields(None)  # type: ignore[arg-type]


def test_parse_order_by() -> None:
    assert parse_order_by("id desc, summary,status/name ASC") == (
        OrderItem("id", "desc"),
        OrderItem("summary", "asc"),
        OrderItem("status/name", "asc"),
    )
    assert order_by(*parse_order_by("id desc,summary asc")) == "id desc,summary asc"
    for bad in ("", " ", "id,", "id up", "id desc desc", "1d"):
        with pytest.raises(ValueError):
            parse_order_by(bad)
    with pytest.raises(TypeError, match="orderBy must be a str"):
        parse_order_by(None)  # type: ignore[arg-type]


def test_parse_fields() -> None:
    assert parse_fields("id, summary,status/name") == ("id", "summary", "status/name")
    assert fields(*parse_fields("id,_info/lastUpdated")) == "id,_info/lastUpdated"
    for bad in ("", "id,", "id,,name", "a b", "id/"):
        with pytest.raises(ValueError):
            parse_fields(bad)
    with pytest.raises(TypeError, match="fields must be a str"):
        parse_fields(5)  # type: ignore[arg-type]
