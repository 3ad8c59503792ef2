"""Workflows: seeding, the list with its trigger filter, scopes, and webhook deletes that take them along."""
from __future__ import annotations

import json

import pytest

from tests.emulator.cli import build_parser, build_state
from tests.emulator.settings import ConfigError

from .conftest import APP_ID, OTHER_APP_ID, check

HOOK_A = "5b9297591fefb200072e0001"
HOOK_B = "5b9297591fefb200072e0002"


def _seed_flows(emulator, flows, app=APP_ID):
    response = emulator.admin("POST", f"/applications/{app}/flows", json={"flows": flows})
    assert response.status_code == 201, response.text
    return response.json()["created"]


def _flow(name, *hooks, **fields):
    return {"name": name, "triggers": [{"type": "webhook", "key": hook} for hook in hooks], **fields}


def _list(emulator, params=None, token=None, expect=200):
    kwargs = {} if token is None else {"token": token}
    response = emulator.call("GET", f"/applications/{APP_ID}/flows", params=params or {}, **kwargs)
    assert response.status_code == expect, response.text
    body = response.json()
    return body if expect == 200 else check(body, "error")


def _names(body):
    return [item["name"] for item in body["items"]]


def _trigger_filter(*entries):
    """The flattened query Losant's clients send for a list of {type, key} entries."""
    return {f"triggerFilter[{index}][{field}]": value
            for index, entry in enumerate(entries) for field, value in entry.items()}


def test_seeded_flows_are_stored_with_identity_and_defaults(emulator):
    created = _seed_flows(emulator, [_flow("on orders", HOOK_A), {"name": "nightly", "enabled": False,
                                                                  "triggers": [{"type": "timer", "key": "t"}]}])
    stored = emulator.admin("GET", f"/applications/{APP_ID}/flows").json()["flows"]
    assert [flow["id"] for flow in stored] == created
    first = stored[0]
    assert first["flowId"] == first["id"] and first["applicationId"] == APP_ID
    assert first["creationDate"] == first["lastUpdated"] and first["creationDate"].endswith("Z")
    assert (first["enabled"], first["flowClass"]) == (True, "cloud")
    assert first["triggers"] == [{"type": "webhook", "key": HOOK_A}]
    assert stored[1]["enabled"] is False


@pytest.mark.parametrize("body", [
    [], {"flows": "x"}, {"flows": [{"name": ""}]}, {"flows": [{"triggers": []}]},
    {"flows": [_flow("a", enabled="yes")]}, {"flows": [{"name": "a", "triggers": [{"key": HOOK_A}]}]},
    {"flows": [{"name": "a", "triggers": {"type": "webhook"}}]}, {"flows": [_flow("a", flowClass="moon")]},
    {"flows": [_flow("a", id="xyz")]}, {"flows": [_flow("a", id=HOOK_A), _flow("b", id=HOOK_A)]},
    {"flows": [], "extra": 1},
])
def test_unusable_seeds_are_refused_whole(emulator, body):
    response = emulator.admin("POST", f"/applications/{APP_ID}/flows", json=body)
    assert response.status_code == 400 and response.json()["type"] == "Validation"
    assert emulator.admin("GET", f"/applications/{APP_ID}/flows").json() == {"flows": []}


def test_seeding_an_unknown_application_is_404(emulator):
    assert emulator.admin("POST", f"/applications/{OTHER_APP_ID}/flows", json={"flows": []}).status_code == 404
    assert emulator.admin("GET", f"/applications/{OTHER_APP_ID}/flows").status_code == 404


def test_empty_list_body(emulator):
    assert _list(emulator) == {
        "items": [], "count": 0, "totalCount": 0, "perPage": 100, "page": 0, "sortField": "name",
        "sortDirection": "asc", "applicationId": APP_ID, "flowClass": "cloud", "_type": "flows",
        "_links": {"self": {"href": f"/applications/{APP_ID}/flows"}},
    }


def test_items_carry_hal_keys(emulator):
    [flow_id] = _seed_flows(emulator, [_flow("on orders", HOOK_A, description="d")])
    [item] = _list(emulator)["items"]
    assert item["_type"] == "flow"
    assert item["_links"] == {"self": {"href": f"/applications/{APP_ID}/flows/{flow_id}"}}
    assert {key: item[key] for key in ("id", "name", "enabled", "description")} == {
        "id": flow_id, "name": "on orders", "enabled": True, "description": "d"}
    assert "_links" not in _list(emulator, {"_links": "false"})["items"][0]


