"""Settings and personalities: one answer per open question of the API notes."""
from __future__ import annotations

import re

import pytest
import requests

from tests.emulator.state import ConfigError, State

from .conftest import APP_ID, OTHER_APP_ID

DEFAULTS = {
    "filter_case": "insensitive", "filter_syntax": "glob", "empty_strings": False, "return_secrets": True,
    "is_websocket_patch": "applied", "max_per_page": 1000, "per_page_over_max": "error",
    "foreign_application_status": 403, "webhook_id_key": True, "hal_etag": False, "token_length": 40,
    "redirect_status": None, "latency_ms": 0, "audit_logs": "available", "connect_latency_ms": 0,
    "max_writes_in_flight": None,
}
# The names other helpers and the integration suites use (the team plan); what each does is
# checked by behaviour below and by tests/contract under every personality.
PERSONALITY_NAMES = [
    "default", "case-sensitive-filter", "regex-filter", "empty-strings", "no-secrets", "websocket-ignored",
    "websocket-refused", "per-page-clamp-100", "per-page-error-100", "foreign-404", "no-webhook-id", "hal-etag",
    "varying-token-length", "redirect-301", "redirect-307",
]


def _settings(emulator, **changes):
    response = emulator.admin("POST", "/settings", json=changes)
    assert response.status_code == 200, response.text
    return response.json()


def _seed(emulator, names):
    response = emulator.admin("POST", f"/applications/{APP_ID}/webhooks",
                              json={"webhooks": [{"name": name} for name in names], "apply_defaults": True})
    assert response.status_code == 201, response.text


def _names(emulator, **params):
    response = emulator.call("GET", emulator.hooks_path(), params=params)
    assert response.status_code == 200, response.text
    return sorted(item["name"] for item in response.json()["items"])


# -- the settings themselves ------------------------------------------------------------------

def test_defaults(emulator):
    assert emulator.admin("GET", "/settings").json() == DEFAULTS


@pytest.mark.parametrize("change", [
    {"filter_case": "upper"}, {"filter_syntax": "like"}, {"filter_syntax": None}, {"empty_strings": 1},
    {"return_secrets": "no"}, {"is_websocket_patch": "applied "}, {"max_per_page": 0},
    {"max_per_page": "100"}, {"max_per_page": True}, {"per_page_over_max": "ignore"},
    {"foreign_application_status": 500}, {"foreign_application_status": "404"}, {"webhook_id_key": "false"},
    {"hal_etag": 0}, {"token_length": 26}, {"token_length": 45}, {"token_length": "random"},
    {"token_length": 40.0}, {"redirect_status": 300}, {"redirect_status": "301"}, {"redirect_status": True},
    {"latency_ms": -1}, {"latency_ms": 60001}, {"latency_ms": "50"}, {"latency_ms": 0.5},
    {"colour": "red"}, {"personality": "nope"}, {"personality": ["default"]},
    {"personality": "regex-filter", "filter_case": "maybe"},
])
def test_invalid_settings_are_400_and_change_nothing(emulator, change):
    response = emulator.admin("POST", "/settings", json=change)
    assert response.status_code == 400 and response.json()["type"] == "Validation"
    assert emulator.admin("GET", "/settings").json() == DEFAULTS


def test_settings_body_must_be_an_object(emulator):
    assert emulator.admin("POST", "/settings", json=[1]).status_code == 400


def test_personalities_are_listed(emulator):
    presets = emulator.admin("GET", "/personalities").json()["personalities"]
    assert list(presets) == PERSONALITY_NAMES and presets["default"] == {}
    assert all(preset and set(preset) <= set(DEFAULTS) for name, preset in presets.items() if name != "default")


@pytest.mark.parametrize("name", PERSONALITY_NAMES)
def test_a_personality_is_the_defaults_plus_its_preset(emulator, name):
    preset = emulator.admin("GET", "/personalities").json()["personalities"][name]
    _settings(emulator, filter_case="sensitive", hal_etag=True, token_length=30)
    applied = _settings(emulator, personality=name)
    assert applied == {**DEFAULTS, **preset}
    assert name == "default" or applied != DEFAULTS


