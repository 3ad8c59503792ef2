# -*- coding: utf-8 -*-
# Copyright: Contributors to the losant.platform collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Every module's failure says, without its message being read, what answered and whether to retry:
``error_status``, ``error_type`` and ``retryable``."""

from __future__ import annotations

from typing import Any

import pytest
import requests
from urllib3.exceptions import MaxRetryError, NewConnectionError

from ansible_collections.losant.platform.plugins.modules import losant_webhook, losant_webhook_info, losant_webhooks
from ansible_collections.losant.platform.tests.unit.api_double import BASE_URL, Reply
from ansible_collections.losant.platform.tests.unit.plugins.modules.test_losant_webhook import LIST_PATH, args

# Each module with arguments whose first request lists the application's webhooks.
MODULES = {
    'losant_webhook': (losant_webhook.main, {'name': 'orders'}),
    'losant_webhook_info': (losant_webhook_info.main, {}),
    'losant_webhooks': (losant_webhooks.main, {'state': 'merged', 'config': [{'name': 'orders'}]}),
}


def refused() -> requests.ConnectionError:
    """What requests raises when nothing listens on the API's port."""
    reason = NewConnectionError(None, 'Failed to establish a new connection: [Errno 111] Connection refused')
    return requests.ConnectionError(MaxRetryError(None, BASE_URL + LIST_PATH, reason))


def error(status: int, error_type: str, message: str = 'no') -> Reply:
    return Reply(status, {'type': error_type, 'message': message})


@pytest.mark.parametrize('module', sorted(MODULES))
@pytest.mark.parametrize('answer, status, error_type, retryable', [
    (error(429, 'TooManyRequests'), 429, 'TooManyRequests', True),
    (error(503, 'ServiceUnavailable'), 503, 'ServiceUnavailable', True),
    (Reply(500, None), 500, None, True),
    (requests.exceptions.ReadTimeout('read timed out'), None, None, True),
    (refused(), None, None, True),
    (error(401, 'Unauthorized', 'Invalid access token'), 401, 'Unauthorized', False),
    (error(403, 'Forbidden'), 403, 'Forbidden', False),
    (error(404, 'NotFound', 'Application was not found'), 404, 'NotFound', False),
    (error(400, 'Validation'), 400, 'Validation', False),
    (requests.exceptions.SSLError('certificate verify failed: self-signed certificate'), None, None, False),
], ids=['429', '503', '500', 'timeout', 'refused', '401', '403', '404', '400', 'tls'])
def test_an_api_failure_carries_its_status_type_and_whether_to_retry(run_module, fake_api, module, answer, status,
                                                                     error_type, retryable):
    main, options = MODULES[module]
    fake_api.script('GET', LIST_PATH, answer, answer)  # twice: a 400 makes the listing try a smaller page
    run = run_module(main, args(api_retries=0, **options))
    assert run.exit_code == 1 and fake_api.calls
    assert failure_details(run.result) == (status, error_type, retryable)


@pytest.mark.parametrize('module', sorted(MODULES))
@pytest.mark.parametrize('bad_input', [{'application_id': 'not-an-id'}, {'timeout': 'soon'}],
                         ids=['checked-by-the-module', 'checked-by-ansible'])
def test_bad_input_fails_before_any_request_with_nothing_to_retry(run_module, fake_api, module, bad_input):
    main, options = MODULES[module]
    run = run_module(main, args(**dict(options, **bad_input)))
    assert run.exit_code == 1 and fake_api.calls == []
    assert failure_details(run.result) == (None, None, False)


def test_a_failure_that_is_no_api_error_has_nothing_to_retry(run_module, fake_api):
    run = run_module(losant_webhook.main, args(webhook_id='5b3a0c1e9f1d2c00abcdef09', name='orders'))
    assert run.exit_code == 1 and 'not found' in run.result['msg']
    assert failure_details(run.result) == (None, None, False)


def test_retries_used_up_leave_the_failure_retryable(run_module, fake_api):
    fake_api.script('GET', LIST_PATH, *[error(503, 'ServiceUnavailable')] * 3)
    run = run_module(losant_webhook_info.main, args(api_retries=2))
    assert run.result['msg'].endswith('(3 attempts)')
    assert failure_details(run.result) == (503, 'ServiceUnavailable', True)


def failure_details(result: dict[str, Any]) -> tuple[Any, Any, Any]:
    return result['error_status'], result['error_type'], result['retryable']
