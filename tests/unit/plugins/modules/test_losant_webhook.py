# -*- coding: utf-8 -*-
# Copyright: Contributors to the losant.platform collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""losant_webhook end to end in-process: requests sent, changed, diff, output and failures."""

from __future__ import annotations

from typing import Any

import pytest
import requests

from ansible_collections.losant.platform.plugins.module_utils import base
from ansible_collections.losant.platform.plugins.modules.losant_webhook import main

API = 'https://api.example.test'
APP = '5b3a0c1e9f1d2c0012345678'
HOOK = '5b3a0c1e9f1d2c00abcdef01'
OTHER = '5b3a0c1e9f1d2c00abcdef02'
LIST_URL = '%s/applications/%s/webhooks' % (API, APP)
HOOK_URL = '%s/%s' % (LIST_URL, HOOK)
TOKEN = 'tok-3f9a1c77e0b54d2e'
PASSWORD = 'pw-4d1c9e0a7b'


def args(**extra: Any) -> dict[str, Any]:
    return dict({'api_url': API, 'api_token': TOKEN, 'application_id': APP}, **extra)


def webhook(**fields: Any) -> dict[str, Any]:
    hook = {'id': HOOK, 'webhookId': HOOK, 'applicationId': APP, 'name': 'orders', 'description': '',
            'token': 'trig-1', 'responseCode': 200, 'verificationType': 'none', 'waitForReply': False,
            'basicAuthUsername': '', 'isWebsocket': False, 'castBuffersAs': 'array',
            'annotateMultipart': False, 'enabled': True, 'creationDate': '2026-01-01T00:00:00.000Z',
            'lastUpdated': '2026-01-01T00:00:00.000Z', '_type': 'webhook', '_links': {'self': {'href': '/x'}}}
    hook.update(fields)
    return hook


def listing(*hooks: dict[str, Any]) -> dict[str, Any]:
    return {'items': list(hooks), 'count': len(hooks), 'totalCount': len(hooks), 'perPage': 1000, 'page': 0}


def sent(requests_mock) -> list[tuple[str, str, Any]]:
    """(method, path?query, json body) of every request, in order."""
    calls = []
    for request in requests_mock.request_history:
        target = request.path + ('?' + request.query if request.query else '')
        calls.append((request.method, target, request.json() if request.body else None))
    return calls


LIST_ORDERS = ('GET', '/applications/%s/webhooks?perpage=1000&sortfield=name&sortdirection=asc'
               '&filterfield=name&filter=orders&page=0' % APP, None)
GET_HOOK = ('GET', '/applications/%s/webhooks/%s' % (APP, HOOK), None)


# create

def test_create_posts_only_the_set_fields(run_module, requests_mock):
    requests_mock.get(LIST_URL, json=listing())
    requests_mock.post(LIST_URL, status_code=201, json=webhook(responseCode=201, enabled=False))
    run = run_module(main, args(name='orders', response_code=201, enabled=False), diff=True)
    assert sent(requests_mock) == [LIST_ORDERS, ('POST', '/applications/%s/webhooks' % APP,
                                                 {'name': 'orders', 'responseCode': 201, 'enabled': False})]
    assert run.result['changed'] is True
    assert run.result['trigger_url'] == 'https://triggers.losant.com/webhooks/trig-1'
    assert run.result['webhook']['id'] == HOOK and '_links' not in run.result['webhook']
    assert run.result['diff'] == {'before': {}, 'after': run.result['webhook']}


def test_yaml_strings_are_normalised_by_the_argument_spec(run_module, requests_mock):
    requests_mock.get(LIST_URL, json=listing())
    requests_mock.post(LIST_URL, status_code=201, json=webhook())
    run_module(main, args(name='orders', response_code='201', wait_for_reply='yes', enabled='no',
                          timeout='5'))
    assert requests_mock.request_history[1].json() == {
        'name': 'orders', 'responseCode': 201, 'waitForReply': True, 'enabled': False}
    assert requests_mock.request_history[1].timeout == 5


def test_normalised_strings_compare_equal_to_the_api_values(run_module, requests_mock):
    requests_mock.get(LIST_URL, json=listing(webhook(responseCode=201, waitForReply=True)))
    run = run_module(main, args(name='orders', response_code='201', wait_for_reply='true'))
    assert run.result['changed'] is False and requests_mock.call_count == 1


