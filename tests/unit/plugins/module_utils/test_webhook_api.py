# -*- coding: utf-8 -*-
# Copyright: Contributors to the losant.platform collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Comparison, masking, diffs and the webhook API calls, against the API double."""

from __future__ import annotations

from typing import Any

import pytest

from ansible_collections.losant.platform.plugins.module_utils._client import LosantError
from ansible_collections.losant.platform.plugins.module_utils._fields import (
    MASK,
    changed_fields,
    desired_fields,
    mask,
    update_diff,
)
from ansible_collections.losant.platform.plugins.module_utils._webhook import (
    FIELDS,
    PUBLIC_TRIGGER_BASE,
    WebhookApi,
    predicted_webhook,
    trigger_url,
)
from ansible_collections.losant.platform.plugins.module_utils._resource import describe_write
from ansible_collections.losant.platform.tests.unit.api_double import FakeApi, Reply

APP = '5b3a0c1e9f1d2c0012345678'
HOOK = '5b3a0c1e9f1d2c00abcdef01'
PATH = '/applications/%s/webhooks' % APP


HOOK_PATH = '%s/%s' % (PATH, HOOK)


def answering(method: str, path: str, *answers: Any) -> FakeApi:
    """The API double answering only the next requests ``method path``, with these bodies or raising these errors."""
    fake = FakeApi(scripted_only=True)
    fake.script(method, path, *(answer if isinstance(answer, Exception) else Reply(200, answer) for answer in answers))
    return fake


def sent(fake: FakeApi) -> list[tuple]:
    """(method, path, body, params) of every request, in order."""
    return [call[:4] for call in fake.calls]


def page(names: list[str], total: int, first_id: int = 0) -> dict[str, Any]:
    return {'items': [{'id': '%024x' % (first_id + index), 'name': name} for index, name in enumerate(names)],
            'totalCount': total, 'count': len(names)}


# desired_fields and changed_fields

def test_desired_fields_keeps_only_set_options_keyed_by_api_key():
    params = {'name': 'orders', 'description': None, 'response_code': 201, 'enabled': False,
              'basic_auth_username': '', 'wait_for_reply': None, 'application_id': APP, 'state': 'present'}
    assert desired_fields(FIELDS, params) == {'name': 'orders', 'responseCode': 201, 'enabled': False,
                                              'basicAuthUsername': ''}


def test_desired_fields_can_leave_secrets_out():
    params = {'name': 'n', 'basic_auth_password': 'pw', 'verification_code': 'vc'}
    assert desired_fields(FIELDS, params) == {'name': 'n', 'basicAuthPassword': 'pw', 'verificationCode': 'vc'}
    assert desired_fields(FIELDS, params, include_secrets=False) == {'name': 'n'}


def test_changed_fields_compares_only_desired_keys():
    current = {'name': 'orders', 'responseCode': 200, 'enabled': True, 'description': 'old', 'token': 't'}
    assert changed_fields({'name': 'orders', 'enabled': True}, current) == {}
    assert changed_fields({'name': 'orders', 'responseCode': 201}, current) == {'responseCode': 201}


def test_changed_fields_is_type_strict_so_values_must_be_normalised_first():
    assert changed_fields({'responseCode': 201}, {'responseCode': '201'}) == {'responseCode': 201}
    assert changed_fields({'enabled': False}, {'enabled': 0}) == {}  # equal in Python; the API only sends bools


def test_changed_fields_treats_a_missing_key_as_different():
    assert changed_fields({'enabled': True, 'basicAuthPassword': 'pw'}, {'name': 'x'}) == {
        'enabled': True, 'basicAuthPassword': 'pw'}


def test_changed_fields_compares_a_returned_secret():
    assert changed_fields({'basicAuthPassword': 'pw'}, {'basicAuthPassword': 'pw'}) == {}
    assert changed_fields({'basicAuthPassword': 'new'}, {'basicAuthPassword': 'pw'}) == {'basicAuthPassword': 'new'}


# mask, update_diff, trigger_url, predicted_webhook

def test_mask_drops_hal_keys_and_masks_secrets():
    webhook = {'_type': 'webhook', '_links': {'self': {}}, '_etag': 'x', 'id': HOOK, 'name': 'n',
               'basicAuthPassword': 'pw', 'verificationCode': 'vc', 'basicAuthUsername': 'user'}
    assert mask(FIELDS, webhook) == {'id': HOOK, 'name': 'n', 'basicAuthPassword': MASK, 'verificationCode': MASK,
                                     'basicAuthUsername': 'user'}
    assert webhook['basicAuthPassword'] == 'pw', 'mask must not change its argument'


def test_mask_leaves_empty_secrets_visible_as_empty():
    empty = {'basicAuthPassword': '', 'verificationCode': None}
    assert mask(FIELDS, empty) == empty


