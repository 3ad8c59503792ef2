"""The five webhook actions: paths, status codes, bodies, defaults and HAL keys."""
from __future__ import annotations

import re
import time

import pytest

from tests.emulator.state import CREATE_DEFAULTS, iso_after, iso_now

from .conftest import APP_ID, OTHER_APP_ID

ISO_MS = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
MISSING_ID = "aaaaaaaaaaaaaaaaaaaaaaaa"


def test_create_applies_defaults_and_sets_read_only_fields(emulator):
    response = emulator.call("POST", emulator.hooks_path(), json={"name": "orders"})
    assert response.status_code == 201
    assert response.headers["Content-Type"].startswith("application/json")
    body = response.json()
    for key, value in CREATE_DEFAULTS.items():
        assert body[key] == value, key
    assert re.match(r"^[0-9a-f]{24}$", body["id"])
    assert body["webhookId"] == body["id"]
    assert body["applicationId"] == APP_ID
    assert body["name"] == "orders"
    assert re.match(r"^[A-Za-z0-9_-]{20,}$", body["token"])
    assert ISO_MS.match(body["creationDate"]) and body["lastUpdated"] == body["creationDate"]
    for absent in ("description", "verificationCode", "basicAuthUsername", "basicAuthPassword"):
        assert absent not in body
    assert body["_type"] == "webhook"
    assert body["_links"] == {"self": {"href": f"/applications/{APP_ID}/webhooks/{body['id']}"}}


def test_create_keeps_every_given_field(emulator):
    fields = {
        "name": "full", "description": "d", "responseCode": 204, "verificationType": "twilio",
        "verificationCode": "code", "waitForReply": True, "basicAuthUsername": "user",
        "basicAuthPassword": "pass", "isWebsocket": True, "castBuffersAs": "hex",
        "annotateMultipart": True, "enabled": False,
    }
    body = emulator.create(**fields)
    assert {key: body[key] for key in fields} == fields


def test_ids_and_tokens_are_unique(emulator):
    hooks = [emulator.create(name=f"h{index}") for index in range(20)]
    assert len({hook["id"] for hook in hooks}) == 20
    assert len({hook["token"] for hook in hooks}) == 20


def test_get_returns_the_stored_webhook(emulator):
    created = emulator.create(name="a")
    response = emulator.call("GET", emulator.hook_path(created["id"]))
    assert response.status_code == 200
    assert response.json() == created


def test_get_accepts_upper_case_ids(emulator):
    created = emulator.create(name="a")
    response = emulator.call("GET", emulator.hook_path(created["id"].upper(), APP_ID.upper()))
    assert response.status_code == 200
    assert response.json()["id"] == created["id"]


def test_patch_changes_only_given_fields_and_bumps_last_updated(emulator):
    created = emulator.create(name="a", description="keep")
    response = emulator.call("PATCH", emulator.hook_path(created["id"]),
                             json={"name": "b", "responseCode": 201})
    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "b" and body["responseCode"] == 201 and body["description"] == "keep"
    assert body["lastUpdated"] > created["lastUpdated"]
    assert body["creationDate"] == created["creationDate"]
    assert body["token"] == created["token"]
    assert body["_type"] == "webhook" and "_links" in body
    assert emulator.call("GET", emulator.hook_path(created["id"])).json() == body


def test_patch_with_empty_body_is_accepted(emulator):
    created = emulator.create(name="a")
    response = emulator.call("PATCH", emulator.hook_path(created["id"]), json={})
    assert response.status_code == 200
    assert response.json()["name"] == "a"
    assert response.json()["lastUpdated"] > created["lastUpdated"]


def test_patch_can_add_optional_fields(emulator):
    created = emulator.create(name="a")
    body = emulator.call("PATCH", emulator.hook_path(created["id"]), json={"description": "new"}).json()
    assert body["description"] == "new"
    assert list(body).index("description") == list(body).index("name") + 1


def test_delete_answers_success_and_removes(emulator):
    created = emulator.create(name="a")
    response = emulator.call("DELETE", emulator.hook_path(created["id"]))
    assert (response.status_code, response.json()) == (200, {"success": True})
    missing = emulator.call("GET", emulator.hook_path(created["id"]))
    assert (missing.status_code, missing.json()) == (404, {"type": "NotFound", "message": "Webhook was not found"})
    again = emulator.call("DELETE", emulator.hook_path(created["id"]))
    assert again.status_code == 404


@pytest.mark.parametrize("value", ["true", "false", "True", "FALSE", "1", "0"])
def test_delete_accepts_include_workflows(emulator, value):
    created = emulator.create(name="a")
    response = emulator.call("DELETE", emulator.hook_path(created["id"]), params={"includeWorkflows": value})
    assert response.status_code == 200
    assert emulator.journal()[-1]["query"] == {"includeWorkflows": value}


def test_delete_rejects_a_non_boolean_include_workflows(emulator):
    created = emulator.create(name="a")
    response = emulator.call("DELETE", emulator.hook_path(created["id"]), params={"includeWorkflows": "yes"})
    assert response.status_code == 400
    assert "includeWorkflows" in response.json()["message"]
    assert emulator.call("GET", emulator.hook_path(created["id"])).status_code == 200