def test_check_mode_create_sends_no_write_and_predicts_the_webhook(run_module, requests_mock):
    requests_mock.get(LIST_URL, json=listing())
    run = run_module(main, args(name='orders', response_code=201), check_mode=True, diff=True)
    assert sent(requests_mock) == [LIST_ORDERS]
    assert run.result['changed'] is True
    assert run.result['webhook']['responseCode'] == 201 and run.result['webhook']['enabled'] is True
    assert 'id' not in run.result['webhook'] and 'trigger_url' not in run.result


def test_no_diff_unless_asked(run_module, requests_mock):
    requests_mock.get(LIST_URL, json=listing())
    assert 'diff' not in run_module(main, args(name='orders'), check_mode=True).result


# converged, update, rename

def test_converged_by_name_is_one_request(run_module, requests_mock):
    requests_mock.get(LIST_URL, json=listing(webhook(description='shop')))
    run = run_module(main, args(name='orders', description='shop', enabled=True), diff=True)
    assert sent(requests_mock) == [LIST_ORDERS]
    assert run.result['changed'] is False
    assert run.result['diff'] == {'before': {}, 'after': {}}
    assert run.result['trigger_url'] == 'https://triggers.losant.com/webhooks/trig-1'


def test_converged_by_id_is_one_get(run_module, requests_mock):
    requests_mock.get(HOOK_URL, json=webhook())
    run = run_module(main, args(webhook_id=HOOK, name='orders'))
    assert sent(requests_mock) == [GET_HOOK] and run.result['changed'] is False


def test_update_patches_only_the_differing_field_and_does_not_read_again(run_module, requests_mock):
    requests_mock.get(LIST_URL, json=listing(webhook(description='shop')))
    requests_mock.patch(HOOK_URL, json=webhook(description='shop', responseCode=202))
    run = run_module(main, args(name='orders', description='shop', response_code=202), diff=True)
    assert sent(requests_mock) == [LIST_ORDERS, ('PATCH', GET_HOOK[1], {'responseCode': 202})]
    assert run.result['changed'] is True
    assert run.result['diff'] == {'before': {'responseCode': 200}, 'after': {'responseCode': 202}}
    assert run.result['webhook']['responseCode'] == 202


def test_check_mode_update_reports_the_same_change_without_writing(run_module, requests_mock):
    requests_mock.get(LIST_URL, json=listing(webhook()))
    run = run_module(main, args(name='orders', enabled=False), check_mode=True, diff=True)
    assert sent(requests_mock) == [LIST_ORDERS]
    assert run.result['changed'] is True
    assert run.result['diff'] == {'before': {'enabled': True}, 'after': {'enabled': False}}
    assert run.result['webhook']['enabled'] is False


def test_rename_by_id_is_one_get_and_one_patch_of_the_name(run_module, requests_mock):
    requests_mock.get(HOOK_URL, json=webhook())
    requests_mock.patch(HOOK_URL, json=webhook(name='orders-v2'))
    run = run_module(main, args(webhook_id=HOOK, name='orders-v2'))
    assert sent(requests_mock) == [GET_HOOK, ('PATCH', GET_HOOK[1], {'name': 'orders-v2'})]
    assert run.result['changed'] is True and run.result['webhook']['name'] == 'orders-v2'


def test_a_field_missing_on_an_old_webhook_is_set_once(run_module, requests_mock):
    old = webhook()
    del old['enabled']
    requests_mock.get(HOOK_URL, json=old)
    requests_mock.patch(HOOK_URL, json=webhook())
    run = run_module(main, args(webhook_id=HOOK, enabled=True))
    assert sent(requests_mock)[1] == ('PATCH', GET_HOOK[1], {'enabled': True}) and run.result['changed']


def test_missing_id_with_present_fails_without_writing(run_module, requests_mock):
    requests_mock.get(HOOK_URL, status_code=404, json={'type': 'NotFound', 'message': 'Webhook was not found'})
    run = run_module(main, args(webhook_id=HOOK, name='x'))
    assert run.exit_code == 1 and run.result['failed'] is True
    assert HOOK in run.result['msg'] and 'remove webhook_id' in run.result['msg']
    assert sent(requests_mock) == [GET_HOOK]


# absent

