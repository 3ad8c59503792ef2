"""Bearer tokens, scopes and application access."""
from __future__ import annotations

import pytest

from .conftest import APP_ID, OTHER_APP_ID

UNAUTHORIZED = {"type": "Unauthorized", "message": "Invalid access token"}
MISSING_ID = "aaaaaaaaaaaaaaaaaaaaaaaa"


def _requests(emulator, webhook_id=MISSING_ID):
    return {
        "webhooks.get": ("GET", emulator.hooks_path(), None),
        "webhooks.post": ("POST", emulator.hooks_path(), {"name": "x"}),
        "webhook.get": ("GET", emulator.hook_path(webhook_id), None),
        "webhook.patch": ("PATCH", emulator.hook_path(webhook_id), {"name": "y"}),
        "webhook.delete": ("DELETE", emulator.hook_path(webhook_id), None),
    }


@pytest.mark.parametrize("headers", [
    {},
    {"Authorization": "Bearer nope"},
    {"Authorization": "Bearer"},
    {"Authorization": "Basic dGVzdC10b2tlbjo="},
    {"Authorization": "test-token"},
])
def test_missing_or_unknown_tokens_are_401(emulator, headers):
    for method, path, body in _requests(emulator).values():
        response = emulator.call(method, path, token=None, headers=dict(headers), json=body)
        assert (response.status_code, response.json()) == (401, UNAUTHORIZED), (method, path)


def test_bearer_scheme_is_case_insensitive(emulator):
    response = emulator.call("GET", emulator.hooks_path(), token=None,
                             headers={"Authorization": f"bearer {emulator.token}"})
    assert response.status_code == 200


def test_auth_is_checked_before_ids_and_bodies(emulator):
    response = emulator.call("POST", "/applications/bad/webhooks", token="nope", json={"foo": 1})
    assert response.status_code == 401


ALLOWED = {
    "webhooks.get": ["all.Application", "all.Application.read", "all.Organization", "all.Organization.read",
                     "all.User", "all.User.read", "all.Application.bounded", "webhooks.*", "webhooks.get"],
    "webhooks.post": ["all.Application", "all.Organization", "all.User", "webhooks.*", "webhooks.post"],
    "webhook.get": ["all.Application", "all.Application.read", "all.User.read", "webhook.*", "webhook.get"],
    "webhook.patch": ["all.Application", "all.Organization", "all.User", "webhook.*", "webhook.patch"],
    "webhook.delete": ["all.Application", "all.Organization", "all.User", "webhook.*", "webhook.delete"],
}
DENIED = {
    "webhooks.get": ["webhook.get", "webhooks.post", "webhook.*", "all.Device"],
    "webhooks.post": ["all.Application.read", "webhooks.get", "webhook.*", "webhook.post"],
    "webhook.get": ["webhooks.get", "webhooks.*", "webhook.patch"],
    "webhook.patch": ["all.Application.read", "all.User.read", "webhook.get", "webhooks.*"],
    "webhook.delete": ["all.Organization.read", "webhook.patch", "webhooks.*"],
}


@pytest.mark.parametrize("action", sorted(ALLOWED))
def test_documented_scopes_are_enough(emulator, action):
    for index, scope in enumerate(ALLOWED[action]):
        token = emulator.add_token(f"allowed-{index}", [scope], [APP_ID])
        method, path, body = _requests(emulator)[action]
        response = emulator.call(method, path, token=token, json=body)
        # A webhook action on a missing webhook answers 404: the scope check passed.
        assert response.status_code in (200, 201, 404), (scope, response.text)
        if response.status_code == 404:
            assert response.json()["message"] == "Webhook was not found"


@pytest.mark.parametrize("action", sorted(DENIED))
def test_other_scopes_are_403(emulator, action):
    token = emulator.add_token("narrow", DENIED[action], [APP_ID])
    method, path, body = _requests(emulator)[action]
    response = emulator.call(method, path, token=token, json=body)
    assert response.status_code == 403
    assert response.json()["type"] == "Forbidden"
    assert action in response.json()["message"]


def test_read_only_token_can_list_and_get_but_not_write(emulator):
    created = emulator.create(name="a")
    token = emulator.add_token("reader", ["all.Application.read"], [APP_ID])
    calls = _requests(emulator, created["id"])
    expected = {"webhooks.get": 200, "webhook.get": 200, "webhooks.post": 403, "webhook.patch": 403,
                "webhook.delete": 403}
    for action, status in expected.items():
        method, path, body = calls[action]
        assert emulator.call(method, path, token=token, json=body).status_code == status, action
    assert emulator.call("GET", emulator.hook_path(created["id"])).json()["name"] == "a"


def test_scope_is_checked_before_validation(emulator):
    token = emulator.add_token("reader", ["webhooks.get"], [APP_ID])
    response = emulator.call("POST", emulator.hooks_path(), token=token, json={"bad": True})
    assert response.status_code == 403


def test_token_for_another_application_is_403_by_default(emulator):
    emulator.admin("POST", "/applications", json={"id": OTHER_APP_ID})
    for method, path, body in _requests(emulator).values():
        path = path.replace(APP_ID, OTHER_APP_ID)
        response = emulator.call(method, path, json=body)
        assert response.status_code == 403, (method, path)
        assert response.json() == {"type": "Forbidden",
                                   "message": "Access token is not authorized for this application"}


def test_token_for_another_application_can_answer_404(emulator):
    emulator.admin("POST", "/applications", json={"id": OTHER_APP_ID})
    emulator.admin("POST", "/settings", json={"foreign_application_status": 404})
    response = emulator.call("GET", emulator.hooks_path(OTHER_APP_ID))
    assert response.status_code == 404
    assert response.json() == {"type": "NotFound", "message": "Application was not found"}


def test_token_without_application_list_reaches_every_application(emulator):
    emulator.admin("POST", "/applications", json={"id": OTHER_APP_ID})
    token = emulator.add_token("user-token", ["all.User"])
    assert emulator.call("GET", emulator.hooks_path(OTHER_APP_ID), token=token).status_code == 200
    assert emulator.call("GET", emulator.hooks_path(APP_ID), token=token).status_code == 200


def test_authorization_header_is_never_journaled(emulator):
    emulator.create(name="a")
    emulator.call("GET", emulator.hooks_path(), token="wrong-secret")
    journal = emulator.journal()
    assert len(journal) == 2
    text = str(journal)
    assert emulator.token not in text and "wrong-secret" not in text
    assert all("authorization" not in (key.lower() for key in entry["headers"]) for entry in journal)
