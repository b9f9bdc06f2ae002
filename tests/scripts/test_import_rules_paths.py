"""The selection and the import rules for ConnectWise's path, count and naming quirks."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import import_spec as imp
import pytest

ROOT = Path(__file__).resolve().parents[2]


def ops(*methods: str, op_id: str = "x", tags: list[str] | None = None) -> dict[str, Any]:
    return {
        m: {"operationId": f"{m}{op_id}", "tags": tags or ["T"], "responses": {}} for m in methods
    }


def paths_doc(paths: dict[str, Any]) -> dict[str, Any]:
    return {"paths": paths, "components": {"schemas": {}}}


# -- selection -------------------------------------------------------------------------------

PATHS = ["/service/tickets", "/service/tickets/{id}", "/service/SLAs", "/time/entries", "/x"]


def test_parse_selection_drops_comments_and_blank_lines() -> None:
    text = "# header\n\n/service/*   # the module\n  re:/time/.*\n!/service/SLAs\n"
    assert imp.parse_selection(text) == ["/service/*", "re:/time/.*", "!/service/SLAs"]


def test_selected_globs_regexes_and_drops() -> None:
    assert imp.selected(PATHS, ["/service/*", "re:/time/(entries|x)"]) == {
        "/service/tickets",
        "/service/tickets/{id}",
        "/service/SLAs",
        "/time/entries",
    }
    assert imp.selected(PATHS, ["/service/*", "!*{id}", "!/service/SLAs"]) == {"/service/tickets"}


def test_selected_is_case_sensitive_and_whole_path() -> None:
    with pytest.raises(imp.ImportError_, match="'/service/slas' matches no path"):
        imp.selected(PATHS, ["/service/slas"])
    with pytest.raises(imp.ImportError_, match="matches no path"):
        imp.selected(PATHS, ["re:/service"])  # fullmatch, not search


def test_selected_refuses_bad_selections() -> None:
    with pytest.raises(imp.ImportError_, match="keeps nothing"):
        imp.selected(PATHS, ["!/x"])
    with pytest.raises(imp.ImportError_, match="not a valid regex"):
        imp.selected(PATHS, ["re:/service/("])
    with pytest.raises(imp.ImportError_, match="'/nothing' matches no path"):
        imp.selected(PATHS, ["/service/*", "!/nothing"])


def test_the_checked_in_selection_names_the_modules_and_extras() -> None:
    patterns = imp.default_selection()
    assert patterns[:2] == ["/service/*", "/company/*"]
    for extra in ("/time/entries*", "/finance/agreements*", "/system/members*", "/system/info"):
        assert extra in patterns


def test_select_paths_defaults_to_the_selection_file(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(imp, "default_selection", lambda: ["/time/*"])
    doc = imp.select_paths(paths_doc({p: {} for p in PATHS}))
    assert list(doc["paths"]) == ["/time/entries"]


# -- path shapes -----------------------------------------------------------------------------


def test_unglue_placeholders_gives_a_glued_placeholder_its_own_segment() -> None:
    doc = paths_doc({"/finance/agreements/types{id}/copy": ops("post")})
    assert list(imp.unglue_placeholders(doc)["paths"]) == ["/finance/agreements/types/{id}/copy"]


def test_unglue_placeholders_collapses_a_doubled_placeholder_into_the_existing_path() -> None:
    doc = paths_doc(
        {"/v/{parentId}/vendors/{id}": ops("put"), "/v/{parentId}/vendors/{id}{id}": ops("patch")}
    )
    paths = imp.unglue_placeholders(doc)["paths"]
    assert list(paths) == ["/v/{parentId}/vendors/{id}"]
    assert sorted(paths["/v/{parentId}/vendors/{id}"]) == ["patch", "put"]


def test_unglue_placeholders_keeps_ordinary_paths() -> None:
    doc = paths_doc({"/a/{parentId}/b/{id}": ops("get")})
    assert imp.unglue_placeholders(json.loads(json.dumps(doc))) == doc


def test_merge_path_variants_merges_a_trailing_slash_variant() -> None:
    doc = paths_doc(
        {
            "/o/{parentId}/forecast": ops("get", "post"),
            "/o/{parentId}/forecast/": ops("put", "delete"),
        }
    )
    paths = imp.merge_path_variants(doc)["paths"]
    assert list(paths) == ["/o/{parentId}/forecast"]
    assert sorted(paths["/o/{parentId}/forecast"]) == ["delete", "get", "post", "put"]
    alone = imp.merge_path_variants(paths_doc({"/b/{parentId}/skillMappings/": ops("get")}))
    assert list(alone["paths"]) == ["/b/{parentId}/skillMappings"]


def test_merge_path_variants_keeps_the_spelling_most_paths_share() -> None:
    doc = paths_doc(
        {
            "/system/AllowedFileTypes/": ops("post"),
            "/system/allowedfiletypes/": ops("get"),
            "/system/allowedfiletypes/count": ops("get"),
            "/system/allowedfiletypes/{id}": ops("get"),
        }
    )
    paths = imp.merge_path_variants(doc)["paths"]
    assert sorted(paths) == [
        "/system/allowedfiletypes",
        "/system/allowedfiletypes/count",
        "/system/allowedfiletypes/{id}",
    ]
    assert sorted(paths["/system/allowedfiletypes"]) == ["get", "post"]


def test_path_renames_breaks_ties_by_sort_order_and_leaves_unique_paths() -> None:
    renames = imp.path_renames(["/r/emailTemplates/", "/r/emailtemplates/", "/r/other"])
    assert renames == {
        "/r/emailTemplates/": "/r/emailTemplates",
        "/r/emailtemplates/": "/r/emailTemplates",
    }


def test_merge_path_variants_fails_when_both_spellings_define_a_method() -> None:
    doc = paths_doc({"/a/b": ops("get", op_id="1"), "/a/b/": ops("get", op_id="2")})
    with pytest.raises(imp.ImportError_, match="both define GET"):
        imp.merge_path_variants(doc)


def test_merge_path_variants_fails_on_different_placeholder_names() -> None:
    doc = paths_doc({"/a/{parentId}": ops("get"), "/A/{parentid}": ops("post")})
    with pytest.raises(imp.ImportError_, match="placeholder names"):
        imp.merge_path_variants(doc)


# -- count responses -------------------------------------------------------------------------


def counting(schema: dict[str, Any], path: str = "/o/{parentId}/notes/count") -> dict[str, Any]:
    media = {"application/json": {"schema": schema}}
    doc = paths_doc({path: {"get": {"responses": {"200": {"description": "d", "content": media}}}}})
    return doc


def _schema(doc: dict[str, Any], path: str = "/o/{parentId}/notes/count") -> Any:
    return doc["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]


def test_fix_count_responses_replaces_a_record_or_list_by_count() -> None:
    listed = imp.fix_count_responses(
        counting({"type": "array", "items": {"$ref": "#/components/schemas/Note"}})
    )
    assert _schema(listed) == {"$ref": "#/components/schemas/Count"}
    assert listed["components"]["schemas"]["Count"]["properties"]["count"]["type"] == "integer"
    record = counting({"$ref": "#/components/schemas/Calendar"})
    record["components"]["schemas"]["Count"] = {"type": "object", "description": "theirs"}
    fixed = imp.fix_count_responses(record)
    assert _schema(fixed) == {"$ref": "#/components/schemas/Count"}
    assert fixed["components"]["schemas"]["Count"] == {"type": "object", "description": "theirs"}


def test_fix_count_responses_leaves_counts_free_form_answers_and_other_paths() -> None:
    for schema, path in (
        ({"$ref": "#/components/schemas/Count"}, "/a/count"),
        ({"type": "object"}, "/a/{id}/quickAccess/count"),
        ({"$ref": "#/components/schemas/Note"}, "/a/notes"),
    ):
        doc = imp.fix_count_responses(counting(schema, path))
        assert _schema(doc, path) == schema
        assert doc["components"]["schemas"] == {}


# -- guessable names -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("SLAs", "Slas"),
        ("getServiceSLAs", "getServiceSlas"),
        ("getServiceSLAsByParentIdPrioritiesById", "getServiceSlasByParentIdPrioritiesById"),
        ("KPIs", "Kpis"),
        ("getCompanyCIsCount", "getCompanyCisCount"),
        ("postSystemURLs", "postSystemUrls"),
        ("IDsList", "IdsList"),
        ("SLAInfos", "SLAInfos"),
        ("GLEntries", "GLEntries"),
        ("TaxCodeXRefs", "TaxCodeXRefs"),
        ("Tickets", "Tickets"),
    ],
)
def test_guessable_name(name: str, expected: str) -> None:
    assert imp.guessable_name(name) == expected


def test_generator_snake_case_is_the_generators() -> None:
    from openapi_python_client.strings import snake_case

    doc = json.loads((ROOT / "openapi" / "connectwise-manage.json").read_text())
    names = {"SLAs", "getServiceSLAs", "M365Contacts", "EPay-x.y z", "GLEntries", "_a"}
    for _path, _method, op in imp._operations(doc):
        names |= {op["operationId"], *op.get("tags", [])}
    for name in names:
        assert imp.generator_snake_case(name) == snake_case(name), name


def test_guessable_names_rewrites_tags_and_operation_ids() -> None:
    doc = paths_doc({"/service/SLAs": ops("get", op_id="ServiceSLAs", tags=["SLAs"])})
    doc["tags"] = [{"name": "SLAs", "description": "d"}, {"name": "Boards"}]
    out = imp.guessable_names(doc)
    get = out["paths"]["/service/SLAs"]["get"]
    assert get["tags"] == ["Slas"] and get["operationId"] == "getServiceSlas"
    assert out["tags"] == [{"name": "Slas", "description": "d"}, {"name": "Boards"}]
    assert imp.generator_snake_case(get["operationId"]) == "get_service_slas"


def test_guessable_names_fails_instead_of_merging_two_tags() -> None:
    doc = paths_doc(
        {"/a": ops("get", op_id="A", tags=["SLAs"]), "/b": ops("get", op_id="B", tags=["Slas"])}
    )
    with pytest.raises(imp.ImportError_, match=r"tags \['SLAs', 'Slas'\].*'slas'"):
        imp.guessable_names(doc)


def test_guessable_names_fails_instead_of_colliding_two_operations() -> None:
    doc = paths_doc(
        {"/a": {"get": {"operationId": "getSLAs"}}, "/b": {"get": {"operationId": "getSlas"}}}
    )
    with pytest.raises(imp.ImportError_, match="operationIds"):
        imp.guessable_names(doc)


def test_guessable_names_tolerates_collisions_it_did_not_cause() -> None:
    doc = paths_doc(
        {"/a": ops("get", op_id="A", tags=["Tag-A"]), "/b": ops("get", op_id="B", tags=["TagA"])}
    )
    assert imp.guessable_names(json.loads(json.dumps(doc))) == doc


def test_the_whole_upstream_document_imports_with_every_path_selected() -> None:
    """A user who selects more (up to everything) meets no quirk the rules do not handle."""
    lock = imp.read_lock()
    doc = imp.normalise(json.loads((ROOT / lock["input"]).read_bytes()), ["*"])
    assert sum(1 for _ in imp._operations(doc)) == lock["input_counts"]["operations"]
    assert not [p for p in doc["paths"] if p.endswith("/") or "}{" in p or "s{" in p]
    snakes = [imp.generator_snake_case(op["operationId"]) for _p, _m, op in imp._operations(doc)]
    assert len(set(snakes)) == len(snakes)
    assert "get_service_slas" in snakes and "get_system_kpis" in snakes
