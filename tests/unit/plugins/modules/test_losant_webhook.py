# -*- coding: utf-8 -*-
# Copyright: Contributors to the losant.platform collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""losant_webhook end to end in-process: requests sent, changed, diff, output and failures."""

from __future__ import annotations

from typing import Any

import pytest
import requests

from ansible_collections.losant.platform.plugins.module_utils import _module as base
from ansible_collections.losant.platform.plugins.modules.losant_webhook import main
from ansible_collections.losant.platform.tests.emulator.state import CREATE_DEFAULTS
from ansible_collections.losant.platform.tests.unit.conftest import APP_ID, FLOWS, TOKEN, TRIGGER_BASE, Emulator

HOOK = '5b3a0c1e9f1d2c00abcdef01'
OTHER = '5b3a0c1e9f1d2c00abcdef02'
LIST_PATH = '/applications/%s/webhooks' % APP_ID
HOOK_PATH = '%s/%s' % (LIST_PATH, HOOK)
PASSWORD = 'pw-4d1c9e0a7b'


def args(emulator: Emulator, **extra: Any) -> dict[str, Any]:
    return emulator.args(trigger_base_url=TRIGGER_BASE, **extra)


def webhook(**fields: Any) -> dict[str, Any]:
    """The webhook most tests manage, to seed: ``orders``, ID ``HOOK``, trigger token ``trig-1``."""
    return dict({'name': 'orders', 'id': HOOK, 'token': 'trig-1', 'description': '', 'basicAuthUsername': ''},
                **fields)


def sent(emulator: Emulator) -> list[tuple[str, str, dict[str, str], Any]]:
    """(method, path, query, JSON body) of every request, in order."""
    return [(call.method, call.path, call.query, call.body) for call in emulator.calls]


def created(emulator: Emulator) -> dict[str, Any]:
    """The one webhook the application holds, as stored."""
    (stored,) = emulator.stored().values()
    return stored


LIST_ORDERS = ('GET', LIST_PATH, {'perPage': '1000', 'sortField': 'name', 'sortDirection': 'asc', 'filterField': 'name',
                                  'filter': '*o*r*d*e*r*s*', 'page': '0'}, None)
GET_HOOK = ('GET', HOOK_PATH, {}, None)
# Before a delete, the workflows that the webhook triggers (see test_drift.py).
FLOWS_OF_HOOK = ('GET', FLOWS, {'triggerFilter[0][type]': 'webhook', 'triggerFilter[0][key]': HOOK, 'perPage': '100',
                                'sortField': 'name', 'sortDirection': 'asc', 'page': '0'}, None)
DELETE_HOOK = ('DELETE', HOOK_PATH, {}, None)


# create

def test_create_posts_only_the_set_fields(run_module, emulator):
    run = run_module(main, args(emulator, name='orders', response_code=201, enabled=False), diff=True)
    new = created(emulator)
    assert sent(emulator) == [LIST_ORDERS, ('POST', LIST_PATH, {}, {'name': 'orders', 'responseCode': 201,
                                                                    'enabled': False})]
    assert run.result['changed'] is True
    assert run.result['trigger_url'] == TRIGGER_BASE + '/' + new['token']
    assert run.result['webhook']['id'] == new['id'] and '_links' not in run.result['webhook']
    assert run.result['diff'] == {'before': {}, 'after': {
        'id': new['id'], 'token': '********', 'name': 'orders', 'response_code': 201, 'verification_type': 'none',
        'wait_for_reply': False, 'is_websocket': False, 'cast_buffers_as': 'array', 'annotate_multipart': False,
        'enabled': False}}
    assert run.result['webhook']['token'] == new['token']


def test_yaml_strings_are_normalised_by_the_argument_spec(run_module, emulator, monkeypatch):
    timeouts = []
    request = requests.Session.request

    def noting_the_timeout(session: requests.Session, *call: Any, **options: Any) -> requests.Response:
        timeouts.append(options['timeout'])
        return request(session, *call, **options)
    monkeypatch.setattr(requests.Session, 'request', noting_the_timeout)
    run_module(main, args(emulator, name='orders', response_code='201', wait_for_reply='yes', enabled='no',
                          timeout='5'))
    assert [call.body for call in emulator.writes] == [
        {'name': 'orders', 'responseCode': 201, 'waitForReply': True, 'enabled': False}]
    assert timeouts == [5, 5]


