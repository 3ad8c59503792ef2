# -*- coding: utf-8 -*-
# Copyright: Contributors to the losant.platform collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""losant_webhook end to end in-process: requests sent, changed, diff, output and failures."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import pytest
import requests

from ansible_collections.losant.platform.plugins.module_utils import _module as base
from ansible_collections.losant.platform.plugins.modules.losant_webhook import main
from ansible_collections.losant.platform.tests.unit import api_double
from ansible_collections.losant.platform.tests.unit.api_double import APP_ID, BASE_URL, TRIGGER_BASE, FakeApi, Reply

HOOK = '5b3a0c1e9f1d2c00abcdef01'
OTHER = '5b3a0c1e9f1d2c00abcdef02'
LIST_PATH = '/applications/%s/webhooks' % APP_ID
HOOK_PATH = '%s/%s' % (LIST_PATH, HOOK)
TOKEN = 'tok-3f9a1c77e0b54d2e'
PASSWORD = 'pw-4d1c9e0a7b'


def args(**extra: Any) -> dict[str, Any]:
    return dict({'api_url': BASE_URL, 'api_token': TOKEN, 'application_id': APP_ID, 'trigger_base_url': TRIGGER_BASE},
                **extra)


def webhook(**fields: Any) -> dict[str, Any]:
    """The webhook most tests manage: ``orders``, ID ``HOOK``, trigger token ``trig-1``."""
    defaults = {'name': 'orders', 'id': HOOK, 'token': 'trig-1', 'description': '', 'basicAuthUsername': ''}
    return api_double.webhook(**dict(defaults, **fields))


def sent(fake: FakeApi) -> list[tuple[str, str, Any]]:
    """(method, path?query, json body) of every request, in order."""
    return [(call.method, call.path + ('?' + urlencode(call.params) if call.params else ''), call.body)
            for call in fake.calls]


LIST_ORDERS = ('GET', '%s?perPage=1000&sortField=name&sortDirection=asc&filterField=name&filter=%%2Ao%%2Ar%%2Ad%%2Ae%%2Ar%%2As%%2A&page=0'
               % LIST_PATH, None)
GET_HOOK = ('GET', HOOK_PATH, None)
# Before a delete, the workflows that the webhook triggers (see test_drift.py).
FLOWS_OF_HOOK = ('GET', '/applications/%s/flows?triggerFilter%%5B0%%5D%%5Btype%%5D=webhook&triggerFilter%%5B0%%5D%%5Bkey%%5D=%s'
                 '&perPage=100&sortField=name&sortDirection=asc&page=0' % (APP_ID, HOOK), None)


# create

def test_create_posts_only_the_set_fields(run_module, fake_api):
    fake_api.script('POST', LIST_PATH, Reply(201, webhook(responseCode=201, enabled=False)))
    run = run_module(main, args(name='orders', response_code=201, enabled=False), diff=True)
    assert sent(fake_api) == [LIST_ORDERS, ('POST', LIST_PATH, {'name': 'orders', 'responseCode': 201, 'enabled': False})]
    assert run.result['changed'] is True
    assert run.result['trigger_url'] == TRIGGER_BASE + '/trig-1'
    assert run.result['webhook']['id'] == HOOK and '_links' not in run.result['webhook']
    assert run.result['diff'] == {'before': {}, 'after': {
        'id': HOOK, 'token': '********', 'name': 'orders', 'description': '', 'response_code': 201,
        'verification_type': 'none', 'wait_for_reply': False, 'basic_auth_username': '', 'is_websocket': False,
        'cast_buffers_as': 'array', 'annotate_multipart': False, 'enabled': False}}
    assert run.result['webhook']['token'] == 'trig-1'


def test_yaml_strings_are_normalised_by_the_argument_spec(run_module, fake_api):
    fake_api.script('POST', LIST_PATH, Reply(201, webhook()))
    run_module(main, args(name='orders', response_code='201', wait_for_reply='yes', enabled='no',
                          timeout='5'))
    assert fake_api.calls[1].body == {
        'name': 'orders', 'responseCode': 201, 'waitForReply': True, 'enabled': False}
    assert fake_api.calls[1].timeout == 5


def test_normalised_strings_compare_equal_to_the_api_values(run_module, fake_api):
    fake_api.add(webhook(responseCode=201, waitForReply=True))
    run = run_module(main, args(name='orders', response_code='201', wait_for_reply='true'))
    assert run.result['changed'] is False and len(fake_api.calls) == 1