def test_absent_deletes_with_one_request(run_module, requests_mock):
    requests_mock.get(LIST_URL, json=listing(webhook()))
    requests_mock.delete(HOOK_URL, json={'success': True})
    run = run_module(main, args(name='orders', state='absent'), diff=True)
    assert sent(requests_mock) == [LIST_ORDERS, ('DELETE', GET_HOOK[1], None)]
    assert run.result['changed'] is True and run.result['webhook'] == {}
    assert run.result['diff']['after'] == {} and run.result['diff']['before']['id'] == HOOK
    assert 'trigger_url' not in run.result


def test_absent_with_workflows(run_module, requests_mock):
    requests_mock.get(HOOK_URL, json=webhook())
    requests_mock.delete(HOOK_URL, json={'success': True})
    run_module(main, args(webhook_id=HOOK, state='absent', include_workflows=True))
    assert sent(requests_mock)[1] == ('DELETE', GET_HOOK[1] + '?includeworkflows=true', None)


def test_absent_in_check_mode_sends_no_delete(run_module, requests_mock):
    requests_mock.get(LIST_URL, json=listing(webhook()))
    run = run_module(main, args(name='orders', state='absent'), check_mode=True)
    assert sent(requests_mock) == [LIST_ORDERS] and run.result['changed'] is True


@pytest.mark.parametrize('lookup', [{'name': 'orders'}, {'webhook_id': HOOK}])
def test_absent_when_already_gone_is_unchanged(run_module, requests_mock, lookup):
    requests_mock.get(LIST_URL, json=listing())
    requests_mock.get(HOOK_URL, status_code=404, json={'type': 'NotFound', 'message': 'Webhook was not found'})
    run = run_module(main, args(state='absent', **lookup))
    assert run.exit_code == 0 and run.result['changed'] is False and requests_mock.call_count == 1


# lookup by name

def test_names_are_exact_and_case_sensitive(run_module, requests_mock):
    requests_mock.get(LIST_URL, json=listing(webhook(id=OTHER, name='Orders'), webhook(id=OTHER, name='orders-x')))
    requests_mock.post(LIST_URL, status_code=201, json=webhook())
    run = run_module(main, args(name='orders'))
    assert [call[0] for call in sent(requests_mock)] == ['GET', 'POST'] and run.result['changed']


def test_duplicate_names_fail_naming_both_ids_and_write_nothing(run_module, requests_mock):
    requests_mock.get(LIST_URL, json=listing(webhook(), webhook(id=OTHER)))
    run = run_module(main, args(name='orders', description='x'))
    assert run.exit_code == 1
    assert HOOK in run.result['msg'] and OTHER in run.result['msg'] and 'webhook_id' in run.result['msg']
    assert run.result['webhook_ids'] == [HOOK, OTHER]
    assert sent(requests_mock) == [LIST_ORDERS]


def test_a_match_on_the_second_page_is_found(run_module, requests_mock):
    first = [webhook(id='%024x' % index, name='Orders%d' % index) for index in range(1000)]
    requests_mock.get(LIST_URL, [{'json': dict(listing(*first), totalCount=1001)},
                                 {'json': dict(listing(webhook()), totalCount=1001, page=1)}])
    run = run_module(main, args(name='orders'))
    assert run.result['changed'] is False and run.result['webhook']['id'] == HOOK
    assert [request.qs['page'] for request in requests_mock.request_history] == [['0'], ['1']]


# secrets

def test_secrets_returned_by_the_api_never_reach_the_output(run_module, requests_mock):
    requests_mock.get(LIST_URL, json=listing(webhook(basicAuthPassword=PASSWORD, verificationCode='vc-93b1f')))
    requests_mock.delete(HOOK_URL, json={'success': True})
    run = run_module(main, args(name='orders', state='absent'), diff=True)
    assert PASSWORD not in run.output and 'vc-93b1f' not in run.output
    assert run.result['diff']['before']['basicAuthPassword'] == '********'


def test_user_secrets_and_the_token_never_reach_the_output(run_module, requests_mock):
    requests_mock.get(LIST_URL, json=listing())
    requests_mock.post(LIST_URL, status_code=201, json=webhook(basicAuthUsername='u', basicAuthPassword=PASSWORD))
    run = run_module(main, args(name='orders', basic_auth_username='u', basic_auth_password=PASSWORD), diff=True)
    assert requests_mock.request_history[1].json()['basicAuthPassword'] == PASSWORD
    assert PASSWORD not in run.output and TOKEN not in run.output
    assert run.result['webhook']['basicAuthPassword'] == '********'