def test_normalised_strings_compare_equal_to_the_api_values(run_module, emulator):
    emulator.seed(webhook(responseCode=201, waitForReply=True))
    run = run_module(main, args(emulator, name='orders', response_code='201', wait_for_reply='true'))
    assert run.result['changed'] is False and len(emulator.calls) == 1


def test_check_mode_create_sends_no_write_and_predicts_the_webhook(run_module, emulator):
    run = run_module(main, args(emulator, name='orders', response_code=201), check_mode=True, diff=True)
    assert sent(emulator) == [LIST_ORDERS] and emulator.stored() == {}
    assert run.result['changed'] is True
    assert run.result['webhook']['responseCode'] == 201 and run.result['webhook']['enabled'] is True
    assert 'id' not in run.result['webhook'] and run.result['trigger_url'] is None


def test_no_diff_unless_asked(run_module, emulator):
    assert 'diff' not in run_module(main, args(emulator, name='orders'), check_mode=True).result


# converged, update, rename

def test_converged_by_name_is_one_request(run_module, emulator):
    emulator.seed(webhook(description='shop'))
    run = run_module(main, args(emulator, name='orders', description='shop', enabled=True), diff=True)
    assert sent(emulator) == [LIST_ORDERS]
    assert run.result['changed'] is False
    assert run.result['diff'] == {'before': {}, 'after': {}}
    assert run.result['trigger_url'] == TRIGGER_BASE + '/trig-1'


def test_converged_by_id_is_one_get(run_module, emulator):
    emulator.seed(webhook())
    run = run_module(main, args(emulator, webhook_id=HOOK, name='orders'))
    assert sent(emulator) == [GET_HOOK] and run.result['changed'] is False


def test_update_patches_only_the_differing_field_and_does_not_read_again(run_module, emulator):
    emulator.seed(webhook(description='shop'))
    # state written out, as in most tasks: the value then comes from the task's arguments, not the spec's default
    run = run_module(main, args(emulator, name='orders', state='present', description='shop', response_code=202),
                     diff=True)
    assert sent(emulator) == [LIST_ORDERS, ('PATCH', HOOK_PATH, {}, {'responseCode': 202})]
    assert run.result['changed'] is True
    assert run.result['diff'] == {'before': {'response_code': 200}, 'after': {'response_code': 202}}
    assert run.result['webhook']['responseCode'] == 202


def test_check_mode_update_reports_the_same_change_without_writing(run_module, emulator):
    emulator.seed(webhook())
    run = run_module(main, args(emulator, name='orders', enabled=False), check_mode=True, diff=True)
    assert sent(emulator) == [LIST_ORDERS]
    assert run.result['changed'] is True
    assert run.result['diff'] == {'before': {'enabled': True}, 'after': {'enabled': False}}
    assert run.result['webhook']['enabled'] is False


def test_rename_by_id_is_one_get_and_one_patch_of_the_name(run_module, emulator):
    emulator.seed(webhook())
    run = run_module(main, args(emulator, webhook_id=HOOK, name='orders-v2'))
    assert sent(emulator) == [GET_HOOK, ('PATCH', HOOK_PATH, {}, {'name': 'orders-v2'})]
    assert run.result['changed'] is True and run.result['webhook']['name'] == 'orders-v2'


def test_a_field_missing_on_an_old_webhook_is_set_once(run_module, emulator):
    # Stored as given, without the create defaults: a webhook from before `enabled` existed.
    emulator.state.seed_webhooks(APP_ID, [{'id': HOOK, 'name': 'orders'}])
    run = run_module(main, args(emulator, webhook_id=HOOK, enabled=True))
    assert sent(emulator)[1:] == [('PATCH', HOOK_PATH, {}, {'enabled': True})] and run.result['changed']


def test_missing_id_with_present_fails_without_writing(run_module, emulator):
    run = run_module(main, args(emulator, webhook_id=HOOK, name='x', state='present'))
    assert run.exit_code == 1 and run.result['failed'] is True
    assert HOOK in run.result['msg'] and 'remove webhook_id' in run.result['msg']
    assert sent(emulator) == [GET_HOOK]


