# -*- coding: utf-8 -*-
# Copyright: Contributors to the losant.platform collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""losant_webhook_info in-process: requests sent, webhooks returned, secrets hidden, failures."""

from __future__ import annotations

from typing import Any

import pytest

from ansible_collections.losant.platform.plugins.modules.losant_webhook_info import main
from ansible_collections.losant.platform.tests.unit import api_double
from ansible_collections.losant.platform.tests.unit.api_double import APP_ID, BASE_URL, TRIGGER_BASE, FakeApi, Reply

HOOK = '575ed78e7ae143cd83dc4aab'
LIST_PATH = '/applications/%s/webhooks' % APP_ID
HOOK_PATH = '%s/%s' % (LIST_PATH, HOOK)
TOKEN = 'tok-unit-4c1e9b'
PASSWORD = 'pw-from-the-api-81d3'
CODE = 'code-from-the-api-5e02'
LIST_QUERY = {'perPage': 1000, 'sortField': 'name', 'sortDirection': 'asc', 'page': 0}
NOT_FOUND = {'type': 'NotFound', 'message': 'Webhook was not found'}


def args(**extra: Any) -> dict[str, Any]:
    return dict({'api_url': BASE_URL, 'api_token': TOKEN, 'application_id': APP_ID, 'trigger_base_url': TRIGGER_BASE},
                **extra)


def webhook(name: str, index: int = 0, **fields: Any) -> dict[str, Any]:
    hook_id = '%024x' % (int(HOOK, 16) + index)
    return api_double.webhook(name, **dict({'id': hook_id, 'token': 'trig-%d' % index, 'description': ''}, **fields))


def sent(fake: FakeApi) -> list[tuple[str, str, Any]]:
    """(method, path, query parameters) of every request, in order."""
    return [(call.method, call.path, call.params) for call in fake.calls]


def without_hal(hook: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in hook.items() if not key.startswith('_')}


# listing

def test_lists_every_webhook_without_hal_keys_and_with_trigger_urls(run_module, fake_api):
    alerts, orders = webhook('alerts', 1), webhook('orders', 2)
    fake_api.add(orders, alerts)
    run = run_module(main, args())
    assert sent(fake_api) == [('GET', LIST_PATH, LIST_QUERY)]
    assert fake_api.calls[0].headers['Authorization'] == 'Bearer %s' % TOKEN
    assert run.exit_code == 0 and run.result['changed'] is False
    assert run.result['webhooks'] == [
        dict(without_hal(alerts), trigger_url=TRIGGER_BASE + '/trig-1'),
        dict(without_hal(orders), trigger_url=TRIGGER_BASE + '/trig-2'),
    ]


def test_follows_every_page(run_module, fake_api):
    hooks = [webhook('hook-%05d' % index, index) for index in range(2345)]
    fake_api.add(*hooks)
    run = run_module(main, args())
    assert [query for method, path, query in sent(fake_api)] == [
        dict(LIST_QUERY, page=0), dict(LIST_QUERY, page=1), dict(LIST_QUERY, page=2)]
    assert [hook['id'] for hook in run.result['webhooks']] == [hook['id'] for hook in hooks]


def test_empty_application_returns_an_empty_list(run_module, fake_api):
    run = run_module(main, args())
    assert run.result['webhooks'] == [] and run.result['changed'] is False
    assert len(fake_api.calls) == 1


# by name

def test_name_uses_the_api_filter_and_keeps_only_exact_case_sensitive_matches(run_module, fake_api):
    glob_matches = [webhook('Orders*', 1), webhook('orders*', 2), webhook('orders-eu', 3), webhook('orders*', 4)]
    fake_api.script('GET', LIST_PATH, Reply(200, api_double.listing(*glob_matches)))
    run = run_module(main, args(name='orders*'))
    assert sent(fake_api) == [('GET', LIST_PATH, dict(LIST_QUERY, filterField='name', filter='orders*'))]
    assert [hook['id'] for hook in run.result['webhooks']] == [glob_matches[1]['id'], glob_matches[3]['id']]


def test_name_without_an_exact_match_returns_an_empty_list(run_module, fake_api):
    fake_api.add(webhook('Orders', 1))
    run = run_module(main, args(name='orders'))
    assert run.exit_code == 0 and run.result['webhooks'] == []


# by ID

def test_webhook_id_is_one_get_of_that_webhook(run_module, fake_api):
    fake_api.add(webhook('orders'))
    run = run_module(main, args(webhook_id=HOOK))
    assert sent(fake_api) == [('GET', '/applications/%s/webhooks/%s' % (APP_ID, HOOK), None)]
    assert run.result['webhooks'] == [dict(without_hal(webhook('orders')),
                                           trigger_url=TRIGGER_BASE + '/trig-0')]


def test_unknown_webhook_id_returns_an_empty_list(run_module, fake_api):
    fake_api.script('GET', HOOK_PATH, Reply(404, NOT_FOUND))
    run = run_module(main, args(webhook_id=HOOK))
    assert run.exit_code == 0 and 'failed' not in run.result
    assert run.result['webhooks'] == [] and run.result['changed'] is False