def test_settings_given_with_a_personality_apply_on_top_of_it(emulator):
    assert _settings(emulator, personality="no-secrets", hal_etag=True) == {
        **DEFAULTS, "return_secrets": False, "hal_etag": True}


def test_config_file_takes_settings_and_a_personality():
    state = State()
    state.load_config({"personality": "per-page-clamp-100", "token_length": 27})
    assert state.settings == {**DEFAULTS, "max_per_page": 100, "per_page_over_max": "clamp", "token_length": 27}
    for bad in ({"personality": "unknown"}, {"redirect_status": 200}, {"hal_etag": "yes"}):
        with pytest.raises(ConfigError):
            State().load_config(bad)


# -- filter_case and filter_syntax ------------------------------------------------------------

def test_sensitive_filter_matches_case_exactly(emulator):
    _seed(emulator, ["Orders", "orders", "ORDERS-eu"])
    assert _names(emulator, filterField="name", filter="orders") == ["Orders", "orders"]
    _settings(emulator, filter_case="sensitive")
    assert _names(emulator, filterField="name", filter="orders") == ["orders"]
    assert _names(emulator, filterField="name", filter="ORD*") == ["ORDERS-eu"]


SPECIAL = ["orders (v2)", "c++", "a?b", "ab", "[a]", "a", "^x", "x", "y$", "back\\slash", "a.b", "axb"]


@pytest.mark.parametrize("pattern,glob,regex", [
    ("orders (v2)", ["orders (v2)"], []),
    ("c++", ["c++"], []),
    ("a?b", ["a?b"], ["ab"]),
    ("[a]", ["[a]"], ["a"]),
    ("^x", ["^x"], ["x"]),
    ("y$", ["y$"], []),
    ("back\\slash", ["back\\slash"], []),
    ("a.b", ["a.b"], ["a.b", "a?b", "axb"]),
    ("a*b", ["a.b", "a?b", "ab", "axb"], ["a.b", "a?b", "ab", "axb"]),
    ("*(v2)", ["orders (v2)"], []),
])
def test_regex_filter_gives_every_other_character_its_meaning(emulator, pattern, glob, regex):
    _seed(emulator, SPECIAL)
    assert _names(emulator, filterField="name", filter=pattern) == sorted(glob)
    _settings(emulator, filter_syntax="regex")
    assert _names(emulator, filterField="name", filter=pattern) == sorted(regex)


def test_regex_filter_honours_filter_case(emulator):
    _seed(emulator, ["Orders", "orders"])
    _settings(emulator, filter_syntax="regex")
    assert _names(emulator, filterField="name", filter="o.ders") == ["Orders", "orders"]
    _settings(emulator, filter_case="sensitive")
    assert _names(emulator, filterField="name", filter="o.ders") == ["orders"]


@pytest.mark.parametrize("pattern", ["a(b", "[a", "+a", "x{2,1}"])
def test_invalid_regex_filter_is_400(emulator, pattern):
    _settings(emulator, filter_syntax="regex")
    response = emulator.call("GET", emulator.hooks_path(), params={"filterField": "name", "filter": pattern})
    assert response.status_code == 400 and response.json()["type"] == "Validation"
    assert "filter" in response.json()["message"]


# -- empty_strings, webhook_id_key, hal_etag, token_length ------------------------------------

OPTIONAL = ("description", "verificationCode", "basicAuthUsername", "basicAuthPassword")


def test_empty_strings_fill_the_optional_strings_not_given(emulator):
    _settings(emulator, empty_strings=True)
    created = emulator.create(name="a", description="given")
    assert {key: created[key] for key in OPTIONAL} == {
        "description": "given", "verificationCode": "", "basicAuthUsername": "", "basicAuthPassword": ""}
    assert emulator.call("GET", emulator.hook_path(created["id"])).json()["basicAuthUsername"] == ""


def test_empty_strings_and_no_secrets_hide_the_empty_secrets(emulator):
    _settings(emulator, personality="empty-strings", return_secrets=False)
    created = emulator.create(name="a")
    assert created["description"] == "" and "basicAuthPassword" not in created
    assert "verificationCode" not in created