# absent

def test_absent_deletes_with_one_request(run_module, emulator):
    emulator.seed(webhook())
    run = run_module(main, args(emulator, name='orders', state='absent'), diff=True)
    assert sent(emulator) == [LIST_ORDERS, FLOWS_OF_HOOK, DELETE_HOOK] and emulator.stored() == {}
    assert run.result['changed'] is True and run.result['webhook'] == {}
    assert run.result['diff']['after'] == {} and run.result['diff']['before']['id'] == HOOK
    assert run.result['trigger_url'] is None


def test_absent_with_workflows(run_module, emulator):
    emulator.seed(webhook())
    run_module(main, args(emulator, webhook_id=HOOK, state='absent', include_workflows=True))
    assert sent(emulator)[1:] == [FLOWS_OF_HOOK, ('DELETE', HOOK_PATH, {'includeWorkflows': 'true'}, None)]


def test_absent_in_check_mode_sends_no_delete(run_module, emulator):
    emulator.seed(webhook())
    run = run_module(main, args(emulator, name='orders', state='absent'), check_mode=True)
    assert sent(emulator) == [LIST_ORDERS, FLOWS_OF_HOOK] and run.result['changed'] is True


@pytest.mark.parametrize('lookup', [{'name': 'orders'}, {'webhook_id': HOOK}])
def test_absent_when_already_gone_is_unchanged(run_module, emulator, lookup):
    run = run_module(main, args(emulator, state='absent', **lookup))
    assert run.exit_code == 0 and run.result['changed'] is False and len(emulator.calls) == 1


def test_absent_is_unchanged_for_a_name_that_only_looks_like_a_webhook_s(run_module, emulator):
    emulator.seed(webhook())
    run = run_module(main, args(emulator, state='absent', name='orders '))
    assert run.exit_code == 0 and run.result['changed'] is False, run.result
    assert [call.method for call in emulator.calls] == ['GET']


def test_an_update_of_a_webhook_deleted_meanwhile_fails_with_the_404(run_module, emulator):
    emulator.seed(webhook())
    emulator.fail('PATCH', HOOK_PATH, 404, 'NotFound', 'Webhook was not found')
    run = run_module(main, args(emulator, webhook_id=HOOK, description='new'))
    assert run.exit_code == 1 and not run.result.get('changed')
    assert run.result['msg'].startswith('PATCH %s failed with HTTP 404 NotFound: Webhook was not found' % HOOK_PATH)


# lookup by name

def test_names_are_exact_and_case_sensitive(run_module, emulator):
    emulator.seed(webhook(name='Orders'), webhook(id=OTHER, name='orders-x'))
    run = run_module(main, args(emulator, name='orders'))
    assert [call.method for call in emulator.calls] == ['GET', 'POST'] and run.result['changed']


def test_duplicate_names_fail_naming_both_ids_and_write_nothing(run_module, emulator):
    emulator.seed(webhook(), webhook(id=OTHER, token='trig-2'))
    run = run_module(main, args(emulator, name='orders', description='x'))
    assert run.exit_code == 1
    assert HOOK in run.result['msg'] and OTHER in run.result['msg'] and 'webhook_id' in run.result['msg']
    assert run.result['webhook_ids'] == [HOOK, OTHER]
    assert sent(emulator) == [LIST_ORDERS]


def test_a_match_on_the_second_page_is_found(run_module, emulator):
    # The filter matches every name below whatever its case, and capitals sort first.
    emulator.seed(*(webhook(id='%024x' % index, name='Orders%d' % index, token='t%d' % index) for index in range(1000)),
                  webhook())
    run = run_module(main, args(emulator, name='orders'))
    assert run.result['changed'] is False and run.result['webhook']['id'] == HOOK
    assert [call.query['page'] for call in emulator.calls] == ['0', '1']


# secrets

def test_secrets_returned_by_the_api_never_reach_the_output(run_module, emulator):
    emulator.seed(webhook(basicAuthPassword=PASSWORD, verificationCode='vc-93b1f'))
    run = run_module(main, args(emulator, name='orders', state='absent'), diff=True)
    assert PASSWORD not in run.output and 'vc-93b1f' not in run.output
    assert run.result['diff']['before']['basic_auth_password'] == '********'
    assert run.result['diff']['before']['verification_code'] == '********'


