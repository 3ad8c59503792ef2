# -*- coding: utf-8 -*-
# Copyright: Contributors to the losant.platform collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""losant_webhook_info in-process: requests sent, webhooks returned, secrets hidden, failures."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest

from ansible_collections.losant.platform.plugins.modules.losant_webhook_info import main

API = 'https://api.example.test'
APP = '575ec8687ae143cd83dc4a97'
HOOK = '575ed78e7ae143cd83dc4aab'
LIST_PATH = '/applications/%s/webhooks' % APP
LIST_URL = API + LIST_PATH
HOOK_URL = '%s/%s' % (LIST_URL, HOOK)
TOKEN = 'tok-unit-4c1e9b'
PASSWORD = 'pw-from-the-api-81d3'
CODE = 'code-from-the-api-5e02'
LIST_QUERY = {'perPage': '1000', 'sortField': 'name', 'sortDirection': 'asc', 'page': '0'}
NOT_FOUND = {'type': 'NotFound', 'message': 'Webhook was not found'}


def args(**extra: Any) -> dict[str, Any]:
    return dict({'api_url': API, 'api_token': TOKEN, 'application_id': APP}, **extra)


def webhook(name: str, index: int = 0, **fields: Any) -> dict[str, Any]:
    hook_id = '%024x' % (int(HOOK, 16) + index)
    hook = {'id': hook_id, 'webhookId': hook_id, 'applicationId': APP, 'name': name, 'description': '',
            'token': 'trig-%d' % index, 'responseCode': 200, 'verificationType': 'none', 'waitForReply': False,
            'enabled': True, 'creationDate': '2026-01-01T00:00:00.000Z', 'lastUpdated': '2026-01-01T00:00:00.000Z',
            '_type': 'webhook', '_links': {'self': {'href': '%s/%s' % (LIST_PATH, hook_id)}}}
    hook.update(fields)
    return hook


def listing(*hooks: dict[str, Any], total: int = -1) -> dict[str, Any]:
    return {'items': list(hooks), 'count': len(hooks), 'totalCount': len(hooks) if total < 0 else total,
            'perPage': 1000, 'page': 0, '_type': 'webhooks', '_links': {}}


def sent(requests_mock) -> list[tuple[str, str, dict[str, str]]]:
    """(method, path, query with its original case) of every request, in order."""
    calls = []
    for request in requests_mock.request_history:
        url = urlsplit(request.url)
        calls.append((request.method, url.path, dict(parse_qsl(url.query, keep_blank_values=True))))
    return calls


def without_hal(hook: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in hook.items() if not key.startswith('_')}


# listing

def test_lists_every_webhook_without_hal_keys_and_with_trigger_urls(run_module, requests_mock):
    alerts, orders = webhook('alerts', 1), webhook('orders', 2)
    requests_mock.get(LIST_URL, json=listing(alerts, orders))
    run = run_module(main, args())
    assert sent(requests_mock) == [('GET', LIST_PATH, LIST_QUERY)]
    assert requests_mock.request_history[0].headers['Authorization'] == 'Bearer %s' % TOKEN
    assert run.exit_code == 0 and run.result['changed'] is False
    assert run.result['webhooks'] == [
        dict(without_hal(alerts), trigger_url='https://triggers.losant.com/webhooks/trig-1'),
        dict(without_hal(orders), trigger_url='https://triggers.losant.com/webhooks/trig-2'),
    ]


def test_follows_every_page(run_module, requests_mock):
    hooks = [webhook('hook-%05d' % index, index) for index in range(2345)]

    def page(request, context) -> dict[str, Any]:
        start = int(request.qs['page'][0]) * 1000
        return listing(*hooks[start:start + 1000], total=len(hooks))

    requests_mock.get(LIST_URL, json=page)
    run = run_module(main, args())
    assert [query for method, path, query in sent(requests_mock)] == [
        dict(LIST_QUERY, page='0'), dict(LIST_QUERY, page='1'), dict(LIST_QUERY, page='2')]
    assert [hook['id'] for hook in run.result['webhooks']] == [hook['id'] for hook in hooks]


def test_empty_application_returns_an_empty_list(run_module, requests_mock):
    requests_mock.get(LIST_URL, json=listing())
    run = run_module(main, args())
    assert run.result['webhooks'] == [] and run.result['changed'] is False
    assert requests_mock.call_count == 1


# by name

def test_name_uses_the_api_filter_and_keeps_only_exact_case_sensitive_matches(run_module, requests_mock):
    glob_matches = [webhook('Orders*', 1), webhook('orders*', 2), webhook('orders-eu', 3), webhook('orders*', 4)]
    requests_mock.get(LIST_URL, json=listing(*glob_matches))
    run = run_module(main, args(name='orders*'))
    assert sent(requests_mock) == [('GET', LIST_PATH, dict(LIST_QUERY, filterField='name', filter='orders*'))]
    assert [hook['id'] for hook in run.result['webhooks']] == [glob_matches[1]['id'], glob_matches[3]['id']]


def test_name_without_an_exact_match_returns_an_empty_list(run_module, requests_mock):
    requests_mock.get(LIST_URL, json=listing(webhook('Orders', 1)))
    run = run_module(main, args(name='orders'))
    assert run.exit_code == 0 and run.result['webhooks'] == []


# by ID

