# -*- coding: utf-8 -*-
# Copyright: Contributors to the losant.platform collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""losant_webhook_info in-process: requests sent, webhooks returned, secrets hidden, failures."""

from __future__ import annotations

from typing import Any

import pytest

from ansible_collections.losant.platform.plugins.modules.losant_webhook_info import main
from ansible_collections.losant.platform.tests.unit.conftest import APP_ID, TOKEN, TRIGGER_BASE, Emulator

HOOK = '575ed78e7ae143cd83dc4aab'
OTHER_APP_ID = '575ed78e7ae143cd83dc4a00'
LIST_PATH = '/applications/%s/webhooks' % APP_ID
HOOK_PATH = '%s/%s' % (LIST_PATH, HOOK)
PASSWORD = 'pw-from-the-api-81d3'
CODE = 'code-from-the-api-5e02'
LIST_QUERY = {'perPage': '1000', 'sortField': 'name', 'sortDirection': 'asc', 'page': '0'}


def args(emulator: Emulator, **extra: Any) -> dict[str, Any]:
    return emulator.args(trigger_base_url=TRIGGER_BASE, **extra)


def webhook(name: str, index: int = 0, **fields: Any) -> dict[str, Any]:
    """A webhook to seed: IDs from ``HOOK`` on, trigger token ``trig-<index>``."""
    return dict({'id': '%024x' % (int(HOOK, 16) + index), 'name': name, 'token': 'trig-%d' % index,
                 'description': ''}, **fields)


def listing(*hooks: dict[str, Any], total: Any = None) -> dict[str, Any]:
    return {'items': list(hooks), 'count': len(hooks), 'totalCount': len(hooks) if total is None else total}


def sent(emulator: Emulator) -> list[tuple[str, str, Any]]:
    """(method, path, query parameters) of every request, in order."""
    return [(call.method, call.path, call.query) for call in emulator.calls]


# listing

def test_lists_every_webhook_without_hal_keys_and_with_trigger_urls(run_module, emulator):
    orders, alerts = emulator.seed(webhook('orders', 2), webhook('alerts', 1))
    run = run_module(main, args(emulator))
    assert sent(emulator) == [('GET', LIST_PATH, LIST_QUERY)]
    assert run.exit_code == 0 and run.result['changed'] is False
    assert run.result['webhooks'] == [
        dict(alerts, trigger_url=TRIGGER_BASE + '/trig-1'),
        dict(orders, trigger_url=TRIGGER_BASE + '/trig-2'),
    ]


def test_follows_every_page(run_module, emulator):
    hooks = emulator.seed(*(webhook('hook-%05d' % index, index) for index in range(2345)))
    run = run_module(main, args(emulator))
    assert [query for method, path, query in sent(emulator)] == [
        dict(LIST_QUERY, page='0'), dict(LIST_QUERY, page='1'), dict(LIST_QUERY, page='2')]
    assert [hook['id'] for hook in run.result['webhooks']] == [hook['id'] for hook in hooks]


def test_empty_application_returns_an_empty_list(run_module, emulator):
    run = run_module(main, args(emulator))
    assert run.result['webhooks'] == [] and run.result['changed'] is False
    assert len(emulator.calls) == 1


# by name

def test_name_uses_the_api_filter_and_keeps_only_exact_case_sensitive_matches(run_module, emulator):
    glob_matches = emulator.seed(webhook('Orders*', 1), webhook('orders*', 2), webhook('orders-eu', 3),
                                 webhook('orders*', 4), webhook('order', 5))
    run = run_module(main, args(emulator, name='orders*'))
    assert sent(emulator) == [('GET', LIST_PATH, dict(LIST_QUERY, filterField='name', filter='orders*'))]
    assert [hook['id'] for hook in run.result['webhooks']] == [glob_matches[1]['id'], glob_matches[3]['id']]


def test_name_without_an_exact_match_returns_an_empty_list(run_module, emulator):
    emulator.seed(webhook('Orders', 1))
    run = run_module(main, args(emulator, name='orders'))
    assert run.exit_code == 0 and run.result['webhooks'] == []


# by ID

def test_webhook_id_is_one_get_of_that_webhook(run_module, emulator):
    orders = emulator.seed(webhook('orders'))[0]
    run = run_module(main, args(emulator, webhook_id=HOOK))
    assert sent(emulator) == [('GET', '/applications/%s/webhooks/%s' % (APP_ID, HOOK), {})]
    assert run.result['webhooks'] == [dict(orders, trigger_url=TRIGGER_BASE + '/trig-0')]


def test_unknown_webhook_id_returns_an_empty_list(run_module, emulator):
    run = run_module(main, args(emulator, webhook_id=HOOK))
    assert [call.status for call in emulator.calls] == [404]
    assert run.exit_code == 0 and 'failed' not in run.result
    assert run.result['webhooks'] == [] and run.result['changed'] is False


