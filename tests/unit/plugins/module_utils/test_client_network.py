# -*- coding: utf-8 -*-
# Copyright: Contributors to the losant.platform collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The client outside the happy path: redirects, odd answers, TLS settings, throttling and its budget,
writes of unknown outcome, and bad connection input."""

from __future__ import annotations

import calendar
import email.utils
import os
import re
import threading
import time

import pytest
import requests

from ansible_collections.losant.platform.plugins.module_utils._client import (
    LosantClient,
    LosantError,
    RetryBudget,
    Shape,
    ca_path_errors,
    retry_errors,
    token_errors,
)

API = 'https://api.example.test'
PATH = '/applications/5b3a0c1e9f1d2c0012345678/webhooks'
URL = API + PATH
MOVED = API + '/moved' + PATH
WEBHOOK = Shape('a webhook object', lambda body: isinstance(body, dict) and 'id' in body)
PEM = os.path.join(os.path.dirname(requests.certs.where()), 'cacert.pem')


def make_client(fake_time, **options):
    options.setdefault('validate_certs', True)
    return LosantClient(API, 'secret-token', timeout=7, sleep=fake_time.sleep, clock=fake_time.clock, **options)


@pytest.fixture
def client(fake_time):
    return make_client(fake_time)


def failure(call):
    with pytest.raises(LosantError) as raised:
        call()
    return raised.value


# -- redirects ------------------------------------------------------------------------------------

@pytest.mark.parametrize('status', [300, 301, 302, 303, 307, 308])
@pytest.mark.parametrize('method', ['GET', 'POST', 'PATCH', 'DELETE'])
def test_a_redirect_is_never_followed_and_names_the_location(client, requests_mock, status, method):
    requests_mock.register_uri(method, URL, status_code=status, headers={'Location': MOVED})
    requests_mock.register_uri(method, MOVED, json={'items': [], 'id': 'x', 'success': True})
    requests_mock.get(MOVED, json={'items': []})
    error = failure(lambda: client.request(method, PATH, body={'name': 'n'} if method != 'GET' else None))
    assert requests_mock.call_count == 1
    assert str(error) == ('%s %s failed with HTTP %d: redirected to %s; API requests never follow redirects: set '
                          'api_url to the address the API answers at' % (method, PATH, status, MOVED))
    assert error.outcome_unknown is False


def test_a_redirect_without_location_says_so(client, requests_mock):
    requests_mock.get(URL, status_code=302)
    assert 'a redirect without a Location' in str(failure(lambda: client.request('GET', PATH)))


# -- answers that are not what the call returns ---------------------------------------------------

@pytest.mark.parametrize('answer, kind', [
    ({'content': b''}, 'an empty body'),
    ({'json': [{'id': 'x'}]}, 'a JSON list'),
    ({'text': 'null'}, 'a JSON null'),
    ({'text': '<!DOCTYPE html><html>Sign in</html>', 'headers': {'Content-Type': 'text/html'}}, 'an HTML page'),
    ({'text': '\n  <html>Sign in</html>', 'headers': {'Content-Type': 'text/plain'}}, 'an HTML page'),
    ({'text': 'plain words'}, 'a body that is not JSON'),
    ({'text': '404 page not found'}, 'a body that is not JSON'),
])
def test_a_success_that_is_not_a_json_object_fails_naming_the_request(client, requests_mock, answer, kind):
    requests_mock.get(URL, status_code=200, **answer)
    error = failure(lambda: client.request('GET', PATH))
    assert str(error) == 'GET %s failed with HTTP 200: the API answered HTTP 200 with %s where a JSON object was ' \
                         'expected' % (PATH, kind)
    assert error.outcome_unknown is False


def test_a_write_answered_in_another_shape_fails_and_may_have_been_applied(client, requests_mock):
    requests_mock.patch(URL, json={'items': [], 'count': 0})
    error = failure(lambda: client.request('PATCH', PATH, body={'name': 'n'}, expect=WEBHOOK))
    assert str(error) == ('PATCH %s failed with HTTP 200: the API answered HTTP 200 with a different JSON object where '
                          'a webhook object was expected (the change may have been applied: check before running '
                          'again)' % PATH)
    assert error.outcome_unknown is True


def test_an_answer_of_the_expected_shape_is_returned(client, requests_mock):
    requests_mock.post(URL, status_code=201, json={'id': 'x'})
    assert client.request('POST', PATH, body={}, expect=WEBHOOK) == {'id': 'x'}


# -- token, TLS settings and headers ------------------------------------------------------------

def test_the_headers_are_those_of_losants_own_clients(client, requests_mock):
    requests_mock.get(URL, json={})
    client.request('GET', PATH)
    sent = requests_mock.request_history[0].headers
    assert (sent['Accept-Version'], sent['Accept'], sent['Authorization']) == (
        '^1.30.0', 'application/json', 'Bearer secret-token')


def test_a_netrc_entry_for_the_host_does_not_replace_the_token(client, requests_mock, tmp_path, monkeypatch):
    netrc = tmp_path / 'netrc'
    netrc.write_text('machine api.example.test login someone password other\n')
    monkeypatch.setenv('NETRC', str(netrc))
    requests_mock.get(URL, json={})
    client.request('GET', PATH)
    assert requests_mock.request_history[0].headers['Authorization'] == 'Bearer secret-token'


@pytest.mark.parametrize('variable', ['REQUESTS_CA_BUNDLE', 'CURL_CA_BUNDLE'])
@pytest.mark.parametrize('options, verify', [
    ({'validate_certs': False}, False),
    ({'validate_certs': False, 'ca_path': PEM}, False),
    ({'ca_path': PEM}, PEM),
])
def test_tls_options_win_over_the_ca_bundle_variables(fake_time, requests_mock, monkeypatch, variable, options, verify):
    monkeypatch.setenv(variable, '/etc/ssl/elsewhere.pem')
    requests_mock.get(URL, json={})
    make_client(fake_time, **options).request('GET', PATH)
    assert requests_mock.request_history[0].verify == verify


def test_without_tls_options_a_ca_bundle_variable_still_applies(client, requests_mock, monkeypatch):
    monkeypatch.setenv('REQUESTS_CA_BUNDLE', PEM)
    requests_mock.get(URL, json={})
    client.request('GET', PATH)
    assert requests_mock.request_history[0].verify == PEM


def test_the_connection_pool_serves_every_thread(fake_time):
    adapter = make_client(fake_time, pool_size=16).session.get_adapter(API)
    assert adapter.poolmanager.connection_pool_kw['maxsize'] == 16


@pytest.mark.parametrize('token', ['abc.DEF-123_x', 'eyJhbGciOiJIUzI1NiJ9.e30.c2ln'])
def test_a_printable_token_is_accepted(token):
    assert token_errors(token) == []


@pytest.mark.parametrize('token, problem', [
    ('', 'api_token must not be empty'),
    ('abc\u2019def', 'api_token has a character an HTTP header cannot carry at position 4 of 7'),
    ('abc\ndef', 'api_token has a character an HTTP header cannot carry at position 4 of 7'),
    ('abc def', 'api_token has a character an HTTP header cannot carry at position 4 of 7'),
])
def test_a_token_a_header_cannot_carry_is_refused_without_quoting_it(token, problem):
    errors = token_errors(token)
    assert len(errors) == 1 and errors[0].startswith(problem)
    assert 'abc' not in errors[0]


def test_a_readable_ca_bundle_or_directory_is_accepted(tmp_path):
    assert ca_path_errors(None) == [] and ca_path_errors(PEM) == [] and ca_path_errors(str(tmp_path)) == []


def test_a_bad_ca_path_is_refused(tmp_path):
    missing = str(tmp_path / 'missing.pem')
    not_pem = tmp_path / 'key.txt'
    not_pem.write_text('not a certificate\n')
    assert ca_path_errors(missing) == ['ca_path %s does not exist' % missing]
    assert ca_path_errors(str(not_pem)) == [
        'ca_path %s holds no PEM CA certificate that can be loaded (NO_CERTIFICATE_OR_CRL_FOUND)' % not_pem]


def test_an_unreadable_ca_directory_is_refused_saying_why(tmp_path, monkeypatch):
    def denied(path):
        raise PermissionError(13, 'Permission denied', path)  # what a user without read access gets
    monkeypatch.setattr(os, 'listdir', denied)
    assert ca_path_errors(str(tmp_path)) == ['ca_path %s cannot be read: Permission denied' % tmp_path]


def test_negative_retry_settings_are_refused():
    assert retry_errors(0, 0) == [] and retry_errors(4, 60) == []
    assert retry_errors(0, -1) == ['api_retry_max_wait must be 0 or more seconds, got -1']
    assert retry_errors(-1, -2) == ['api_retries must be 0 or more, got -1',
                                    'api_retry_max_wait must be 0 or more seconds, got -2']


# -- throttling and the retry budget --------------------------------------------------------------

def test_a_retry_after_date_is_honoured(client, requests_mock, fake_time):
    wake = email.utils.formatdate(time.time() + 30, usegmt=True)
    requests_mock.get(URL, [{'status_code': 429, 'headers': {'Retry-After': wake}}, {'json': {'ok': 1}}])
    assert client.request('GET', PATH) == {'ok': 1}
    assert len(fake_time.sleeps) == 1 and 28 <= fake_time.sleeps[0] <= 30


@pytest.mark.parametrize('retry_after, sleeps', [('60', [60.0]), ('60.5', [])])
def test_a_wait_the_api_asks_for_may_use_the_whole_budget_only(client, requests_mock, fake_time, retry_after, sleeps):
    requests_mock.get(URL, [{'status_code': 429, 'headers': {'Retry-After': retry_after}}, {'json': {'ok': 1}}])
    if sleeps:
        assert client.request('GET', PATH) == {'ok': 1}
    else:
        error = failure(lambda: client.request('GET', PATH))
        assert 'more than what is left of api_retry_max_wait (60 seconds)' in str(error)
    assert fake_time.sleeps == sleeps


def test_a_retry_after_date_already_past_retries_at_once(client, requests_mock, fake_time):
    """The API's clock may be behind ours."""
    past = email.utils.formatdate(time.time() - 30, usegmt=True)
    requests_mock.get(URL, [{'status_code': 503, 'headers': {'Retry-After': past}}, {'json': {'ok': 1}}])
    assert client.request('GET', PATH) == {'ok': 1}
    assert fake_time.sleeps == [] and requests_mock.call_count == 2