def test_user_secrets_and_the_token_never_reach_the_output(run_module, emulator):
    run = run_module(main, args(emulator, name='orders', basic_auth_username='u', basic_auth_password=PASSWORD),
                     diff=True)
    assert emulator.writes[0].body['basicAuthPassword'] == PASSWORD
    assert created(emulator)['basicAuthPassword'] == PASSWORD
    assert PASSWORD not in run.output and TOKEN not in run.output
    assert run.result['webhook']['basicAuthPassword'] == '********'


def test_update_secrets_always_compares_a_returned_secret(run_module, emulator):
    emulator.seed(webhook(basicAuthPassword=PASSWORD))
    run = run_module(main, args(emulator, name='orders', basic_auth_password=PASSWORD))
    assert run.result['changed'] is False and len(emulator.calls) == 1


def test_update_secrets_always_sends_a_differing_secret_masked_in_the_diff(run_module, emulator):
    emulator.seed(webhook(basicAuthPassword='old-pw-77'))
    run = run_module(main, args(emulator, name='orders', basic_auth_password=PASSWORD), diff=True)
    assert sent(emulator)[1] == ('PATCH', HOOK_PATH, {}, {'basicAuthPassword': PASSWORD})
    assert run.result['diff'] == {'before': {'basic_auth_password': '********'},
                                  'after': {'basic_auth_password': '******** (changed)'}}
    assert 'old-pw-77' not in run.output and PASSWORD not in run.output


def test_update_secrets_always_sends_a_secret_the_api_hides_every_time(run_module, emulator):
    emulator.seed(webhook(verificationCode='vc'))
    emulator.settings(personality='no-secrets')
    run = run_module(main, args(emulator, name='orders', verification_code='vc'))
    assert sent(emulator)[1] == ('PATCH', HOOK_PATH, {}, {'verificationCode': 'vc'}) and run.result['changed']


@pytest.mark.parametrize('returned', [{}, {'basicAuthPassword': 'someone-else-changed-it'}])
def test_update_secrets_on_create_never_sends_secrets_to_an_existing_webhook(run_module, emulator, returned):
    emulator.seed(webhook(**returned))
    run = run_module(main, args(emulator, name='orders', description='d', basic_auth_password=PASSWORD,
                                update_secrets='on_create'))
    assert sent(emulator)[1] == ('PATCH', HOOK_PATH, {}, {'description': 'd'})
    assert 'someone-else-changed-it' not in run.output


def test_update_secrets_on_create_sends_secrets_when_creating(run_module, emulator):
    run_module(main, args(emulator, name='orders', verification_code='vc', update_secrets='on_create'))
    assert [call.body for call in emulator.writes] == [{'name': 'orders', 'verificationCode': 'vc'}]


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
    ({'name': 'x', 'timeout': -5}, 'timeout must be a positive number of seconds, got -5'),
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
    ({'name': 'x', 'api_url': 'https://api.losant.com:0'}, 'api_url must have a port from 1 to 65535'),
])
def test_bad_input_fails_before_any_request(run_module, emulator, extra, message):
    run = run_module(main, dict(args(emulator), **extra))
    assert run.exit_code == 1 and run.result['failed'] is True
    assert message in run.result['msg']
    assert emulator.calls == []


def test_every_input_problem_is_reported_at_once(run_module, emulator):
    run = run_module(main, args(emulator, application_id='x', name='', response_code=1))
    assert run.result['errors'] == [
        "application_id must be 24 hexadecimal characters, got 'x'",
        'name must not be empty',
        'response_code must be between 100 and 599, got 1',
    ]
    assert emulator.calls == []


# API failures, retries, connection

@pytest.mark.parametrize('status, error_type, message', [
    (401, 'Unauthorized', 'Invalid access token'),
    (403, 'Forbidden', 'Token does not have the required scope'),
    (404, 'NotFound', 'Application was not found'),
    (500, 'InternalError', 'Something broke'),
])
def test_api_errors_fail_with_method_path_status_type_and_message(
        run_module, emulator, status, error_type, message):
    emulator.fail('GET', LIST_PATH, status, error_type, message)
    run = run_module(main, args(emulator, name='orders'))
    assert run.exit_code == 1 and len(emulator.calls) == 1
    assert run.result['msg'] == 'GET /applications/%s/webhooks failed with HTTP %d %s: %s' % (
        APP_ID, status, error_type, message)
    assert (run.result['status'], run.result['error_type'], run.result['error_message']) == (
        status, error_type, message)


