"""Each open question of the API notes: detect which plausible behaviour the API shows.

A test fails only when the API answers outside every plausible behaviour, or, against the
emulator, when the behaviour detected is not the one its personality configures.
"""
from __future__ import annotations

import re
import secrets
from functools import partial

import pytest

from .api import implausible
from .detect import PER_PAGE, personality_matching

REDIRECTS = (301, 302, 303, 307, 308)
TOKEN = re.compile(r"[A-Za-z0-9_-]{27,44}")
TOKEN_SAMPLES = 8
ABSENT = object()


def _get(contract, webhook: dict) -> dict:
    response = contract.call("GET", f"{contract.hooks_path()}/{webhook['id']}")
    return contract.answer(response, 200, f"get webhook {webhook['id']}")


def _bodies(contract, created: dict) -> dict:
    """The new webhook as the POST, a GET and the list answer it."""
    params = {"filterField": "name", "filter": created["name"], "perPage": 100}
    items = contract.answer(contract.call("GET", contract.hooks_path(), params=params), 200,
                            f"list webhooks named {created['name']}")["items"]
    listed = [item for item in items if item.get("id") == created["id"]]
    if not listed:
        pytest.fail(f"the list filtered by its name does not show webhook {created['name']}", pytrace=False)
    return {"POST": created, "GET": _get(contract, created), "list": listed[0]}


def _one_answer(question: str, answers: dict) -> str:
    """The answer every response gave; responses that disagree are outside the plausible set."""
    if len(set(answers.values())) != 1:
        implausible(question, f"responses disagree: {answers}")
    return next(iter(answers.values()))


def _record_per_body(contract, question: str, created: dict, classify) -> None:
    answers = {source: classify(body) for source, body in _bodies(contract, created).items()}
    contract.record(question, _one_answer(question, answers))


def test_redirect(contract):
    first = contract.first_answer
    if first.status_code == 200:
        contract.record("redirect", "none")
        return
    if first.status_code not in REDIRECTS:
        contract.answer(first, 200, "list webhooks")
    location = first.headers.get("Location", "")
    if contract.base == contract.api.url:
        implausible("redirect", f"{first.status_code} to {location!r}, not the same path on the same host")
    name = contract.prefix + "redirected-write"
    write = contract.api.request("POST", contract.api.url + contract.hooks_path(), json={"name": name})
    if write.status_code not in REDIRECTS:
        implausible("redirect", f"GET was redirected but POST answered {write.status_code}")
    if contract.names(name):
        implausible("redirect", "a POST answered with a redirect still created the webhook")
    contract.record("redirect", str(first.status_code))


def test_filter_case(contract):
    name = contract.prefix + "CaseProbe"
    contract.create("CaseProbe")
    if contract.names(name) != [name]:
        implausible("filter_case", f"a filter with the exact name {name!r} does not find the webhook")
    folded = contract.names(name.lower())
    if folded not in ([name], []):
        implausible("filter_case", f"a lower-case filter found {folded}")
    contract.record("filter_case", "insensitive" if folded else "sensitive")


def _syntax(contract, literal: str, other: str) -> str:
    """glob when the filter ``literal`` finds only itself, regex when it finds only/also ``other``."""
    found = contract.names(contract.prefix + literal)
    answers = {
        (contract.prefix + literal,): "glob",
        tuple(sorted([contract.prefix + literal, contract.prefix + other])): "regex",
        (contract.prefix + other,): "regex",
    }
    if tuple(found) not in answers:
        implausible("filter_syntax", f"the filter {contract.prefix + literal!r} found {found}")
    return answers[tuple(found)]


def test_filter_syntax(contract):
    for suffix in ("dot.x", "dotyx", "q(1)", "q1"):
        contract.create(suffix)
    answers = {literal: _syntax(contract, literal, other) for literal, other in (("dot.x", "dotyx"), ("q(1)", "q1"))}
    contract.record("filter_syntax", _one_answer("filter_syntax", answers))


def optional_strings_answer(body: dict) -> str:
    plain = {body.get(key, ABSENT) for key in ("description", "basicAuthUsername")}
    hidden = {body.get(key, ABSENT) for key in ("verificationCode", "basicAuthPassword")}
    if plain == {ABSENT} and hidden == {ABSENT}:
        return "absent"
    if plain == {""} and hidden <= {"", ABSENT}:
        return "empty strings"
    shown = {key: body.get(key) for key in ("description", "basicAuthUsername", "verificationCode",
                                            "basicAuthPassword") if key in body}
    implausible("optional_strings", f"a webhook created with a name only has {shown}")
    return ""


def test_optional_strings(contract):
    _record_per_body(contract, "optional_strings", contract.create("optional-strings"), optional_strings_answer)


def secrets_answer(given: dict, body: dict) -> str:
    shown = {key: body.get(key, ABSENT) for key in given}
    if shown == given:
        return "returned"
    if set(shown.values()) != {ABSENT}:
        implausible("secrets", "secrets come back changed (masked?) or only one of them: "
                    + ", ".join(key for key, value in shown.items() if value is not ABSENT))
    return "not returned"