def test_check_mode_create_sends_no_write_and_predicts_the_webhook(run_module, fake_api):
    run = run_module(main, args(name='orders', response_code=201), check_mode=True, diff=True)
    assert sent(fake_api) == [LIST_ORDERS]
    assert run.result['changed'] is True
    assert run.result['webhook']['responseCode'] == 201 and run.result['webhook']['enabled'] is True
    assert 'id' not in run.result['webhook'] and run.result['trigger_url'] is None


def test_no_diff_unless_asked(run_module, fake_api):
    assert 'diff' not in run_module(main, args(name='orders'), check_mode=True).result


# converged, update, rename

def test_converged_by_name_is_one_request(run_module, fake_api):
    fake_api.add(webhook(description='shop'))
    run = run_module(main, args(name='orders', description='shop', enabled=True), diff=True)
    assert sent(fake_api) == [LIST_ORDERS]
    assert run.result['changed'] is False
    assert run.result['diff'] == {'before': {}, 'after': {}}
    assert run.result['trigger_url'] == TRIGGER_BASE + '/trig-1'


def test_converged_by_id_is_one_get(run_module, fake_api):
    fake_api.add(webhook())
    run = run_module(main, args(webhook_id=HOOK, name='orders'))
    assert sent(fake_api) == [GET_HOOK] and run.result['changed'] is False


def test_update_patches_only_the_differing_field_and_does_not_read_again(run_module, fake_api):
    fake_api.add(webhook(description='shop'))
    fake_api.script('PATCH', HOOK_PATH, Reply(200, webhook(description='shop', responseCode=202)))
    run = run_module(main, args(name='orders', description='shop', response_code=202), diff=True)
    assert sent(fake_api) == [LIST_ORDERS, ('PATCH', GET_HOOK[1], {'responseCode': 202})]
    assert run.result['changed'] is True
    assert run.result['diff'] == {'before': {'response_code': 200}, 'after': {'response_code': 202}}
    assert run.result['webhook']['responseCode'] == 202


def test_check_mode_update_reports_the_same_change_without_writing(run_module, fake_api):
    fake_api.add(webhook())
    run = run_module(main, args(name='orders', enabled=False), check_mode=True, diff=True)
    assert sent(fake_api) == [LIST_ORDERS]
    assert run.result['changed'] is True
    assert run.result['diff'] == {'before': {'enabled': True}, 'after': {'enabled': False}}
    assert run.result['webhook']['enabled'] is False


def test_rename_by_id_is_one_get_and_one_patch_of_the_name(run_module, fake_api):
    fake_api.add(webhook())
    fake_api.script('PATCH', HOOK_PATH, Reply(200, webhook(name='orders-v2')))
    run = run_module(main, args(webhook_id=HOOK, name='orders-v2'))
    assert sent(fake_api) == [GET_HOOK, ('PATCH', GET_HOOK[1], {'name': 'orders-v2'})]
    assert run.result['changed'] is True and run.result['webhook']['name'] == 'orders-v2'


def test_a_field_missing_on_an_old_webhook_is_set_once(run_module, fake_api):
    old = webhook()
    del old['enabled']
    fake_api.add(old)
    fake_api.script('PATCH', HOOK_PATH, Reply(200, webhook()))
    run = run_module(main, args(webhook_id=HOOK, enabled=True))
    assert sent(fake_api)[1] == ('PATCH', GET_HOOK[1], {'enabled': True}) and run.result['changed']


def test_missing_id_with_present_fails_without_writing(run_module, fake_api):
    run = run_module(main, args(webhook_id=HOOK, name='x'))
    assert run.exit_code == 1 and run.result['failed'] is True
    assert HOOK in run.result['msg'] and 'remove webhook_id' in run.result['msg']
    assert sent(fake_api) == [GET_HOOK]


# absent

def test_absent_deletes_with_one_request(run_module, fake_api):
    fake_api.add(webhook())
    run = run_module(main, args(name='orders', state='absent'), diff=True)
    assert sent(fake_api) == [LIST_ORDERS, FLOWS_OF_HOOK, ('DELETE', GET_HOOK[1], None)]
    assert run.result['changed'] is True and run.result['webhook'] == {}
    assert run.result['diff']['after'] == {} and run.result['diff']['before']['id'] == HOOK
    assert run.result['trigger_url'] is None


