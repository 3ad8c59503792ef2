"""The detectors themselves: each must notice an emulator that answers unlike what it was told."""
from __future__ import annotations

import secrets
from functools import partial

import pytest
import requests

from tests.emulator.settings import DEFAULT_SETTINGS, PERSONALITIES

from . import test_open_questions as questions
from .api import Api, Contract
from .conftest import EMULATOR_APP, EMULATOR_FOREIGN_APP, EMULATOR_TOKEN, live_settings
from .detect import expected_answers

DETECTORS = {
    "redirect": questions.test_redirect,
    "filter_case": questions.test_filter_case,
    "filter_syntax": questions.test_filter_syntax,
    "optional_strings": questions.test_optional_strings,
    "secrets": questions.test_secrets,
    "is_websocket_patch": questions.test_is_websocket_patch,
    "per_page_1000": questions.test_per_page_1000,
    "foreign_application": questions.test_foreign_application,
    "webhook_id_key": questions.test_webhook_id_key,
    "hal_keys": questions.test_hal_keys,
    "token_length": questions.test_token_length,
}


def test_every_question_has_a_detector():
    assert set(DETECTORS) == set(expected_answers(DEFAULT_SETTINGS))


@pytest.mark.skipif(live_settings() is not None, reason="needs the emulator, not a live API")
@pytest.mark.parametrize("name", [name for name in PERSONALITIES if name != "default"])
def test_detectors_notice_a_personality_they_were_not_told(emulator, name):
    saved = requests.get(f"{emulator.url}/_emulator/settings", timeout=10).json()
    checked = []
    try:
        for shown, told in ((name, "default"), ("default", name)):
            told_answers = expected_answers({**DEFAULT_SETTINGS, **PERSONALITIES[told]})
            differing = [question for question, answer in expected_answers(emulator.use(shown)).items()
                         if answer != told_answers[question]]
            contract = Contract(Api(emulator.url, EMULATOR_TOKEN, EMULATOR_APP, EMULATOR_FOREIGN_APP),
                                f"self-check-{secrets.token_hex(4)}-", {**DEFAULT_SETTINGS, **PERSONALITIES[told]})
            try:
                for question in differing:
                    with pytest.raises(AssertionError, match=f"^{question}: detected "):
                        DETECTORS[question](contract)
                    checked.append(question)
            finally:
                contract.clean_up()
    finally:
        requests.post(f"{emulator.url}/_emulator/settings", json=saved, timeout=10).raise_for_status()
    assert checked and len(checked) % 2 == 0


HOOK = {"id": "6" * 24, "name": "n"}


@pytest.mark.parametrize("classify,body", [
    (questions.optional_strings_answer, {**HOOK, "description": "", "basicAuthUsername": None}),
    (questions.optional_strings_answer, {**HOOK, "description": ""}),
    (questions.optional_strings_answer, {**HOOK, "verificationCode": ""}),
    (partial(questions.secrets_answer, {"verificationCode": "v", "basicAuthPassword": "p"}),
     {**HOOK, "verificationCode": "****", "basicAuthPassword": "****"}),
    (partial(questions.secrets_answer, {"verificationCode": "v", "basicAuthPassword": "p"}), {**HOOK, "verificationCode": "v"}),
    (questions.webhook_id_answer, {**HOOK, "webhookId": "7" * 24}),
    (questions.hal_answer, {**HOOK, "_etag": 5}),
    (questions.hal_answer, {**HOOK, "_type": "webhooks"}),
    (questions.hal_answer, {**HOOK, "_links": {"self": {"href": "/elsewhere"}}}),
    (questions.hal_answer, {**HOOK, "_version": 2}),
])
def test_answers_outside_the_plausible_set_fail(classify, body):
    with pytest.raises(pytest.fail.Exception, match="outside the plausible set"):
        classify(body)


@pytest.mark.parametrize("classify,body,answer", [
    (questions.optional_strings_answer, {**HOOK, "description": "", "basicAuthUsername": ""}, "empty strings"),
    (questions.optional_strings_answer, HOOK, "absent"),
    (partial(questions.secrets_answer, {"verificationCode": "v"}), {**HOOK, "verificationCode": "v"}, "returned"),
    (partial(questions.secrets_answer, {"verificationCode": "v"}), HOOK, "not returned"),
    (questions.webhook_id_answer, {**HOOK, "webhookId": HOOK["id"]}, "present"),
    (questions.hal_answer, {**HOOK, "_type": "webhook", "_etag": '"x"'}, "with _etag"),
])
def test_plausible_answers_are_named(classify, body, answer):
    assert classify(body) == answer
