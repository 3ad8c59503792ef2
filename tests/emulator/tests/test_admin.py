"""The admin API: journal, faults, reset, tokens, applications, seeding and settings."""
from __future__ import annotations

import threading
import time

import pytest
import requests

from tests.emulator import server as server_module
from tests.emulator.state import ConfigError, State

from .conftest import APP_ID, OTHER_APP_ID


def test_journal_records_api_requests_but_not_admin_ones(emulator):
    created = emulator.create(name="a", responseCode=201)
    emulator.call("PATCH", emulator.hook_path(created["id"]), json={"enabled": False}, params={"_links": "true"})
    emulator.call("GET", emulator.hooks_path(), params={"perPage": "5", "sortField": "id"})
    emulator.call("DELETE", emulator.hook_path(created["id"]), params={"includeWorkflows": "true"})
    emulator.call("GET", "/nowhere")
    emulator.admin("GET", "/settings")
    journal = emulator.journal()
    assert [(entry["method"], entry["path"], entry["query"], entry["body"], entry["status"]) for entry in journal] == [
        ("POST", emulator.hooks_path(), {}, {"name": "a", "responseCode": 201}, 201),
        ("PATCH", emulator.hook_path(created["id"]), {"_links": "true"}, {"enabled": False}, 200),
        ("GET", emulator.hooks_path(), {"perPage": "5", "sortField": "id"}, None, 200),
        ("DELETE", emulator.hook_path(created["id"]), {"includeWorkflows": "true"}, None, 200),
        ("GET", "/nowhere", {}, None, 404),
    ]
    assert journal[0]["headers"]["Content-Type"] == "application/json"


def test_a_request_is_journaled_before_its_answer_is_sent(emulator):
    """A test that asserts calls right after its client's last answer finds them all."""
    emulator.admin("POST", "/faults", json={"status": 503, "path": "/fault"})
    for count, path in enumerate(["/fault", emulator.hooks_path(), "/unknown"] * 20, start=1):
        emulator.call("GET", path)
        assert len(emulator.state.journal) == count


def test_a_request_in_a_faults_delay_is_in_flight_until_answered(emulator, monkeypatch):
    released = threading.Event()
    monkeypatch.setattr(server_module, "_sleep", lambda seconds: released.wait(5))
    emulator.admin("POST", "/faults", json={"delay": 1})
    client = threading.Thread(target=emulator.call, args=("GET", emulator.hooks_path()))
    client.start()
    deadline = time.monotonic() + 5
    while not emulator.state.requests_in_flight and time.monotonic() < deadline:
        time.sleep(0.005)
    assert emulator.state.wait_until_idle(0.1) is False and emulator.state.requests_in_flight == 1
    released.set()
    client.join(5)
    assert emulator.state.wait_until_idle(5) is True and len(emulator.state.journal) == 1


def test_journal_can_be_cleared(emulator):
    emulator.create(name="a")
    assert emulator.admin("DELETE", "/journal").json() == {"cleared": 1}
    assert emulator.journal() == []


@pytest.mark.parametrize("status", [429, 500, 502, 503, 504])
def test_fault_answers_the_next_requests_then_stops(emulator, status):
    response = emulator.admin("POST", "/faults", json={"status": status, "count": 2})
    assert response.status_code == 200
    assert response.json()["faults"][0]["count"] == 2
    for remaining in (1, 0):
        faulted = emulator.call("GET", emulator.hooks_path())
        assert faulted.status_code == status
        assert set(faulted.json()) == {"type", "message"}
        assert [fault["count"] for fault in emulator.admin("GET", "/faults").json()["faults"]] == (
            [remaining] if remaining else [])
    assert emulator.call("GET", emulator.hooks_path()).status_code == 200
    journal = emulator.journal()
    assert [entry["status"] for entry in journal] == [status, status, 200]
    assert [entry.get("fault", False) for entry in journal] == [True, True, False]


def test_429_fault_sends_retry_after(emulator):
    emulator.admin("POST", "/faults", json={"status": 429, "retry_after": 3})
    response = emulator.call("POST", emulator.hooks_path(), json={"name": "a"})
    assert response.status_code == 429
    assert response.headers["Retry-After"] == "3"
    assert response.json() == {"type": "TooManyRequests", "message": "Too Many Requests"}
    assert emulator.call("GET", emulator.hooks_path()).json()["totalCount"] == 0