def test_update_secrets_always_compares_a_returned_secret(run_module, requests_mock):
    requests_mock.get(LIST_URL, json=listing(webhook(basicAuthPassword=PASSWORD)))
    run = run_module(main, args(name='orders', basic_auth_password=PASSWORD))
    assert run.result['changed'] is False and requests_mock.call_count == 1


def test_update_secrets_always_sends_a_differing_secret_masked_in_the_diff(run_module, requests_mock):
    requests_mock.get(LIST_URL, json=listing(webhook(basicAuthPassword='old-pw-77')))
    requests_mock.patch(HOOK_URL, json=webhook(basicAuthPassword=PASSWORD))
    run = run_module(main, args(name='orders', basic_auth_password=PASSWORD), diff=True)
    assert sent(requests_mock)[1] == ('PATCH', GET_HOOK[1], {'basicAuthPassword': PASSWORD})
    assert run.result['diff'] == {'before': {'basicAuthPassword': '********'},
                                  'after': {'basicAuthPassword': '******** (changed)'}}
    assert 'old-pw-77' not in run.output and PASSWORD not in run.output


def test_update_secrets_always_sends_a_secret_the_api_hides_every_time(run_module, requests_mock):
    requests_mock.get(LIST_URL, json=listing(webhook()))
    requests_mock.patch(HOOK_URL, json=webhook())
    run = run_module(main, args(name='orders', verification_code='vc'))
    assert sent(requests_mock)[1] == ('PATCH', GET_HOOK[1], {'verificationCode': 'vc'}) and run.result['changed']


@pytest.mark.parametrize('returned', [{}, {'basicAuthPassword': 'someone-else-changed-it'}])
def test_update_secrets_on_create_never_sends_secrets_to_an_existing_webhook(run_module, requests_mock, returned):
    requests_mock.get(LIST_URL, json=listing(webhook(**returned)))
    requests_mock.patch(HOOK_URL, json=webhook(description='d'))
    run = run_module(main, args(name='orders', description='d', basic_auth_password=PASSWORD,
                                update_secrets='on_create'))
    assert sent(requests_mock)[1] == ('PATCH', GET_HOOK[1], {'description': 'd'})
    assert 'someone-else-changed-it' not in run.output


def test_update_secrets_on_create_sends_secrets_when_creating(run_module, requests_mock):
    requests_mock.get(LIST_URL, json=listing())
    requests_mock.post(LIST_URL, status_code=201, json=webhook())
    run_module(main, args(name='orders', verification_code='vc', update_secrets='on_create'))
    assert requests_mock.request_history[1].json() == {'name': 'orders', 'verificationCode': 'vc'}


# bad input

@pytest.mark.parametrize('extra, message', [
    ({'application_id': 'nope', 'name': 'x'}, "application_id must be 24 hexadecimal characters, got 'nope'"),
    ({'webhook_id': HOOK + '0'}, 'webhook_id must be 24 hexadecimal characters'),
    ({'name': ''}, 'name must not be empty'),
    ({'name': 'n' * 256}, 'name must be at most 255 characters, got 256'),
    ({'name': 'x', 'response_code': 99}, 'response_code must be between 100 and 599, got 99'),
    ({'name': 'x', 'response_code': 600}, 'response_code must be between 100 and 599, got 600'),
    ({'name': 'x', 'basic_auth_username': 'u' * 256}, 'basic_auth_username must be at most 255 characters'),
    ({'name': 'x', 'timeout': 0}, 'timeout must be a positive number of seconds, got 0'),
    ({'name': 'x', 'cast_buffers_as': 'utf16'}, 'cast_buffers_as must be one of'),
    ({'name': 'x', 'verification_type': 'github'}, 'verification_type must be one of'),
    ({'name': 'x', 'state': 'gone'}, 'state must be one of'),
    ({'name': 'x', 'update_secrets': 'never'}, 'update_secrets must be one of'),
    ({'name': 'x', 'response_code': 'two hundred'}, 'response_code'),
    ({'name': 'x', 'enabled': 'maybe'}, 'enabled'),
    ({}, 'one of the following is required: webhook_id, name'),
    ({'name': 'x', 'colour': 'red'}, 'Unsupported parameters'),
    ({'name': 'x', 'api_url': 'api.losant.com'},
     "api_url must be an http:// or https:// URL with a host name, got 'api.losant.com'"),
    ({'name': 'x', 'api_url': 'https://'}, 'api_url must be an http:// or https:// URL with a host name'),
    ({'name': 'x', 'api_url': 'ftp://api.losant.com'}, 'api_url must be an http:// or https:// URL'),
])
def test_bad_input_fails_before_any_request(run_module, requests_mock, extra, message):
    run = run_module(main, dict(args(), **extra))
    assert run.exit_code == 1 and run.result['failed'] is True
    assert message in run.result['msg']
    assert requests_mock.call_count == 0


