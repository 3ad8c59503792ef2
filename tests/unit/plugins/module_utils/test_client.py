# -*- coding: utf-8 -*-
# Copyright: Contributors to the losant.platform collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The HTTP client: what it sends, which failures it retries and how, and the errors it raises."""

from __future__ import annotations

import pytest
import requests
import urllib3

from ansible_collections.losant.platform.plugins.module_utils import _client as client_module
from ansible_collections.losant.platform.plugins.module_utils._client import (
    DEFAULT_RETRIES,
    LosantClient,
    LosantError,
    backoff_delay,
)

API = 'https://api.example.test'
PATH = '/applications/5b3a0c1e9f1d2c0012345678/webhooks'
URL = API + PATH


@pytest.fixture
def sleeps(fake_time):
    return fake_time.sleeps


@pytest.fixture
def client(fake_time):
    return LosantClient(API + '/', 'secret-token', timeout=7, validate_certs=False, sleep=fake_time.sleep,
                        clock=fake_time.clock)


def error_body(status, error_type, message):
    return {'status_code': status, 'json': {'type': error_type, 'message': message}}


def test_request_sends_token_headers_body_params_and_timeout(client, requests_mock):
    requests_mock.post(URL, status_code=201, json={'id': 'x'})
    assert client.request('POST', PATH, body={'name': 'n'}, params={'a': 'b'}) == {'id': 'x'}
    sent = requests_mock.request_history[0]
    assert sent.url == URL + '?a=b'
    assert sent.json() == {'name': 'n'}
    assert sent.headers['Authorization'] == 'Bearer secret-token'
    assert sent.headers['Accept'] == 'application/json'
    assert sent.headers['Accept-Version'] == '^1.30.0'
    assert sent.timeout == 7
    assert sent.verify is False


def test_one_session_serves_every_request(client, requests_mock):
    requests_mock.get(URL, json={})
    session = client.session
    client.request('GET', PATH)
    client.request('GET', PATH)
    assert client.session is session and requests_mock.call_count == 2


def test_later_clients_of_the_same_api_and_token_reuse_the_session(client, requests_mock):
    """The next loop item run in-process reuses the open connections of the one before."""
    requests_mock.get(URL, json={})
    again = LosantClient(API, 'secret-token', validate_certs=False)
    assert again.session is client.session
    again.request('GET', PATH)
    assert requests_mock.request_history[0].headers['Authorization'] == 'Bearer secret-token'


@pytest.mark.parametrize('other', [
    {'api_url': API + ':8443'},
    {'api_token': 'other-token'},
    {'validate_certs': True},
    {'pool_size': 16},
])
def test_a_session_is_never_shared_with_another_api_token_or_tls_setting(client, requests_mock, other):
    requests_mock.get(URL, json={})
    options = dict({'api_url': API, 'api_token': 'secret-token', 'validate_certs': False}, **other)
    another = LosantClient(options.pop('api_url'), options.pop('api_token'), **options)
    assert another.session is not client.session
    assert LosantClient(API, 'secret-token', validate_certs=False).session is client.session  # both kept
    if 'api_token' in other:
        another.request('GET', PATH)
        client.request('GET', PATH)
        assert [sent.headers['Authorization'] for sent in requests_mock.request_history] == [
            'Bearer other-token', 'Bearer secret-token']


@pytest.mark.parametrize('offset', [1, -1])
def test_a_forked_process_makes_its_own_session(client, monkeypatch, offset):
    parent_session = client.session
    child_pid = client_module.os.getpid() + offset
    monkeypatch.setattr(client_module.os, 'getpid', lambda: child_pid)
    child = LosantClient(API, 'secret-token', validate_certs=False)
    assert child.session is not parent_session
    assert all(key[0] == child_pid for key in client_module.SESSIONS)


def test_every_successful_body_goes_to_on_response(client, requests_mock):
    seen = []
    client.on_response = seen.append
    requests_mock.get(URL, json={'items': []})
    client.request('GET', PATH)
    assert seen == [{'items': []}]