def test_fault_applies_before_auth_and_not_to_admin(emulator):
    emulator.admin("POST", "/faults", json={"status": 503, "count": 1})
    assert emulator.admin("GET", "/journal").status_code == 200
    assert emulator.call("GET", emulator.hooks_path(), token="unknown").status_code == 503


def test_fault_body_and_content_type_can_be_given(emulator):
    emulator.admin("POST", "/faults",
                   json={"status": 502, "body": "<html>Bad Gateway</html>", "content_type": "text/html"})
    emulator.admin("POST", "/faults", json={"status": 500, "body": {"type": "Custom", "message": "boom"}})
    first = emulator.call("GET", emulator.hooks_path())
    assert (first.status_code, first.text, first.headers["Content-Type"]) == (
        502, "<html>Bad Gateway</html>", "text/html")
    second = emulator.call("GET", emulator.hooks_path())
    assert (second.status_code, second.json()) == (500, {"type": "Custom", "message": "boom"})


def test_delay_fault_sleeps_then_answers_normally(emulator, monkeypatch):
    slept = []
    monkeypatch.setattr(server_module, "_sleep", slept.append)
    emulator.admin("POST", "/faults", json={"delay": 1.5, "count": 2})
    assert emulator.call("GET", emulator.hooks_path()).status_code == 200
    assert emulator.create(name="a")["name"] == "a"
    assert emulator.call("GET", emulator.hooks_path()).status_code == 200
    assert slept == [1.5, 1.5]


def test_delay_and_status_together(emulator, monkeypatch):
    slept = []
    monkeypatch.setattr(server_module, "_sleep", slept.append)
    emulator.admin("POST", "/faults", json={"status": 504, "delay": 0.25})
    assert emulator.call("GET", emulator.hooks_path()).status_code == 504
    assert slept == [0.25]


def test_a_fault_for_a_method_and_path_lets_other_requests_through(emulator):
    emulator.admin("POST", "/faults", json={"status": 409, "method": "post", "path": emulator.hooks_path()})
    assert emulator.call("GET", emulator.hooks_path()).status_code == 200
    assert emulator.call("POST", emulator.hooks_path() + "/x", json={}).status_code == 405
    assert emulator.call("POST", emulator.hooks_path(), json={"name": "a"}).status_code == 409
    assert emulator.call("POST", emulator.hooks_path(), json={"name": "a"}).status_code == 201
    assert [entry.get("fault", False) for entry in emulator.journal()] == [False, False, True, False]


def test_after_lets_that_many_matching_requests_through_first(emulator):
    emulator.admin("POST", "/faults", json={"status": 500, "method": "POST", "after": 2})
    emulator.admin("POST", "/faults", json={"status": 502, "method": "POST"})
    statuses = [emulator.call("POST", emulator.hooks_path(), json={"name": "a"}).status_code for dummy in range(4)]
    assert statuses == [502, 201, 500, 201], "the second fault answers the first request the first lets through"
    assert emulator.call("GET", emulator.hooks_path()).json()["totalCount"] == 2


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_a_drop_fault_closes_the_connection_without_an_answer(emulator, method):
    emulator.admin("POST", "/faults", json={"drop": True})
    with pytest.raises(requests.ConnectionError):
        emulator.call(method, emulator.hooks_path(), json={"name": "a"})
    assert emulator.call("GET", emulator.hooks_path()).json()["totalCount"] == 0
    first = emulator.journal()[0]
    assert (first["method"], first["status"], first["fault"]) == (method, None, True)


def test_faults_can_be_cleared(emulator):
    emulator.admin("POST", "/faults", json={"status": 500, "count": 5})
    assert emulator.admin("DELETE", "/faults").json() == {"faults": []}
    assert emulator.call("GET", emulator.hooks_path()).status_code == 200


