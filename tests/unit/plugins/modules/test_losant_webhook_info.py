# -*- coding: utf-8 -*-
# Copyright: Contributors to the losant.platform collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""losant_webhook_info against a scripted HTTP layer: requests sent, result returned, secrets hidden."""

from __future__ import annotations

import contextlib
import json
from typing import Any, Callable, Iterator, Optional
from unittest import mock

import pytest
import requests

from ansible.module_utils import basic

from ansible_collections.losant.platform.plugins.modules import losant_webhook_info

APP_ID = '575ec8687ae143cd83dc4a97'
HOOK_ID = '575ed78e7ae143cd83dc4aab'
TOKEN = 'unit-test-token-4c1e'
BASE = 'https://api.example.test'
LIST_PATH = '/applications/%s/webhooks' % APP_ID
PASSWORD = 'pw-from-the-api-81d3'
CODE = 'code-from-the-api-5e02'


def webhook(name: str, index: int = 0, **extra: Any) -> dict[str, Any]:
    hook_id = '%024x' % (0x575ed78e7ae143cd83dc0000 + index)
    body = {
        'id': hook_id, 'webhookId': hook_id, 'applicationId': APP_ID, 'name': name,
        'token': 'token-%s' % hook_id, 'responseCode': 200, 'verificationType': 'none',
        'waitForReply': False, 'enabled': True,
        'creationDate': '2026-01-01T12:00:00.000Z', 'lastUpdated': '2026-01-01T12:00:00.000Z',
        '_type': 'webhook', '_links': {'self': {'href': '%s/%s' % (LIST_PATH, hook_id)}},
    }
    body.update(extra)
    return body


def page(items: list[dict[str, Any]], total: Optional[int] = None, **query: Any) -> dict[str, Any]:
    return dict(query, items=items, count=len(items), totalCount=len(items) if total is None else total,
                applicationId=APP_ID, _type='webhooks', _links={})


class FakeApi:
    """Answers requests.Session.request from a handler and records every call it gets."""

    def __init__(self, handler: Callable[[str, str, dict[str, Any]], tuple[int, Any]]) -> None:
        self.handler = handler
        self.calls: list[dict[str, Any]] = []

    def __call__(self, session: Any, method: str, url: str, json: Any = None, params: Any = None,
                 timeout: Any = None) -> requests.Response:
        assert url.startswith(BASE)
        path = url[len(BASE):]
        self.calls.append({'method': method, 'path': path, 'params': dict(params or {}), 'body': json,
                           'authorization': session.headers.get('Authorization')})
        status, body = self.handler(method, path, dict(params or {}))
        response = requests.Response()
        response.status_code = status
        response._content = b'' if body is None else _json_bytes(body)
        response.headers['Content-Type'] = 'application/json'
        response.encoding = 'utf-8'
        return response

    @contextlib.contextmanager
    def serving(self) -> Iterator[None]:
        """Patch every requests session to send its requests here."""
        def request(session: Any, *args: Any, **kwargs: Any) -> requests.Response:
            return self(session, *args, **kwargs)
        with mock.patch.object(requests.Session, 'request', request):
            yield


def _json_bytes(body: Any) -> bytes:
    return json.dumps(body).encode('utf-8')


@contextlib.contextmanager
def module_args(args: dict[str, Any], check_mode: bool = False) -> Iterator[None]:
    args = dict(args)
    if check_mode:
        args['_ansible_check_mode'] = True
    try:
        from ansible.module_utils.testing import patch_module_args
    except ImportError:  # ansible-core < 2.19
        with mock.patch.object(basic, '_ANSIBLE_ARGS', json.dumps({'ANSIBLE_MODULE_ARGS': args}).encode()):
            yield
    else:
        with patch_module_args(args):
            yield


def run_module(args: dict[str, Any], handler: Callable, capsys: Any,
               check_mode: bool = False) -> tuple[dict[str, Any], FakeApi, str]:
    """Run the module like Ansible does; return its parsed result, the fake API and the raw output."""
    api = FakeApi(handler)
    full_args = {'api_url': BASE, 'api_token': TOKEN, 'application_id': APP_ID}
    full_args.update(args)
    with module_args(full_args, check_mode), api.serving():
        with pytest.raises(SystemExit):
            losant_webhook_info.main()
    output = capsys.readouterr().out
    return json.loads(output), api, output