@pytest.mark.parametrize('retry_after', ['3600', 'date'])
def test_a_wait_beyond_the_budget_fails_at_once_saying_when_to_retry(client, requests_mock, fake_time, retry_after):
    if retry_after == 'date':
        retry_after = email.utils.formatdate(time.time() + 3600, usegmt=True)
    requests_mock.get(URL, status_code=429, headers={'Retry-After': retry_after},
                      json={'type': 'TooManyRequests', 'message': 'Slow down'})
    asked = time.time()
    error = failure(lambda: client.request('GET', PATH))
    assert requests_mock.call_count == 1 and fake_time.sleeps == []
    assert str(error).startswith('GET %s failed with HTTP 429 TooManyRequests: Slow down (1 attempt; the API asked to '
                                 'wait 3' % PATH)
    retry_at = re.search(r'seconds, more than what is left of api_retry_max_wait \(60 seconds\): retry after '
                         r'(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d) UTC\)$', str(error)).group(1)
    assert asked + 3600 - 2 <= calendar.timegm(time.strptime(retry_at, '%Y-%m-%d %H:%M:%S')) <= time.time() + 3600
    assert error.retryable is True


def test_the_budget_bounds_the_total_wait_and_the_message_says_so(fake_time, requests_mock):
    client = make_client(fake_time, retries=10, retry_max_wait=5)
    requests_mock.get(URL, status_code=503, json={'type': 'ServiceUnavailable', 'message': 'Down'})
    error = failure(lambda: client.request('GET', PATH))
    assert sum(fake_time.sleeps) == pytest.approx(5)
    assert str(error) == ('GET %s failed with HTTP 503 ServiceUnavailable: Down (%d attempts; api_retry_max_wait of '
                          '5 seconds used up)' % (PATH, requests_mock.call_count))