def test_every_throttled_attempt_goes_to_on_throttled(client, requests_mock):
    """429 and 503 say the API is overloaded (losant_webhooks then sends fewer writes at once); a 502 does not."""
    throttled = []
    client.on_throttled = lambda: throttled.append(requests_mock.call_count)
    requests_mock.patch(URL, [{'status_code': 429}, {'status_code': 502}, {'status_code': 503}, {'json': {'id': 'x'}}])
    assert client.request('PATCH', PATH, body={}) == {'id': 'x'}
    assert throttled == [1, 3]


def test_a_success_body_that_is_not_json_fails(client, requests_mock):
    requests_mock.get(URL, text='proxy says hello')
    with pytest.raises(LosantError, match='HTTP 200 with a body that is not JSON where a JSON object was expected'):
        client.request('GET', PATH)


def test_429_honours_retry_after(client, requests_mock, sleeps):
    requests_mock.get(URL, [{'status_code': 429, 'headers': {'Retry-After': '3'}, 'json': {}},
                            {'status_code': 200, 'json': {'ok': 1}}])
    assert client.request('GET', PATH) == {'ok': 1}
    assert sleeps == [3.0]
    assert requests_mock.call_count == 2


@pytest.mark.parametrize('status', [502, 503, 504])
def test_gateway_errors_are_retried_with_backoff(client, requests_mock, sleeps, status):
    requests_mock.patch(URL, [{'status_code': status, 'text': 'bad gateway'},
                              {'status_code': status, 'text': 'bad gateway'},
                              {'status_code': 200, 'json': {'id': 'x'}}])
    assert client.request('PATCH', PATH, body={'name': 'n'}) == {'id': 'x'}
    assert requests_mock.call_count == 3
    assert [sent.json() for sent in requests_mock.request_history] == [{'name': 'n'}] * 3
    assert len(sleeps) == 2 and 0.25 <= sleeps[0] <= 0.5 and 0.5 <= sleeps[1] <= 1.0


def test_a_reset_connection_is_retried(client, requests_mock, sleeps):
    reset = requests.exceptions.ConnectionError(ConnectionResetError(104, 'Connection reset by peer'))
    requests_mock.get(URL, [{'exc': reset}, {'status_code': 200, 'json': {'ok': 1}}])
    assert client.request('GET', PATH) == {'ok': 1}
    assert requests_mock.call_count == 2 and len(sleeps) == 1


@pytest.mark.parametrize('status', [429, 503])
def test_a_create_is_retried_when_the_api_says_it_did_nothing(client, requests_mock, sleeps, status):
    requests_mock.post(URL, [error_body(status, 'ServiceUnavailable', 'later'), {'status_code': 201, 'json': {'id': 'x'}}])
    assert client.request('POST', PATH, body={'name': 'n'}) == {'id': 'x'}
    assert requests_mock.call_count == 2 and len(sleeps) == 1


@pytest.mark.parametrize('status', [502, 504])
def test_a_create_that_may_have_been_applied_is_not_sent_again(client, requests_mock, sleeps, status):
    requests_mock.post(URL, **error_body(status, 'BadGateway', 'upstream failed'))
    with pytest.raises(LosantError) as raised:
        client.request('POST', PATH, body={'name': 'n'})
    assert requests_mock.call_count == 1 and sleeps == []
    assert raised.value.error_message == 'upstream failed'
    assert str(raised.value) == ('POST %s failed with HTTP %d BadGateway: upstream failed (1 attempt; the resource '
                                 'may have been created: check before running again)' % (PATH, status))
    assert raised.value.outcome_unknown is True


@pytest.mark.parametrize('answer', [{'text': 'upstream connect error or disconnect/reset before headers'},
                                    {'text': '<html><body>503 Service Unavailable</body></html>'},
                                    {'json': {'message': 'no healthy upstream'}},
                                    {'json': {'type': 'about:blank', 'title': 'Service Unavailable', 'status': 503}},
                                    {'json': {'type': 'ServiceUnavailable', 'message': 'busy'},
                                     'headers': {'Content-Type': 'application/problem+json'}}])