def test_absent_with_workflows(run_module, fake_api):
    fake_api.add(webhook())
    run_module(main, args(webhook_id=HOOK, state='absent', include_workflows=True))
    assert sent(fake_api)[1:] == [FLOWS_OF_HOOK, ('DELETE', GET_HOOK[1] + '?includeWorkflows=true', None)]


def test_absent_in_check_mode_sends_no_delete(run_module, fake_api):
    fake_api.add(webhook())
    run = run_module(main, args(name='orders', state='absent'), check_mode=True)
    assert sent(fake_api) == [LIST_ORDERS, FLOWS_OF_HOOK] and run.result['changed'] is True


@pytest.mark.parametrize('lookup', [{'name': 'orders'}, {'webhook_id': HOOK}])
def test_absent_when_already_gone_is_unchanged(run_module, fake_api, lookup):
    run = run_module(main, args(state='absent', **lookup))
    assert run.exit_code == 0 and run.result['changed'] is False and len(fake_api.calls) == 1


# lookup by name

def test_names_are_exact_and_case_sensitive(run_module, fake_api):
    near_misses = api_double.listing(webhook(id=OTHER, name='Orders'), webhook(id=OTHER, name='orders-x'))
    fake_api.script('GET', LIST_PATH, Reply(200, near_misses))
    fake_api.script('POST', LIST_PATH, Reply(201, webhook()))
    run = run_module(main, args(name='orders'))
    assert [call[0] for call in sent(fake_api)] == ['GET', 'POST'] and run.result['changed']


def test_duplicate_names_fail_naming_both_ids_and_write_nothing(run_module, fake_api):
    fake_api.add(webhook(), webhook(id=OTHER))
    run = run_module(main, args(name='orders', description='x'))
    assert run.exit_code == 1
    assert HOOK in run.result['msg'] and OTHER in run.result['msg'] and 'webhook_id' in run.result['msg']
    assert run.result['webhook_ids'] == [HOOK, OTHER]
    assert sent(fake_api) == [LIST_ORDERS]


def test_a_match_on_the_second_page_is_found(run_module, fake_api):
    first = [webhook(id='%024x' % index, name='Orders%d' % index) for index in range(1000)]
    fake_api.script('GET', LIST_PATH, Reply(200, api_double.listing(*first, total=1001)),
                    Reply(200, api_double.listing(webhook(), total=1001, page=1)))
    run = run_module(main, args(name='orders'))
    assert run.result['changed'] is False and run.result['webhook']['id'] == HOOK
    assert [call.params['page'] for call in fake_api.calls] == [0, 1]


# secrets

def test_secrets_returned_by_the_api_never_reach_the_output(run_module, fake_api):
    fake_api.add(webhook(basicAuthPassword=PASSWORD, verificationCode='vc-93b1f'))
    run = run_module(main, args(name='orders', state='absent'), diff=True)
    assert PASSWORD not in run.output and 'vc-93b1f' not in run.output
    assert run.result['diff']['before']['basic_auth_password'] == '********'
    assert run.result['diff']['before']['verification_code'] == '********'


def test_user_secrets_and_the_token_never_reach_the_output(run_module, fake_api):
    fake_api.script('POST', LIST_PATH, Reply(201, webhook(basicAuthUsername='u', basicAuthPassword=PASSWORD)))
    run = run_module(main, args(name='orders', basic_auth_username='u', basic_auth_password=PASSWORD), diff=True)
    assert fake_api.calls[1].body['basicAuthPassword'] == PASSWORD
    assert PASSWORD not in run.output and TOKEN not in run.output
    assert run.result['webhook']['basicAuthPassword'] == '********'


def test_update_secrets_always_compares_a_returned_secret(run_module, fake_api):
    fake_api.add(webhook(basicAuthPassword=PASSWORD))
    run = run_module(main, args(name='orders', basic_auth_password=PASSWORD))
    assert run.result['changed'] is False and len(fake_api.calls) == 1


def test_update_secrets_always_sends_a_differing_secret_masked_in_the_diff(run_module, fake_api):
    fake_api.add(webhook(basicAuthPassword='old-pw-77'))
    fake_api.script('PATCH', HOOK_PATH, Reply(200, webhook(basicAuthPassword=PASSWORD)))
    run = run_module(main, args(name='orders', basic_auth_password=PASSWORD), diff=True)
    assert sent(fake_api)[1] == ('PATCH', GET_HOOK[1], {'basicAuthPassword': PASSWORD})
    assert run.result['diff'] == {'before': {'basic_auth_password': '********'},
                                  'after': {'basic_auth_password': '******** (changed)'}}
    assert 'old-pw-77' not in run.output and PASSWORD not in run.output


