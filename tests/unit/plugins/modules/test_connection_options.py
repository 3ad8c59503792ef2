# -*- coding: utf-8 -*-
# Copyright: Contributors to the losant.platform collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The connection options through a module: token handling, retry options, and secrets the API returns,
which are masked where they appear and scrubbed from messages without garbling anything else."""

from __future__ import annotations

import json

import pytest

from ansible_collections.losant.platform.plugins.modules import losant_webhook, losant_webhook_info
from ansible_collections.losant.platform.tests.unit.conftest import COLLECTION, TOKEN

HOOK = '5b3a0c1e9f1d2c0012345678'
OTHER = '5b3a0c1e9f1d2c0087654321'
PASSWORD = 'pw-4d1c9e0a7b'


def test_secrets_of_other_webhooks_leave_unrelated_values_intact(run_module, emulator):
    emulator.seed({'id': HOOK, 'name': 'orders', 'basicAuthUsername': 'u', 'basicAuthPassword': '200',
                   'verificationType': 'twilio', 'verificationCode': '1', 'creationDate': '2026-01-01T00:00:00.000Z'},
                  {'id': OTHER, 'name': 'billing-1', 'responseCode': 201})
    run = run_module(losant_webhook_info.main, emulator.args())
    billing, orders = run.result['webhooks']
    assert 'VALUE_SPECIFIED_IN_NO_LOG_PARAMETER' not in json.dumps(run.result['webhooks'])
    assert (orders['responseCode'], billing['responseCode'], billing['name']) == (200, 201, 'billing-1')
    assert (orders['id'], billing['id']) == (HOOK, OTHER)
    assert orders['creationDate'] == '2026-01-01T00:00:00.000Z'
    assert (orders['basicAuthPassword'], orders['verificationCode']) == ('********', '********')


def test_a_secret_the_api_returned_is_scrubbed_from_an_error_message(run_module, emulator):
    emulator.seed({'id': HOOK, 'name': 'orders', 'basicAuthPassword': PASSWORD})
    emulator.fail('PATCH', '%s/%s' % (COLLECTION, HOOK), 400, 'Validation', 'basicAuthPassword %s is stale' % PASSWORD)
    run = run_module(losant_webhook.main, emulator.args(name='orders', description='new'))
    assert PASSWORD not in run.output
    assert run.result['msg'].endswith('failed with HTTP 400 Validation: basicAuthPassword ******** is stale')
    assert run.result['error_message'] == 'basicAuthPassword ******** is stale'


@pytest.mark.parametrize('token', [TOKEN + '\n', '  %s\r\n' % TOKEN])
def test_whitespace_around_the_token_is_removed(run_module, emulator, token):
    run = run_module(losant_webhook_info.main, emulator.args(api_token=token))
    assert run.exit_code == 0
    assert [call.status for call in emulator.calls] == [200], 'the emulator takes only the token itself'
    assert TOKEN not in run.output


def test_a_token_given_with_a_final_newline_is_hidden_when_an_api_error_echoes_it(run_module, emulator):
    emulator.fail('GET', COLLECTION, 401, 'Unauthorized', 'token %s has expired' % TOKEN)
    run = run_module(losant_webhook_info.main, emulator.args(api_token=TOKEN + '\n'))
    assert run.exit_code == 1 and 'token ******** has expired' in run.result['msg']
    assert TOKEN not in run.output


@pytest.mark.parametrize('options, message', [
    ({'api_token': TOKEN[:5] + '\u2019' + TOKEN[5:]},
     'api_token has a character an HTTP header cannot carry at position 6 of %d' % (len(TOKEN) + 1)),
    ({'api_token': ' \n'}, 'api_token must not be empty'),
    ({'ca_path': '/nonexistent/ca.pem'}, 'ca_path /nonexistent/ca.pem does not exist'),
    ({'api_retries': -1}, 'api_retries must be 0 or more, got -1'),
    ({'api_retry_max_wait': -5}, 'api_retry_max_wait must be 0 or more seconds, got -5'),
])
def test_bad_connection_input_fails_before_any_request(run_module, emulator, options, message):
    run = run_module(losant_webhook_info.main, emulator.args(**options))
    assert run.exit_code == 1 and emulator.calls == []
    assert message in run.result['msg'] and TOKEN[6:] not in run.output


@pytest.mark.parametrize('spelling', ['%s\n', '  %s ', '\t%s/\r\n'])
def test_whitespace_around_the_api_url_is_removed(run_module, emulator, spelling):
    run = run_module(losant_webhook_info.main, emulator.args(api_url=spelling % emulator.url))
    assert run.exit_code == 0, run.result['msg']
    assert [call.path for call in emulator.calls] == [COLLECTION]


def test_ca_path_is_neither_used_nor_checked_without_certificate_validation(run_module, emulator):
    run = run_module(losant_webhook_info.main, emulator.args(validate_certs=False, ca_path='/nonexistent/ca.pem'))
    assert run.exit_code == 0, run.result['msg']
    assert [call.path for call in emulator.calls] == [COLLECTION]


@pytest.mark.parametrize('api_url', ['https://ops:pa55word@api.example.test', 'https://ops:pa55word@[::1',
                                     'https://ops:pa55word@api.example.test:99999', 'ftp://ops:pa55word@host'])
def test_an_api_url_with_a_user_or_password_is_refused_without_showing_it(run_module, emulator, api_url):
    run = run_module(losant_webhook_info.main, emulator.args(api_url=api_url))
    assert run.exit_code == 1 and emulator.calls == []
    assert run.result['errors'] == [
        'api_url must not hold a user name or password, as the API token is the only credential sent']
    assert 'pa55word' not in run.output