def test_a_create_a_proxy_answered_503_is_not_sent_again(client, requests_mock, sleeps, answer):
    """Only Losant's own 503 says the create did nothing: a proxy may answer after the API received it."""
    requests_mock.post(URL, status_code=503, **answer)
    with pytest.raises(LosantError) as raised:
        client.request('POST', PATH, body={'name': 'n'})
    assert str(raised.value).startswith('POST %s failed with HTTP 503' % PATH)
    assert str(raised.value).endswith('(1 attempt; the resource may have been created: check before running again)')
    assert requests_mock.call_count == 1 and sleeps == [] and raised.value.outcome_unknown is True


def test_a_create_whose_connection_broke_is_not_sent_again(client, requests_mock, sleeps):
    reset = requests.exceptions.ConnectionError(ConnectionResetError(104, 'Connection reset by peer'))
    requests_mock.post(URL, exc=reset)
    with pytest.raises(LosantError, match='may have been created'):
        client.request('POST', PATH, body={'name': 'n'})
    assert requests_mock.call_count == 1 and sleeps == []


def test_a_create_that_never_reached_the_server_is_retried(client, requests_mock, sleeps):
    refused = requests.exceptions.ConnectionError(urllib3.exceptions.MaxRetryError(
        None, URL, urllib3.exceptions.NewConnectionError(None, 'Connection refused')))
    requests_mock.post(URL, [{'exc': refused}, {'status_code': 201, 'json': {'id': 'x'}}])
    assert client.request('POST', PATH, body={'name': 'n'}) == {'id': 'x'}
    assert requests_mock.call_count == 2 and len(sleeps) == 1


def test_a_certificate_error_fails_at_once(client, requests_mock, sleeps):
    requests_mock.get(URL, exc=requests.exceptions.SSLError('certificate verify failed'))
    with pytest.raises(LosantError, match='TLS error with %s: certificate verify failed' % API):
        client.request('GET', PATH)
    assert requests_mock.call_count == 1 and sleeps == []


def test_retries_are_bounded_then_the_last_error_is_raised(client, requests_mock, sleeps):
    requests_mock.get(URL, **error_body(503, 'ServiceUnavailable', 'try later'))
    with pytest.raises(LosantError) as raised:
        client.request('GET', PATH)
    assert requests_mock.call_count == DEFAULT_RETRIES + 1
    doubling = [0.25 * 2 ** retry <= sleep <= 0.5 * 2 ** retry for retry, sleep in enumerate(sleeps)]
    assert doubling == [True] * DEFAULT_RETRIES
    assert (raised.value.status, raised.value.error_type, raised.value.error_message, raised.value.retryable) == (
        503, 'ServiceUnavailable', 'try later', True)


def test_persistent_connection_failures_are_bounded(client, requests_mock, sleeps):
    requests_mock.get(URL, exc=requests.exceptions.ConnectionError('Connection refused'))
    with pytest.raises(LosantError) as raised:
        client.request('GET', PATH)
    assert requests_mock.call_count == DEFAULT_RETRIES + 1 and len(sleeps) == DEFAULT_RETRIES
    assert raised.value.status is None and raised.value.retryable is True
    assert str(raised.value) == 'GET %s failed: cannot connect to %s: Connection refused (5 attempts)' % (PATH, API)


def test_a_refused_connection_names_its_cause_without_urllib3s_wrapper(client, requests_mock):
    refused = requests.exceptions.ConnectionError(urllib3.exceptions.MaxRetryError(
        None, URL, urllib3.exceptions.NewConnectionError(None, 'Connection refused')))
    requests_mock.get(URL, exc=refused)
    with pytest.raises(LosantError) as raised:
        client.request('GET', PATH)
    assert str(raised.value) == 'GET %s failed: cannot connect to %s: None: Connection refused (5 attempts)' % (PATH, API)


@pytest.mark.parametrize('timeout', [requests.exceptions.ReadTimeout, requests.exceptions.ConnectTimeout])
def test_a_timeout_fails_at_once(client, requests_mock, sleeps, timeout):
    requests_mock.get(URL, exc=timeout('slow'))
    with pytest.raises(LosantError) as raised:
        client.request('GET', PATH)
    assert requests_mock.call_count == 1 and sleeps == [] and raised.value.retryable is True
    assert str(raised.value) == 'GET %s failed: no answer from %s within 7 seconds' % (PATH, API)