def test_update_secrets_always_sends_a_secret_the_api_hides_every_time(run_module, fake_api):
    fake_api.add(webhook())
    fake_api.script('PATCH', HOOK_PATH, Reply(200, webhook()))
    run = run_module(main, args(name='orders', verification_code='vc'))
    assert sent(fake_api)[1] == ('PATCH', GET_HOOK[1], {'verificationCode': 'vc'}) and run.result['changed']


@pytest.mark.parametrize('returned', [{}, {'basicAuthPassword': 'someone-else-changed-it'}])
def test_update_secrets_on_create_never_sends_secrets_to_an_existing_webhook(run_module, fake_api, returned):
    fake_api.add(webhook(**returned))
    fake_api.script('PATCH', HOOK_PATH, Reply(200, webhook(description='d')))
    run = run_module(main, args(name='orders', description='d', basic_auth_password=PASSWORD,
                                update_secrets='on_create'))
    assert sent(fake_api)[1] == ('PATCH', GET_HOOK[1], {'description': 'd'})
    assert 'someone-else-changed-it' not in run.output


def test_update_secrets_on_create_sends_secrets_when_creating(run_module, fake_api):
    fake_api.script('POST', LIST_PATH, Reply(201, webhook()))
    run_module(main, args(name='orders', verification_code='vc', update_secrets='on_create'))
    assert fake_api.calls[1].body == {'name': 'orders', 'verificationCode': 'vc'}


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
    ({'name': 'x', 'api_url': 'https://[::1'},
     "api_url must be an http:// or https:// URL with a host name, got 'https://[::1'"),
    ({'name': 'x', 'api_url': 'https://api.losant.com:99999'},
     "api_url must have a port from 1 to 65535 if any, got 'https://api.losant.com:99999'"),
    ({'name': 'x', 'api_url': 'https://api.losant.com:https'}, 'api_url must have a port from 1 to 65535'),
])
def test_bad_input_fails_before_any_request(run_module, fake_api, extra, message):
    run = run_module(main, dict(args(), **extra))
    assert run.exit_code == 1 and run.result['failed'] is True
    assert message in run.result['msg']
    assert len(fake_api.calls) == 0


def test_every_input_problem_is_reported_at_once(run_module, fake_api):
    run = run_module(main, args(application_id='x', name='', response_code=1))
    assert run.result['errors'] == [
        "application_id must be 24 hexadecimal characters, got 'x'",
        'name must not be empty',
        'response_code must be between 100 and 599, got 1',
    ]
    assert len(fake_api.calls) == 0


# API failures, retries, connection

@pytest.mark.parametrize('status, error_type, message', [
    (401, 'Unauthorized', 'Invalid access token'),
    (403, 'Forbidden', 'Token does not have the required scope'),
    (404, 'NotFound', 'Application was not found'),
    (500, 'InternalError', 'Something broke'),
])
def test_api_errors_fail_with_method_path_status_type_and_message(
        run_module, fake_api, status, error_type, message):
    fake_api.script('GET', LIST_PATH, Reply(status, {'type': error_type, 'message': message}))
    run = run_module(main, args(name='orders'))
    assert run.exit_code == 1 and len(fake_api.calls) == 1
    assert run.result['msg'] == 'GET /applications/%s/webhooks failed with HTTP %d %s: %s' % (
        APP_ID, status, error_type, message)
    assert (run.result['status'], run.result['error_type'], run.result['error_message']) == (
        status, error_type, message)


PROXY_404 = Reply(404, b'<html>\n<head><title>404 Not Found</title></head>\n<body>nginx</body>\n</html>\n',
                  {'Content-Type': 'text/html'})


@pytest.mark.parametrize('answer', [PROXY_404, Reply(404, {'error': 'not found'}), Reply(404, {'message': 'Not Found'})])
def test_absent_by_id_fails_on_a_404_that_is_not_losants(run_module, fake_api, answer):
    fake_api.add(webhook())
    fake_api.script('GET', HOOK_PATH, answer)
    run = run_module(main, args(webhook_id=HOOK, state='absent'))
    assert sent(fake_api) == [GET_HOOK] and HOOK in fake_api.stored
    assert run.exit_code == 1 and run.result['changed'] is False and run.result['status'] == 404
    assert run.result['msg'].startswith('GET %s failed with HTTP 404: ' % HOOK_PATH)
    assert "not Losant's NotFound error" in run.result['msg']


