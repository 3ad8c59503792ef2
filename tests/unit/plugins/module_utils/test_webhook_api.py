# -*- coding: utf-8 -*-
# Copyright: Contributors to the losant.platform collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Comparison, masking and diffs, and the webhook and workflow API calls against the emulator (the ``emulator``
fixture), answers of another shape included."""

from __future__ import annotations

import pytest

from ansible_collections.losant.platform.plugins.module_utils._client import LosantClient, LosantError
from ansible_collections.losant.platform.plugins.module_utils._fields import (
    MASK,
    changed_fields,
    desired_fields,
    mask,
    update_diff,
)
from ansible_collections.losant.platform.plugins.module_utils._flows import FlowApi
from ansible_collections.losant.platform.plugins.module_utils._webhook import (
    FIELDS,
    PUBLIC_TRIGGER_BASE,
    WEBHOOKS,
    WebhookApi,
    trigger_url,
)
from ansible_collections.losant.platform.plugins.module_utils._resource import describe_write
from ansible_collections.losant.platform.tests.unit.conftest import (
    APP_ID,
    COLLECTION,
    FLOWS,
    TOKEN,
    Emulator,
    losant_error,
    webhook,
)

HOOK = '5b3a0c1e9f1d2c00abcdef01'
HOOK_PATH = '%s/%s' % (COLLECTION, HOOK)


def sent(emulator: Emulator) -> list[tuple]:
    """(method, path, body, query) of every request, in order."""
    return [call[:4] for call in emulator.calls]


# desired_fields and changed_fields

def test_desired_fields_keeps_only_set_options_keyed_by_api_key():
    params = {'name': 'orders', 'description': None, 'response_code': 201, 'enabled': False,
              'basic_auth_username': '', 'wait_for_reply': None, 'application_id': APP_ID, 'state': 'present'}
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
    webhook = WEBHOOKS.predicted({'name': 'n', 'responseCode': 201, 'enabled': False}, APP_ID)
    assert webhook == {'name': 'n', 'responseCode': 201, 'verificationType': 'none',
                       'waitForReply': False, 'isWebsocket': False,
                       'castBuffersAs': 'array', 'annotateMultipart': False, 'enabled': False,
                       'applicationId': APP_ID}


def test_describe_write_masks_the_body():
    assert describe_write(FIELDS, 'PATCH', COLLECTION, {'basicAuthPassword': 'pw'}, {'x': '1'}) == {
        'method': 'PATCH', 'path': COLLECTION, 'body': {'basicAuthPassword': MASK}, 'params': {'x': '1'}}
    assert describe_write(FIELDS, 'DELETE', COLLECTION) == {'method': 'DELETE', 'path': COLLECTION}


# WebhookApi.listing / find_by_name

def test_list_asks_for_big_pages_sorted_by_name_and_filters_by_name(emulator, api):
    emulator.seed(webhook('b'), webhook('ab'), webhook('a'))
    assert [hook['name'] for hook in api.listing(name_pattern='a*').items] == ['a', 'ab']
    assert sent(emulator) == [('GET', COLLECTION, None, {
        'perPage': '1000', 'sortField': 'name', 'sortDirection': 'asc', 'filterField': 'name', 'filter': 'a*',
        'page': '0'})]


def test_list_without_filter_sends_no_filter(emulator, api):
    assert api.listing().items == []
    assert 'filter' not in emulator.calls[0].query and 'filterField' not in emulator.calls[0].query


@pytest.mark.parametrize('count, pages', [(2001, ['0', '1', '2']), (1000, ['0'])],
                         ids=['every-page-up-to-the-total', 'no-empty-page-after-a-full-last-one'])
def test_list_follows_every_page_and_stops_at_the_total(emulator, api, count, pages):
    emulator.seed(*({'name': 'h%04d' % index} for index in range(count)))
    listing = api.listing()
    assert len(listing.items) == count and listing.problem is None
    assert [call.query['page'] for call in emulator.calls] == pages


def test_list_stops_on_an_empty_page_even_if_the_total_says_more_and_reads_again_once(emulator, api):
    full = {'items': [{'id': '%024x' % index, 'name': 'h'} for index in range(1000)], 'totalCount': 5000, 'count': 1000}
    empty = {'items': [], 'totalCount': 5000, 'count': 0}
    for body in (full, empty, full, empty):
        emulator.fault(method='GET', path=COLLECTION, status=200, body=body)
    listing = api.listing()
    assert len(listing.items) == 1000
    assert listing.problem == 'the pages held 1000 webhooks, totalCount says 5000'
    assert [call.query['page'] for call in emulator.calls] == ['0', '1', '0', '1']


def test_find_by_name_finds_a_match_on_a_later_page(emulator, api):
    """``bulk~`` is asked for as ``bulk*``, which its 1000 look-alikes match too, and sorts after them."""
    emulator.seed(*({'name': 'bulk-%04d' % index} for index in range(1000)), webhook('bulk~', id=HOOK))
    assert [hook['id'] for hook in api.find_by_name('bulk~').items] == [HOOK]
    assert [(call.query['filter'], call.query['page']) for call in emulator.calls] == [('bulk*', '0'), ('bulk*', '1')]


def test_find_by_name_returns_every_duplicate(emulator, api):
    duplicates = emulator.seed(webhook('dup'), webhook('dup'), webhook('other'))[:2]
    assert [hook['id'] for hook in api.find_by_name('dup').items] == [hook['id'] for hook in duplicates]


# WebhookApi.get and the writes

def test_get_returns_the_webhook(emulator, api):
    emulator.seed(webhook('orders', id=HOOK))
    found = api.get(HOOK)
    assert (found['id'], found['name']) == (HOOK, 'orders')
    assert sent(emulator) == [('GET', HOOK_PATH, None, {})]


def test_get_of_a_missing_webhook_is_none(emulator, api):
    assert api.get(HOOK) is None
    assert [call.status for call in emulator.calls] == [404]


@pytest.mark.parametrize('status, error_type, message', [
    (404, 'NotFound', 'Application was not found'),
    (401, 'Unauthorized', 'Invalid access token'),
    (500, 'InternalError', 'boom'),
])
def test_get_raises_other_errors(emulator, api, status, error_type, message):
    emulator.fail('GET', HOOK_PATH, status, error_type, message)
    with pytest.raises(LosantError) as raised:
        api.get(HOOK)
    assert (raised.value.status, raised.value.error_type, raised.value.error_message) == (status, error_type, message)


@pytest.mark.parametrize('answer', [
    {'body': '<html><head><title>404 Not Found</title></head></html>', 'content_type': 'text/html'},
    {'body': 'Not Found'},
    {'body': losant_error('RouteNotFound', 'no such route')},
], ids=['html', 'text', 'another-type'])
@pytest.mark.parametrize('method', ['GET', 'DELETE'])
def test_a_404_other_than_losants_not_found_is_raised_saying_why(emulator, api, answer, method):
    emulator.seed(webhook('orders', id=HOOK))
    emulator.fault(method=method, path=HOOK_PATH, status=404, **answer)
    with pytest.raises(LosantError) as raised:
        api.get(HOOK) if method == 'GET' else api.delete(HOOK)
    assert raised.value.status == 404 and api.writes == [] and HOOK in emulator.stored()
    assert str(raised.value).endswith("(not Losant's NotFound error, so the webhook is not taken to be absent: check "
                                      "that api_url is the API's address, and whether a proxy answers in its place)")


def test_writes_send_one_request_each_and_are_recorded_masked(emulator, api):
    created = api.create({'name': 'a', 'basicAuthPassword': 'pw'})
    hook_path = '%s/%s' % (COLLECTION, created['id'])
    assert (created['name'], created['basicAuthPassword']) == ('a', 'pw')
    assert api.update(created['id'], {'name': 'b'})['name'] == 'b'
    assert api.delete(created['id']) == {'success': True}
    assert sent(emulator) == [('POST', COLLECTION, {'name': 'a', 'basicAuthPassword': 'pw'}, {}),
                              ('PATCH', hook_path, {'name': 'b'}, {}),
                              ('DELETE', hook_path, None, {})]
    assert api.writes == [
        {'method': 'POST', 'path': COLLECTION, 'body': {'name': 'a', 'basicAuthPassword': MASK}},
        {'method': 'PATCH', 'path': hook_path, 'body': {'name': 'b'}},
        {'method': 'DELETE', 'path': hook_path}]
    assert emulator.stored() == {}


def test_delete_with_workflows_asks_for_them(emulator, api):
    emulator.seed(webhook('orders', id=HOOK))
    WebhookApi(api.client, APP_ID, include_workflows=True).delete(HOOK)
    assert sent(emulator) == [('DELETE', HOOK_PATH, None, {'includeWorkflows': 'true'})]


def test_check_mode_plans_writes_without_sending_them(emulator, api):
    planner = WebhookApi(api.client, APP_ID, check_mode=True, include_workflows=True)
    assert planner.create({'name': 'a'}) is None
    assert planner.update(HOOK, {'name': 'b'}) is None
    assert planner.delete(HOOK) is None
    assert emulator.calls == []
    assert [write['method'] for write in planner.writes] == ['POST', 'PATCH', 'DELETE']


def test_a_failed_write_is_not_recorded_as_done(emulator, api):
    with pytest.raises(LosantError) as raised:
        api.create({'name': 'x' * 256})
    assert (raised.value.status, raised.value.error_type) == (400, 'Validation')
    assert api.writes == [] and emulator.stored() == {}


# Answers of another shape: the emulator answers HTTP 200 with a given body. The client retries as the modules'
# does, so that the journal shows the request is neither sent again nor read again.

@pytest.fixture
def retrying(emulator, fake_time):
    return LosantClient(emulator.url, TOKEN, sleep=fake_time.sleep, clock=fake_time.clock)


def failure(call):
    with pytest.raises(LosantError) as raised:
        call()
    return raised.value


def answered(status: int) -> str:
    return ' failed with HTTP %d: the API answered HTTP %d with ' % (status, status)


CREATED, CHANGED = 'the webhook may have been created', 'the change may have been applied'


@pytest.mark.parametrize('method, answer, expected, hint', [
    ('POST', {'items': [], 'count': 0}, 'a webhook object', CREATED),
    ('PATCH', [{'id': 'x'}], 'a webhook object', CHANGED),
    ('DELETE', {}, '{"success": true}', CHANGED),
    ('DELETE', {'success': False}, '{"success": true}', CHANGED),
])
def test_a_write_answered_in_another_shape_fails_naming_the_request(
        emulator, retrying, method, answer, expected, hint):
    api = WebhookApi(retrying, APP_ID)
    path = COLLECTION if method == 'POST' else HOOK_PATH
    emulator.fault(method=method, path=path, status=200, body=answer)
    send = {'POST': lambda: api.create({'name': 'n'}), 'PATCH': lambda: api.update(HOOK, {'name': 'n'}),
            'DELETE': lambda: api.delete(HOOK)}[method]
    error = failure(send)
    assert str(error).startswith(method + ' ' + path + answered(200))
    assert str(error).endswith(' where %s was expected (%s: check before running again)' % (expected, hint))
    assert error.outcome_unknown is True and api.writes == []
    assert [call[:2] for call in emulator.calls] == [(method, path)]


def test_answers_with_more_keys_than_expected_pass(emulator, api):
    created = {'id': HOOK, 'name': 'n', '_links': {}}
    emulator.fault(method='POST', path=COLLECTION, status=201, body=created)
    emulator.fault(method='DELETE', path=HOOK_PATH, status=200, body={'success': True, '_type': 'success'})
    assert api.create({'name': 'n'}) == created and api.delete(HOOK) == {'success': True, '_type': 'success'}
    assert api.writes == [{'method': 'POST', 'path': COLLECTION, 'body': {'name': 'n'}},
                          {'method': 'DELETE', 'path': HOOK_PATH}]


@pytest.mark.parametrize('page', [
    {'items': [1], 'count': 1, 'totalCount': 1},
    {'items': [{'name': 'no id'}], 'totalCount': 1},
    {'items': [{'id': 'x', 'name': ['a', 'list']}], 'totalCount': 1},
    {'items': {'id': 'x'}, 'totalCount': 1},
    {'items': [], 'totalCount': 'none'},
    {'items': {}, 'totalCount': 0},
    {'items': '', 'totalCount': 0},
    [{'id': 'x', 'name': 'n'}],
])
def test_a_webhook_listing_of_another_shape_fails_naming_the_request(emulator, retrying, page):
    emulator.fault(method='GET', path=COLLECTION, status=200, body=page)
    error = failure(lambda: WebhookApi(retrying, APP_ID).listing())
    assert str(error).startswith('GET %s%s' % (COLLECTION, answered(200)))
    assert str(error).endswith(' where a page of webhook objects was expected')
    assert len(emulator.calls) == 1


def test_a_webhook_listing_with_unnamed_webhooks_passes(emulator, api):
    unnamed = emulator.seed({'id': HOOK}, {'id': '5b3a0c1e9f1d2c00abcdef02', 'name': None}, defaults=False)
    listing = api.listing()
    assert [hook['id'] for hook in listing.items] == [hook['id'] for hook in unnamed] and listing.problem is None


@pytest.mark.parametrize('page', [
    {'items': ['flow'], 'totalCount': 1},
    {'items': [{'id': 7}], 'totalCount': 1},
    {'items': [{'id': 'f', 'triggers': {'type': 'webhook'}}], 'totalCount': 1},
    {'items': [{'id': 'f', 'triggers': ['webhook']}], 'totalCount': 1},
    {'items': [{'id': 'f'}], 'totalCount': 1.5},
])
def test_a_workflow_listing_of_another_shape_fails_naming_the_request(emulator, retrying, page):
    emulator.fault(method='GET', path=FLOWS, status=200, body=page)
    error = failure(lambda: FlowApi(retrying, APP_ID).triggered_by([HOOK]))
    assert str(error).startswith('GET %s%s' % (FLOWS, answered(200)))
    assert str(error).endswith(' where a page of workflow objects was expected')
    assert len(emulator.calls) == 1


def test_a_workflow_listing_without_total_count_is_read_until_an_empty_page(emulator, api):
    flows = [{'id': 'f%d' % index, 'triggers': [{'type': 'webhook', 'key': HOOK}]} for index in range(3)]
    for page in ({'items': flows[:2]}, {'items': flows[2:]}, {'items': []}):
        emulator.fault(method='GET', path=FLOWS, status=200, body=page)
    listing = FlowApi(api.client, APP_ID).triggered_by([HOOK])
    assert [flow['id'] for flow in listing.items] == ['f0', 'f1', 'f2'] and listing.problem is None
    assert [call.query['page'] for call in emulator.calls] == ['0', '1', '2']
    assert all(call.query['triggerFilter[0][key]'] == HOOK for call in emulator.calls)