def test_webhook_id_is_one_get_of_that_webhook(run_module, requests_mock):
    requests_mock.get(HOOK_URL, json=webhook('orders'))
    run = run_module(main, args(webhook_id=HOOK))
    assert sent(requests_mock) == [('GET', '/applications/%s/webhooks/%s' % (APP, HOOK), {})]
    assert run.result['webhooks'] == [dict(without_hal(webhook('orders')),
                                           trigger_url='https://triggers.losant.com/webhooks/trig-0')]


def test_unknown_webhook_id_returns_an_empty_list(run_module, requests_mock):
    requests_mock.get(HOOK_URL, status_code=404, json=NOT_FOUND)
    run = run_module(main, args(webhook_id=HOOK))
    assert run.exit_code == 0 and 'failed' not in run.result
    assert run.result['webhooks'] == [] and run.result['changed'] is False


# failures

@pytest.mark.parametrize('extra, url', [({}, LIST_URL), ({'webhook_id': HOOK}, HOOK_URL)])
def test_unknown_application_fails_with_status_type_and_message(run_module, requests_mock, extra, url):
    requests_mock.get(url, status_code=404, json={'type': 'NotFound', 'message': 'Application was not found'})
    run = run_module(main, args(**extra))
    assert run.exit_code == 1 and run.result['failed'] is True
    assert run.result['msg'] == 'GET %s failed with HTTP 404 NotFound: Application was not found' % url[len(API):]
    assert (run.result['status'], run.result['error_type']) == (404, 'NotFound')
    assert run.result['webhooks'] == []


def test_rejected_token_fails_with_status_type_and_message(run_module, requests_mock):
    requests_mock.get(LIST_URL, status_code=401, json={'type': 'Unauthorized', 'message': 'Invalid access token'})
    run = run_module(main, args())
    assert run.result['msg'] == 'GET %s failed with HTTP 401 Unauthorized: Invalid access token' % LIST_PATH
    assert run.result['error_message'] == 'Invalid access token'
    assert TOKEN not in run.output


def test_a_failing_later_page_fails_without_partial_results(run_module, requests_mock):
    requests_mock.get(LIST_URL, [{'json': listing(webhook('first'), total=1500)},
                                 {'status_code': 400, 'json': {'type': 'Validation', 'message': 'bad page'}}])
    run = run_module(main, args())
    assert run.result['failed'] is True and run.result['webhooks'] == []
    assert 'HTTP 400 Validation: bad page' in run.result['msg']


# secrets and check mode

def test_secrets_returned_by_the_api_are_masked_and_never_output(run_module, requests_mock):
    partner = webhook('partner', basicAuthUsername='partner', basicAuthPassword=PASSWORD,
                      verificationType='facebook', verificationCode=CODE, description='was %s' % PASSWORD)
    requests_mock.get(LIST_URL, json=listing(partner))
    run = run_module(main, args())
    returned = run.result['webhooks'][0]
    assert (returned['basicAuthPassword'], returned['verificationCode']) == ('********', '********')
    assert returned['basicAuthUsername'] == 'partner'
    for secret in (PASSWORD, CODE, TOKEN):
        assert secret not in run.output


def test_empty_secrets_stay_empty(run_module, requests_mock):
    requests_mock.get(LIST_URL, json=listing(webhook('open', basicAuthPassword='', verificationCode='')))
    run = run_module(main, args())
    assert (run.result['webhooks'][0]['basicAuthPassword'], run.result['webhooks'][0]['verificationCode']) == ('', '')


def test_webhook_without_token_has_a_null_trigger_url(run_module, requests_mock):
    odd = webhook('odd')
    del odd['token']
    requests_mock.get(LIST_URL, json=listing(odd))
    run = run_module(main, args())
    assert run.result['webhooks'][0]['trigger_url'] is None


def test_check_mode_reads_and_returns_the_same(run_module, requests_mock):
    requests_mock.get(LIST_URL, json=listing(webhook('alerts', 1)))
    normal = run_module(main, args())
    checked = run_module(main, args(), check_mode=True)
    assert 'skipped' not in checked.result and checked.result['changed'] is False
    assert checked.result['webhooks'] == normal.result['webhooks']
    assert [method for method, path, query in sent(requests_mock)] == ['GET', 'GET']


# input validation

@pytest.mark.parametrize('extra, message', [
    ({'application_id': 'not-an-id'}, "application_id must be 24 hexadecimal characters, got 'not-an-id'"),
    ({'webhook_id': HOOK[:-1] + 'Z'}, 'webhook_id must be 24 hexadecimal characters'),
    ({'name': ''}, 'name must not be empty'),
    ({'name': 'x' * 256}, 'name must be at most 255 characters, got 256'),
    ({'timeout': 0}, 'timeout must be a positive number of seconds'),
    ({'webhook_id': HOOK, 'name': 'orders'}, 'parameters are mutually exclusive: webhook_id|name'),
])
def test_invalid_input_fails_before_any_request(run_module, requests_mock, extra, message):
    run = run_module(main, args(**extra))
    assert run.exit_code == 1 and message in run.result['msg']
    assert requests_mock.call_count == 0


def test_application_id_is_required(run_module, requests_mock):
    run = run_module(main, {'api_url': API, 'api_token': TOKEN})
    assert 'missing required arguments: application_id' in run.result['msg']
    assert requests_mock.call_count == 0