def test_trigger_filter_matches_type_and_key_of_any_entry(emulator):
    _seed_flows(emulator, [
        _flow("a only", HOOK_A), _flow("b only", HOOK_B), _flow("both", HOOK_A, HOOK_B), _flow("none"),
        {"name": "same key, other type", "triggers": [{"type": "deviceId", "key": HOOK_A}]},
    ])
    assert _names(_list(emulator, _trigger_filter({"type": "webhook", "key": HOOK_A}))) == ["a only", "both"]
    both = _trigger_filter({"type": "webhook", "key": HOOK_A}, {"type": "webhook", "key": HOOK_B})
    assert _names(_list(emulator, both)) == ["a only", "b only", "both"]
    assert _names(_list(emulator, _trigger_filter({"type": "webhook"}))) == ["a only", "b only", "both"]
    assert _list(emulator, _trigger_filter({"type": "webhook", "key": HOOK_A.upper()}))["totalCount"] == 0
    assert _list(emulator)["totalCount"] == 5


def test_trigger_filter_takes_up_to_100_entries(emulator):
    _seed_flows(emulator, [_flow("a", HOOK_A)])
    entries = [{"type": "webhook", "key": f"{index:024x}"} for index in range(99)] + [{"type": "webhook",
                                                                                       "key": HOOK_A}]
    assert _names(_list(emulator, _trigger_filter(*entries))) == ["a"]
    error = _list(emulator, _trigger_filter(*entries, {"type": "webhook", "key": HOOK_B}), expect=400)
    assert error["type"] == "Validation" and "at most 100" in error["message"]


@pytest.mark.parametrize("params, word", [
    ({"triggerFilter": json.dumps([{"type": "webhook"}])}, "triggerFilter"),
    ({"triggerFilter[0][colour]": "red"}, "colour"),
    ({"triggerFilter[][type]": "webhook"}, "triggerFilter"),
    ({"triggerFilter[0][type]": "x" * 1025}, "triggerFilter[0].type"),
    ({"flowClass": "moon"}, "flowClass"),
    ({"perPage": "1001"}, "perPage"),
    ({"sortField": "enabled"}, "sortField"),
    ({"includeCustomNodes": "maybe"}, "includeCustomNodes"),
    ({"query": "{}"}, "query"),
])
def test_bad_queries_are_400_before_the_application_is_looked_up(emulator, params, word):
    response = emulator.call("GET", f"/applications/{OTHER_APP_ID}/flows", params=params)
    assert response.status_code == 400 and response.json()["type"] == "Validation"
    assert word in response.json()["message"]


def test_flow_class_defaults_to_cloud(emulator):
    _seed_flows(emulator, [_flow("cloud", HOOK_A), _flow("edge", HOOK_A, flowClass="edge")])
    assert _names(_list(emulator)) == ["cloud"]
    edge = _list(emulator, {"flowClass": "edge", **_trigger_filter({"type": "webhook", "key": HOOK_A})})
    assert _names(edge) == ["edge"] and edge["flowClass"] == "edge"


def test_paging_sorting_and_name_filter_work_as_for_webhooks(emulator):
    _seed_flows(emulator, [_flow(f"flow-{index}") for index in range(5)] + [_flow("Other")])
    pages = [_list(emulator, {"perPage": 2, "page": page, "sortDirection": "desc"}) for page in range(3)]
    assert [name for page in pages for name in _names(page)] == [
        "flow-4", "flow-3", "flow-2", "flow-1", "flow-0", "Other"]
    assert [(page["count"], page["totalCount"], page["perPage"]) for page in pages] == [(2, 6, 2)] * 3
    filtered = _list(emulator, {"filterField": "name", "filter": "FLOW-*"})
    assert filtered["totalCount"] == 5 and filtered["filter"] == "FLOW-*"


@pytest.mark.parametrize("scope", ["all.Application", "all.Application.read", "all.Application.bounded",
                                   "all.Organization.read", "all.User", "flows.*", "flows.get"])
def test_scopes_that_may_list_flows(emulator, scope):
    _list(emulator, token=emulator.add_token("t", [scope]))


@pytest.mark.parametrize("scope", ["webhooks.get", "webhooks.*", "flow.get", "flows.post"])
def test_scopes_that_may_not(emulator, scope):
    error = _list(emulator, token=emulator.add_token("t", [scope]), expect=403)
    assert "flows.get" in error["message"]


