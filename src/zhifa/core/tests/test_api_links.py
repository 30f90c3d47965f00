"""The OpenAPI links of the document (``core.api.API_LINKS``): a list or a created
object gives the id the next operation takes, so that clients and schemathesis's
stateful phase (``make test-api-fuzz``) can chain calls; a declaration naming an
operation or a response field the document does not have is refused."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from zhifa.core.api import API_LINKS, add_links, register_routers


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    return register_routers().get_openapi_schema()  # type: ignore[no-any-return]


def _links(document: dict[str, Any], method: str, path: str, status: str) -> dict[str, Any]:
    responses = document["paths"][f"/api/v1{path}"][method]["responses"]
    response = responses.get(status) or responses[int(status)]
    return response.get("links", {})  # type: ignore[no-any-return]


def test_a_created_case_links_to_its_operations(document: dict[str, Any]) -> None:
    links = _links(document, "post", "/cases", "201")
    assert links["zhifa_cases_api_add_step"] == {
        "operationId": "zhifa_cases_api_add_step",
        "parameters": {"case_pk": "$response.body#/id"},
    }
    assert {
        "zhifa_cases_api_get_case",
        "zhifa_cases_api_get_case_file",
        "zhifa_cases_api_get_deadlines",
        "zhifa_cases_api_suspend_case",
        "zhifa_cases_api_resume_case",
        "zhifa_cases_api_archive_case",
    } <= set(links)
    listed = _links(document, "get", "/cases", "200")
    assert listed["zhifa_cases_api_get_case"]["parameters"] == {
        "case_pk": "$response.body#/items/0/id"
    }


def test_every_link_names_an_operation_and_all_its_given_parameters(
    document: dict[str, Any],
) -> None:
    operations = {
        op["operationId"]: op
        for ops in document["paths"].values()
        for op in ops.values()
        if isinstance(op, dict) and "operationId" in op
    }
    seen = 0
    for ops in document["paths"].values():
        for op in ops.values():
            for response in op.get("responses", {}).values():
                for link in response.get("links", {}).values():
                    seen += 1
                    target = operations[link["operationId"]]
                    path_params = {p["name"] for p in target["parameters"] if p["in"] == "path"}
                    assert set(link["parameters"]) <= path_params
                    assert set(link["parameters"]) <= set(API_LINKS)
    assert seen >= 80
    # The record's timeline of an object takes both of its path parameters from evidence.
    timeline = _links(document, "get", "/records/evidence/{evidence_id}", "200")
    assert timeline["zhifa_records_api_object_timeline"]["parameters"] == {
        "object_id": "$response.body#/object_id",
        "object_type": "$response.body#/object_type",
    }


@pytest.mark.parametrize(
    ("declaration", "message"),
    [
        ({"case_pk": {"POST /casez": "/id"}}, "no operation 'POST /casez'"),
        ({"case_pk": {"POST /cases": "/identifier"}}, "has no '/identifier'"),
        ({"case_id": {"POST /cases": "/id"}}, "no operation takes the path parameter 'case_id'"),
    ],
)
def test_a_wrong_declaration_is_refused(
    document: dict[str, Any], declaration: dict[str, dict[str, str]], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        add_links(copy.deepcopy(document), declaration)
