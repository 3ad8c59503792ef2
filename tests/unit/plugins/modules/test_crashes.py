# -*- coding: utf-8 -*-
# Copyright: Contributors to the losant.platform collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Exceptions other than the API's errors do not crash a module: a single module fails naming the request, and
in losant_webhooks the exception is its write's failure, after which no write starts."""

from __future__ import annotations

import threading
from typing import Any

import pytest
import requests

from ansible_collections.losant.platform.plugins.module_utils import _client as client
from ansible_collections.losant.platform.plugins.modules import losant_webhook, losant_webhooks
from ansible_collections.losant.platform.tests.unit.conftest import COLLECTION, Emulator

API_DELAY = client.backoff_delay  # run_module makes retries not wait; these tests need the API's wait
TOO_DEEP = {'status': 200, 'body': '[' * 100000, 'content_type': 'application/json'}
FAR_RETRY = {'status': 429, 'retry_after': '1' * 21}
BOOM = None  # the HTTP stack raises RuntimeError


def crash_after_sending(monkeypatch: pytest.MonkeyPatch, method: str, after: int = 0) -> None:
    """A bug below the client: the ``after``-th next ``method`` request (from 0) is sent, then raises RuntimeError."""
    send = requests.adapters.HTTPAdapter.send
    seen = []
    counting = threading.Lock()

    def crashing(adapter: requests.adapters.HTTPAdapter, request: requests.PreparedRequest, **options: Any):
        response = send(adapter, request, **options)
        with counting:
            seen.append(request.method)
            crash = seen.count(method) == after + 1 and request.method == method
        if crash:
            raise RuntimeError('boom')
        return response
    monkeypatch.setattr(requests.adapters.HTTPAdapter, 'send', crashing)


def answer_with(emulator: Emulator, monkeypatch: pytest.MonkeyPatch, answer: Any, method: str, after: int = 0) -> None:
    if answer is BOOM:
        crash_after_sending(monkeypatch, method, after)
    else:
        emulator.fault(method=method, path=COLLECTION, after=after, **answer)


@pytest.mark.parametrize('answer, reason', [
    pytest.param(FAR_RETRY, 'more than what is left of api_retry_max_wait', id='Retry-After beyond time_t'),
    pytest.param(TOO_DEEP, 'a JSON body nested too deeply to read', id='JSON nested 100,000 deep'),
    pytest.param(BOOM, 'unexpected RuntimeError', id='any other exception'),
])
def test_a_single_module_fails_naming_the_request(run_module, emulator, monkeypatch, answer, reason):
    monkeypatch.setattr(client, 'backoff_delay', API_DELAY)
    answer_with(emulator, monkeypatch, answer, 'GET')
    run = run_module(losant_webhook.main, emulator.args(name='orders'))
    assert run.exit_code == 1 and run.result['msg'].startswith('GET %s failed' % COLLECTION)
    assert reason in run.result['msg'] and emulator.writes == []


def create(name: str) -> dict[str, Any]:
    return {'method': 'POST', 'path': COLLECTION, 'body': {'name': name}}


def created(emulator: Emulator) -> list[str]:
    return [call.body['name'] for call in emulator.writes]


@pytest.mark.parametrize('answer', [TOO_DEEP, BOOM], ids=['unreadable answer', 'exception'])
def test_an_exception_in_one_write_is_its_failure_and_no_write_follows(run_module, emulator, monkeypatch, answer):
    answer_with(emulator, monkeypatch, answer, 'POST', after=1)
    run = run_module(losant_webhooks.main, emulator.args(config=[{'name': name} for name in 'abcd'], concurrency=1))
    assert run.exit_code == 1 and run.result['msg'].startswith('POST %s failed' % COLLECTION)
    assert 'may have been created' in run.result['msg']
    assert run.result['applied'] == [create('a')]
    assert run.result['outcome_unknown'] == [create('b')]
    assert run.result['not_applied'] == [create('c'), create('d')]
    assert created(emulator) == ['a', 'b']
    assert run.result['changed'] is True


def test_with_parallel_writes_no_write_starts_after_an_exception(run_module, emulator, monkeypatch):
    crash_after_sending(monkeypatch, 'POST')
    names = ['hook-%02d' % index for index in range(20)]
    run = run_module(losant_webhooks.main, emulator.args(config=[{'name': name} for name in names], concurrency=4))
    sent = created(emulator)
    assert run.exit_code == 1 and len(sent) <= 4
    reported = run.result['applied'] + run.result['outcome_unknown']
    assert sorted(write['body']['name'] for write in reported) == sorted(sent)
    assert len(reported) + len(run.result['not_applied']) == len(names)
    assert len(run.result['outcome_unknown']) == 1


def test_an_exception_in_the_first_write_still_reports_changed_as_it_may_have_written(run_module, emulator,
                                                                                      monkeypatch):
    crash_after_sending(monkeypatch, 'POST')
    run = run_module(losant_webhooks.main, emulator.args(config=[{'name': 'a'}, {'name': 'b'}], concurrency=1))
    assert run.exit_code == 1 and run.result['applied'] == []
    assert run.result['outcome_unknown'] == [create('a')] and run.result['not_applied'] == [create('b')]
    assert run.result['changed'] is True