@pytest.mark.parametrize('retries', [0, 2])
def test_api_retries_sets_the_number_of_attempts(fake_time, requests_mock, retries):
    client = make_client(fake_time, retries=retries)
    requests_mock.get(URL, status_code=502, text='bad gateway')
    error = failure(lambda: client.request('GET', PATH))
    assert requests_mock.call_count == retries + 1 == error.attempts
    assert str(error).endswith('bad gateway (%d attempt%s)' % (retries + 1, 's' if retries else ''))


THROTTLED = {'status_code': 429, 'headers': {'Retry-After': '1'}}
UNAVAILABLE = {'status_code': 503}
REFUSED = {'exc': requests.exceptions.ConnectionError('Connection refused')}
UNAUTHORIZED = {'status_code': 401, 'json': {'type': 'Unauthorized', 'message': 'Invalid access token'}}
INVALID = {'status_code': 400, 'json': {'type': 'Validation', 'message': 'name is too long'}}
NOT_FOUND = {'status_code': 404, 'json': {'type': 'NotFound', 'message': 'gone'}}
TIMED_OUT = {'exc': requests.exceptions.ReadTimeout('slow')}


@pytest.mark.parametrize('method, answers, message', [
    ('GET', [THROTTLED, UNAUTHORIZED], 'failed with HTTP 401 Unauthorized: Invalid access token (2 attempts)'),
    ('GET', [UNAVAILABLE, INVALID], 'failed with HTTP 400 Validation: name is too long (2 attempts)'),
    ('GET', [REFUSED, UNAVAILABLE, NOT_FOUND], 'failed with HTTP 404 NotFound: gone (3 attempts)'),
    # A timeout is never retried (guide_troubleshooting), so it ends the attempts rather than starting them.
    ('GET', [UNAVAILABLE, TIMED_OUT], 'failed: no answer from %s within 7 seconds (2 attempts)' % API),
    ('PATCH', [THROTTLED, INVALID], 'failed with HTTP 400 Validation: name is too long (2 attempts)'),
    ('POST', [THROTTLED, {'status_code': 502, 'text': 'bad gateway'}],
     'failed with HTTP 502: bad gateway (2 attempts; the resource may have been created: check before running again)'),
])
def test_every_error_after_a_retry_says_how_many_attempts_were_made(client, requests_mock, method, answers, message):
    requests_mock.register_uri(method, URL, answers)
    error = failure(lambda: client.request(method, PATH, body=None if method == 'GET' else {'name': 'n'}))
    assert str(error) == '%s %s %s' % (method, PATH, message)
    assert error.attempts == requests_mock.call_count == len(answers)
    assert 'secret-token' not in str(error)