def test_errors_in_the_order_of_the_webhook_list(emulator):
    assert emulator.call("GET", f"/applications/{APP_ID}/flows", token=None).status_code == 401
    assert emulator.call("POST", f"/applications/{APP_ID}/flows").status_code == 405
    assert emulator.call("GET", "/applications/nope/flows").status_code == 400
    emulator.add_token("global", ["all.User"])
    missing = emulator.call("GET", f"/applications/{OTHER_APP_ID}/flows", token="global")
    assert missing.status_code == 404 and missing.json()["message"] == "Application was not found"
    emulator.admin("POST", "/applications", json={"id": OTHER_APP_ID})
    assert emulator.call("GET", f"/applications/{OTHER_APP_ID}/flows").status_code == 403
    assert [entry["status"] for entry in emulator.journal()] == [401, 405, 400, 404, 403]


@pytest.mark.parametrize("include, left", [("true", ["b only", "other app's"]),
                                           ("false", ["a only", "both", "b only", "other app's"]),
                                           (None, ["a only", "both", "b only", "other app's"])])
def test_deleting_a_webhook_takes_its_workflows_only_with_include_workflows(emulator, include, left):
    emulator.admin("POST", "/applications", json={"id": OTHER_APP_ID})
    emulator.admin("POST", f"/applications/{APP_ID}/webhooks", json={"webhooks": [{"id": HOOK_A, "name": "a"}]})
    _seed_flows(emulator, [_flow("a only", HOOK_A), _flow("both", HOOK_B, HOOK_A), _flow("b only", HOOK_B)])
    _seed_flows(emulator, [_flow("other app's", HOOK_A)], app=OTHER_APP_ID)
    params = {} if include is None else {"includeWorkflows": include}
    assert emulator.call("DELETE", emulator.hook_path(HOOK_A), params=params).json() == {"success": True}
    names = [flow["name"] for app in (APP_ID, OTHER_APP_ID)
             for flow in emulator.admin("GET", f"/applications/{app}/flows").json()["flows"]]
    assert sorted(names) == sorted(left)


def test_a_failed_delete_takes_no_workflow(emulator):
    _seed_flows(emulator, [_flow("a only", HOOK_A)])
    response = emulator.call("DELETE", emulator.hook_path(HOOK_A), params={"includeWorkflows": "true"})
    assert response.status_code == 404
    assert _list(emulator)["totalCount"] == 1


def test_reset_restores_start_up_flows_and_deleting_the_application_drops_them(emulator):
    _seed_flows(emulator, [_flow("later", HOOK_A)])
    emulator.admin("POST", "/reset")
    assert _list(emulator)["totalCount"] == 0
    _seed_flows(emulator, [_flow("again", HOOK_A)])
    emulator.admin("DELETE", f"/applications/{APP_ID}")
    emulator.admin("POST", "/applications", json={"id": APP_ID})
    assert emulator.admin("GET", f"/applications/{APP_ID}/flows").json() == {"flows": []}


def test_config_file_seeds_flows_that_reset_brings_back(tmp_path):
    config = tmp_path / "config.json"
    config.write_text(json.dumps({"flows": {OTHER_APP_ID: [_flow("from config", HOOK_A)]}}), encoding="utf-8")
    state = build_state(build_parser().parse_args(["--config", str(config)]))
    state.flows.clear()
    state.reset()
    assert [flow["name"] for flow in state.flows[OTHER_APP_ID].values()] == ["from config"]


@pytest.mark.parametrize("flows", [[_flow("a")], {OTHER_APP_ID: "x"}, {"nope": []}])
def test_config_file_with_unusable_flows_is_refused(tmp_path, flows):
    config = tmp_path / "config.json"
    config.write_text(json.dumps({"flows": flows}), encoding="utf-8")
    with pytest.raises(ConfigError):
        build_state(build_parser().parse_args(["--config", str(config)]))


def test_listing_settings_apply_to_flows_too(emulator):
    _seed_flows(emulator, [_flow("flow-1")])
    emulator.admin("POST", "/settings", json={"filter_case": "sensitive"})
    assert _list(emulator, {"filterField": "name", "filter": "FLOW-*"})["totalCount"] == 0
    assert _list(emulator, {"filterField": "name", "filter": "flow-*"})["totalCount"] == 1
