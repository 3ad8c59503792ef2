# -*- coding: utf-8 -*-
# Copyright: Contributors to the losant.platform collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""losant_webhooks end to end in-process: the emulator (the ``emulator`` fixture) behind the real client and
AnsibleModule."""

from __future__ import annotations

import json
from typing import Any, Optional

import pytest
from ansible.module_utils.common.parameters import PASS_VARS

from ansible_collections.losant.platform.plugins.module_utils import _concurrency, _resource_set
from ansible_collections.losant.platform.plugins.modules import losant_webhooks
from ansible_collections.losant.platform.tests.unit.conftest import (
    COLLECTION,
    TRIGGER_BASE,
    Call,
    Emulator,
    webhook,
)

PASSWORD = 'pw-from-the-api-7f3a9c'
NEW_PASSWORD = 'pw-from-the-user-0b61e4'
CODE = 'code-from-the-api-91d2'


@pytest.fixture
def converge(run_module: Any, emulator: Emulator) -> Any:
    """``converge(state, config, check_mode=False, diff=False, **options)``: the module's run against the emulator.

    Writes go one at a time unless ``concurrency`` is given, so that the journal holds them in the plan's order
    (parallel writes are tested in test_parallel_writes.py).
    """
    def run(state: str, config: Optional[list] = None, check_mode: bool = False, diff: bool = False,
            **options: Any) -> Any:
        args = emulator.args(**dict(dict(state=state, concurrency=1, trigger_base_url=TRIGGER_BASE), **options))
        if config is not None:
            args['config'] = config
        return run_module(losant_webhooks.main, args, check_mode=check_mode, diff=diff)
    return run


def hook_path(hook: dict[str, Any]) -> str:
    return '%s/%s' % (COLLECTION, hook['id'])


def writes(emulator: Emulator) -> list[tuple]:
    return [call[:3] for call in emulator.writes]


def lists(emulator: Emulator) -> list[Call]:
    """The GETs of the webhook list."""
    return [call for call in emulator.calls if call.method == 'GET' and call.path == COLLECTION]


# -- merged -------------------------------------------------------------------------------------

@pytest.mark.parametrize('check_mode', [False, True])
def test_return_all_returns_the_untouched_webhooks_too(emulator, converge, check_mode):
    created = '2026-01-01T00:00:00.000Z'
    hooks = webhook('orders', responseCode=201, creationDate=created), webhook('other', enabled=False)
    config = [{'name': 'orders', 'response_code': 202}]
    emulator.seed(*hooks)
    touched = converge('merged', config, check_mode=check_mode).result
    emulator.state.reset()  # the same webhooks again
    emulator.seed(*hooks)
    everything = converge('merged', config, check_mode=check_mode, return_all=True).result
    assert [hook['name'] for hook in touched['webhooks']] == ['orders']
    assert [hook['name'] for hook in touched['before']] == [hook['name'] for hook in touched['after']] == ['orders']
    assert [hook['name'] for hook in everything['webhooks']] == ['orders', 'other']
    assert everything['webhooks'][1]['enabled'] is False
    assert [hook['name'] for hook in everything['before']] == [hook['name'] for hook in everything['after']] == [
        'orders', 'other']
    assert touched['requests'] == everything['requests']
    # the same webhook; an update moves its lastUpdated
    assert dict(touched['webhooks'][0], lastUpdated=None) == dict(everything['webhooks'][0], lastUpdated=None)


def test_invocation_leaves_out_the_suboptions_left_unset(emulator, converge):
    """Ansible before 2.21 (later ones when asked) returns the arguments as ``invocation``: every unset suboption
    of every config entry made it about three times as long as the config itself."""
    inject = {'_ansible_inject_invocation': True} if 'inject_invocation' in PASS_VARS else {}
    config = [{'name': 'orders', 'response_code': 202}, {'name': 'alerts', 'enabled': False}]
    emulator.seed(webhook('orders'))
    arguments = converge('merged', config, **inject).result['invocation']['module_args']
    assert arguments['config'] == config
    assert arguments['state'] == 'merged' and arguments['max_deletions'] is None


def test_merged_creates_and_updates_given_fields_with_one_list_and_one_write_each(emulator, converge):
    orders, other = emulator.seed(webhook('orders', responseCode=201, description='keep'),
                                  webhook('other', enabled=False))
    run = converge('merged', [{'name': 'orders', 'response_code': 202}, {'name': 'alerts', 'enabled': False}])
    assert run.exit_code == 0 and run.result['changed'] is True
    assert len(lists(emulator)) == 1 and lists(emulator)[0].query['perPage'] == '1000'
    assert writes(emulator) == [('PATCH', hook_path(orders), {'responseCode': 202}),
                                ('POST', COLLECTION, {'name': 'alerts', 'enabled': False})]
    assert run.result['requests'] == [
        {'method': 'PATCH', 'path': hook_path(orders), 'body': {'responseCode': 202}},
        {'method': 'POST', 'path': COLLECTION, 'body': {'name': 'alerts', 'enabled': False}},
    ]
    after = {hook['name']: hook for hook in run.result['webhooks']}
    assert sorted(after) == ['alerts', 'orders']  # other is untouched
    assert after['orders']['responseCode'] == 202 and after['orders']['description'] == 'keep'
    assert after['alerts']['trigger_url'] == TRIGGER_BASE + '/' + after['alerts']['token']
    assert 'diff' not in run.result


def test_merged_converged_sends_only_the_list(emulator, converge):
    emulator.seed(webhook('orders', responseCode=201))
    run = converge('merged', [{'name': 'orders', 'response_code': '201', 'enabled': 'yes'}])
    assert run.result['changed'] is False and run.result['requests'] == []
    assert emulator.calls == lists(emulator) and len(emulator.calls) == 1


def test_check_mode_plans_the_same_writes_sends_none_and_predicts_the_result(emulator, converge):
    emulator.seed(webhook('orders', responseCode=201))
    config = [{'name': 'orders', 'response_code': 202}, {'name': 'alerts'}]
    checked = converge('merged', config, check_mode=True, diff=True)
    assert emulator.writes == []
    assert checked.result['changed'] is True
    applied = converge('merged', config, diff=True)
    assert checked.result['requests'] == applied.result['requests']
    assert checked.result['diff'] == applied.result['diff'] == {
        'before': {'orders': {'response_code': 201}},
        'after': {'orders': {'response_code': 202},
                  'alerts': {'name': 'alerts', 'response_code': 200, 'verification_type': 'none',
                             'wait_for_reply': False, 'is_websocket': False, 'cast_buffers_as': 'array',
                             'annotate_multipart': False, 'enabled': True}}}
    predicted = {hook['name']: hook for hook in checked.result['webhooks']}
    assert predicted['orders']['responseCode'] == 202
    assert 'id' not in predicted['alerts'] and predicted['alerts']['enabled'] is True


# -- replaced and overridden ---------------------------------------------------------------------

def test_replaced_resets_fields_not_given_to_platform_defaults_and_leaves_secrets(emulator, converge):
    hook, untouched = emulator.seed(
        webhook('orders', description='old', responseCode=201, waitForReply=True, basicAuthUsername='user',
                basicAuthPassword=PASSWORD, castBuffersAs='hex', enabled=False),
        webhook('unlisted', responseCode=500))
    run = converge('replaced', [{'name': 'orders', 'wait_for_reply': True}], diff=True)
    assert writes(emulator) == [('PATCH', hook_path(hook), {
        'description': '', 'responseCode': 200, 'basicAuthUsername': '', 'castBuffersAs': 'array', 'enabled': True})]
    assert run.result['diff'] == {
        'before': {'orders': {'description': 'old', 'response_code': 201, 'basic_auth_username': 'user',
                              'cast_buffers_as': 'hex', 'enabled': False}},
        'after': {'orders': {'description': '', 'response_code': 200, 'basic_auth_username': '',
                             'cast_buffers_as': 'array', 'enabled': True}},
    }
    rerun = converge('replaced', [{'name': 'orders', 'wait_for_reply': True}])
    assert rerun.result['changed'] is False and len(emulator.writes) == 1
    assert emulator.stored()[untouched['id']] == untouched


def test_overridden_deletes_every_unlisted_webhook_after_the_other_writes(emulator, converge):
    keep, stray, dup1, dup2 = emulator.seed(webhook('keep'), webhook('stray'), webhook('dup'), webhook('dup'))
    run = converge('overridden', [{'name': 'keep', 'enabled': False}, {'name': 'new'}], include_workflows=True,
                   diff=True, concurrency=1)
    assert [call[:2] for call in emulator.writes] == [
        ('PATCH', hook_path(keep)), ('POST', COLLECTION),
        ('DELETE', hook_path(dup1)), ('DELETE', hook_path(dup2)), ('DELETE', hook_path(stray))]
    assert all(call.query == {'includeWorkflows': 'true'} for call in emulator.writes[2:])
    assert sorted(run.result['diff']['before']) == sorted(['keep', 'dup', 'dup (%s)' % dup2['id'], 'stray'])
    assert [hook['name'] for hook in run.result['webhooks']] == ['keep', 'new']
    rerun = converge('overridden', [{'name': 'keep', 'enabled': False}, {'name': 'new'}])
    assert rerun.result['changed'] is False


def test_concurrency_below_one_fails_before_any_request(emulator, converge):
    emulator.seed(webhook('a'))
    run = converge('merged', [{'name': 'a', 'enabled': False}], concurrency=0)
    assert run.exit_code == 1 and 'concurrency must be 1 or more, got 0' in run.result['msg']
    assert emulator.calls == []


def test_writes_may_grow_to_32_in_flight_by_default(emulator, run_module, monkeypatch):
    ceilings = []

    class RecordedLimit(_concurrency.AdaptiveLimit):
        def __init__(self, ceiling: int, *args: Any) -> None:
            ceilings.append(ceiling)
            super().__init__(ceiling, *args)

    monkeypatch.setattr(_resource_set, 'AdaptiveLimit', RecordedLimit)
    emulator.seed(webhook('a'))
    run = run_module(losant_webhooks.main, emulator.args(config=[{'name': 'a', 'enabled': False}]))
    assert run.result['changed'] is True and ceilings == [32]


def test_overridden_with_empty_config_refuses_without_delete_all(emulator, converge):
    emulator.seed(webhook('a'))
    run = converge('overridden', [])
    assert run.exit_code == 1 and 'set delete_all=true' in run.result['msg'] and emulator.calls == []
    assert converge('overridden', [], delete_all=True).result['changed'] is True
    assert emulator.stored() == {}


# -- deleted --------------------------------------------------------------------------------------

def test_deleted_deletes_the_listed_webhooks_only(emulator, converge):
    a, b, c = emulator.seed(webhook('a', basicAuthPassword=PASSWORD), webhook('b'), webhook('c'))
    run = converge('deleted', [{'name': 'c'}, {'name': 'missing'}, {'name': 'a', 'enabled': True}], diff=True)
    assert writes(emulator) == [('DELETE', hook_path(c), None), ('DELETE', hook_path(a), None)]
    assert emulator.writes[0].query == {}
    assert set(run.result['diff']['before']) == {'a', 'c'} and run.result['diff']['after'] == {}
    assert run.result['diff']['before']['a']['basic_auth_password'] == '********'
    assert run.result['webhooks'] == []
    assert [hook['name'] for hook in run.result['before']] == ['a', 'c']
    again = converge('deleted', [{'name': 'c'}, {'name': 'a'}])
    assert again.result['changed'] is False and len(emulator.writes) == 2
    assert list(emulator.stored()) == [b['id']]


def test_deleted_with_empty_config_refuses_before_any_request_unless_delete_all(emulator, converge):
    emulator.seed(webhook('a'), webhook('b'))
    refused = converge('deleted')
    assert refused.exit_code == 1 and emulator.calls == []
    assert refused.result['msg'] == (
        'Invalid input: an empty config with state=deleted would delete every webhook of the application; '
        'set delete_all=true if that is what you want.')
    run = converge('deleted', delete_all=True)
    assert run.result['changed'] is True and len(emulator.writes) == 2 and emulator.stored() == {}


@pytest.mark.parametrize('state, config', [('merged', []), ('deleted', [{'name': 'a'}]), ('gathered', None)])
def test_delete_all_is_refused_unless_it_deletes_everything(emulator, converge, state, config):
    emulator.seed(webhook('a'))
    run = converge(state, config, delete_all=True)
    assert run.exit_code == 1 and emulator.calls == []
    assert 'delete_all is only allowed with state=deleted or state=overridden and an empty config' in run.result['msg']


# -- gathered -------------------------------------------------------------------------------------

def test_gathered_returns_the_config_shape_without_secrets_and_feeds_back_unchanged(emulator, converge):
    emulator.seed(webhook('b', description='text', basicAuthUsername='u', basicAuthPassword=PASSWORD,
                          verificationType='facebook', verificationCode=CODE))
    emulator.seed(webhook('a', responseCode=404, enabled=None), defaults=False)
    run = converge('gathered')
    assert run.result['changed'] is False and emulator.writes == [] and 'webhooks' not in run.result
    assert run.result['gathered'] == [
        {'name': 'a', 'response_code': 404},
        {'name': 'b', 'description': 'text', 'response_code': 200, 'verification_type': 'facebook',
         'wait_for_reply': False, 'basic_auth_username': 'u', 'is_websocket': False, 'cast_buffers_as': 'array',
         'annotate_multipart': False, 'enabled': True},
    ]
    for state in ('replaced', 'overridden', 'merged'):
        again = converge(state, run.result['gathered'])
        assert again.result['changed'] is False, state
    assert emulator.writes == []
    assert PASSWORD not in run.output and CODE not in run.output


def test_gathered_reports_shared_names_with_a_warning(emulator, converge):
    emulator.seed(webhook('dup'), webhook('dup'), webhook('x'))
    run = converge('gathered')
    assert [hook['name'] for hook in run.result['gathered']] == ['dup', 'dup', 'x']
    assert "Webhook names used more than once: 'dup';" in json.dumps(run.result['warnings'])


def test_gathered_refuses_a_config(emulator, converge):
    run = converge('gathered', [{'name': 'a'}])
    assert run.exit_code == 1 and 'config must be empty with state=gathered' in run.result['msg']
    assert emulator.calls == []


# -- duplicates and input -------------------------------------------------------------------------

def test_duplicate_names_in_config_fail_before_any_request_naming_them(emulator, converge):
    run = converge('merged', [{'name': 'ab'}, {'name': 'b'}, {'name': 'ab'}, {'name': 'b'}, {'name': 'c'}])
    assert run.exit_code == 1 and emulator.calls == []
    assert run.result['msg'] == ("Invalid input: config names must be unique, 'ab' is at config[0], config[2]; "
                                 "config names must be unique, 'b' is at config[1], config[3].")


@pytest.mark.parametrize('state', ['merged', 'replaced', 'overridden', 'deleted'])
def test_a_listed_name_shared_by_two_webhooks_fails_before_any_write(emulator, converge, state):
    first, second, unused = emulator.seed(webhook('dup'), webhook('dup'), webhook('other'))
    run = converge(state, [{'name': 'new'}, {'name': 'dup'}])
    assert run.exit_code == 1 and emulator.writes == [] and len(lists(emulator)) == 1
    assert run.result['duplicates'] == {'dup': [first['id'], second['id']]}
    assert "'dup' (IDs %s, %s)" % (first['id'], second['id']) in run.result['msg']
    assert run.result['msg'].startswith('Nothing was changed')


def test_unlisted_shared_names_do_not_block_merged(emulator, converge):
    emulator.seed(webhook('dup'), webhook('dup'))
    run = converge('merged', [{'name': 'new'}])
    assert run.exit_code == 0 and writes(emulator) == [('POST', COLLECTION, {'name': 'new'})]


def test_invalid_items_fail_before_any_request_naming_the_item(emulator, converge):
    run = converge('merged', [{'name': 'ok'}, {'name': '', 'response_code': 600},
                              {'name': 'x' * 256, 'basic_auth_username': 'u' * 256}],
                   application_id='not-an-id')
    assert run.exit_code == 1 and emulator.calls == []
    assert run.result['errors'] == [
        "application_id must be 24 hexadecimal characters, got 'not-an-id'",
        'config[1].name must not be empty',
        'config[1].response_code must be between 100 and 599, got 600',
        'config[2].name must be at most 255 characters, got 256',
        'config[2].basic_auth_username must be at most 255 characters, got 256',
    ]


def test_choices_and_required_name_are_checked_per_item(emulator, converge):
    no_name = converge('merged', [{'enabled': True}])
    bad_choice = converge('merged', [{'name': 'a', 'cast_buffers_as': 'utf16'}])
    assert no_name.exit_code == 1 and 'name' in no_name.result['msg'] and 'config' in no_name.result['msg']
    assert bad_choice.exit_code == 1 and 'utf16' in bad_choice.result['msg']
    assert emulator.calls == []


# -- secrets --------------------------------------------------------------------------------------

def test_update_secrets_on_create_sends_a_secret_only_when_creating(emulator, converge):
    emulator.seed(webhook('existing'))
    config = [{'name': 'existing', 'basic_auth_password': NEW_PASSWORD},
              {'name': 'new', 'basic_auth_password': NEW_PASSWORD}]
    run = converge('merged', config, update_secrets='on_create')
    assert writes(emulator) == [('POST', COLLECTION, {'name': 'new', 'basicAuthPassword': NEW_PASSWORD})]
    assert run.result['requests'][0]['body'] == {'name': 'new', 'basicAuthPassword': '********'}
    assert converge('merged', config, update_secrets='on_create').result['changed'] is False


@pytest.mark.parametrize('options', [{}, {'update_secrets': 'always'}], ids=['default', 'written'])
def test_update_secrets_always_compares_a_returned_secret(emulator, converge, options):
    [hook] = emulator.seed(webhook('a', basicAuthPassword=PASSWORD))
    assert converge('merged', [{'name': 'a', 'basic_auth_password': PASSWORD}], **options).result['changed'] is False
    run = converge('merged', [{'name': 'a', 'basic_auth_password': NEW_PASSWORD}], diff=True, **options)
    assert writes(emulator) == [('PATCH', hook_path(hook), {'basicAuthPassword': NEW_PASSWORD})]
    assert run.result['diff'] == {'before': {'a': {'basic_auth_password': '********'}},
                                  'after': {'a': {'basic_auth_password': '******** (changed)'}}}


def test_secrets_never_appear_in_the_output(emulator, converge):
    emulator.seed(webhook('a', basicAuthPassword=PASSWORD, verificationCode=CODE),
                  webhook('gone', basicAuthPassword=PASSWORD))
    run = converge('overridden', [{'name': 'a', 'verification_code': 'new-code-value-55', 'enabled': False},
                                  {'name': 'b', 'basic_auth_password': NEW_PASSWORD}], diff=True)
    assert run.result['changed'] is True
    for secret in (PASSWORD, CODE, NEW_PASSWORD, 'new-code-value-55'):
        assert secret not in run.output


# -- unmanaged ------------------------------------------------------------------------------------

@pytest.mark.parametrize('unmanaged', ['ops-*, tmp-*', ['ops-*', ' tmp-*'], ['ops-*', 'tmp-* ']])
def test_whitespace_around_an_unmanaged_glob_does_not_weaken_it(emulator, converge, unmanaged):
    ops, tmp, gone = emulator.seed(webhook('ops-1'), webhook('tmp-1'), webhook('gone'))
    run = converge('overridden', [{'name': 'kept'}], unmanaged=unmanaged, check_mode=True)
    assert run.result['changes'] == [{'action': 'create', 'name': 'kept', 'id': None, 'fields': ['name']},
                                     {'action': 'delete', 'name': 'gone', 'id': gone['id'], 'fields': []}]
    assert 'warnings' not in run.result


def test_a_glob_written_with_whitespace_still_protects_a_name_written_so(emulator, converge):
    emulator.seed(webhook(' tmp-1'), webhook('tmp-2'))
    run = converge('deleted', [], delete_all=True, unmanaged=[' tmp-*'], check_mode=True)
    assert run.result['changes'] == []


def test_an_unmanaged_glob_with_whitespace_refuses_a_config_name_it_matches_stripped(emulator, converge):
    run = converge('overridden', [{'name': 'tmp-1'}], unmanaged='ops-*, tmp-*')
    assert run.exit_code == 1 and "config[0].name 'tmp-1' matches unmanaged" in run.result['msg']


@pytest.mark.parametrize('state', ['overridden', 'gathered', 'merged'])
def test_an_unmanaged_glob_that_matches_no_webhook_warns_naming_it(emulator, converge, state):
    emulator.seed(webhook('ops-1'))
    config = [{'name': 'ops-1'}] if state == 'merged' else ([] if state == 'gathered' else [{'name': 'new'}])
    run = converge(state, config, unmanaged=['ops-*', 'tmp-*', ''], check_mode=True)
    warnings = json.dumps(run.result['warnings'])
    assert len(run.result['warnings']) == 2 and 'ops-*' not in warnings
    assert "unmanaged glob 'tmp-*' matches no webhook of the application: check its spelling" in warnings
    assert "unmanaged glob '' matches no webhook of the application: check its spelling" in warnings


# -- failures -------------------------------------------------------------------------------------

def test_a_failed_write_reports_what_was_applied_and_what_was_not(emulator, converge):
    a, b = emulator.seed(webhook('a'), webhook('b'))
    emulator.fail('POST', COLLECTION, 500, 'InternalServerError', 'Internal server error')
    run = converge('overridden', [{'name': 'a', 'enabled': False},
                                  {'name': 'new', 'basic_auth_password': NEW_PASSWORD}], concurrency=1)
    assert run.exit_code == 1 and run.result['changed'] is True
    assert run.result['msg'] == 'POST %s failed with HTTP 500 InternalServerError: Internal server error' % COLLECTION
    assert run.result['status'] == 500 and run.result['error_type'] == 'InternalServerError'
    assert run.result['applied'] == [{'method': 'PATCH', 'path': hook_path(a), 'body': {'enabled': False}}]
    assert run.result['not_applied'] == [
        {'method': 'POST', 'path': COLLECTION, 'body': {'name': 'new', 'basicAuthPassword': '********'}},
        {'method': 'DELETE', 'path': hook_path(b)},
    ]
    assert len(emulator.writes) == 2 and b['id'] in emulator.stored()
    assert NEW_PASSWORD not in run.output


def test_a_failed_first_write_reports_nothing_applied_and_unchanged(emulator, converge):
    [a] = emulator.seed(webhook('a'))
    emulator.fail('PATCH', hook_path(a), 403, 'Forbidden', 'Token lacks webhook.patch')
    run = converge('merged', [{'name': 'a', 'enabled': False}])
    assert run.exit_code == 1 and run.result['changed'] is False
    assert run.result['applied'] == [] and len(run.result['not_applied']) == 1
    assert run.result['outcome_unknown'] == []
    assert 'HTTP 403 Forbidden: Token lacks webhook.patch' in run.result['msg']


def test_partly_applied_writes_fail_listing_what_each_applied_and_what_not(emulator, converge):
    """Under the websocket-ignored personality a PATCH answers 200 without changing isWebsocket."""
    emulator.settings(personality='websocket-ignored')
    a, b, c, gone = emulator.seed(webhook('a'), webhook('b'), webhook('c'), webhook('gone'))
    run = converge('overridden', [{'name': 'a', 'description': 'new', 'is_websocket': True},
                                  {'name': 'b', 'is_websocket': True}, {'name': 'c', 'enabled': False}])
    assert [call.method for call in emulator.writes] == ['PATCH', 'PATCH', 'PATCH', 'DELETE']
    assert run.exit_code == 1 and run.result['changed'] is True
    assert run.result['changes'] == [
        {'action': 'update', 'name': 'a', 'id': a['id'], 'fields': ['description']},
        {'action': 'update', 'name': 'c', 'id': c['id'], 'fields': ['enabled']},
        {'action': 'delete', 'name': 'gone', 'id': gone['id'], 'fields': []},
    ]
    assert run.result['fields_not_applied'] == {'a': ['is_websocket'], 'b': ['is_websocket']}


def test_a_create_of_unknown_outcome_is_reported_as_maybe_changed(emulator, converge):
    emulator.seed(webhook('a'))
    emulator.fault(method='POST', path=COLLECTION, drop=True)
    run = converge('merged', [{'name': 'new'}])
    assert run.exit_code == 1 and run.result['changed'] is True
    assert run.result['applied'] == [] and run.result['not_applied'] == []
    assert run.result['outcome_unknown'] == [{'method': 'POST', 'path': COLLECTION, 'body': {'name': 'new'}}]
    assert run.result['msg'].endswith('the webhook may have been created: check before running again)')
    assert len(emulator.writes) == 1, 'a create is not sent again'


def test_a_delete_answered_by_a_proxys_404_fails_as_not_applied(emulator, converge):
    [a] = emulator.seed(webhook('a'))
    emulator.fault(method='DELETE', path=hook_path(a), status=404, body='<html><body>404 Not Found</body></html>',
                   content_type='text/html')
    run = converge('deleted', [{'name': 'a'}])
    assert run.exit_code == 1 and run.result['changed'] is False
    assert run.result['msg'].startswith('DELETE %s failed with HTTP 404: <html>' % hook_path(a))
    assert run.result['applied'] == [] and run.result['not_applied'] == [{'method': 'DELETE', 'path': hook_path(a)}]


def test_a_failed_list_fails_with_the_api_error_and_writes_nothing(emulator, converge):
    missing = '5f0c1e2d3b4a59687a8b9c0e'
    run = converge('overridden', [{'name': 'a'}], application_id=missing)
    assert run.exit_code == 1 and len(emulator.calls) == 1
    assert run.result['msg'] == (
        'GET /applications/%s/webhooks failed with HTTP 404 NotFound: Application was not found' % missing)


# -- scale ----------------------------------------------------------------------------------------

def test_a_thousand_webhooks_take_one_list_and_one_write_per_drifted_webhook(emulator, converge):
    hooks = emulator.seed(*(webhook('hook-%05d' % index, description='d') for index in range(1000)))
    config = [{'name': hook['name'], 'description': 'd'} for hook in hooks]
    converged = converge('overridden', config)
    assert converged.result['changed'] is False and emulator.calls == lists(emulator) and len(emulator.calls) == 1
    for index in range(0, 1000, 10):
        config[index]['description'] = 'drift'
    drifted = converge('overridden', config)
    assert len(lists(emulator)) == 2 and len(emulator.writes) == 100
    assert {call.method for call in emulator.writes} == {'PATCH'} and len(drifted.result['requests']) == 100


def test_a_thousand_and_one_webhooks_take_two_list_pages(emulator, converge):
    emulator.seed(*(webhook('hook-%05d' % index) for index in range(1001)))
    run = converge('gathered')
    assert len(run.result['gathered']) == 1001
    assert [call.query['page'] for call in emulator.calls] == ['0', '1']


LOOK_ALIKES = [('orders ', 'orders'), ('orders', ' orders'), ('orders\u200b', 'orders'), ('orders', 'orders\ufeff'),
               ('cafe\u0301', 'caf\u00e9')]


@pytest.mark.parametrize('declared, existing', LOOK_ALIKES)
@pytest.mark.parametrize('state', ['overridden', 'merged', 'replaced'])
@pytest.mark.parametrize('check_mode', [True, False])
def test_a_name_differing_from_a_webhook_only_by_white_space_changes_nothing(emulator, converge, declared, existing,
                                                                             state, check_mode):
    emulator.seed(webhook(existing))
    run = converge(state, [{'name': declared}], check_mode=check_mode)
    assert run.exit_code == 1 and emulator.writes == []
    assert 'only by white space around them, invisible characters or Unicode spelling: %r (the application has %r)' % (
        declared, existing) in run.result['msg']
    assert ('would make a second webhook and delete the first;' in run.result['msg']) == (state == 'overridden')


@pytest.mark.parametrize('check_mode', [True, False])
def test_deleted_leaves_a_webhook_whose_name_only_looks_like_a_config_name(emulator, converge, check_mode):
    emulator.seed(webhook('orders'))
    run = converge('deleted', [{'name': 'orders '}], check_mode=check_mode)
    assert run.exit_code == 0 and run.result['changed'] is False and emulator.writes == []


def test_names_with_white_space_that_webhooks_have_exactly_are_managed(emulator, converge):
    emulator.seed(webhook(' lead'), webhook('trail '))
    run = converge('overridden', [{'name': ' lead'}, {'name': 'trail '}])
    assert run.exit_code == 0 and run.result['changed'] is False and emulator.writes == []
