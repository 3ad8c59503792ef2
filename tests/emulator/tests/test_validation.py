"""Request validation: bodies against the official schemas, JSON syntax and list queries."""
from __future__ import annotations

import json

import pytest

from tests.emulator.schema import SCHEMA_DIR, load_schema, validate

MISSING_ID = "aaaaaaaaaaaaaaaaaaaaaaaa"

BAD_BODIES = [
    ({}, '"name" is required'),
    ({"name": ""}, '"name" must be at least 1 characters long'),
    ({"name": "x" * 256}, '"name" must be at most 255 characters long'),
    ({"name": 5}, '"name" must be a string'),
    ({"name": "a", "foo": 1}, '"foo" is not an allowed field'),
    ({"name": "a", "id": "5b9297591fefb200072e554d"}, '"id" is not an allowed field'),
    ({"name": "a", "token": "t"}, '"token" is not an allowed field'),
    ({"name": "a", "responseCode": 99}, '"responseCode" must be >= 100'),
    ({"name": "a", "responseCode": 600}, '"responseCode" must be <= 599'),
    ({"name": "a", "responseCode": "200"}, '"responseCode" must be an integer'),
    ({"name": "a", "responseCode": 200.5}, '"responseCode" must be an integer'),
    ({"name": "a", "responseCode": True}, '"responseCode" must be an integer'),
    ({"name": "a", "verificationType": "github"}, '"verificationType" must be one of'),
    ({"name": "a", "castBuffersAs": "UTF8"}, '"castBuffersAs" must be one of'),
    ({"name": "a", "waitForReply": "true"}, '"waitForReply" must be a boolean'),
    ({"name": "a", "enabled": 1}, '"enabled" must be a boolean'),
    ({"name": "a", "description": None}, '"description" must be a string'),
    ({"name": "a", "description": "x" * 32768}, '"description" must be at most 32767'),
    ({"name": "a", "basicAuthPassword": "x" * 256}, '"basicAuthPassword" must be at most 255'),
    ([{"name": "a"}], "the request body must be an object"),
    ("name", "the request body must be an object"),
]


@pytest.mark.parametrize("body,message", BAD_BODIES)
def test_create_rejects_invalid_bodies(emulator, body, message):
    response = emulator.call("POST", emulator.hooks_path(), json=body)
    assert response.status_code == 400
    assert response.json()["type"] == "Validation"
    assert message in response.json()["message"]
    assert emulator.call("GET", emulator.hooks_path()).json()["totalCount"] == 0


@pytest.mark.parametrize("body,message", [item for item in BAD_BODIES if item[0] != {}])
def test_patch_rejects_invalid_bodies_and_changes_nothing(emulator, body, message):
    if body == {"name": "a", "foo": 1}:
        body = {"foo": 1}
    created = emulator.create(name="keep")
    response = emulator.call("PATCH", emulator.hook_path(created["id"]), json=body)
    assert response.status_code == 400
    assert message in response.json()["message"]
    assert emulator.call("GET", emulator.hook_path(created["id"])).json() == created


def test_every_problem_is_reported(emulator):
    response = emulator.call("POST", emulator.hooks_path(), json={"responseCode": 700, "x": 1})
    message = response.json()["message"]
    assert '"name" is required' in message and '"responseCode"' in message and '"x"' in message


def test_validation_comes_before_lookups(emulator):
    response = emulator.call("PATCH", emulator.hook_path(MISSING_ID), json={"foo": 1})
    assert response.status_code == 400


@pytest.mark.parametrize("raw", [b"{", b"{'name': 'a'}", b"name=a", b"\xff\xfe", b'{"name": "a"'])
def test_malformed_json_is_400(emulator, raw):
    response = emulator.call("POST", emulator.hooks_path(), data=raw,
                             headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    assert response.json()["type"] == "Validation"
    assert "not valid JSON" in response.json()["message"]
    entry = emulator.journal()[-1]
    assert entry["status"] == 400 and entry["body"] is None and "raw_body" in entry


def test_empty_create_body_means_name_missing(emulator):
    response = emulator.call("POST", emulator.hooks_path(), data=b"")
    assert response.status_code == 400 and '"name" is required' in response.json()["message"]


@pytest.mark.parametrize("params,name", [
    ({"page": "-1"}, "page"), ({"page": "x"}, "page"), ({"page": "1.5"}, "page"),
    ({"perPage": "0"}, "perPage"), ({"perPage": "1001"}, "perPage"), ({"perPage": "ten"}, "perPage"),
    ({"sortField": "token"}, "sortField"), ({"sortField": "NAME"}, "sortField"),
    ({"sortDirection": "up"}, "sortDirection"),
    ({"filterField": "description", "filter": "x"}, "filterField"),
    ({"_embedded": "maybe"}, "_embedded"), ({"_actions": "2"}, "_actions"),
])
def test_list_rejects_invalid_queries(emulator, params, name):
    response = emulator.call("GET", emulator.hooks_path(), params=params)
    assert response.status_code == 400
    assert response.json()["type"] == "Validation"
    assert f'"{name}"' in response.json()["message"]


# -- schema patterns are JavaScript regexes ------------------------------------------------------

@pytest.mark.parametrize("object_id", ["5b9297591fefb200072e554d\n", "\u0660" * 24])
def test_patterns_match_as_in_javascript(object_id):
    problems = validate({"actor": [{"id": object_id}]}, load_schema("auditLogFilter"), "auditLogFilter")
    assert problems == ['"auditLogFilter.actor[0].id" must match the pattern ^[A-Fa-f\\d]{24}$']


def test_shipped_schemas_are_the_official_ones_with_their_licence():
    names = {path.name for path in SCHEMA_DIR.iterdir()}
    assert {"LICENSE", "webhook.json", "webhookPost.json", "webhookPatch.json", "webhooks.json",
            "error.json", "success.json"} <= names
    assert "MIT License" in (SCHEMA_DIR / "LICENSE").read_text(encoding="utf-8")
    post = json.loads((SCHEMA_DIR / "webhookPost.json").read_text(encoding="utf-8"))
    assert post["required"] == ["name"] and post["additionalProperties"] is False