@pytest.mark.parametrize('answer', [
    Reply(404, b'<html><body><h1>404 Not Found</h1></body></html>', {'Content-Type': 'text/html'}),
    Reply(404, {'error': 'not found'}),
])
def test_a_404_that_is_not_losants_fails_instead_of_returning_nothing(run_module, fake_api, answer):
    fake_api.add(webhook('orders'))
    fake_api.script('GET', HOOK_PATH, answer)
    run = run_module(main, args(webhook_id=HOOK))
    assert run.exit_code == 1 and run.result['status'] == 404 and run.result['webhooks'] == []
    assert run.result['msg'].startswith('GET %s failed with HTTP 404: ' % HOOK_PATH)
    assert "not Losant's NotFound error" in run.result['msg']


# failures

@pytest.mark.parametrize('extra, path', [({}, LIST_PATH), ({'webhook_id': HOOK}, HOOK_PATH)])
def test_unknown_application_fails_with_status_type_and_message(run_module, fake_api, extra, path):
    fake_api.script('GET', path, Reply(404, {'type': 'NotFound', 'message': 'Application was not found'}))
    run = run_module(main, args(**extra))
    assert run.exit_code == 1 and run.result['failed'] is True
    assert run.result['msg'] == 'GET %s failed with HTTP 404 NotFound: Application was not found' % path
    assert (run.result['status'], run.result['error_type']) == (404, 'NotFound')
    assert run.result['webhooks'] == []


def test_rejected_token_fails_with_status_type_and_message(run_module, fake_api):
    fake_api.script('GET', LIST_PATH, Reply(401, {'type': 'Unauthorized', 'message': 'Invalid access token'}))
    run = run_module(main, args())
    assert run.result['msg'] == 'GET %s failed with HTTP 401 Unauthorized: Invalid access token' % LIST_PATH
    assert run.result['error_message'] == 'Invalid access token'
    assert TOKEN not in run.output


def test_a_failing_later_page_fails_without_partial_results(run_module, fake_api):
    fake_api.script('GET', LIST_PATH, Reply(200, api_double.listing(webhook('first'), total=1500)),
                    Reply(400, {'type': 'Validation', 'message': 'bad page'}))
    run = run_module(main, args())
    assert run.result['failed'] is True and run.result['webhooks'] == []
    assert 'HTTP 400 Validation: bad page' in run.result['msg']


# secrets and check mode

def test_secrets_returned_by_the_api_are_masked_and_never_output(run_module, fake_api):
    partner = webhook('partner', basicAuthUsername='partner', basicAuthPassword=PASSWORD,
                      verificationType='facebook', verificationCode=CODE)
    fake_api.add(partner)
    run = run_module(main, args())
    returned = run.result['webhooks'][0]
    assert (returned['basicAuthPassword'], returned['verificationCode']) == ('********', '********')
    assert returned['basicAuthUsername'] == 'partner'
    for secret in (PASSWORD, CODE, TOKEN):
        assert secret not in run.output


def test_empty_secrets_stay_empty(run_module, fake_api):
    fake_api.add(webhook('open', basicAuthPassword='', verificationCode=''))
    run = run_module(main, args())
    assert (run.result['webhooks'][0]['basicAuthPassword'], run.result['webhooks'][0]['verificationCode']) == ('', '')


def test_webhook_without_token_has_a_null_trigger_url(run_module, fake_api):
    odd = webhook('odd')
    del odd['token']
    fake_api.add(odd)
    run = run_module(main, args())
    assert run.result['webhooks'][0]['trigger_url'] is None


def test_check_mode_reads_and_returns_the_same(run_module, fake_api):
    fake_api.add(webhook('alerts', 1))
    normal = run_module(main, args())
    checked = run_module(main, args(), check_mode=True)
    assert 'skipped' not in checked.result and checked.result['changed'] is False
    assert checked.result['webhooks'] == normal.result['webhooks']
    assert [method for method, path, query in sent(fake_api)] == ['GET', 'GET']


# input validation

@pytest.mark.parametrize('extra, message', [
    ({'application_id': 'not-an-id'}, "application_id must be 24 hexadecimal characters, got 'not-an-id'"),
    ({'webhook_id': HOOK[:-1] + 'Z'}, 'webhook_id must be 24 hexadecimal characters'),
    ({'name': ''}, 'name must not be empty'),
    ({'name': 'x' * 256}, 'name must be at most 255 characters, got 256'),
    ({'timeout': 0}, 'timeout must be a positive number of seconds'),
    ({'webhook_id': HOOK, 'name': 'orders'}, 'parameters are mutually exclusive: webhook_id|name'),
])
def test_invalid_input_fails_before_any_request(run_module, fake_api, extra, message):
    run = run_module(main, args(**extra))
    assert run.exit_code == 1 and message in run.result['msg']
    assert fake_api.calls == []


def test_application_id_is_required(run_module, fake_api):
    run = run_module(main, {'api_url': BASE_URL, 'api_token': TOKEN})
    assert 'missing required arguments: application_id' in run.result['msg']
    assert fake_api.calls == []