def test_the_excerpt_of_a_proxys_404_is_on_one_line(run_module, fake_api):
    fake_api.script('GET', HOOK_PATH, PROXY_404)
    run = run_module(main, args(webhook_id=HOOK, state='absent'))
    assert run.result['error_message'] == '<html> <head><title>404 Not Found</title></head> <body>nginx</body> </html>'


def test_absent_by_name_fails_when_a_proxy_answers_the_delete_with_404(run_module, fake_api):
    fake_api.add(webhook())
    fake_api.script('DELETE', HOOK_PATH, PROXY_404)
    run = run_module(main, args(name='orders', state='absent'))
    assert [call.method for call in fake_api.calls] == ['GET', 'GET', 'DELETE']
    assert run.exit_code == 1 and run.result['changed'] is False
    assert run.result['msg'].startswith('DELETE %s failed with HTTP 404: <html>' % HOOK_PATH)


def test_absent_fails_when_a_proxy_answers_the_workflow_lookup_with_404(run_module, fake_api):
    fake_api.add(webhook())
    fake_api.script('GET', '/applications/%s/flows' % APP_ID, PROXY_404)
    run = run_module(main, args(name='orders', state='absent'))
    assert [call.method for call in fake_api.calls] == ['GET', 'GET'] and HOOK in fake_api.stored
    assert run.exit_code == 1 and 'failed with HTTP 404: <html>' in run.result['msg']


def test_present_by_id_fails_on_a_proxys_404_instead_of_calling_the_webhook_missing(run_module, fake_api):
    fake_api.script('GET', HOOK_PATH, PROXY_404)
    run = run_module(main, args(webhook_id=HOOK, description='x'))
    assert run.exit_code == 1 and "not Losant's NotFound error" in run.result['msg']


def test_a_failed_write_reports_the_write(run_module, fake_api):
    fake_api.add(webhook())
    fake_api.script('PATCH', HOOK_PATH, Reply(400, {'type': 'Validation', 'message': 'bad name'}))
    run = run_module(main, args(webhook_id=HOOK, name='other'))
    assert run.result['msg'] == 'PATCH /applications/%s/webhooks/%s failed with HTTP 400 Validation: bad name' % (
        APP_ID, HOOK)


@pytest.mark.parametrize('status', [429, 503])
def test_throttling_and_unavailability_are_retried(run_module, fake_api, status):
    fake_api.add(webhook())
    fake_api.script('GET', LIST_PATH, Reply(status, {}, {'Retry-After': '1'}))
    run = run_module(main, args(name='orders'))
    assert run.exit_code == 0 and run.result['changed'] is False and len(fake_api.calls) == 2


def test_a_timeout_fails_at_once_with_a_clear_message(run_module, fake_api):
    fake_api.script('GET', LIST_PATH, requests.exceptions.ReadTimeout())
    run = run_module(main, args(name='orders', timeout=1))
    assert len(fake_api.calls) == 1
    assert run.result['msg'] == 'GET /applications/%s/webhooks failed: no answer from %s within 1 seconds' % (
        APP_ID, BASE_URL)


def test_a_partly_applied_update_fails_listing_what_was_applied_and_what_was_not(run_module, fake_api):
    fake_api.add(webhook())
    fake_api.script('PATCH', HOOK_PATH, Reply(200, webhook(description='new', enabled=False)))
    run = run_module(main, args(name='orders', description='new', is_websocket=True, enabled=False))
    assert sent(fake_api)[1] == ('PATCH', HOOK_PATH, {'description': 'new', 'isWebsocket': True, 'enabled': False})
    assert run.exit_code == 1 and run.result['changed'] is True
    assert run.result['changes'] == [{'action': 'update', 'name': 'orders', 'id': HOOK,
                                      'fields': ['description', 'enabled']}]
    assert run.result['fields_not_applied'] == ['is_websocket']


