"""Drive the emulator with Losant's official Python client and check every answer against the schemas."""
from __future__ import annotations

import losant_rest
import pytest


from .conftest import APP_ID, TOKEN, check

MISSING_ID = "aaaaaaaaaaaaaaaaaaaaaaaa"


@pytest.fixture
def client(emulator):
    return losant_rest.Client(auth_token=TOKEN, url=emulator.url)


def test_round_trip(emulator, client):
    created = check(client.webhooks.post(applicationId=APP_ID, webhook={"name": "orders", "responseCode": 202}),
                    "webhook")
    assert created["name"] == "orders" and created["responseCode"] == 202 and created["enabled"] is True

    fetched = check(client.webhook.get(applicationId=APP_ID, webhookId=created["id"]), "webhook")
    assert fetched == created

    patched = check(client.webhook.patch(applicationId=APP_ID, webhookId=created["id"],
                                         webhook={"description": "All orders", "waitForReply": True}), "webhook")
    assert patched["description"] == "All orders" and patched["waitForReply"] is True
    assert patched["lastUpdated"] > created["lastUpdated"]

    listed = check(client.webhooks.get(applicationId=APP_ID), "webhooks")
    assert listed["totalCount"] == 1 and listed["items"][0] == patched

    deleted = check(client.webhook.delete(applicationId=APP_ID, webhookId=created["id"], includeWorkflows=True),
                    "success")
    assert deleted == {"success": True}
    assert check(client.webhooks.get(applicationId=APP_ID), "webhooks")["totalCount"] == 0


def test_client_requests_are_what_the_journal_shows(emulator, client):
    client.webhooks.post(applicationId=APP_ID, webhook={"name": "x"}, losantdomain="example.com")
    entry = emulator.journal()[-1]
    assert entry["method"] == "POST" and entry["path"] == f"/applications/{APP_ID}/webhooks"
    assert entry["query"] == {"_actions": "false", "_links": "true", "_embedded": "true"}
    assert entry["body"] == {"name": "x"}
    assert entry["headers"]["Accept-Version"].startswith("^1.")
    assert entry["headers"]["losantdomain"] == "example.com"


def test_paging_and_filtering(emulator, client):
    for name in ("Alpha", "alpine", "beta", "gamma", "ALPS*"):
        client.webhooks.post(applicationId=APP_ID, webhook={"name": name})
    pages = [check(client.webhooks.get(applicationId=APP_ID, perPage=2, page=page, sortField="name",
                                       sortDirection="desc"), "webhooks") for page in range(3)]
    assert [item["name"] for page in pages for item in page["items"]] == ["gamma", "beta", "alpine", "Alpha", "ALPS*"]
    assert [page["count"] for page in pages] == [2, 2, 1]
    assert all(page["totalCount"] == 5 and page["perPage"] == 2 for page in pages)

    filtered = check(client.webhooks.get(applicationId=APP_ID, filterField="name", filter="alp*"), "webhooks")
    assert sorted(item["name"] for item in filtered["items"]) == ["ALPS*", "Alpha", "alpine"]
    assert filtered["filter"] == "alp*" and filtered["filterField"] == "name"
    literal = check(client.webhooks.get(applicationId=APP_ID, filterField="name", filter="ALPS*"), "webhooks")
    assert [item["name"] for item in literal["items"]] == ["ALPS*"]


def _error(call, **kwargs):
    with pytest.raises(losant_rest.LosantError) as raised:
        call(**kwargs)
    check(raised.value.data, "error")
    return raised.value


def test_errors(emulator, client):
    error = _error(client.webhooks.post, applicationId=APP_ID, webhook={"name": "x", "colour": "red"})
    assert error.status == 400 and error.data["type"] == "Validation" and "colour" in error.data["message"]

    error = _error(client.webhooks.post, applicationId=APP_ID, webhook={"name": "x", "responseCode": 1000})
    assert error.status == 400 and "responseCode" in error.data["message"]

    error = _error(client.webhook.get, applicationId="123", webhookId=MISSING_ID)
    assert error.status == 400 and error.data["type"] == "Validation"

    error = _error(client.webhooks.get, applicationId=APP_ID, perPage=5000)
    assert error.status == 400 and "perPage" in error.data["message"]

    error = _error(losant_rest.Client(auth_token="wrong", url=emulator.url).webhooks.get, applicationId=APP_ID)
    assert error.status == 401 and error.data == {"type": "Unauthorized", "message": "Invalid access token"}

    error = _error(client.webhook.get, applicationId=APP_ID, webhookId=MISSING_ID)
    assert error.status == 404 and error.data == {"type": "NotFound", "message": "Webhook was not found"}

    error = _error(client.webhook.delete, applicationId=APP_ID, webhookId=MISSING_ID)
    assert error.status == 404

    emulator.add_token("global", ["all.User"])
    error = _error(losant_rest.Client(auth_token="global", url=emulator.url).webhooks.get,
                   applicationId="5b9297591fefb200072e5500")
    assert error.status == 404 and error.data == {"type": "NotFound", "message": "Application was not found"}

    emulator.add_token("reader", ["all.Application.read"], [APP_ID])
    error = _error(losant_rest.Client(auth_token="reader", url=emulator.url).webhooks.post,
                   applicationId=APP_ID, webhook={"name": "x"})
    assert error.status == 403 and error.data["type"] == "Forbidden"


def test_injected_faults_reach_the_client(emulator, client):
    emulator.admin("POST", "/faults", json={"status": 503, "count": 1})
    error = _error(client.webhooks.get, applicationId=APP_ID)
    assert error.status == 503 and error.data["type"] == "ServiceUnavailable"
    check(client.webhooks.get(applicationId=APP_ID), "webhooks")


def test_flows_with_a_trigger_filter(emulator, client):
    hook = client.webhooks.post(applicationId=APP_ID, webhook={"name": "orders"})
    seeded = emulator.admin("POST", f"/applications/{APP_ID}/flows", json={"flows": [
        {"name": "on orders", "triggers": [{"type": "webhook", "key": hook["id"]}]},
        {"name": "elsewhere", "triggers": [{"type": "webhook", "key": MISSING_ID}]},
    ]}).json()["created"]

    found = client.flows.get(applicationId=APP_ID, triggerFilter=[{"type": "webhook", "key": hook["id"]}])
    assert [item["id"] for item in found["items"]] == seeded[:1] and found["totalCount"] == 1
    assert emulator.journal()[-1]["query"]["triggerFilter[0][key]"] == hook["id"]

    client.webhook.delete(applicationId=APP_ID, webhookId=hook["id"], includeWorkflows=True)
    assert client.flows.get(applicationId=APP_ID)["totalCount"] == 1

    error = _error(client.flows.get, applicationId=APP_ID, triggerFilter=[{"type": "webhook"}] * 101)
    assert error.status == 400 and error.data["type"] == "Validation"