@pytest.mark.parametrize('answer, message', [
    (UNAUTHORIZED, 'failed with HTTP 401 Unauthorized: Invalid access token'),
    (NOT_FOUND, 'failed with HTTP 404 NotFound: gone'),
    (TIMED_OUT, 'failed: no answer from %s within 7 seconds' % API),
])
def test_an_error_at_the_first_attempt_is_unchanged(client, requests_mock, answer, message):
    requests_mock.get(URL, [answer])
    error = failure(lambda: client.request('GET', PATH))
    assert str(error) == 'GET %s %s' % (PATH, message) and error.attempts is None


@pytest.mark.parametrize('status, other_waits', [(429, [6.0]), (503, [])])
def test_only_a_429_delays_the_next_request_of_every_thread(client, requests_mock, fake_time, status, other_waits):
    """While the first request waits out its 429, another call of the same client waits for the gate too; a 503
    (one server busy) delays only the request it answered."""
    other = API + '/applications/5b3a0c1e9f1d2c0012345678/webhooks/5b3a0c1e9f1d2c0012345679'
    requests_mock.get(URL, [{'status_code': status, 'headers': {'Retry-After': '10'}}, {'json': {'ok': 1}}])
    requests_mock.get(other, json={'id': 'other'})
    waits = []
    real_sleep = fake_time.sleep

    def sleep(seconds):
        waits.append(seconds)
        if len(waits) == 1:
            fake_time.now += 4  # the other thread arrives 4 s into the wait
            client.request('GET', other[len(API):])
            fake_time.now -= 4
        real_sleep(seconds)

    client.sleep = sleep
    assert client.request('GET', PATH) == {'ok': 1}
    assert waits == [10.0] + other_waits
    assert [sent.url for sent in requests_mock.request_history] == [URL, other, URL]


@pytest.mark.parametrize('start', [1000.0, 1.0])  # a clock counting from boot reads little on a fresh machine
def test_waits_that_overlap_use_the_budget_once(fake_time, start):
    fake_time.now = start
    budget = RetryBudget(10, fake_time.clock)
    assert budget.reserve(6, shortenable=False, close_gate=True) == 6
    assert budget.reserve(6, shortenable=False, close_gate=True) == 6
    assert budget.spent == 6 and budget.gate_wait() == 6
    fake_time.now += 6
    assert budget.reserve(5, shortenable=False, close_gate=False) is None
    assert budget.reserve(5, shortenable=True, close_gate=False) == 4
    assert budget.reserve(3, shortenable=False, close_gate=False) == 3  # within the 4 s already counted
    assert budget.reserve(4, shortenable=False, close_gate=False) == 4
    fake_time.now += 3.5
    assert budget.reserve(1, shortenable=True, close_gate=False) == 0.5  # our backoff takes what is left
    fake_time.now += 0.5
    assert budget.reserve(1, shortenable=True, close_gate=False) is None