PROXY_404 = {'status': 404, 'body': '<html>\n<head><title>404 Not Found</title></head>\n<body>nginx</body>\n</html>\n',
             'content_type': 'text/html'}


@pytest.mark.parametrize('answer', [PROXY_404, {'status': 404, 'body': {'error': 'not found'}},
                                    {'status': 404, 'body': {'message': 'Not Found'}}])
def test_absent_by_id_fails_on_a_404_that_is_not_losants(run_module, emulator, answer):
    emulator.seed(webhook())
    emulator.fault(method='GET', path=HOOK_PATH, **answer)
    run = run_module(main, args(emulator, webhook_id=HOOK, state='absent'))
    assert sent(emulator) == [GET_HOOK] and HOOK in emulator.stored()
    assert run.exit_code == 1 and run.result['changed'] is False and run.result['status'] == 404
    assert run.result['msg'].startswith('GET %s failed with HTTP 404: ' % HOOK_PATH)
    assert "not Losant's NotFound error" in run.result['msg']


def test_the_excerpt_of_a_proxys_404_is_on_one_line(run_module, emulator):
    emulator.fault(method='GET', path=HOOK_PATH, **PROXY_404)
    run = run_module(main, args(emulator, webhook_id=HOOK, state='absent'))
    assert run.result['error_message'] == '<html> <head><title>404 Not Found</title></head> <body>nginx</body> </html>'


def test_absent_by_name_fails_when_a_proxy_answers_the_delete_with_404(run_module, emulator):
    emulator.seed(webhook())
    emulator.fault(method='DELETE', path=HOOK_PATH, **PROXY_404)
    run = run_module(main, args(emulator, name='orders', state='absent'))
    assert [call.method for call in emulator.calls] == ['GET', 'GET', 'DELETE'] and HOOK in emulator.stored()
    assert run.exit_code == 1 and run.result['changed'] is False
    assert run.result['msg'].startswith('DELETE %s failed with HTTP 404: <html>' % HOOK_PATH)


def test_absent_fails_when_a_proxy_answers_the_workflow_lookup_with_404(run_module, emulator):
    emulator.seed(webhook())
    emulator.fault(method='GET', path=FLOWS, **PROXY_404)
    run = run_module(main, args(emulator, name='orders', state='absent'))
    assert [call.method for call in emulator.calls] == ['GET', 'GET'] and HOOK in emulator.stored()
    assert run.exit_code == 1 and 'failed with HTTP 404: <html>' in run.result['msg']


def test_present_by_id_fails_on_a_proxys_404_instead_of_calling_the_webhook_missing(run_module, emulator):
    emulator.fault(method='GET', path=HOOK_PATH, **PROXY_404)
    run = run_module(main, args(emulator, webhook_id=HOOK, description='x'))
    assert run.exit_code == 1 and "not Losant's NotFound error" in run.result['msg']


def test_a_failed_write_reports_the_write(run_module, emulator):
    emulator.seed(webhook())
    emulator.fail('PATCH', HOOK_PATH, 400, 'Validation', 'bad name')
    run = run_module(main, args(emulator, webhook_id=HOOK, name='other'))
    assert run.result['msg'] == 'PATCH /applications/%s/webhooks/%s failed with HTTP 400 Validation: bad name' % (
        APP_ID, HOOK)


@pytest.mark.parametrize('status', [429, 503])
def test_throttling_and_unavailability_are_retried(run_module, emulator, status):
    emulator.seed(webhook())
    emulator.fault(method='GET', path=LIST_PATH, status=status, retry_after=1)
    run = run_module(main, args(emulator, name='orders'))
    assert run.exit_code == 0 and run.result['changed'] is False
    assert [call.status for call in emulator.calls] == [status, 200]