@pytest.mark.parametrize("body", [
    {}, {"status": 99}, {"status": "500"}, {"status": 500, "count": 0}, {"status": 500, "delay": -1},
    {"status": 500, "retry_after": []}, {"status": 500, "colour": "red"}, [], {"delay": 0},
    {"status": 500, "method": 1}, {"status": 500, "method": "GET /"}, {"status": 500, "path": "webhooks"},
    {"status": 500, "after": -1}, {"status": 500, "after": True}, {"drop": "yes"}, {"drop": True, "status": 500},
    {"drop": False},
])
def test_invalid_faults_are_400(emulator, body):
    response = emulator.admin("POST", "/faults", json=body)
    assert response.status_code == 400 and response.json()["type"] == "Validation"
    assert emulator.admin("GET", "/faults").json() == {"faults": []}


def test_reset_restores_the_start_up_state(emulator):
    created_before = emulator.state.seed_webhooks(APP_ID, [{"name": "seeded"}])
    emulator.state.mark_initial()
    start_up_settings = emulator.admin("GET", "/settings").json()
    emulator.create(name="later")
    emulator.add_token("extra", ["all.Application"], [APP_ID])
    emulator.admin("POST", "/applications", json={"id": OTHER_APP_ID})
    emulator.admin("POST", "/settings", json={"personality": "regex-filter", "return_secrets": False})
    emulator.admin("POST", "/faults", json={"status": 500, "count": 3})
    assert emulator.admin("POST", "/reset").json() == {"reset": True}
    assert emulator.journal() == [] and emulator.admin("GET", "/faults").json() == {"faults": []}
    body = emulator.call("GET", emulator.hooks_path()).json()
    assert [item["id"] for item in body["items"]] == created_before
    assert emulator.call("GET", emulator.hooks_path(), token="extra").status_code == 401
    assert emulator.admin("GET", "/applications").json() == {"applications": [APP_ID]}
    assert emulator.admin("GET", "/settings").json() == start_up_settings
    assert start_up_settings["filter_syntax"] == "glob" and start_up_settings["return_secrets"] is True


def test_tokens_can_be_added_listed_and_removed(emulator):
    response = emulator.admin("POST", "/tokens", json={"token": "t2", "scopes": ["webhooks.get"],
                                                       "applications": [APP_ID]})
    assert response.status_code == 201
    assert response.json() == {"token": "t2", "scopes": ["webhooks.get"], "applications": [APP_ID],
                               "name": "API token"}
    assert "t2" in [token["token"] for token in emulator.admin("GET", "/tokens").json()["tokens"]]
    assert emulator.call("GET", emulator.hooks_path(), token="t2").status_code == 200
    assert emulator.admin("DELETE", "/tokens/t2").json() == {"success": True}
    assert emulator.call("GET", emulator.hooks_path(), token="t2").status_code == 401
    assert emulator.admin("DELETE", "/tokens/t2").status_code == 404


@pytest.mark.parametrize("body", [
    {"scopes": ["all.Application"]}, {"token": ""}, {"token": "x", "scopes": "all.Application"},
    {"token": "x", "applications": ["nothex"]}, {"token": "x", "extra": 1}, ["x"],
])
def test_invalid_tokens_are_400(emulator, body):
    response = emulator.admin("POST", "/tokens", json=body)
    assert response.status_code == 400 and response.json()["type"] == "Validation"


def test_applications_can_be_added_idempotently_and_removed(emulator):
    first = emulator.admin("POST", "/applications", json={"id": OTHER_APP_ID.upper()})
    assert (first.status_code, first.json()) == (201, {"id": OTHER_APP_ID, "created": True})
    again = emulator.admin("POST", "/applications", json={"id": OTHER_APP_ID})
    assert (again.status_code, again.json()["created"]) == (200, False)
    assert emulator.admin("GET", "/applications").json() == {"applications": [APP_ID, OTHER_APP_ID]}
    assert emulator.admin("DELETE", f"/applications/{OTHER_APP_ID}").status_code == 200
    assert emulator.admin("DELETE", f"/applications/{OTHER_APP_ID}").status_code == 404
    for bad in ({"id": "xyz"}, {"id": OTHER_APP_ID, "name": "x"}, {}):
        assert emulator.admin("POST", "/applications", json=bad).status_code == 400