def test_a_wait_granted_within_rounding_of_the_budget_leaves_no_wait_after_it(fake_time):
    budget = RetryBudget(10, fake_time.clock)
    assert budget.reserve(10 + 5e-10, shortenable=False, close_gate=False) == 10 + 5e-10  # sums of floats
    fake_time.now += 11
    assert budget.reserve(1, shortenable=True, close_gate=False) is None


def test_threads_share_one_budget(fake_time, requests_mock):
    client = make_client(fake_time, retries=100, retry_max_wait=30)
    requests_mock.get(URL, status_code=503)
    errors = []

    def call():
        try:
            client.request('GET', PATH)
        except LosantError as error:
            errors.append(error)

    threads = [threading.Thread(target=call) for number in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(errors) == 8 and client.budget.spent <= 30 + 1e-6
    assert all('api_retry_max_wait of 30 seconds used up' in str(error) for error in errors)


# -- writes of unknown outcome --------------------------------------------------------------------

@pytest.mark.parametrize('method, hint', [
    ('POST', 'the resource may have been created: check before running again'),
    ('PATCH', 'the change may have been applied: check before running again'),
    ('DELETE', 'the change may have been applied: check before running again'),
])
def test_a_write_that_timed_out_may_have_been_applied(client, requests_mock, method, hint):
    requests_mock.register_uri(method, URL, exc=requests.exceptions.ReadTimeout('slow'))
    error = failure(lambda: client.request(method, PATH, body={}))
    assert str(error) == '%s %s failed: no answer from %s within 7 seconds (%s)' % (method, PATH, API, hint)
    assert error.outcome_unknown is True and requests_mock.call_count == 1


@pytest.mark.parametrize('exc', [requests.exceptions.ReadTimeout, requests.exceptions.ConnectTimeout])
def test_a_read_or_a_connect_timeout_is_not_an_unknown_outcome_for_a_read(client, requests_mock, exc):
    requests_mock.get(URL, exc=exc('slow'))
    assert failure(lambda: client.request('GET', PATH)).outcome_unknown is False


def test_a_write_that_never_connected_was_not_applied(client, requests_mock):
    requests_mock.post(URL, exc=requests.exceptions.ConnectTimeout('no route'))
    assert failure(lambda: client.request('POST', PATH, body={})).outcome_unknown is False


@pytest.mark.parametrize('status', [502, 504])
def test_a_gateway_error_on_an_update_leaves_its_outcome_unknown(fake_time, requests_mock, status):
    requests_mock.patch(URL, status_code=status, text='gateway')
    error = failure(lambda: make_client(fake_time, retries=1).request('PATCH', PATH, body={}))
    assert error.outcome_unknown is True and str(error).endswith(
        'gateway (2 attempts; the change may have been applied: check before running again)')


@pytest.mark.parametrize('later', [INVALID, UNAVAILABLE])
def test_an_unknown_outcome_stays_unknown_when_later_attempts_are_refused(client, requests_mock, later):
    """A 502 may have applied the change, whatever the attempts after it answer."""
    requests_mock.patch(URL, [{'status_code': 502}, later])
    error = failure(lambda: client.request('PATCH', PATH, body={}))
    assert error.outcome_unknown is True and str(error).endswith('the change may have been applied: check before '
                                                                 'running again)')
    assert requests_mock.call_count == (2 if later is INVALID else 5)


@pytest.mark.parametrize('status', [429, 503, 500, 400])
def test_a_refused_write_was_not_applied(fake_time, requests_mock, status):
    requests_mock.patch(URL, status_code=status, text='no')
    assert failure(lambda: make_client(fake_time, retries=0).request('PATCH', PATH, body={})).outcome_unknown is False


# -- TLS failures ---------------------------------------------------------------------------------

@pytest.mark.parametrize('options, hint', [
    ({}, '; for a private CA or a proxy that inspects TLS, set ca_path (or LOSANT_CA_PATH) to a bundle with the CA '
         'that signed its certificate'),
    ({'ca_path': PEM}, '; check that ca_path (or LOSANT_CA_PATH), %s, holds the CA that signed its certificate' % PEM),
    ({'validate_certs': False}, ''),
])
def test_a_tls_failure_says_where_the_ca_is_set(fake_time, requests_mock, options, hint):
    requests_mock.get(URL, exc=requests.exceptions.SSLError('certificate verify failed'))
    error = failure(lambda: make_client(fake_time, **options).request('GET', PATH))
    assert str(error) == 'GET %s failed: TLS error with %s: certificate verify failed%s' % (PATH, API, hint)
    assert error.retryable is False