@pytest.mark.parametrize('status, error_type, message', [
    (400, 'Validation', 'name should NOT be longer than 255 characters'),
    (401, 'Unauthorized', 'Invalid access token'),
    (403, 'Forbidden', 'Token does not have the required scope'),
    (404, 'NotFound', 'Application was not found'),
    (500, 'InternalError', 'Something broke'),
])
def test_errors_are_not_retried_and_carry_status_type_and_message(
        client, requests_mock, sleeps, status, error_type, message):
    requests_mock.patch(URL, **error_body(status, error_type, message))
    with pytest.raises(LosantError) as raised:
        client.request('PATCH', PATH, body={})
    error = raised.value
    assert requests_mock.call_count == 1 and sleeps == []
    assert (error.method, error.path, error.status, error.error_type, error.error_message) == (
        'PATCH', PATH, status, error_type, message)
    assert str(error) == 'PATCH %s failed with HTTP %d %s: %s' % (PATH, status, error_type, message)
    assert error.as_result() == {'status': status, 'error_status': status, 'error_type': error_type,
                                 'error_message': message, 'retryable': status >= 500}


def test_an_error_without_a_losant_body_shows_the_text(client, requests_mock):
    requests_mock.get(URL, status_code=500, text='  upstream exploded  ')
    with pytest.raises(LosantError) as raised:
        client.request('GET', PATH)
    assert str(raised.value) == 'GET %s failed with HTTP 500: upstream exploded' % PATH


def test_an_error_page_is_cut_to_200_characters(client, requests_mock):
    requests_mock.get(URL, status_code=500, text='<html>%s</html>' % ('x' * 300))
    with pytest.raises(LosantError) as raised:
        client.request('GET', PATH)
    assert raised.value.error_message == '<html>' + 'x' * 194


def test_an_error_with_only_a_message_shows_it(client, requests_mock):
    requests_mock.get(URL, status_code=500, json={'message': 'no healthy upstream'})
    with pytest.raises(LosantError) as raised:
        client.request('GET', PATH)
    assert str(raised.value) == 'GET %s failed with HTTP 500: no healthy upstream' % PATH


def test_an_error_without_any_body_shows_the_reason(client, requests_mock):
    requests_mock.get(URL, status_code=418, reason="I'm a teapot")
    with pytest.raises(LosantError) as raised:
        client.request('GET', PATH)
    assert str(raised.value) == "GET %s failed with HTTP 418: I'm a teapot" % PATH


def test_a_request_requests_refuses_fails_without_a_traceback_or_the_exception_text(client, requests_mock, sleeps):
    requests_mock.get(URL, exc=requests.exceptions.InvalidHeader('Invalid return character in header: Bearer tok'))
    with pytest.raises(LosantError) as raised:
        client.request('GET', PATH)
    assert str(raised.value) == 'GET %s failed: the request could not be sent (InvalidHeader)' % PATH
    assert requests_mock.call_count == 1 and sleeps == []


def test_the_token_never_appears_in_errors(client, requests_mock):
    requests_mock.get(URL, exc=requests.exceptions.ConnectionError('refused'))
    with pytest.raises(LosantError) as raised:
        client.request('GET', PATH)
    assert 'secret-token' not in str(raised.value)


def test_backoff_is_jittered_exponential_and_capped(monkeypatch):
    """About 0.5, 1, 2, 4 and up to 8 seconds, randomly shortened by up to half (guide_troubleshooting)."""
    monkeypatch.setattr(client_module.random, 'uniform', lambda low, high: high)
    assert [backoff_delay(attempt) for attempt in range(6)] == [0.5, 1.0, 2.0, 4.0, 8.0, 8.0]
    monkeypatch.setattr(client_module.random, 'uniform', lambda low, high: low)
    assert backoff_delay(2) == 1.0


def test_retry_after_seconds_are_used_as_given():
    assert backoff_delay(0, '0') == 0.0
    assert backoff_delay(3, '2.5') == 2.5
    assert backoff_delay(0, '3600') == 3600.0


@pytest.mark.parametrize('value', ['-5', 'soon', 'inf', 'nan', '1e3', 'Sun, 06 Nov 1994 08:49:37 -0000'])
def test_a_retry_after_of_neither_form_falls_back_to_backoff(value):
    assert 0.25 <= backoff_delay(0, value) <= 0.5