def test_update_diff_shows_changed_fields_only_with_secrets_masked():
    current = {'id': HOOK, 'name': 'a', 'responseCode': 200, 'basicAuthPassword': 'old', 'enabled': True}
    diff = update_diff(FIELDS, {'responseCode': 201, 'basicAuthPassword': 'new'}, current)
    assert diff == {'before': {'response_code': 200, 'basic_auth_password': MASK},
                    'after': {'response_code': 201, 'basic_auth_password': '******** (changed)'}}
    assert 'old' not in repr(diff) and 'new' not in repr(diff)


def test_update_diff_of_a_secret_the_api_did_not_return():
    diff = update_diff(FIELDS, {'verificationCode': 'vc'}, {'id': HOOK})
    assert diff == {'before': {'verification_code': None}, 'after': {'verification_code': '******** (changed)'}}


def test_trigger_url_uses_the_token():
    assert trigger_url({'token': 'abc-123'}, PUBLIC_TRIGGER_BASE) == 'https://triggers.losant.com/webhooks/abc-123'
    assert trigger_url({'name': 'no token yet'}, PUBLIC_TRIGGER_BASE) is None
    assert trigger_url({'token': 'abc-123'}, None) is None


def test_predicted_webhook_overlays_the_body_on_the_platform_defaults():
    webhook = predicted_webhook({'name': 'n', 'responseCode': 201, 'enabled': False}, APP)
    assert webhook == {'name': 'n', 'responseCode': 201, 'verificationType': 'none',
                       'waitForReply': False, 'isWebsocket': False,
                       'castBuffersAs': 'array', 'annotateMultipart': False, 'enabled': False,
                       'applicationId': APP}


def test_describe_write_masks_the_body():
    assert describe_write(FIELDS, 'PATCH', PATH, {'basicAuthPassword': 'pw'}, {'x': '1'}) == {
        'method': 'PATCH', 'path': PATH, 'body': {'basicAuthPassword': MASK}, 'params': {'x': '1'}}
    assert describe_write(FIELDS, 'DELETE', PATH) == {'method': 'DELETE', 'path': PATH}


# WebhookApi.listing / find_by_name

def test_list_asks_for_big_pages_sorted_by_name_and_filters_by_name():
    client = answering('GET', PATH, page(['a'], 1))
    assert [hook['name'] for hook in WebhookApi(client, APP).listing(name_pattern='a*').items] == ['a']
    assert sent(client) == [('GET', PATH, None, {'perPage': 1000, 'sortField': 'name', 'sortDirection': 'asc',
                                                 'filterField': 'name', 'filter': 'a*', 'page': 0})]


def test_list_without_filter_sends_no_filter():
    client = answering('GET', PATH, page([], 0))
    assert WebhookApi(client, APP).listing().items == []
    assert 'filter' not in client.calls[0][3] and 'filterField' not in client.calls[0][3]


def test_list_follows_every_page_and_stops_at_the_total():
    client = answering('GET', PATH, page(['h'] * 1000, 2001), page(['h'] * 1000, 2001, 1000), page(['h'], 2001, 2000))
    assert len(WebhookApi(client, APP).listing().items) == 2001
    assert [call[3]['page'] for call in client.calls] == [0, 1, 2]


def test_list_stops_after_a_full_last_page_without_asking_for_an_empty_one():
    client = answering('GET', PATH, page(['h'] * 1000, 1000))
    assert len(WebhookApi(client, APP).listing().items) == 1000
    assert len(client.calls) == 1


def test_list_stops_on_an_empty_page_even_if_the_total_says_more_and_reads_again_once():
    client = answering('GET', PATH, page(['h'] * 1000, 5000), page([], 5000), page(['h'] * 1000, 5000), page([], 5000))
    listing = WebhookApi(client, APP).listing()
    assert len(listing.items) == 1000
    assert listing.problem == 'the pages held 1000 webhooks, totalCount says 5000'
    assert len(client.calls) == 4


def test_find_by_name_is_exact_and_case_sensitive_on_top_of_the_glob_filter():
    client = answering('GET', PATH, page(['Orders', 'a*b', 'aXb', 'orders', 'orders-2'], 5))
    api = WebhookApi(client, APP)
    assert [hook['name'] for hook in api.find_by_name('orders').items] == ['orders']
    assert client.calls[0][3]['filter'] == 'orders'


def test_find_by_name_finds_a_match_on_a_later_page():
    first = page(['bulk-%04d' % index for index in range(1000)], 1001)
    second = {'items': [{'id': HOOK, 'name': 'bulk'}], 'totalCount': 1001}
    client = answering('GET', PATH, first, second)
    assert WebhookApi(client, APP).find_by_name('bulk').items == [{'id': HOOK, 'name': 'bulk'}]
    assert len(client.calls) == 2