def test_a_partly_applied_update_fails_listing_what_was_applied_and_what_was_not(run_module, emulator):
    emulator.seed(webhook())
    emulator.settings(personality='websocket-ignored')
    run = run_module(main, args(emulator, name='orders', description='new', is_websocket=True, enabled=False))
    assert sent(emulator)[1] == ('PATCH', HOOK_PATH, {}, {'description': 'new', 'isWebsocket': True, 'enabled': False})
    assert run.exit_code == 1 and run.result['changed'] is True
    assert run.result['changes'] == [{'action': 'update', 'name': 'orders', 'id': HOOK,
                                      'fields': ['description', 'enabled']}]
    assert run.result['fields_not_applied'] == ['is_websocket']


def test_an_update_that_applied_nothing_fails_unchanged(run_module, emulator):
    emulator.seed(webhook())
    emulator.settings(personality='websocket-ignored')
    run = run_module(main, args(emulator, name='orders', is_websocket=True))
    assert run.exit_code == 1 and run.result['changed'] is False
    assert run.result['changes'] == [] and run.result['fields_not_applied'] == ['is_websocket']


def test_a_partly_applied_create_lists_the_fields_it_took(run_module, emulator):
    # Answered with a webhook that kept the default response code: the create did not take it.
    emulator.fault(method='POST', path=LIST_PATH, status=201, body=dict(CREATE_DEFAULTS, **webhook(description='new')))
    run = run_module(main, args(emulator, name='orders', description='new', response_code=201))
    assert emulator.writes[0].body == {'name': 'orders', 'description': 'new', 'responseCode': 201}
    assert run.exit_code == 1 and run.result['changed'] is True
    assert run.result['changes'] == [{'action': 'create', 'name': 'orders', 'id': None,
                                      'fields': ['name', 'description']}]
    assert run.result['fields_not_applied'] == ['response_code']


def test_a_create_of_unknown_outcome_is_reported_as_maybe_changed(run_module, emulator):
    emulator.fault(method='POST', path=LIST_PATH, drop=True)
    run = run_module(main, args(emulator, name='orders'))
    assert [call.method for call in emulator.calls] == ['GET', 'POST']
    assert run.exit_code == 1 and run.result['changed'] is True
    assert 'the webhook may have been created: check before running again)' in run.result['msg'], run.result['msg']


def test_a_write_refused_by_the_api_is_reported_unchanged(run_module, emulator):
    emulator.fail('POST', LIST_PATH, 400, 'Validation', 'bad name')
    run = run_module(main, args(emulator, name='orders'))
    assert run.exit_code == 1 and run.result['changed'] is False


def test_a_missing_requests_library_gives_the_standard_message(run_module, emulator, monkeypatch):
    monkeypatch.setattr(base, 'REQUESTS_IMPORT_ERROR', 'Traceback: No module named requests')
    run = run_module(main, args(emulator, name='orders'))
    assert run.exit_code == 1
    assert run.result['msg'].startswith('Failed to import the required Python library (requests)')
    assert emulator.calls == []


LOOK_ALIKES = [('orders ', 'orders'), ('orders\u200b', 'orders'), ('\ufefforders', 'orders'), ('orders', ' orders'),
               ('orders', 'or\u200bders'), ('caf\u00e9', 'cafe\u0301'), ('cafe\u0301', 'caf\u00e9'),
               ('Kelvin', '\u212aelvin')]


@pytest.mark.parametrize('declared, existing', LOOK_ALIKES)
@pytest.mark.parametrize('check_mode', [True, False])
def test_a_name_differing_from_a_webhook_only_by_white_space_around_it_creates_nothing(run_module, emulator, declared,
                                                                                       existing, check_mode):
    emulator.seed(webhook(name=existing))
    run = run_module(main, args(emulator, name=declared, state='present'), check_mode=check_mode)
    assert run.exit_code == 1 and len(emulator.calls) == 1 and emulator.writes == []
    assert "name %r differs from webhook %r only by white space around it, invisible characters or Unicode spelling" % (
        declared, existing) in run.result['msg']


def test_a_name_with_white_space_around_it_is_created_when_nothing_looks_like_it(run_module, emulator):
    run = run_module(main, args(emulator, name=' lead'))
    assert run.exit_code == 0 and [call.body for call in emulator.writes] == [{'name': ' lead'}]