def test_no_webhook_id_key(emulator):
    _settings(emulator, webhook_id_key=False)
    created = emulator.create(name="a")
    fetched = emulator.call("GET", emulator.hook_path(created["id"])).json()
    patched = emulator.call("PATCH", emulator.hook_path(created["id"]), json={"enabled": False}).json()
    listed = emulator.call("GET", emulator.hooks_path()).json()["items"][0]
    for body in (created, fetched, patched, listed):
        assert "webhookId" not in body and body["id"] == created["id"]
    stored = emulator.admin("GET", f"/applications/{APP_ID}/webhooks").json()["webhooks"][0]
    assert stored["webhookId"] == created["id"]


def test_hal_etag_adds_an_etag_that_changes_with_the_webhook(emulator):
    plain = emulator.create(name="a")
    assert "_etag" not in plain and set(plain["_links"]) == {"self"}
    _settings(emulator, hal_etag=True)
    created = emulator.create(name="b")
    application = f"/applications/{APP_ID}"
    assert created["_links"] == {"self": {"href": f"{application}/webhooks/{created['id']}"},
                                 "application": {"href": application},
                                 "webhooks": {"href": f"{application}/webhooks"}}
    assert re.fullmatch(r'"[0-9a-f]{40}"', created["_etag"])
    again = emulator.call("GET", emulator.hook_path(created["id"])).json()
    assert again["_etag"] == created["_etag"]
    patched = emulator.call("PATCH", emulator.hook_path(created["id"]), json={"enabled": False}).json()
    assert patched["_etag"] != created["_etag"]
    bare = emulator.call("GET", emulator.hook_path(created["id"]), params={"_links": "false"}).json()
    assert "_links" not in bare and bare["_etag"] == patched["_etag"]


@pytest.mark.parametrize("length", [27, 33, 44])
def test_token_length(emulator, length):
    _settings(emulator, token_length=length)
    assert len(emulator.create(name="a")["token"]) == length
    seeded = emulator.admin("POST", f"/applications/{APP_ID}/webhooks", json={"count": 1}).json()["created"][0]
    token = emulator.call("GET", emulator.hook_path(seeded)).json()["token"]
    assert len(token) == length and re.fullmatch(r"[A-Za-z0-9_-]+", token)


def test_default_token_length_is_40(emulator):
    assert {len(emulator.create(name=f"h{index}")["token"]) for index in range(5)} == {40}


def test_varying_token_length(emulator):
    _settings(emulator, personality="varying-token-length")
    lengths = {len(emulator.create(name=f"h{index}")["token"]) for index in range(60)}
    assert lengths <= set(range(27, 45)) and len(lengths) > 3


# -- is_websocket_patch -----------------------------------------------------------------------

@pytest.mark.parametrize("rule,status,websocket,enabled", [
    ("applied", 200, True, False),
    ("ignored", 200, False, False),
    ("refused", 400, False, True),
])
def test_is_websocket_patch(emulator, rule, status, websocket, enabled):
    _settings(emulator, is_websocket_patch=rule)
    created = emulator.create(name="a")
    response = emulator.call("PATCH", emulator.hook_path(created["id"]), json={"isWebsocket": True, "enabled": False})
    assert response.status_code == status
    if status == 400:
        assert response.json()["type"] == "Validation" and "isWebsocket" in response.json()["message"]
    else:
        assert (response.json()["isWebsocket"], response.json()["enabled"]) == (websocket, enabled)
    stored = emulator.call("GET", emulator.hook_path(created["id"])).json()
    assert (stored["isWebsocket"], stored["enabled"]) == (websocket, enabled)


@pytest.mark.parametrize("rule", ["ignored", "refused"])
def test_is_websocket_patch_with_the_current_value_is_accepted(emulator, rule):
    _settings(emulator, is_websocket_patch=rule)
    created = emulator.create(name="a", isWebsocket=True)
    response = emulator.call("PATCH", emulator.hook_path(created["id"]), json={"isWebsocket": True, "name": "b"})
    assert response.status_code == 200 and response.json()["name"] == "b"


# -- max_per_page and per_page_over_max -------------------------------------------------------

def test_per_page_over_max_is_an_error_by_default(emulator):
    _settings(emulator, personality="per-page-error-100")
    emulator.admin("POST", f"/applications/{APP_ID}/webhooks", json={"count": 150})
    response = emulator.call("GET", emulator.hooks_path(), params={"perPage": 101})
    assert response.status_code == 400 and "perPage" in response.json()["message"]
    body = emulator.call("GET", emulator.hooks_path(), params={"perPage": 100, "page": 1}).json()
    assert (body["count"], body["perPage"], body["totalCount"]) == (50, 100, 150)