def unexpected(method: str, path: str, params: dict[str, Any]) -> tuple[int, Any]:
    raise AssertionError('unexpected request %s %s' % (method, path))


def listing(*hooks: dict[str, Any]) -> Callable:
    def handler(method: str, path: str, params: dict[str, Any]) -> tuple[int, Any]:
        assert (method, path) == ('GET', LIST_PATH)
        return 200, page(list(hooks))
    return handler


LIST_QUERY = {'perPage': 1000, 'sortField': 'name', 'sortDirection': 'asc', 'page': 0}


def test_lists_every_webhook_without_hal_keys_and_with_trigger_urls(capsys):
    hooks = (webhook('alerts', 1), webhook('orders', 2))
    result, api, _ = run_module({}, listing(*hooks), capsys)

    assert result['changed'] is False
    assert [call['params'] for call in api.calls] == [LIST_QUERY]
    assert api.calls[0]['authorization'] == 'Bearer %s' % TOKEN
    assert [hook['name'] for hook in result['webhooks']] == ['alerts', 'orders']
    first = result['webhooks'][0]
    assert not [key for key in first if key.startswith('_')]
    assert first['trigger_url'] == 'https://triggers.losant.com/webhooks/%s' % hooks[0]['token']
    expected = {key: value for key, value in hooks[0].items() if not key.startswith('_')}
    expected['trigger_url'] = first['trigger_url']
    assert first == expected


def test_follows_every_page(capsys):
    total = 2345
    all_hooks = [webhook('hook-%05d' % index, index) for index in range(total)]

    def handler(method: str, path: str, params: dict[str, Any]) -> tuple[int, Any]:
        start = params['page'] * params['perPage']
        return 200, page(all_hooks[start:start + params['perPage']], total)

    result, api, _ = run_module({}, handler, capsys)

    assert [call['params']['page'] for call in api.calls] == [0, 1, 2]
    assert {call['params']['perPage'] for call in api.calls} == {1000}
    assert [hook['id'] for hook in result['webhooks']] == [hook['id'] for hook in all_hooks]


def test_empty_application_returns_an_empty_list(capsys):
    result, api, _ = run_module({}, listing(), capsys)

    assert result['webhooks'] == []
    assert result['changed'] is False
    assert len(api.calls) == 1


def test_name_filters_with_the_api_and_keeps_only_exact_case_sensitive_matches(capsys):
    glob_matches = (webhook('Orders*', 1), webhook('orders*', 2), webhook('orders-eu', 3), webhook('orders*', 4))
    result, api, _ = run_module({'name': 'orders*'}, listing(*glob_matches), capsys)

    assert api.calls[0]['params'] == dict(LIST_QUERY, filterField='name', filter='orders*')
    assert [hook['id'] for hook in result['webhooks']] == [glob_matches[1]['id'], glob_matches[3]['id']]


def test_name_without_a_match_returns_an_empty_list(capsys):
    result, _, _ = run_module({'name': 'orders'}, listing(webhook('Orders', 1)), capsys)

    assert result['webhooks'] == []


def test_webhook_id_gets_that_webhook(capsys):
    hook = webhook('orders', 7)

    def handler(method: str, path: str, params: dict[str, Any]) -> tuple[int, Any]:
        assert (method, path, params) == ('GET', '%s/%s' % (LIST_PATH, hook['id']), {})
        return 200, hook

    result, api, _ = run_module({'webhook_id': hook['id']}, handler, capsys)

    assert len(api.calls) == 1
    assert [item['id'] for item in result['webhooks']] == [hook['id']]
    assert result['webhooks'][0]['trigger_url'].endswith(hook['token'])


def test_unknown_webhook_id_returns_an_empty_list(capsys):
    def handler(method: str, path: str, params: dict[str, Any]) -> tuple[int, Any]:
        return 404, {'type': 'NotFound', 'message': 'Webhook was not found'}

    result, _, _ = run_module({'webhook_id': HOOK_ID}, handler, capsys)

    assert result.get('failed') is not True
    assert result['webhooks'] == []
    assert result['changed'] is False


