"""The application's owner and the organization's audit logs: recording, listing, filters and access."""
from __future__ import annotations

import json
import time

import losant_rest
import pytest

from tests.emulator.audit import DEFAULT_ORG_ID

from .conftest import APP_ID, TOKEN, check

ORG_TOKEN = "org-token"
AUDIT_PATH = f"/orgs/{DEFAULT_ORG_ID}/audit-logs"
USER_ID = "5a5a5a5a5a5a5a5a5a5a5a5a"


@pytest.fixture
def org(emulator):
    emulator.add_token(ORG_TOKEN, ["all.Organization.read"])
    return emulator


def entries(emulator, token=ORG_TOKEN, **query):
    response = emulator.call("GET", AUDIT_PATH, token=token, params=query)
    assert response.status_code == 200, response.text
    return check(response.json(), "auditLogs")["items"]


def test_application_names_its_owner(emulator):
    body = emulator.call("GET", f"/applications/{APP_ID}").json()
    assert (body["ownerType"], body["ownerId"]) == ("organization", DEFAULT_ORG_ID)
    owner = emulator.admin("POST", f"/applications/{APP_ID}/owner", json={"ownerType": "user", "ownerId": USER_ID})
    assert owner.status_code == 200, owner.text
    body = emulator.call("GET", f"/applications/{APP_ID}").json()
    assert (body["ownerType"], body["ownerId"]) == ("user", USER_ID) and "organizationName" not in body


def test_writes_are_logged_with_their_actor_and_never_change_the_answer(org):
    created = org.create(name="orders", basicAuthPassword="pw")
    path = org.hook_path(created["id"])
    patched = org.call("PATCH", path, json={"responseCode": 500},
                       headers={"X-Emulator-Actor": json.dumps({"type": "User", "name": "Jane Doe"})})
    assert patched.status_code == 200
    assert org.call("DELETE", path).status_code == 200

    logged = entries(org, sortDirection="asc")
    assert [(entry["requestResource"], entry["requestAction"], entry["actorType"], entry["actorName"])
            for entry in logged] == [("webhooks", "post", "ApiToken", "API token"),
                                     ("webhook", "patch", "User", "Jane Doe"),
                                     ("webhook", "delete", "ApiToken", "API token")]
    assert {entry["secondaryTargetId"] for entry in logged} == {created["id"]}
    assert {entry["secondaryTargetName"] for entry in logged} == {"orders"}
    assert logged[1]["requestBody"] == {"responseCode": 500}
    assert logged[0]["primaryTargetId"] == APP_ID and logged[0]["primaryTargetType"] == "Application"


def test_filter_by_targets_window_and_paging(org):
    first, second, third = (org.create(name=name)["id"] for name in ("a", "b", "c"))
    since = int(time.time() * 1000) - 60_000
    query = {"auditLogFilter[secondaryTarget][0][type]": "Webhook",
             "auditLogFilter[secondaryTarget][0][id]": first,
             "auditLogFilter[secondaryTarget][1][type]": "Webhook",
             "auditLogFilter[secondaryTarget][1][id]": third, "start": since}
    assert sorted(entry["secondaryTargetId"] for entry in entries(org, **query)) == sorted([first, third])
    assert entries(org, start=int(time.time() * 1000) + 60_000) == []
    pages = [entries(org, perPage=2, page=page) for page in (0, 1)]
    assert [len(page) for page in pages] == [2, 1]
    newest_first = [entry["secondaryTargetId"] for page in pages for entry in page]
    assert newest_first == [third, second, first]
    by_name = {"auditLogFilter[secondaryTarget][0][name]": "b"}
    assert [entry["secondaryTargetId"] for entry in entries(org, **by_name)] == [second]


def test_official_client_reads_the_audit_logs(org):
    webhook_id = org.create(name="orders")["id"]
    client = losant_rest.Client(auth_token=ORG_TOKEN, url=org.url)
    body = client.audit_logs.get(orgId=DEFAULT_ORG_ID, auditLogFilter={
        "secondaryTarget": [{"type": "Webhook", "id": webhook_id}], "responseCode": [201]})
    check(body, "auditLogs")
    assert [entry["secondaryTargetId"] for entry in body["items"]] == [webhook_id]
    assert client.application.get(applicationId=APP_ID)["ownerId"] == DEFAULT_ORG_ID


def test_application_token_cannot_read_the_organization(org):
    response = org.call("GET", AUDIT_PATH, token=TOKEN)
    assert response.status_code == 403 and response.json()["type"] == "Forbidden"


def test_user_owned_application_logs_nothing(org):
    org.admin("POST", f"/applications/{APP_ID}/owner", json={"ownerType": "user", "ownerId": USER_ID})
    org.create(name="orders")
    assert entries(org) == []
    assert org.admin("GET", "/audit-logs").json()["entries"] == []


@pytest.mark.parametrize("setting, status", [("forbidden", 403), ("missing", 404)])
def test_plan_without_audit_logs(org, setting, status):
    org.admin("POST", "/settings", json={"audit_logs": setting})
    assert org.call("GET", AUDIT_PATH, token=ORG_TOKEN).status_code == status


def test_plan_that_keeps_no_entries(org):
    org.admin("POST", "/settings", json={"audit_logs": "empty"})
    org.create(name="orders")
    assert entries(org) == []


@pytest.mark.parametrize("query", [{"auditLogFilter[bogus]": "x"}, {"auditLogFilter[secondaryTarget][0][type]": "Nope"},
                                   {"start": "yesterday"}, {"sortField": "name"}])
def test_bad_queries_are_refused(org, query):
    response = org.call("GET", AUDIT_PATH, token=ORG_TOKEN, params=query)
    assert response.status_code == 400 and response.json()["type"] == "Validation"


def test_unknown_organization_is_not_found(org):
    response = org.call("GET", "/orgs/aaaaaaaaaaaaaaaaaaaaaaaa/audit-logs", token=ORG_TOKEN)
    assert response.status_code == 404 and response.json()["type"] == "NotFound"


def test_admin_adds_entries_and_reset_forgets_them(org):
    added = org.admin("POST", "/audit-logs", json={"entries": [{
        "secondaryTargetType": "Webhook", "secondaryTargetId": "5b5b5b5b5b5b5b5b5b5b5b5b",
        "secondaryTargetName": "gone", "actorType": "User", "actorName": "Jane Doe",
        "requestResource": "webhook", "requestAction": "delete", "creationDate": "2026-12-05T14:02:00.000Z"}]})
    assert added.status_code == 201, added.text
    assert [entry["secondaryTargetName"] for entry in entries(org)] == ["gone"]
    bad = org.admin("POST", "/audit-logs", json={"entries": [{"actorType": "Robot"}]})
    assert bad.status_code == 400
    org.admin("POST", f"/applications/{APP_ID}/owner", json={"ownerType": "user", "ownerId": USER_ID})
    org.admin("POST", "/reset")
    assert org.admin("GET", "/audit-logs").json()["entries"] == []
    assert org.call("GET", f"/applications/{APP_ID}").json()["ownerType"] == "organization"
