# -*- coding: utf-8 -*-
# Copyright: Contributors to the losant.platform collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The three modules against API behaviours Losant leaves undocumented: filters, paging, 404 on DELETE,
fields a write did not apply, and the trigger token in diffs."""

from __future__ import annotations

import fcntl
import os
import re
import pytest

from typing import Any

from ansible_collections.losant.platform.plugins.module_utils import lock
from ansible_collections.losant.platform.plugins.modules import losant_webhook, losant_webhook_info, losant_webhooks

API = 'https://api.example.test'
TRIGGER_BASE = 'https://triggers.example.test/webhooks'
APP = '5b3a0c1e9f1d2c0012345678'
LIST_URL = '%s/applications/%s/webhooks' % (API, APP)
NOT_FOUND = {'type': 'NotFound', 'message': 'Webhook was not found'}


@pytest.fixture(autouse=True)
def no_workflows(requests_mock):
    """Deletes first look up the workflows of the webhooks (see test_drift.py): there are none here."""
    requests_mock.get('%s/applications/%s/flows' % (API, APP), json={'items': [], 'count': 0, 'totalCount': 0})


def args(**extra: Any) -> dict[str, Any]:
    return dict({'api_url': API, 'api_token': 'unit-token', 'application_id': APP, 'trigger_base_url': TRIGGER_BASE},
                **extra)


def hook(number: int, name: str, **fields: Any) -> dict[str, Any]:
    webhook_id = '%024x' % number
    stored = {'id': webhook_id, 'applicationId': APP, 'name': name, 'token': 'trigger-token-%d' % number,
              'responseCode': 200, 'isWebsocket': False, 'enabled': True}
    stored.update(fields)
    return stored


def listing(*hooks: dict[str, Any], total: Any = None) -> dict[str, Any]:
    return {'items': list(hooks), 'count': len(hooks), 'totalCount': len(hooks) if total is None else total}


def methods(requests_mock) -> list[str]:
    return [request.method for request in requests_mock.request_history]


# name lookup (item 4)

def test_a_name_with_regex_characters_is_looked_up_with_letters_and_digits_only(run_module, requests_mock):
    requests_mock.get(LIST_URL, json=listing(hook(1, 'orders (v2)'), hook(2, 'orders-v2x'), hook(3, 'Orders (V2)')))
    run = run_module(losant_webhook.main, args(name='orders (v2)'))
    assert run.result['changed'] is False and run.result['webhook']['id'] == '%024x' % 1
    assert requests_mock.request_history[0].qs['filter'] == ['orders*v2*']


def test_info_by_name_uses_the_same_safe_filter(run_module, requests_mock):
    requests_mock.get(LIST_URL, json=listing(hook(1, 'c++'), hook(2, 'c')))
    run = run_module(losant_webhook_info.main, args(name='c++'))
    assert [webhook['id'] for webhook in run.result['webhooks']] == ['%024x' % 1]
    assert requests_mock.request_history[0].qs['filter'] == ['c*']


# paging (item 5)

def clamped_pages(hooks: list[dict[str, Any]], size: int = 100):
    def answer(request, context) -> dict[str, Any]:
        page = int(request.qs['page'][0])
        return dict(listing(*hooks[page * size:(page + 1) * size], total=len(hooks)), perPage=size, page=page)
    return answer


def test_info_lists_every_webhook_from_a_server_that_serves_100_per_page(run_module, requests_mock):
    hooks = [hook(number, 'hook-%03d' % number) for number in range(250)]
    requests_mock.get(LIST_URL, json=clamped_pages(hooks))
    run = run_module(losant_webhook_info.main, args())
    assert len(run.result['webhooks']) == 250
    assert [(request.qs.get('perpage'), request.qs['page']) for request in requests_mock.request_history] == [
        (['1000'], ['0']), (['100'], ['1']), (['100'], ['2'])]


def test_a_server_that_refuses_1000_per_page_is_listed_with_its_default_page_size(run_module, requests_mock):
    hooks = [hook(number, 'hook-%03d' % number) for number in range(150)]
    pages = clamped_pages(hooks)

    def answer(request, context):
        if 'perpage' in request.qs:
            context.status_code = 400
            return {'type': 'Validation', 'message': '"perPage" must be <= 100'}
        return pages(request, context)
    requests_mock.get(LIST_URL, json=answer)
    run = run_module(losant_webhooks.main, args(state='gathered'))
    assert len(run.result['gathered']) == 150
    assert [sorted(request.qs) for request in requests_mock.request_history] == [
        ['page', 'perpage', 'sortdirection', 'sortfield'], ['page', 'sortdirection', 'sortfield'],
        ['page', 'sortdirection', 'sortfield']]


def short_pages(*hooks: dict[str, Any]):
    """Pages that hold fewer webhooks than their totalCount says."""
    def answer(request, context) -> dict[str, Any]:
        return listing(*hooks, total=len(hooks) + 1) if request.qs['page'] == ['0'] else listing(total=len(hooks) + 1)
    return answer


def test_overridden_refuses_a_listing_that_stays_inconsistent_and_writes_nothing(run_module, requests_mock):
    requests_mock.get(LIST_URL, json=short_pages(hook(1, 'a'), hook(2, 'b')))
    run = run_module(losant_webhooks.main, args(state='overridden', config=[{'name': 'a'}]))
    assert run.exit_code == 1 and not run.result.get('changed')
    assert 'Nothing was changed' in run.result['msg'] and 'totalCount says 3' in run.result['msg']
    assert methods(requests_mock) == ['GET'] * 4, 'two readings of two pages'


def test_merged_on_a_listing_that_stays_inconsistent_goes_on_with_a_warning(run_module, requests_mock):
    requests_mock.get(LIST_URL, json=short_pages(hook(1, 'a')))
    run = run_module(losant_webhooks.main, args(state='merged', config=[{'name': 'a'}]))
    assert run.exit_code == 0 and run.result['changed'] is False
    assert 'listing stayed inconsistent' in str(run.result['warnings'])


PHANTOM = 'the pages held 0 webhooks, totalCount says 1'


@pytest.mark.parametrize('check_mode', [False, True])
@pytest.mark.parametrize('state, consequence', [('present', 'creating it could make a second webhook'),
                                                ('absent', 'reporting it absent could be wrong')])
def test_a_name_an_inconsistent_listing_lacks_is_neither_created_nor_called_absent(
        run_module, requests_mock, check_mode, state, consequence):
    requests_mock.get(LIST_URL, json=listing(total=1))
    run = run_module(losant_webhook.main, args(name='orders', state=state), check_mode=check_mode)
    assert run.exit_code == 1 and not run.result.get('changed')
    assert run.result['msg'].startswith("Nothing was changed: 'orders' was not listed, but the webhook listing stayed "
                                        "inconsistent when read a second time (%s)" % PHANTOM)
    assert consequence in run.result['msg']
    assert methods(requests_mock) == ['GET', 'GET'], 'two readings, no write'


def test_a_name_an_inconsistent_listing_shows_is_updated_with_a_warning(run_module, requests_mock):
    requests_mock.get(LIST_URL, json=short_pages(hook(1, 'orders')))
    requests_mock.patch('%s/%024x' % (LIST_URL, 1), json=hook(1, 'orders', description='new'))
    run = run_module(losant_webhook.main, args(name='orders', description='new'))
    assert run.exit_code == 0 and run.result['changed'] is True
    assert 'listing stayed inconsistent' in str(run.result['warnings'])


@pytest.mark.parametrize('check_mode', [False, True])
@pytest.mark.parametrize('state', ['merged', 'replaced'])
def test_config_names_an_inconsistent_listing_lacks_are_not_created(run_module, requests_mock, check_mode, state):
    requests_mock.get(LIST_URL, json=short_pages(hook(1, 'a')))
    run = run_module(losant_webhooks.main, args(state=state, config=[{'name': 'a'}, {'name': 'b'}, {'name': 'c'}]),
                     check_mode=check_mode)
    assert run.exit_code == 1 and not run.result.get('changed')
    assert run.result['msg'].startswith("Nothing was changed: 'b', 'c' were not listed, but the webhook listing "
                                        "stayed inconsistent when read a second time (the pages held 1 webhooks, "
                                        "totalCount says 2), so they may exist all the same and creating them could "
                                        "make duplicates.")
    assert methods(requests_mock) == ['GET'] * 4, 'two readings of two pages, no write'


# DELETE answered 404 (item 6)

def test_absent_counts_a_webhook_deleted_meanwhile_as_deleted(run_module, requests_mock):
    requests_mock.get(LIST_URL, json=listing(hook(1, 'orders')))
    requests_mock.delete('%s/%024x' % (LIST_URL, 1), status_code=404, json=NOT_FOUND)
    run = run_module(losant_webhook.main, args(name='orders', state='absent'))
    assert run.exit_code == 0, run.result.get('msg')
    assert run.result['changed'] is True
    assert methods(requests_mock) == ['GET', 'GET', 'DELETE']  # the lookup, its workflows, the delete


def test_deleted_counts_a_webhook_deleted_meanwhile_as_deleted(run_module, requests_mock):
    requests_mock.get(LIST_URL, json=listing(hook(1, 'gone'), hook(2, 'there')))
    requests_mock.delete('%s/%024x' % (LIST_URL, 1), status_code=404, json=NOT_FOUND)
    requests_mock.delete('%s/%024x' % (LIST_URL, 2), json={'success': True})
    run = run_module(losant_webhooks.main, args(state='deleted', config=[{'name': 'gone'}, {'name': 'there'}]))
    assert run.exit_code == 0, run.result.get('msg')
    assert run.result['changed'] is True
    assert [write['method'] for write in run.result['requests']] == ['DELETE', 'DELETE']


# parallel hosts (item 11)

@pytest.mark.parametrize('api_url', [API, API + '/', 'HTTPS://API.Example.test:443/', 'https://API.example.test.'])
def test_the_lookup_and_the_create_happen_under_the_name_lock(run_module, requests_mock, tmp_path, monkeypatch,
                                                              api_url):
    """Every spelling of the server takes the one lock of the server, application and name."""
    monkeypatch.setattr(lock, 'LOCK_ROOT', str(tmp_path))
    held_during = []

    def record(request, context):
        descriptor = os.open(lock.lock_path(API, APP, 'orders'), os.O_RDONLY)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            held_during.append(False)
        except BlockingIOError:
            held_during.append(True)
        finally:
            os.close(descriptor)
        context.status_code = 201 if request.method == 'POST' else 200
        return hook(1, 'orders') if request.method == 'POST' else listing()
    requests_mock.get(re.compile('/applications/%s/webhooks' % APP), json=record)
    requests_mock.post(re.compile('/applications/%s/webhooks' % APP), json=record)
    run = run_module(losant_webhook.main, args(api_url=api_url, name='orders'))
    assert run.result['changed'] is True
    assert held_during == [True, True]


def test_a_name_lock_held_too_long_fails_the_task_before_any_request(run_module, requests_mock, monkeypatch):
    """The wait is what a holder may take: 4 requests, each with every attempt timing out, and the retry waits."""
    waits = []

    def stuck(*key, wait):
        waits.append(wait)
        raise lock.LockError('Waited %s seconds for the lock /tmp/x.lock.' % wait)
    monkeypatch.setattr(lock, 'held', stuck)
    run = run_module(losant_webhook.main, args(name='orders', timeout=7, api_retries=2, api_retry_max_wait=10))
    assert run.exit_code == 1 and not run.result.get('changed')
    assert run.result['msg'] == 'Nothing was changed: Waited 94 seconds for the lock /tmp/x.lock.'
    assert waits == [4 * 3 * 7 + 10] and requests_mock.request_history == []


# fields a write did not apply (item 12)

def test_a_patch_that_ignores_is_websocket_fails_naming_it_and_the_way_out(run_module, requests_mock):
    requests_mock.get(LIST_URL, json=listing(hook(1, 'orders')))
    requests_mock.patch('%s/%024x' % (LIST_URL, 1), json=hook(1, 'orders', description='new'))
    run = run_module(losant_webhook.main, args(name='orders', description='new', is_websocket=True))
    assert run.exit_code == 1 and run.result['changed'] is True
    assert run.result['fields_not_applied'] == ['is_websocket']
    assert 'did not apply every field sent (orders: is_websocket)' in run.result['msg']
    assert 'delete the webhook and create it again' in run.result['msg'] and 'new trigger URL' in run.result['msg']
    assert run.result['webhook']['description'] == 'new'
    assert run.result['trigger_url'] == TRIGGER_BASE + '/trigger-token-1'


def test_a_patch_that_refuses_is_websocket_says_the_way_out(run_module, requests_mock):
    requests_mock.get(LIST_URL, json=listing(hook(1, 'orders')))
    requests_mock.patch('%s/%024x' % (LIST_URL, 1), status_code=400,
                        json={'type': 'Validation', 'message': 'isWebsocket cannot be changed'})
    run = run_module(losant_webhook.main, args(name='orders', is_websocket=True))
    assert run.exit_code == 1 and not run.result.get('changed')
    assert 'HTTP 400 Validation: isWebsocket cannot be changed' in run.result['msg']
    assert 'delete the webhook and create it again' in run.result['msg']


def test_a_field_the_platform_ignores_fails_instead_of_changing_every_run(run_module, requests_mock):
    requests_mock.get(LIST_URL, json=listing(hook(1, 'orders')))
    requests_mock.patch('%s/%024x' % (LIST_URL, 1), json=hook(1, 'orders'))
    run = run_module(losant_webhook.main, args(name='orders', response_code=201))
    assert run.exit_code == 1 and run.result['fields_not_applied'] == ['response_code']
    assert 'every run would send them again' in run.result['msg']


def test_losant_webhooks_does_every_write_then_fails_naming_what_each_webhook_did_not_take(run_module, requests_mock):
    requests_mock.get(LIST_URL, json=listing(hook(1, 'a'), hook(2, 'b')))
    requests_mock.patch('%s/%024x' % (LIST_URL, 1), json=hook(1, 'a'))
    requests_mock.patch('%s/%024x' % (LIST_URL, 2), json=hook(2, 'b', enabled=False))
    config = [{'name': 'a', 'is_websocket': True}, {'name': 'b', 'enabled': False}]
    run = run_module(losant_webhooks.main, args(config=config))
    assert run.exit_code == 1 and run.result['changed'] is True
    assert run.result['fields_not_applied'] == {'a': ['is_websocket']}
    assert methods(requests_mock) == ['GET', 'PATCH', 'PATCH']
    assert 'delete the webhook and create it again' in run.result['msg']


def test_a_secret_the_answer_leaves_out_is_not_counted_as_ignored(run_module, requests_mock):
    requests_mock.get(LIST_URL, json=listing(hook(1, 'orders')))
    requests_mock.patch('%s/%024x' % (LIST_URL, 1), json=hook(1, 'orders'))
    run = run_module(losant_webhook.main, args(name='orders', basic_auth_password='pw-5a1e'))
    assert run.exit_code == 0 and run.result['changed'] is True


# optional text fields stored as "" or left out

def test_an_empty_description_matches_a_webhook_without_one_and_the_answer_may_leave_it_out(
        run_module, requests_mock):
    requests_mock.get(LIST_URL, json=listing(hook(1, 'orders')))
    assert run_module(losant_webhook.main, args(name='orders', description='')).result['changed'] is False
    requests_mock.get(LIST_URL, json=listing())
    requests_mock.post(LIST_URL, status_code=201, json=hook(1, 'orders'))
    run = run_module(losant_webhook.main, args(name='orders', description='', basic_auth_username=''))
    assert run.exit_code == 0 and run.result['changed'] is True


def test_an_empty_description_stored_as_empty_string_matches_too(run_module, requests_mock):
    requests_mock.get(LIST_URL, json=listing(hook(1, 'orders', description='', basicAuthUsername='')))
    run = run_module(losant_webhooks.main, args(state='replaced', config=[{'name': 'orders'}]))
    assert run.result['changed'] is False and methods(requests_mock) == ['GET']


# the trigger token in diffs (item 13)

def test_diffs_mask_the_trigger_token_and_the_result_keeps_the_trigger_url(run_module, requests_mock):
    requests_mock.get(LIST_URL, json=listing(hook(1, 'gone')))
    requests_mock.delete('%s/%024x' % (LIST_URL, 1), json={'success': True})
    run = run_module(losant_webhook.main, args(name='gone', state='absent'), diff=True)
    assert run.result['diff']['before']['token'] == '********'
    assert 'trigger-token-1' not in run.output
    requests_mock.get(LIST_URL, json=listing())
    requests_mock.post(LIST_URL, status_code=201, json=hook(2, 'new'))
    run = run_module(losant_webhook.main, args(name='new'), diff=True)
    assert run.result['diff']['after']['token'] == '********'
    assert run.result['trigger_url'] == TRIGGER_BASE + '/trigger-token-2'
    assert run.result['webhook']['token'] == 'trigger-token-2'


def test_losant_webhooks_diffs_mask_the_trigger_token(run_module, requests_mock):
    requests_mock.get(LIST_URL, json=listing(hook(1, 'gone')))
    requests_mock.delete('%s/%024x' % (LIST_URL, 1), json={'success': True})
    run = run_module(losant_webhooks.main, args(state='overridden', config=[], delete_all=True), diff=True)
    assert run.result['diff']['before']['gone']['token'] == '********'
    assert 'trigger-token-1' not in str(run.result['diff'])