def test_unknown_application_fails_with_status_type_and_message(capsys):
    def handler(method: str, path: str, params: dict[str, Any]) -> tuple[int, Any]:
        return 404, {'type': 'NotFound', 'message': 'Application was not found'}

    for args in ({}, {'webhook_id': HOOK_ID}):
        result, _, _ = run_module(args, handler, capsys)

        assert result['failed'] is True
        assert 'HTTP 404 NotFound: Application was not found' in result['msg']
        assert (result['status'], result['error_type']) == (404, 'NotFound')
        assert result['webhooks'] == []


def test_rejected_token_fails_with_status_type_and_message(capsys):
    def handler(method: str, path: str, params: dict[str, Any]) -> tuple[int, Any]:
        return 401, {'type': 'Unauthorized', 'message': 'Invalid access token'}

    result, _, output = run_module({}, handler, capsys)

    assert result['failed'] is True
    assert result['msg'] == 'GET %s failed with HTTP 401 Unauthorized: Invalid access token' % LIST_PATH
    assert result['error_message'] == 'Invalid access token'
    assert TOKEN not in output


def test_secrets_returned_by_the_api_are_masked_and_never_output(capsys):
    hook = webhook('partner', 1, basicAuthUsername='partner', basicAuthPassword=PASSWORD,
                   verificationType='facebook', verificationCode=CODE, description='uses %s' % PASSWORD)
    result, _, output = run_module({}, listing(hook), capsys)

    returned = result['webhooks'][0]
    assert returned['basicAuthPassword'] == '********'
    assert returned['verificationCode'] == '********'
    assert returned['basicAuthUsername'] == 'partner'
    assert PASSWORD not in output
    assert CODE not in output
    assert TOKEN not in output


def test_empty_secrets_stay_empty(capsys):
    result, _, _ = run_module({}, listing(webhook('open', 1, basicAuthPassword='', verificationCode='')), capsys)

    assert result['webhooks'][0]['basicAuthPassword'] == ''
    assert result['webhooks'][0]['verificationCode'] == ''


def test_webhook_without_token_has_no_trigger_url(capsys):
    hook = webhook('odd', 1)
    del hook['token']
    result, _, _ = run_module({}, listing(hook), capsys)

    assert result['webhooks'][0]['trigger_url'] is None


def test_check_mode_reads_the_same_way(capsys):
    hooks = (webhook('alerts', 1),)
    normal, normal_api, _ = run_module({}, listing(*hooks), capsys)
    checked, checked_api, _ = run_module({}, listing(*hooks), capsys, check_mode=True)

    assert checked.get('skipped') is not True
    assert checked['changed'] is False
    assert checked['webhooks'] == normal['webhooks']
    assert [call['params'] for call in checked_api.calls] == [call['params'] for call in normal_api.calls]


@pytest.mark.parametrize('args, message', [
    ({'application_id': 'not-an-id'}, "application_id must be 24 hexadecimal characters, got 'not-an-id'"),
    ({'webhook_id': '575ed78e7ae143cd83dc4aaZ'}, 'webhook_id must be 24 hexadecimal characters'),
    ({'name': ''}, 'name must not be empty'),
    ({'name': 'x' * 256}, 'name must be at most 255 characters, got 256'),
    ({'timeout': 0}, 'timeout must be a positive number of seconds'),
    ({'webhook_id': HOOK_ID, 'name': 'orders'}, 'parameters are mutually exclusive: webhook_id|name'),
])
def test_invalid_input_fails_before_any_request(capsys, args, message):
    result, api, _ = run_module(args, unexpected, capsys)

    assert result['failed'] is True
    assert message in result['msg']
    assert api.calls == []


def test_application_id_is_required(capsys):
    api = FakeApi(unexpected)
    with module_args({'api_url': BASE, 'api_token': TOKEN}), api.serving():
        with pytest.raises(SystemExit):
            losant_webhook_info.main()
    result = json.loads(capsys.readouterr().out)

    assert result['failed'] is True
    assert 'missing required arguments: application_id' in result['msg']
    assert api.calls == []