def test_secrets(contract):
    given = {"verificationCode": "vc-" + secrets.token_hex(8), "basicAuthPassword": "pw-" + secrets.token_hex(8)}
    created = contract.create("secrets", basicAuthUsername="contract", **given)
    _record_per_body(contract, "secrets", created, partial(secrets_answer, given))


def test_is_websocket_patch(contract):
    created = contract.create("websocket")
    if created.get("isWebsocket", False) is not False:
        implausible("is_websocket_patch", "a new webhook is a websocket one by default")
    response = contract.call("PATCH", f"{contract.hooks_path()}/{created['id']}", json={"isWebsocket": True})
    stored = _get(contract, created).get("isWebsocket", False)
    if response.status_code == 400 and stored is False:
        answer = "refused"
    elif response.status_code == 200 and response.json().get("isWebsocket", False) == stored:
        answer = "applied" if stored is True else "ignored"
    else:
        answer = ""
        implausible("is_websocket_patch", f"PATCH answered {response.status_code} {response.text[:200]}; "
                    f"stored isWebsocket is now {stored}")
    contract.record("is_websocket_patch", answer)


def test_per_page_1000(contract):
    response = contract.call("GET", contract.hooks_path(), params={"perPage": PER_PAGE})
    if response.status_code == 400:
        contract.record("per_page_1000", "400")
        return
    body = contract.answer(response, 200, f"list with perPage={PER_PAGE}")
    echoed, count, total = body.get("perPage"), body.get("count", len(body["items"])), body["totalCount"]
    if echoed == PER_PAGE and count == min(total, PER_PAGE):
        answer = "honoured"
    elif isinstance(echoed, int) and 0 < echoed < PER_PAGE and count == min(total, echoed):
        answer = f"clamped to {echoed}"
    elif echoed == PER_PAGE and 0 < count < min(total, PER_PAGE):
        answer = f"clamped to {count} (perPage echoed as {PER_PAGE})"
    else:
        answer = ""
        implausible("per_page_1000", f"perPage echoed {echoed!r}, {count} items of {total}")
    contract.record("per_page_1000", answer)


def test_foreign_application(contract):
    foreign = contract.api.foreign_application_id
    if foreign is None:
        pytest.skip("needs LOSANT_FOREIGN_APPLICATION_ID, an application the token may not use")
    response = contract.call("GET", contract.hooks_path(foreign))
    if response.status_code == 200:
        pytest.fail("the token may use LOSANT_FOREIGN_APPLICATION_ID: choose an application it may not use",
                    pytrace=False)
    if response.status_code not in (403, 404):
        implausible("foreign_application", f"answered {response.status_code}: {response.text[:200]}")
    contract.record("foreign_application", str(response.status_code))


def webhook_id_answer(body: dict) -> str:
    if "webhookId" not in body:
        return "absent"
    if body["webhookId"] != body["id"]:
        implausible("webhook_id_key", f"webhookId {body['webhookId']!r} differs from id {body['id']!r}")
    return "present"


def test_webhook_id_key(contract):
    _record_per_body(contract, "webhook_id_key", contract.create("webhook-id"), webhook_id_answer)


def hal_answer(body: dict) -> str:
    unknown = sorted(key for key in body if key.startswith("_")
                     and key not in ("_type", "_links", "_etag", "_actions", "_embedded"))
    if unknown:
        implausible("hal_keys", f"unexpected keys {unknown}")
    if body.get("_type", "webhook") != "webhook":
        implausible("hal_keys", f"_type is {body['_type']!r}")
    links = body.get("_links", {})
    if not isinstance(links, dict) or not str(links.get("self", {}).get("href", body["id"])).endswith(body["id"]):
        implausible("hal_keys", f"_links is {links!r}")
    if "_etag" not in body:
        return "without _etag"
    if not isinstance(body["_etag"], str) or not body["_etag"]:
        implausible("hal_keys", f"_etag is {body['_etag']!r}")
    return "with _etag"


def test_hal_keys(contract):
    _record_per_body(contract, "hal_keys", contract.create("hal"), hal_answer)


def test_token_length(contract):
    tokens = [contract.create(f"token-{index}").get("token") for index in range(TOKEN_SAMPLES)]
    odd = [token for token in tokens if not (isinstance(token, str) and TOKEN.fullmatch(token))]
    if odd:
        implausible("token_length", f"{len(odd)} tokens are not 27-44 URL-safe characters")
    lengths = sorted({len(token) for token in tokens})
    contract.record("token_length", str(lengths[0]) if len(lengths) == 1 else "varying")


def test_detected_personality_is_the_configured_one(contract, personality):
    if personality == "live":
        pytest.skip("a live API has no configured personality; its answers are printed at the end")
    missing = sorted(set(contract.expected) - set(contract.observed))
    assert not missing, f"questions without an answer: {missing}"
    assert personality_matching(contract.observed) == personality