@pytest.mark.parametrize("method,suffix,body", [
    ("GET", "", None), ("POST", "", {"name": "x"}),
    ("GET", "/" + MISSING_ID, None), ("PATCH", "/" + MISSING_ID, {}), ("DELETE", "/" + MISSING_ID, None),
])
def test_unknown_application_is_404(emulator, method, suffix, body):
    emulator.state.add_token({"token": "any-app", "scopes": ["all.User"]})
    response = emulator.call(method, emulator.hooks_path(OTHER_APP_ID) + suffix, token="any-app", json=body)
    assert response.status_code == 404
    assert response.json() == {"type": "NotFound", "message": "Application was not found"}


@pytest.mark.parametrize("method,body", [("GET", None), ("PATCH", {"name": "x"}), ("DELETE", None)])
def test_unknown_webhook_is_404(emulator, method, body):
    response = emulator.call(method, emulator.hook_path(MISSING_ID), json=body)
    assert response.status_code == 404
    assert response.json() == {"type": "NotFound", "message": "Webhook was not found"}


@pytest.mark.parametrize("path", [
    "/applications/not-an-id/webhooks",
    "/applications/5b9297591fefb200072e554/webhooks",  # 23 characters
    "/applications/5b9297591fefb200072e554dd/webhooks",  # 25 characters
    "/applications/5b9297591fefb200072e554g/webhooks",  # not hex
    f"/applications/{APP_ID}/webhooks/xyz",
    f"/applications/{APP_ID}/webhooks/{'0' * 23}",
    f"/applications/{APP_ID}/webhooks/{'0' * 24}%0A",  # a trailing newline
    f"/applications/{APP_ID}/webhooks/{'0' * 23}%D9%A0",  # a non-ASCII digit
])
def test_malformed_ids_are_400(emulator, path):
    response = emulator.call("GET", path)
    assert response.status_code == 400
    body = response.json()
    assert body["type"] == "Validation"
    assert "Id" in body["message"] and "24 hexadecimal" in body["message"]


def test_unknown_routes_are_404_and_wrong_methods_405(emulator):
    response = emulator.call("GET", "/applications")
    assert response.status_code == 404 and response.json()["type"] == "NotFound"
    response = emulator.call("PUT", emulator.hook_path(MISSING_ID), json={})
    assert response.status_code == 405
    assert response.headers["Allow"] == "GET, PATCH, DELETE"
    response = emulator.call("DELETE", emulator.hooks_path())
    assert response.status_code == 405 and response.headers["Allow"] == "GET, POST"


def test_trailing_slash_is_tolerated(emulator):
    created = emulator.create(name="a")
    assert emulator.call("GET", emulator.hooks_path() + "/").status_code == 200
    assert emulator.call("GET", emulator.hook_path(created["id"]) + "/").status_code == 200


def test_hal_query_flags_are_accepted_and_links_can_be_turned_off(emulator):
    created = emulator.create(name="a")
    flags = {"_actions": "false", "_links": "false", "_embedded": "true"}
    item = emulator.call("GET", emulator.hook_path(created["id"]), params=flags).json()
    assert "_links" not in item and item["_type"] == "webhook"
    listing = emulator.call("GET", emulator.hooks_path(), params=flags).json()
    assert "_links" not in listing and "_links" not in listing["items"][0]
    response = emulator.call("GET", emulator.hooks_path(), params={"_links": "sometimes"})
    assert response.status_code == 400 and "_links" in response.json()["message"]


def test_losantdomain_and_accept_version_headers_are_accepted(emulator):
    headers = {"losantdomain": "example.com", "Accept-Version": "^1.31.0", "Accept": "application/json"}
    response = emulator.call("GET", emulator.hooks_path(), headers=headers)
    assert response.status_code == 200
    assert emulator.journal()[-1]["headers"]["losantdomain"] == "example.com"


def test_secrets_are_returned_by_default_and_hidden_when_disabled(emulator):
    created = emulator.create(name="a", verificationCode="vc", basicAuthUsername="u", basicAuthPassword="pw")
    assert created["verificationCode"] == "vc" and created["basicAuthPassword"] == "pw"
    assert emulator.admin("POST", "/settings", json={"return_secrets": False}).json()["return_secrets"] is False
    responses = [
        emulator.call("GET", emulator.hook_path(created["id"])).json(),
        emulator.call("GET", emulator.hooks_path()).json()["items"][0],
        emulator.call("PATCH", emulator.hook_path(created["id"]), json={"basicAuthPassword": "new"}).json(),
        emulator.create(name="b", verificationCode="x", basicAuthPassword="y"),
    ]
    for body in responses:
        assert "verificationCode" not in body and "basicAuthPassword" not in body
    assert responses[0]["basicAuthUsername"] == "u"
    stored = emulator.admin("GET", f"/applications/{APP_ID}/webhooks").json()["webhooks"]
    assert {hook["name"]: hook.get("basicAuthPassword") for hook in stored} == {"a": "new", "b": "y"}


def test_float_response_code_with_no_fraction_is_stored_as_integer(emulator):
    body = emulator.create(name="a", responseCode=201.0)
    assert body["responseCode"] == 201 and isinstance(body["responseCode"], int)


def test_creation_dates_follow_creation_order(emulator):
    first = emulator.create(name="a")
    time.sleep(0.002)
    second = emulator.create(name="b")
    assert second["creationDate"] >= first["creationDate"]
    assert second["id"] > first["id"]


def test_last_updated_always_moves_forward():
    stamps = [iso_now()]
    for dummy in range(2000):
        stamps.append(iso_after(stamps[-1]))
    assert all(later > earlier for earlier, later in zip(stamps, stamps[1:]))
    assert iso_after("2999-01-01T00:00:00.000Z") == "2999-01-01T00:00:00.001Z"
    assert ISO_MS.match(iso_after("not a date"))