def test_seed_stores_webhooks_as_given(emulator):
    old_style = {"name": "legacy", "responseCode": 200, "verificationType": "none", "waitForReply": False}
    response = emulator.admin("POST", f"/applications/{APP_ID}/webhooks",
                              json={"webhooks": [old_style, {"name": "legacy"}, {"id": "5" * 24, "name": 7}]})
    assert response.status_code == 201
    created = response.json()["created"]
    assert len(created) == 3 and created[2] == "5" * 24
    body = emulator.call("GET", emulator.hook_path(created[0])).json()
    assert "enabled" not in body and "isWebsocket" not in body and "castBuffersAs" not in body
    assert body["id"] == body["webhookId"] == created[0] and body["applicationId"] == APP_ID
    assert body["token"] and body["creationDate"] and body["lastUpdated"]
    names = [item["name"] for item in emulator.call("GET", emulator.hooks_path()).json()["items"]]
    assert names.count("legacy") == 2


def test_seed_by_count_applies_defaults(emulator):
    response = emulator.admin("POST", f"/applications/{APP_ID}/webhooks",
                              json={"count": 3, "name_prefix": "n-", "fields": {"description": "bulk"}})
    assert response.status_code == 201 and len(response.json()["created"]) == 3
    items = emulator.call("GET", emulator.hooks_path()).json()["items"]
    assert [item["name"] for item in items] == ["n-00000", "n-00001", "n-00002"]
    assert all(item["enabled"] is True and item["description"] == "bulk" for item in items)
    default = emulator.admin("POST", f"/applications/{APP_ID}/webhooks", json={"count": 1}).json()["created"]
    assert emulator.call("GET", emulator.hook_path(default[0])).json()["name"] == "hook-00000"


def test_seed_errors(emulator):
    url = f"/applications/{APP_ID}/webhooks"
    assert emulator.admin("POST", f"/applications/{OTHER_APP_ID}/webhooks", json={"count": 1}).status_code == 404
    assert emulator.admin("POST", url, json={"count": -1}).status_code == 400
    assert emulator.admin("POST", url, json={"webhooks": "x"}).status_code == 400
    assert emulator.admin("POST", url, json={"webhooks": [1]}).status_code == 400
    assert emulator.admin("POST", url, json={"webhooks": [{"id": "1" * 24}, {"id": "1" * 24}]}).status_code == 400
    assert emulator.admin("POST", url, json={"bogus": 1}).status_code == 400
    assert emulator.call("GET", emulator.hooks_path()).json()["totalCount"] == 0


def test_stored_webhooks_include_secrets(emulator):
    emulator.admin("POST", "/settings", json={"return_secrets": False})
    emulator.create(name="a", basicAuthPassword="pw")
    stored = emulator.admin("GET", f"/applications/{APP_ID}/webhooks").json()["webhooks"]
    assert stored[0]["basicAuthPassword"] == "pw" and "_type" not in stored[0]


def test_admin_errors(emulator):
    assert emulator.admin("GET", "/health").json() == {"ok": True}
    assert emulator.admin("GET", "/nothing").status_code == 404
    assert emulator.admin("PATCH", "/journal").status_code == 405
    response = emulator.admin("POST", "/faults", data=b"{", headers={"Content-Type": "application/json"})
    assert response.status_code == 400 and "not valid JSON" in response.json()["message"]
    assert emulator.journal() == []


def test_config_loading():
    state = State()
    state.load_config({
        "applications": [APP_ID],
        "tokens": [{"token": "r", "scopes": ["webhooks.get"], "applications": [APP_ID]},
                   {"token": "u", "scopes": ["all.User"]}],
        "webhooks": {OTHER_APP_ID: [{"name": "x", "id": "6" * 24}]},
        "return_secrets": False,
    })
    assert set(state.applications) == {APP_ID, OTHER_APP_ID}
    assert state.tokens["u"].applications is None
    assert state.applications[OTHER_APP_ID]["6" * 24]["name"] == "x"
    assert state.settings["return_secrets"] is False
    for bad in ([], {"tokenz": []}, {"applications": ["x"]}, {"webhooks": []}, {"tokens": [{"token": 1}]},
                {"return_secrets": "yes"}):
        with pytest.raises(ConfigError):
            State().load_config(bad)