def test_per_page_over_max_clamped(emulator):
    _settings(emulator, personality="per-page-clamp-100")
    emulator.admin("POST", f"/applications/{APP_ID}/webhooks", json={"count": 250})
    pages = [emulator.call("GET", emulator.hooks_path(), params={"perPage": 1000, "page": page}).json()
             for page in range(3)]
    assert [(page["count"], page["perPage"], page["totalCount"]) for page in pages] == [
        (100, 100, 250), (100, 100, 250), (50, 100, 250)]
    assert pages[1]["items"][0]["name"] == "hook-00100"
    assert emulator.call("GET", emulator.hooks_path(), params={"perPage": 7}).json()["count"] == 7


def test_small_max_per_page_lowers_the_default_page_size(emulator):
    _settings(emulator, max_per_page=20)
    emulator.admin("POST", f"/applications/{APP_ID}/webhooks", json={"count": 30})
    body = emulator.call("GET", emulator.hooks_path()).json()
    assert (body["count"], body["perPage"]) == (20, 20)


# -- foreign_application_status ---------------------------------------------------------------

@pytest.mark.parametrize("personality,status", [("default", 403), ("foreign-404", 404)])
def test_foreign_application_status(emulator, personality, status):
    emulator.admin("POST", "/applications", json={"id": OTHER_APP_ID})
    _settings(emulator, personality=personality)
    response = emulator.call("GET", emulator.hooks_path(OTHER_APP_ID))
    assert response.status_code == status


# -- redirect_status --------------------------------------------------------------------------

@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_redirect_answers_every_api_request_with_a_location_under_moved(emulator, status):
    _settings(emulator, redirect_status=status)
    response = emulator.call("POST", emulator.hooks_path() + "?_links=true", json={"name": "a"},
                             allow_redirects=False)
    assert response.status_code == status
    assert response.headers["Location"] == f"{emulator.url}/moved{emulator.hooks_path()}?_links=true"
    assert response.headers["Content-Type"].startswith("text/html")
    assert emulator.call("GET", "/nowhere", token=None, allow_redirects=False).status_code == status
    assert emulator.admin("GET", "/health").status_code == 200
    assert emulator.admin("GET", f"/applications/{APP_ID}/webhooks").json() == {"webhooks": []}
    assert [(entry["method"], entry["status"]) for entry in emulator.journal()] == [
        ("POST", status), ("GET", status)]


def test_moved_paths_are_served_as_the_api(emulator):
    _settings(emulator, personality="redirect-307")
    created = emulator.call("POST", "/moved" + emulator.hooks_path(), json={"name": "a"}, allow_redirects=False)
    assert created.status_code == 201 and created.json()["_links"]["self"]["href"].startswith("/applications/")
    assert emulator.call("GET", "/moved" + emulator.hooks_path(), token="wrong").status_code == 401
    assert emulator.journal()[0]["path"] == "/moved" + emulator.hooks_path()
    _settings(emulator, personality="default")
    assert emulator.call("GET", "/moved" + emulator.hook_path(created.json()["id"])).status_code == 200


def test_a_client_that_follows_a_301_turns_a_post_into_a_get(emulator):
    """Why the setting exists: requests replays a POST after 301 as a GET, which lists webhooks."""
    _settings(emulator, personality="redirect-301")
    response = requests.post(emulator.url + emulator.hooks_path(), json={"name": "a"}, timeout=10,
                             headers={"Authorization": f"Bearer {emulator.token}"})
    assert response.status_code == 200 and "items" in response.json()
    assert [(entry["method"], entry["status"]) for entry in emulator.journal()] == [("POST", 301), ("GET", 200)]


def test_a_personality_leaves_settings_outside_every_preset_alone(emulator):
    _settings(emulator, latency_ms=5, filter_case="sensitive")
    applied = _settings(emulator, personality="hal-etag")
    assert (applied["latency_ms"], applied["filter_case"], applied["hal_etag"]) == (5, "insensitive", True)