def test_an_update_that_applied_nothing_fails_unchanged(run_module, fake_api):
    fake_api.add(webhook())
    fake_api.script('PATCH', HOOK_PATH, Reply(200, webhook()))
    run = run_module(main, args(name='orders', is_websocket=True))
    assert run.exit_code == 1 and run.result['changed'] is False
    assert run.result['changes'] == [] and run.result['fields_not_applied'] == ['is_websocket']


def test_a_partly_applied_create_lists_the_fields_it_took(run_module, fake_api):
    fake_api.script('POST', LIST_PATH, Reply(201, webhook(description='new')))
    run = run_module(main, args(name='orders', description='new', response_code=201))
    assert run.exit_code == 1 and run.result['changed'] is True
    assert run.result['changes'] == [{'action': 'create', 'name': 'orders', 'id': None,
                                      'fields': ['name', 'description']}]
    assert run.result['fields_not_applied'] == ['response_code']


@pytest.mark.parametrize('failure', [requests.exceptions.ReadTimeout(), requests.exceptions.ConnectionError('reset')])
def test_a_create_of_unknown_outcome_is_reported_as_maybe_changed(run_module, fake_api, failure):
    fake_api.script('POST', LIST_PATH, failure)
    run = run_module(main, args(name='orders'))
    assert [call.method for call in fake_api.calls] == ['GET', 'POST']
    assert run.exit_code == 1 and run.result['changed'] is True
    assert 'the webhook may have been created: check before running again)' in run.result['msg'], run.result['msg']


def test_a_write_refused_by_the_api_is_reported_unchanged(run_module, fake_api):
    fake_api.script('POST', LIST_PATH, Reply(400, {'type': 'Validation', 'message': 'bad name'}))
    run = run_module(main, args(name='orders'))
    assert run.exit_code == 1 and run.result['changed'] is False


def test_connection_options_come_from_the_environment(run_module, monkeypatch):
    monkeypatch.setenv('LOSANT_API_URL', 'https://env.example.test')
    monkeypatch.setenv('LOSANT_API_TOKEN', 'env-token-5c2')
    fake = FakeApi([webhook()])
    with fake.serving('https://env.example.test'):
        run = run_module(main, {'application_id': APP_ID, 'name': 'orders'})
    assert run.exit_code == 0 and len(fake.calls) == 1
    assert fake.calls[0].headers['Authorization'] == 'Bearer env-token-5c2'
    assert 'env-token-5c2' not in run.output


def test_the_token_is_required(run_module, fake_api, monkeypatch):
    monkeypatch.delenv('LOSANT_API_TOKEN', raising=False)
    run = run_module(main, {'application_id': APP_ID, 'name': 'orders'})
    assert 'api_token is required: set it, or the environment variable LOSANT_API_TOKEN' in run.result['msg']
    assert fake_api.calls == []


def test_a_missing_requests_library_gives_the_standard_message(run_module, fake_api, monkeypatch):
    monkeypatch.setattr(base, 'REQUESTS_IMPORT_ERROR', 'Traceback: No module named requests')
    run = run_module(main, args(name='orders'))
    assert run.exit_code == 1
    assert run.result['msg'].startswith('Failed to import the required Python library (requests)')
    assert len(fake_api.calls) == 0


LOOK_ALIKES = [('orders ', 'orders'), ('orders\u200b', 'orders'), ('\ufefforders', 'orders'), ('orders', ' orders'),
               ('orders', 'or\u200bders'), ('caf\u00e9', 'cafe\u0301'), ('cafe\u0301', 'caf\u00e9'),
               ('Kelvin', '\u212aelvin')]


@pytest.mark.parametrize('declared, existing', LOOK_ALIKES)
@pytest.mark.parametrize('check_mode', [True, False])
def test_a_name_differing_from_a_webhook_only_by_white_space_around_it_creates_nothing(run_module, fake_api, declared,
                                                                                       existing, check_mode):
    fake_api.add(webhook(name=existing))
    run = run_module(main, args(name=declared), check_mode=check_mode)
    assert run.exit_code == 1 and fake_api.writes == [] and len(fake_api.calls) == 1
    assert "name %r differs from webhook %r only by white space around it, invisible characters or Unicode spelling" % (
        declared, existing) in run.result['msg']


def test_a_name_with_white_space_around_it_is_created_when_nothing_looks_like_it(run_module, fake_api):
    run = run_module(main, args(name=' lead'))
    assert run.exit_code == 0 and [call.body for call in fake_api.writes] == [{'name': ' lead'}]