@pytest.mark.parametrize('answer', [
    {'body': '<html><body><h1>404 Not Found</h1></body></html>', 'content_type': 'text/html'},
    {'body': {'error': 'not found'}},
])
def test_a_404_that_is_not_losants_fails_instead_of_returning_nothing(run_module, emulator, answer):
    emulator.seed(webhook('orders'))
    emulator.fault(method='GET', path=HOOK_PATH, status=404, **answer)
    run = run_module(main, args(emulator, webhook_id=HOOK))
    assert run.exit_code == 1 and run.result['status'] == 404 and run.result['webhooks'] == []
    assert run.result['msg'].startswith('GET %s failed with HTTP 404: ' % HOOK_PATH)
    assert "not Losant's NotFound error" in run.result['msg']


# failures

@pytest.mark.parametrize('extra, path', [({}, LIST_PATH), ({'webhook_id': HOOK}, HOOK_PATH)])
def test_unknown_application_fails_with_status_type_and_message(run_module, emulator, extra, path):
    path = path.replace(APP_ID, OTHER_APP_ID)
    run = run_module(main, args(emulator, application_id=OTHER_APP_ID, **extra))
    assert run.exit_code == 1 and run.result['failed'] is True
    assert run.result['msg'] == 'GET %s failed with HTTP 404 NotFound: Application was not found' % path
    assert (run.result['status'], run.result['error_type']) == (404, 'NotFound')
    assert run.result['webhooks'] == []


def test_rejected_token_fails_with_status_type_and_message(run_module, emulator):
    token = 'tok-revoked-4c1e9b'
    run = run_module(main, args(emulator, api_token=token))
    assert run.result['msg'] == 'GET %s failed with HTTP 401 Unauthorized: Invalid access token' % LIST_PATH
    assert run.result['error_message'] == 'Invalid access token'
    assert token not in run.output


def test_a_failing_later_page_fails_without_partial_results(run_module, emulator):
    first = emulator.seed(webhook('first'))[0]
    emulator.fault(method='GET', path=LIST_PATH, status=200, body=listing(first, total=1500))
    emulator.fail('GET', LIST_PATH, 400, 'Validation', 'bad page')
    run = run_module(main, args(emulator))
    assert run.result['failed'] is True and run.result['webhooks'] == []
    assert 'HTTP 400 Validation: bad page' in run.result['msg']


# secrets and check mode

def test_secrets_returned_by_the_api_are_masked_and_never_output(run_module, emulator):
    emulator.seed(webhook('partner', basicAuthUsername='partner', basicAuthPassword=PASSWORD,
                          verificationType='facebook', verificationCode=CODE))
    run = run_module(main, args(emulator))
    returned = run.result['webhooks'][0]
    assert (returned['basicAuthPassword'], returned['verificationCode']) == ('********', '********')
    assert returned['basicAuthUsername'] == 'partner'
    for secret in (PASSWORD, CODE, TOKEN):
        assert secret not in run.output


def test_empty_secrets_stay_empty(run_module, emulator):
    emulator.seed(webhook('open', basicAuthPassword='', verificationCode=''))
    run = run_module(main, args(emulator))
    assert (run.result['webhooks'][0]['basicAuthPassword'], run.result['webhooks'][0]['verificationCode']) == ('', '')


def test_webhook_without_token_has_a_null_trigger_url(run_module, emulator):
    odd = emulator.seed(webhook('odd'))[0]
    del odd['token']
    emulator.fault(method='GET', path=LIST_PATH, status=200, body=listing(odd))
    run = run_module(main, args(emulator))
    assert run.result['webhooks'][0]['trigger_url'] is None


def test_check_mode_reads_and_returns_the_same(run_module, emulator):
    emulator.seed(webhook('alerts', 1))
    normal = run_module(main, args(emulator))
    checked = run_module(main, args(emulator), check_mode=True)
    assert 'skipped' not in checked.result and checked.result['changed'] is False
    assert checked.result['webhooks'] == normal.result['webhooks']
    assert [method for method, path, query in sent(emulator)] == ['GET', 'GET']


# input validation

@pytest.mark.parametrize('extra, message', [
    ({'application_id': 'not-an-id'}, "application_id must be 24 hexadecimal characters, got 'not-an-id'"),
    ({'webhook_id': HOOK[:-1] + 'Z'}, 'webhook_id must be 24 hexadecimal characters'),
    ({'name': ''}, 'name must not be empty'),
    ({'name': 'x' * 256}, 'name must be at most 255 characters, got 256'),
    ({'timeout': 0}, 'timeout must be a positive number of seconds'),
    ({'webhook_id': HOOK, 'name': 'orders'}, 'parameters are mutually exclusive: webhook_id|name'),
])
def test_invalid_input_fails_before_any_request(run_module, emulator, extra, message):
    run = run_module(main, args(emulator, **extra))
    assert run.exit_code == 1 and message in run.result['msg']
    assert emulator.calls == []


def test_application_id_is_required(run_module, emulator):
    run = run_module(main, {'api_url': emulator.url, 'api_token': TOKEN})
    assert 'missing required arguments: application_id' in run.result['msg']
    assert emulator.calls == []