def test_find_by_name_returns_every_duplicate():
    duplicates = {'items': [{'id': 'a' * 24, 'name': 'dup'}, {'id': 'b' * 24, 'name': 'dup'}], 'totalCount': 2}
    client = answering('GET', PATH, duplicates)
    assert [hook['id'] for hook in WebhookApi(client, APP).find_by_name('dup').items] == ['a' * 24, 'b' * 24]


# WebhookApi.get and the writes

def test_get_returns_the_webhook():
    client = answering('GET', HOOK_PATH, {'id': HOOK})
    assert WebhookApi(client, APP).get(HOOK) == {'id': HOOK}
    assert sent(client) == [('GET', '%s/%s' % (PATH, HOOK), None, None)]


def test_get_of_a_missing_webhook_is_none():
    error = LosantError('GET', PATH, 'Webhook was not found', 404, 'NotFound')
    assert WebhookApi(answering('GET', HOOK_PATH, error), APP).get(HOOK) is None


@pytest.mark.parametrize('error', [
    LosantError('GET', PATH, 'Application was not found', 404, 'NotFound'),
    LosantError('GET', PATH, 'Invalid access token', 401, 'Unauthorized'),
    LosantError('GET', PATH, 'boom', 500, 'InternalError'),
])
def test_get_raises_other_errors(error):
    with pytest.raises(LosantError) as raised:
        WebhookApi(answering('GET', HOOK_PATH, error), APP).get(HOOK)
    assert raised.value is error


@pytest.mark.parametrize('answer', [
    ('<html><head><title>404 Not Found</title></head></html>',),
    ('Not Found',),
    ('no such route', 'RouteNotFound'),
])
@pytest.mark.parametrize('method', ['GET', 'DELETE'])
def test_a_404_other_than_losants_not_found_is_raised_saying_why(answer, method):
    error = LosantError(method, PATH, answer[0], 404, *answer[1:])  # a new one each: the API adds a note to it
    api = WebhookApi(answering(method, HOOK_PATH, error), APP)
    with pytest.raises(LosantError) as raised:
        api.get(HOOK) if method == 'GET' else api.delete(HOOK)
    assert raised.value is error and api.writes == []
    assert str(error).endswith("(not Losant's NotFound error, so the webhook is not taken to be absent: check that "
                               "api_url is the API's address, and whether a proxy answers in its place)")


def test_delete_of_a_webhook_already_gone_is_done():
    error = LosantError('DELETE', PATH, 'Webhook was not found', 404, 'NotFound')
    api = WebhookApi(answering('DELETE', HOOK_PATH, error), APP)
    assert api.delete(HOOK) is None and [write['method'] for write in api.writes] == ['DELETE']


def test_writes_send_one_request_each_and_are_recorded_masked():
    client = answering('POST', PATH, {'id': HOOK})
    client.script('PATCH', HOOK_PATH, Reply(200, {'id': HOOK, 'name': 'b'}))
    client.script('DELETE', HOOK_PATH, Reply(200, {'success': True}))
    api = WebhookApi(client, APP)
    assert api.create({'name': 'a', 'basicAuthPassword': 'pw'}) == {'id': HOOK}
    assert api.update(HOOK, {'name': 'b'}) == {'id': HOOK, 'name': 'b'}
    assert api.delete(HOOK) == {'success': True}
    hook_path = '%s/%s' % (PATH, HOOK)
    assert sent(client) == [('POST', PATH, {'name': 'a', 'basicAuthPassword': 'pw'}, None),
                            ('PATCH', hook_path, {'name': 'b'}, None),
                            ('DELETE', hook_path, None, None)]
    assert api.writes == [{'method': 'POST', 'path': PATH, 'body': {'name': 'a', 'basicAuthPassword': MASK}},
                          {'method': 'PATCH', 'path': hook_path, 'body': {'name': 'b'}},
                          {'method': 'DELETE', 'path': hook_path}]


def test_delete_with_workflows_asks_for_them():
    client = answering('DELETE', HOOK_PATH, {'success': True})
    WebhookApi(client, APP).delete(HOOK, include_workflows=True)
    assert sent(client) == [('DELETE', '%s/%s' % (PATH, HOOK), None, {'includeWorkflows': 'true'})]


def test_check_mode_plans_writes_without_sending_them():
    client = FakeApi(scripted_only=True)
    api = WebhookApi(client, APP, check_mode=True)
    assert api.create({'name': 'a'}) is None
    assert api.update(HOOK, {'name': 'b'}) is None
    assert api.delete(HOOK, include_workflows=True) is None
    assert client.calls == []
    assert [write['method'] for write in api.writes] == ['POST', 'PATCH', 'DELETE']


def test_a_failed_write_is_not_recorded_as_done():
    error = LosantError('POST', PATH, 'name is too long', 400, 'Validation')
    api = WebhookApi(answering('POST', PATH, error), APP)
    with pytest.raises(LosantError):
        api.create({'name': 'x'})
    assert api.writes == []
