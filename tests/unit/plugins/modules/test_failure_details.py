# -*- coding: utf-8 -*-
# Copyright: Contributors to the losant.platform collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Every module's failure says, without its message being read, what answered and whether to retry:
``error_status``, ``error_type`` and ``retryable``."""

from __future__ import annotations

import socket
from typing import Any

import pytest

from ansible_collections.losant.platform.plugins.modules import losant_webhook, losant_webhook_info, losant_webhooks
from ansible_collections.losant.platform.tests.unit.conftest import COLLECTION, Emulator, losant_error

# Each module with arguments whose first request lists the application's webhooks.
MODULES = {
    'losant_webhook': (losant_webhook.main, {'name': 'orders'}),
    'losant_webhook_info': (losant_webhook_info.main, {}),
    'losant_webhooks': (losant_webhooks.main, {'state': 'merged', 'config': [{'name': 'orders'}]}),
}
REFUSED = 'nothing listens on the API port'
TLS = 'https to a server that speaks http'


def closed_port_url() -> str:
    """An API URL where nothing listens: the connection is refused."""
    with socket.socket() as probe:
        probe.bind(('127.0.0.1', 0))
        return 'http://127.0.0.1:%d' % probe.getsockname()[1]


def error(status: int, error_type: str, message: str = 'no') -> dict[str, Any]:
    return {'status': status, 'body': losant_error(error_type, message)}


def failing_args(emulator: Emulator, answer: Any, **options: Any) -> dict[str, Any]:
    """The module's arguments, after preparing ``answer`` for its listing."""
    if answer == REFUSED:
        return emulator.args(api_url=closed_port_url(), **options)
    if answer == TLS:
        return emulator.args(api_url=emulator.url.replace('http://', 'https://'), **options)
    emulator.fault(method='GET', path=COLLECTION, count=2, **answer)  # twice: a 400 makes the listing try a smaller page
    return emulator.args(**options)


@pytest.mark.parametrize('module', sorted(MODULES))
@pytest.mark.parametrize('answer, status, error_type, retryable', [
    (error(429, 'TooManyRequests'), 429, 'TooManyRequests', True),
    (error(503, 'ServiceUnavailable'), 503, 'ServiceUnavailable', True),
    ({'status': 500, 'body': '', 'content_type': 'application/json'}, 500, None, True),
    ({'drop': True}, None, None, True),
    (REFUSED, None, None, True),
    (error(401, 'Unauthorized', 'Invalid access token'), 401, 'Unauthorized', False),
    (error(403, 'Forbidden'), 403, 'Forbidden', False),
    (error(404, 'NotFound', 'Application was not found'), 404, 'NotFound', False),
    (error(400, 'Validation'), 400, 'Validation', False),
    (TLS, None, None, False),
], ids=['429', '503', '500', 'dropped', 'refused', '401', '403', '404', '400', 'tls'])
def test_an_api_failure_carries_its_status_type_and_whether_to_retry(run_module, emulator, module, answer, status,
                                                                     error_type, retryable):
    main, options = MODULES[module]
    run = run_module(main, failing_args(emulator, answer, api_retries=0, **options))
    assert run.exit_code == 1 and bool(emulator.calls) is isinstance(answer, dict)
    assert failure_details(run.result) == (status, error_type, retryable)


def test_a_timeout_is_retryable(run_module, emulator):
    """The client's timeouts are its tests' (test_client.py); one is enough here, as it waits a second."""
    emulator.fault(delay=1.1)
    run = run_module(losant_webhook_info.main, emulator.args(api_retries=0, timeout=1))
    assert run.exit_code == 1 and 'within 1 seconds' in run.result['msg']
    assert failure_details(run.result) == (None, None, True)


@pytest.mark.parametrize('module', sorted(MODULES))
@pytest.mark.parametrize('bad_input', [{'application_id': 'not-an-id'}, {'timeout': 'soon'}],
                         ids=['checked-by-the-module', 'checked-by-ansible'])
def test_bad_input_fails_before_any_request_with_nothing_to_retry(run_module, emulator, module, bad_input):
    main, options = MODULES[module]
    run = run_module(main, emulator.args(**dict(options, **bad_input)))
    assert run.exit_code == 1 and emulator.calls == []
    assert failure_details(run.result) == (None, None, False)


def test_a_failure_that_is_no_api_error_has_nothing_to_retry(run_module, emulator):
    run = run_module(losant_webhook.main, emulator.args(webhook_id='5b3a0c1e9f1d2c00abcdef09', name='orders'))
    assert run.exit_code == 1 and 'not found' in run.result['msg']
    assert failure_details(run.result) == (None, None, False)


def test_retries_used_up_leave_the_failure_retryable(run_module, emulator):
    emulator.fault(method='GET', path=COLLECTION, count=3, **error(503, 'ServiceUnavailable'))
    run = run_module(losant_webhook_info.main, emulator.args(api_retries=2))
    assert run.result['msg'].endswith('(3 attempts)')
    assert failure_details(run.result) == (503, 'ServiceUnavailable', True)
    assert [call.status for call in emulator.calls] == [503] * 3


def failure_details(result: dict[str, Any]) -> tuple[Any, Any, Any]:
    return result['error_status'], result['error_type'], result['retryable']
