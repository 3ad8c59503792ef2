# -*- coding: utf-8 -*-
# Copyright: Contributors to the losant.platform collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Exceptions other than the API's errors do not crash a module: a single module fails naming the request, and
in losant_webhooks the exception is its write's failure, after which no write starts."""

from __future__ import annotations

from typing import Any

import pytest

from ansible_collections.losant.platform.plugins.module_utils import client
from ansible_collections.losant.platform.plugins.modules import losant_webhook, losant_webhooks
from ansible_collections.losant.platform.tests.unit.api_double import APP_ID, BASE_URL, FakeApi, Reply

COLLECTION = '/applications/%s/webhooks' % APP_ID
ARGS = {'api_url': BASE_URL, 'api_token': 'unit-token', 'application_id': APP_ID}
API_DELAY = client.backoff_delay  # run_module makes retries not wait; these tests need the API's wait
TOO_DEEP = Reply(200, b'[' * 100000)
FAR_RETRY = Reply(429, {'type': 'TooManyRequests', 'message': 'Too Many Requests'}, {'Retry-After': '1' * 21})


@pytest.mark.parametrize('answer, reason', [
    pytest.param(FAR_RETRY, 'more than what is left of api_retry_max_wait', id='Retry-After beyond time_t'),
    pytest.param(TOO_DEEP, 'a JSON body nested too deeply to read', id='JSON nested 100,000 deep'),
    pytest.param(RuntimeError('boom'), 'unexpected RuntimeError', id='any other exception'),
])
def test_a_single_module_fails_naming_the_request(run_module, monkeypatch, answer, reason):
    monkeypatch.setattr(client, 'backoff_delay', API_DELAY)
    fake = FakeApi()
    fake.script('GET', COLLECTION, answer)
    with fake.serving():
        run = run_module(losant_webhook.main, dict(ARGS, name='orders'))
    assert run.exit_code == 1 and run.result['msg'].startswith('GET %s failed' % COLLECTION)
    assert reason in run.result['msg'] and fake.writes == []


def create(name: str) -> dict[str, Any]:
    return {'method': 'POST', 'path': COLLECTION, 'body': {'name': name}}


@pytest.mark.parametrize('answer', [TOO_DEEP, RuntimeError('boom')], ids=['unreadable answer', 'exception'])
def test_an_exception_in_one_write_is_its_failure_and_no_write_follows(run_module, answer):
    fake = FakeApi()
    fake.script('POST', COLLECTION, None, answer)
    with fake.serving():
        run = run_module(losant_webhooks.main, dict(ARGS, config=[{'name': name} for name in 'abcd'], concurrency=1))
    assert run.exit_code == 1 and run.result['msg'].startswith('POST %s failed' % COLLECTION)
    assert 'may have been created' in run.result['msg']
    assert run.result['applied'] == [create('a')]
    assert run.result['outcome_unknown'] == [create('b')]
    assert run.result['not_applied'] == [create('c'), create('d')]
    assert [call.body['name'] for call in fake.writes] == ['a', 'b']
    assert run.result['changed'] is True


def test_with_parallel_writes_no_write_starts_after_an_exception(run_module):
    fake = FakeApi()
    fake.script('POST', COLLECTION, RuntimeError('boom'))
    names = ['hook-%02d' % index for index in range(20)]
    with fake.serving():
        run = run_module(losant_webhooks.main, dict(ARGS, config=[{'name': name} for name in names], concurrency=4))
    sent = [call.body['name'] for call in fake.writes]
    assert run.exit_code == 1 and len(sent) <= 4
    reported = run.result['applied'] + run.result['outcome_unknown']
    assert sorted(write['body']['name'] for write in reported) == sorted(sent)
    assert len(reported) + len(run.result['not_applied']) == len(names)
    assert len(run.result['outcome_unknown']) == 1


def test_an_exception_in_the_first_write_still_reports_changed_as_it_may_have_written(run_module):
    fake = FakeApi()
    fake.script('POST', COLLECTION, RuntimeError('boom'))
    with fake.serving():
        run = run_module(losant_webhooks.main, dict(ARGS, config=[{'name': 'a'}, {'name': 'b'}], concurrency=1))
    assert run.exit_code == 1 and run.result['applied'] == []
    assert run.result['outcome_unknown'] == [create('a')] and run.result['not_applied'] == [create('b')]
    assert run.result['changed'] is True