def test_every_input_problem_is_reported_at_once(run_module, requests_mock):
    run = run_module(main, args(application_id='x', name='', response_code=1))
    assert run.result['errors'] == [
        "application_id must be 24 hexadecimal characters, got 'x'",
        'name must not be empty',
        'response_code must be between 100 and 599, got 1',
    ]
    assert requests_mock.call_count == 0


# API failures, retries, connection

@pytest.mark.parametrize('status, error_type, message', [
    (401, 'Unauthorized', 'Invalid access token'),
    (403, 'Forbidden', 'Token does not have the required scope'),
    (404, 'NotFound', 'Application was not found'),
    (500, 'InternalError', 'Something broke'),
])
def test_api_errors_fail_with_method_path_status_type_and_message(
        run_module, requests_mock, status, error_type, message):
    requests_mock.get(LIST_URL, status_code=status, json={'type': error_type, 'message': message})
    run = run_module(main, args(name='orders'))
    assert run.exit_code == 1 and requests_mock.call_count == 1
    assert run.result['msg'] == 'GET /applications/%s/webhooks failed with HTTP %d %s: %s' % (
        APP, status, error_type, message)
    assert (run.result['status'], run.result['error_type'], run.result['error_message']) == (
        status, error_type, message)


def test_a_failed_write_reports_the_write(run_module, requests_mock):
    requests_mock.get(HOOK_URL, json=webhook())
    requests_mock.patch(HOOK_URL, status_code=400, json={'type': 'Validation', 'message': 'bad name'})
    run = run_module(main, args(webhook_id=HOOK, name='other'))
    assert run.result['msg'] == 'PATCH /applications/%s/webhooks/%s failed with HTTP 400 Validation: bad name' % (
        APP, HOOK)


@pytest.mark.parametrize('status', [429, 503])
def test_throttling_and_unavailability_are_retried(run_module, requests_mock, status):
    requests_mock.get(LIST_URL, [{'status_code': status, 'headers': {'Retry-After': '1'}, 'json': {}},
                                 {'json': listing(webhook())}])
    run = run_module(main, args(name='orders'))
    assert run.exit_code == 0 and run.result['changed'] is False and requests_mock.call_count == 2


def test_a_timeout_fails_at_once_with_a_clear_message(run_module, requests_mock):
    requests_mock.get(LIST_URL, exc=requests.exceptions.ReadTimeout)
    run = run_module(main, args(name='orders', timeout=1))
    assert requests_mock.call_count == 1
    assert run.result['msg'] == 'GET /applications/%s/webhooks failed: no answer from %s within 1 seconds' % (
        APP, API)


def test_connection_options_come_from_the_environment(run_module, requests_mock, monkeypatch):
    monkeypatch.setenv('LOSANT_API_URL', 'https://env.example.test')
    monkeypatch.setenv('LOSANT_API_TOKEN', 'env-token-5c2')
    requests_mock.get('https://env.example.test/applications/%s/webhooks' % APP, json=listing(webhook()))
    run = run_module(main, {'application_id': APP, 'name': 'orders'})
    assert run.exit_code == 0
    assert requests_mock.request_history[0].headers['Authorization'] == 'Bearer env-token-5c2'
    assert 'env-token-5c2' not in run.output


def test_the_token_is_required(run_module, requests_mock, monkeypatch):
    monkeypatch.delenv('LOSANT_API_TOKEN', raising=False)
    run = run_module(main, {'application_id': APP, 'name': 'orders'})
    assert 'missing required arguments: api_token' in run.result['msg'] and requests_mock.call_count == 0


def test_a_missing_requests_library_gives_the_standard_message(run_module, requests_mock, monkeypatch):
    monkeypatch.setattr(base, 'REQUESTS_IMPORT_ERROR', 'Traceback: No module named requests')
    run = run_module(main, args(name='orders'))
    assert run.exit_code == 1
    assert run.result['msg'].startswith('Failed to import the required Python library (requests)')
    assert requests_mock.call_count == 0
