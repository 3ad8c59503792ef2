# -*- coding: utf-8 -*-
# Copyright: Contributors to the losant.platform collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The three modules against API behaviours Losant leaves undocumented: filters, paging, 404 on DELETE,
fields a write did not apply, and the trigger token in diffs."""

from __future__ import annotations

import fcntl
import os
import pytest

from typing import Any

from ansible_collections.losant.platform.plugins.module_utils import _lock as lock
from ansible_collections.losant.platform.plugins.modules import losant_webhook, losant_webhook_info, losant_webhooks
from ansible_collections.losant.platform.tests.emulator import api as emulator_api
from ansible_collections.losant.platform.tests.unit.conftest import APP_ID, COLLECTION, TRIGGER_BASE, Emulator


def listing(*hooks: dict[str, Any], total: Any = None) -> dict[str, Any]:
    return {'items': list(hooks), 'count': len(hooks), 'totalCount': len(hooks) if total is None else total}


def methods(emulator: Emulator) -> list[str]:
    return [call.method for call in emulator.calls]


def run_args(emulator: Emulator, **extra: Any) -> dict[str, Any]:
    return emulator.args(trigger_base_url=TRIGGER_BASE, **extra)


# name lookup (item 4)

def test_a_name_with_regex_characters_is_looked_up_with_letters_and_digits_only(run_module, emulator):
    wanted = emulator.seed({'name': 'orders (v2)'}, {'name': 'orders-v2x'}, {'name': 'Orders (V2)'})[0]
    run = run_module(losant_webhook.main, run_args(emulator, name='orders (v2)'))
    assert run.result['changed'] is False and run.result['webhook']['id'] == wanted['id']
    assert emulator.calls[0].query['filter'] == '*o*r*d*e*r*s*v*2*'


def test_info_by_name_uses_the_same_safe_filter(run_module, emulator):
    wanted = emulator.seed({'name': 'c++'}, {'name': 'c'})[0]
    run = run_module(losant_webhook_info.main, run_args(emulator, name='c++'))
    assert [webhook['id'] for webhook in run.result['webhooks']] == [wanted['id']]
    assert emulator.calls[0].query['filter'] == 'c*'


# paging (item 5)

def test_info_lists_every_webhook_from_a_server_that_serves_100_per_page(run_module, emulator):
    emulator.seed(*({'name': 'hook-%03d' % number} for number in range(250)))
    emulator.settings(personality='per-page-clamp-100')
    run = run_module(losant_webhook_info.main, run_args(emulator))
    assert len(run.result['webhooks']) == 250
    assert [(call.query.get('perPage'), call.query['page']) for call in emulator.calls] == [
        ('1000', '0'), ('100', '1'), ('100', '2')]


def test_a_server_that_refuses_1000_per_page_is_listed_with_its_default_page_size(run_module, emulator):
    emulator.seed(*({'name': 'hook-%03d' % number} for number in range(150)))
    emulator.settings(personality='per-page-error-100')
    run = run_module(losant_webhooks.main, run_args(emulator, state='gathered'))
    assert len(run.result['gathered']) == 150
    assert [sorted(call.query) for call in emulator.calls] == [
        ['page', 'perPage', 'sortDirection', 'sortField'], ['page', 'sortDirection', 'sortField'],
        ['page', 'sortDirection', 'sortField']]


def short_pages(emulator: Emulator, *names: str) -> None:
    """Two readings of two pages that hold fewer webhooks than their totalCount says."""
    hooks = emulator.seed(*({'name': name} for name in names))
    for dummy in range(2):
        for page in (listing(*hooks, total=len(hooks) + 1), listing(total=len(hooks) + 1)):
            emulator.fault(method='GET', path=COLLECTION, status=200, body=page)


def test_overridden_refuses_a_listing_that_stays_inconsistent_and_writes_nothing(run_module, emulator):
    short_pages(emulator, 'a', 'b')
    run = run_module(losant_webhooks.main, run_args(emulator, state='overridden', config=[{'name': 'a'}]))
    assert run.exit_code == 1 and not run.result.get('changed')
    assert 'Nothing was changed' in run.result['msg'] and 'totalCount says 3' in run.result['msg']
    assert methods(emulator) == ['GET'] * 4, 'two readings of two pages'


def test_merged_on_a_listing_that_stays_inconsistent_goes_on_with_a_warning(run_module, emulator):
    short_pages(emulator, 'a')
    run = run_module(losant_webhooks.main, run_args(emulator, state='merged', config=[{'name': 'a'}]))
    assert run.exit_code == 0 and run.result['changed'] is False
    assert 'listing stayed inconsistent' in str(run.result['warnings'])


@pytest.mark.parametrize('by_name', [False, True])
def test_info_says_a_listing_that_stays_inconsistent_is_not_complete(run_module, emulator, by_name):
    short_pages(emulator, 'a')
    run = run_module(losant_webhook_info.main, run_args(emulator, **({'name': 'a'} if by_name else {})))
    assert run.exit_code == 0 and run.result['complete'] is False
    assert [webhook['name'] for webhook in run.result['webhooks']] == ['a']
    assert 'listing stayed inconsistent' in str(run.result['warnings'])


@pytest.mark.parametrize('options', [{}, {'name': 'a'}, {'by_id': True}])
def test_info_says_a_consistent_listing_is_complete(run_module, emulator, options):
    webhook_id = emulator.seed({'name': 'a'})[0]['id']
    options = {'webhook_id': webhook_id} if options.pop('by_id', False) else options
    run = run_module(losant_webhook_info.main, run_args(emulator, **options))
    assert run.exit_code == 0 and run.result['complete'] is True and 'warnings' not in run.result
    assert [webhook['id'] for webhook in run.result['webhooks']] == [webhook_id]


PHANTOM = 'the pages held 0 webhooks, totalCount says 1'


@pytest.mark.parametrize('check_mode', [False, True])
@pytest.mark.parametrize('state, consequence', [('present', 'creating it could make a second webhook'),
                                                ('absent', 'reporting it absent could be wrong')])
def test_a_name_an_inconsistent_listing_lacks_is_neither_created_nor_called_absent(
        run_module, emulator, check_mode, state, consequence):
    emulator.fault(method='GET', path=COLLECTION, status=200, body=listing(total=1), count=2)
    run = run_module(losant_webhook.main, run_args(emulator, name='orders', state=state), check_mode=check_mode)
    assert run.exit_code == 1 and not run.result.get('changed')
    assert run.result['msg'].startswith("Nothing was changed: 'orders' was not listed, but the webhook listing stayed "
                                        "inconsistent when read a second time (%s)" % PHANTOM)
    assert 'so it may exist all the same and %s' % consequence in run.result['msg']
    assert methods(emulator) == ['GET', 'GET'], 'two readings, no write'


def test_a_name_an_inconsistent_listing_shows_is_updated_with_a_warning(run_module, emulator):
    short_pages(emulator, 'orders')
    run = run_module(losant_webhook.main, run_args(emulator, name='orders', description='new'))
    assert run.exit_code == 0 and run.result['changed'] is True
    assert 'listing stayed inconsistent' in str(run.result['warnings'])
    assert [(call.method, call.body) for call in emulator.writes] == [('PATCH', {'description': 'new'})]


@pytest.mark.parametrize('check_mode', [False, True])
@pytest.mark.parametrize('state', ['merged', 'replaced'])
@pytest.mark.parametrize('names, unlisted', [(['a', 'b', 'c'], "'b', 'c' were not listed, but the webhook listing "
                                              "stayed inconsistent when read a second time (the pages held 1 webhooks, "
                                              "totalCount says 2), so they may exist all the same and creating them"),
                                             (['a', 'b'], "'b' was not listed, but the webhook listing stayed "
                                              "inconsistent when read a second time (the pages held 1 webhooks, "
                                              "totalCount says 2), so it may exist all the same and creating it")])
def test_config_names_an_inconsistent_listing_lacks_are_not_created(run_module, emulator, check_mode, state,
                                                                    names, unlisted):
    short_pages(emulator, 'a')
    run = run_module(losant_webhooks.main,
                     run_args(emulator, state=state, config=[{'name': name} for name in names]),
                     check_mode=check_mode)
    assert run.exit_code == 1 and not run.result.get('changed')
    assert run.result['msg'].startswith("Nothing was changed: %s could make duplicates." % unlisted)
    assert methods(emulator) == ['GET'] * 4, 'two readings of two pages, no write'


# DELETE answered 404 (item 6)

def test_absent_counts_a_webhook_deleted_meanwhile_as_deleted(run_module, emulator):
    hook = emulator.seed({'name': 'orders'})[0]
    emulator.fail('DELETE', '%s/%s' % (COLLECTION, hook['id']), 404, 'NotFound', 'Webhook was not found')
    run = run_module(losant_webhook.main, run_args(emulator, name='orders', state='absent'))
    assert run.exit_code == 0, run.result.get('msg')
    assert run.result['changed'] is True
    assert methods(emulator) == ['GET', 'GET', 'DELETE']  # the lookup, its workflows, the delete


def test_deleted_counts_a_webhook_deleted_meanwhile_as_deleted(run_module, emulator):
    gone = emulator.seed({'name': 'gone'}, {'name': 'there'})[0]
    emulator.fail('DELETE', '%s/%s' % (COLLECTION, gone['id']), 404, 'NotFound', 'Webhook was not found')
    run = run_module(losant_webhooks.main, run_args(emulator, state='deleted',
                                                    config=[{'name': 'gone'}, {'name': 'there'}]))
    assert run.exit_code == 0, run.result.get('msg')
    assert run.result['changed'] is True
    assert [write['method'] for write in run.result['requests']] == ['DELETE', 'DELETE']
    assert list(emulator.stored()) == [gone['id']], 'the fault kept it; the other was deleted'


# parallel hosts (item 11)

@pytest.mark.parametrize('spelling', [str, lambda url: url + '/', lambda url: url.upper() + '/'],
                         ids=['as printed', 'trailing slash', 'upper case'])
def test_the_lookup_and_the_create_happen_under_the_name_lock(run_module, emulator, tmp_path, monkeypatch, spelling):
    """Every spelling of the server takes the one lock of the server, application and name
    (tests/unit/plugins/module_utils/test_server_identity.py has the spellings that name one server)."""
    monkeypatch.setattr(lock, 'LOCK_ROOT', str(tmp_path))
    held_during = []
    handle = emulator_api.handle

    def record(state, request):
        descriptor = os.open(lock.lock_path(emulator.url, APP_ID, 'orders'), os.O_RDONLY)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            held_during.append(False)
        except BlockingIOError:
            held_during.append(True)
        finally:
            os.close(descriptor)
        return handle(state, request)
    monkeypatch.setattr(emulator_api, 'handle', record)
    run = run_module(losant_webhook.main, run_args(emulator, api_url=spelling(emulator.url), name='orders'))
    assert run.result['changed'] is True
    assert methods(emulator) == ['GET', 'POST'] and held_during == [True, True]


def test_a_name_lock_held_too_long_fails_the_task_before_any_request(run_module, emulator, monkeypatch):
    """The wait is what a holder may take: 4 requests, each with every attempt timing out, and the retry waits."""
    waits = []

    def stuck(*key, wait):
        waits.append(wait)
        raise lock.LockError('Waited %s seconds for the lock /tmp/x.lock.' % wait)
    monkeypatch.setattr(lock, 'held', stuck)
    run = run_module(losant_webhook.main, run_args(emulator, name='orders', timeout=7, api_retries=2,
                                                   api_retry_max_wait=10))
    assert run.exit_code == 1 and not run.result.get('changed')
    assert run.result['msg'] == 'Nothing was changed: Waited 94 seconds for the lock /tmp/x.lock.'
    assert waits == [4 * 3 * 7 + 10] and emulator.calls == []


# fields a write did not apply (item 12)

def test_a_patch_that_ignores_is_websocket_fails_naming_it_and_the_way_out(run_module, emulator):
    hook = emulator.seed({'name': 'orders'})[0]
    emulator.settings(personality='websocket-ignored')
    run = run_module(losant_webhook.main, run_args(emulator, name='orders', description='new', is_websocket=True))
    assert run.exit_code == 1 and run.result['changed'] is True
    assert run.result['fields_not_applied'] == ['is_websocket']
    assert 'did not apply every field sent (orders: is_websocket)' in run.result['msg']
    assert 'delete the webhook and create it again' in run.result['msg'] and 'new trigger URL' in run.result['msg']
    assert run.result['webhook']['description'] == 'new'
    assert run.result['trigger_url'] == '%s/%s' % (TRIGGER_BASE, hook['token'])


def test_a_patch_that_refuses_is_websocket_says_the_way_out(run_module, emulator):
    emulator.seed({'name': 'orders'})
    emulator.settings(personality='websocket-refused')
    run = run_module(losant_webhook.main, run_args(emulator, name='orders', is_websocket=True))
    assert run.exit_code == 1 and not run.result.get('changed')
    assert 'HTTP 400 Validation: "isWebsocket" cannot be changed' in run.result['msg']
    assert 'delete the webhook and create it again' in run.result['msg']


def test_an_answer_without_a_field_sent_fails_naming_it(run_module, emulator):
    hook = emulator.seed({'name': 'orders'})[0]
    path = '%s/%s' % (COLLECTION, hook['id'])
    emulator.fault(method='PATCH', path=path, status=200, body={k: v for k, v in hook.items() if k != 'description'})
    run = run_module(losant_webhook.main, run_args(emulator, name='orders', description='new'))
    assert run.exit_code == 1 and run.result['fields_not_applied'] == ['description']


def test_a_field_the_platform_ignores_fails_instead_of_changing_every_run(run_module, emulator):
    hook = emulator.seed({'name': 'orders'})[0]
    path = '%s/%s' % (COLLECTION, hook['id'])
    emulator.fault(method='PATCH', path=path, status=200, body=hook)
    run = run_module(losant_webhook.main, run_args(emulator, name='orders', response_code=201))
    assert run.exit_code == 1 and run.result['fields_not_applied'] == ['response_code']
    assert run.result['msg'].startswith('PATCH %s succeeded, but the platform did not apply every field sent '
                                        '(orders: response_code): it ignored those values, so every run would '
                                        'send them again.' % path)


def test_losant_webhooks_does_every_write_then_fails_naming_what_each_webhook_did_not_take(run_module, emulator):
    emulator.seed({'name': 'a'}, {'name': 'b'})
    emulator.settings(personality='websocket-ignored')
    config = [{'name': 'a', 'is_websocket': True}, {'name': 'b', 'enabled': False}]
    run = run_module(losant_webhooks.main, run_args(emulator, config=config))
    assert run.exit_code == 1 and run.result['changed'] is True
    assert run.result['fields_not_applied'] == {'a': ['is_websocket']}
    assert methods(emulator) == ['GET', 'PATCH', 'PATCH']
    assert 'delete the webhook and create it again' in run.result['msg']


def test_a_secret_the_answer_leaves_out_is_not_counted_as_ignored(run_module, emulator):
    emulator.seed({'name': 'orders'})
    emulator.settings(personality='no-secrets')
    run = run_module(losant_webhook.main, run_args(emulator, name='orders', basic_auth_password='pw-5a1e'))
    assert run.exit_code == 0 and run.result['changed'] is True


# optional text fields stored as "" or left out

def test_an_empty_description_matches_a_webhook_without_one_and_the_answer_may_leave_it_out(run_module, emulator):
    hook = emulator.seed({'name': 'orders'})[0]
    assert run_module(losant_webhook.main, run_args(emulator, name='orders', description='')).result['changed'] is False
    emulator.fault(method='POST', path=COLLECTION, status=201, body=dict(hook, name='new'))
    run = run_module(losant_webhook.main, run_args(emulator, name='new', description='', basic_auth_username=''))
    assert run.exit_code == 0 and run.result['changed'] is True


def test_an_empty_description_stored_as_empty_string_matches_too(run_module, emulator):
    emulator.seed({'name': 'orders', 'description': '', 'basicAuthUsername': ''})
    run = run_module(losant_webhooks.main, run_args(emulator, state='replaced', config=[{'name': 'orders'}]))
    assert run.result['changed'] is False and methods(emulator) == ['GET']


# the trigger token in diffs (item 13)

def test_diffs_mask_the_trigger_token_and_the_result_keeps_the_trigger_url(run_module, emulator):
    gone = emulator.seed({'name': 'gone'})[0]
    run = run_module(losant_webhook.main, run_args(emulator, name='gone', state='absent'), diff=True)
    assert run.result['diff']['before']['token'] == '********'
    assert gone['token'] not in run.output
    run = run_module(losant_webhook.main, run_args(emulator, name='new'), diff=True)
    token = next(iter(emulator.stored().values()))['token']
    assert run.result['diff']['after']['token'] == '********'
    assert run.result['trigger_url'] == '%s/%s' % (TRIGGER_BASE, token)
    assert run.result['webhook']['token'] == token


def test_losant_webhooks_diffs_mask_the_trigger_token(run_module, emulator):
    gone = emulator.seed({'name': 'gone'})[0]
    run = run_module(losant_webhooks.main, run_args(emulator, state='overridden', config=[], delete_all=True),
                     diff=True)
    assert run.result['diff']['before']['gone']['token'] == '********'
    assert gone['token'] not in str(run.result['diff'])
