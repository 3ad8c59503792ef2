# -*- coding: utf-8 -*-
# Copyright: Contributors to the losant.platform collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Every connection option falls back to its environment variable; a bad value names the variable."""

from __future__ import annotations

from typing import Any

import pytest
import requests

from ansible_collections.losant.platform.plugins.module_utils import _module as base
from ansible_collections.losant.platform.plugins.module_utils._environment import VARIABLES
from ansible_collections.losant.platform.plugins.modules import losant_webhook, losant_webhook_info, losant_webhooks
from ansible_collections.losant.platform.tests.unit.conftest import APP_ID, COLLECTION, TOKEN, Emulator

MODULES = {
    'losant_webhook': (losant_webhook.main, {'name': 'orders'}),
    'losant_webhook_info': (losant_webhook_info.main, {}),
    'losant_webhooks': (losant_webhooks.main, {'state': 'gathered'}),
}
CA = requests.certs.where()  # a CA bundle that loads


@pytest.fixture(autouse=True)
def environment(monkeypatch: pytest.MonkeyPatch, emulator: Emulator) -> pytest.MonkeyPatch:
    """No LOSANT_* variable of the shell that runs the tests; the emulator's address and token set."""
    for variable in VARIABLES.values():
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv('LOSANT_API_URL', emulator.url)
    monkeypatch.setenv('LOSANT_API_TOKEN', TOKEN)
    return monkeypatch


@pytest.fixture
def client_options(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """The keyword arguments of every LosantClient a module makes."""
    made: list[dict[str, Any]] = []
    real = base.LosantClient

    def spy(api_url: str, api_token: str, **options: Any) -> Any:
        made.append(dict(options, api_url=api_url, api_token=api_token))
        return real(api_url, api_token, **options)
    monkeypatch.setattr(base, 'LosantClient', spy)
    return made


ALL_SET = {'LOSANT_TIMEOUT': '12', 'LOSANT_VALIDATE_CERTS': 'no', 'LOSANT_CA_PATH': CA,
           'LOSANT_API_RETRIES': '1', 'LOSANT_API_RETRY_MAX_WAIT': '7'}
FROM_ALL_SET = {'api_token': TOKEN, 'timeout': 12, 'validate_certs': False, 'ca_path': CA, 'retries': 1,
                'retry_max_wait': 7}


@pytest.mark.parametrize('module', sorted(MODULES))
def test_every_connection_option_comes_from_its_variable(run_module, emulator, environment, client_options, module):
    main, options = MODULES[module]
    for variable, value in ALL_SET.items():
        environment.setenv(variable, value)
    run = run_module(main, dict(options, application_id=APP_ID))
    assert run.exit_code == 0, run.result['msg']
    assert [{key: made[key] for key in ['api_url', *FROM_ALL_SET]} for made in client_options] == [
        dict(FROM_ALL_SET, api_url=emulator.url)]
    assert emulator.calls[0].status == 200, 'the address and the token reached the API'
    assert TOKEN not in run.output


def test_an_option_set_in_the_task_wins_over_its_variable(run_module, emulator, environment, client_options):
    for variable, value in ALL_SET.items():
        environment.setenv(variable, value)
    run = run_module(losant_webhook_info.main, {'application_id': APP_ID, 'timeout': 5, 'validate_certs': True,
                                                'api_retries': 0, 'api_retry_max_wait': 3})
    assert run.exit_code == 0
    assert (client_options[0]['timeout'], client_options[0]['validate_certs'], client_options[0]['retries'],
            client_options[0]['retry_max_wait']) == (5, True, 0, 3)


def test_the_retries_from_the_environment_are_the_ones_made(run_module, emulator, environment):
    environment.setenv('LOSANT_API_RETRIES', '0')
    emulator.fail('GET', COLLECTION, 503, 'ServiceUnavailable', 'Down', count=2)
    run = run_module(losant_webhook_info.main, {'application_id': APP_ID})
    assert len(emulator.calls) == 1 and run.result['retryable'] is True


@pytest.mark.parametrize('module', sorted(MODULES))
@pytest.mark.parametrize('variables, message', [
    ({'LOSANT_TIMEOUT': 'soon'}, "the environment variable LOSANT_TIMEOUT (for timeout) must be a whole number, "
                                 "got 'soon'"),
    ({'LOSANT_VALIDATE_CERTS': 'maybe'}, 'the environment variable LOSANT_VALIDATE_CERTS (for validate_certs) must be '
                                         "a boolean (true, false, yes, no, 1, 0), got 'maybe'"),
    ({'LOSANT_API_RETRIES': '1.5'}, 'LOSANT_API_RETRIES (for api_retries) must be a whole number'),
    ({'LOSANT_API_RETRY_MAX_WAIT': ''}, "LOSANT_API_RETRY_MAX_WAIT (for api_retry_max_wait) must be a whole number, "
                                        "got ''"),
    ({'LOSANT_TIMEOUT': '0'}, 'timeout must be a positive number of seconds, got 0 (from the environment variable '
                              'LOSANT_TIMEOUT)'),
    ({'LOSANT_API_RETRIES': '-1'}, 'api_retries must be 0 or more, got -1 (from the environment variable '
                                   'LOSANT_API_RETRIES)'),
    ({'LOSANT_CA_PATH': '/nonexistent/ca.pem'}, 'ca_path /nonexistent/ca.pem does not exist (from the environment '
                                                'variable LOSANT_CA_PATH)'),
    ({'LOSANT_API_URL': 'api.losant.com'}, "api_url must be an http:// or https:// URL with a host name, got "
                                           "'api.losant.com' (from the environment variable LOSANT_API_URL)"),
    ({'LOSANT_API_TOKEN': ''}, 'api_token must not be empty (from the environment variable LOSANT_API_TOKEN)'),
])
def test_a_bad_value_fails_before_any_request_naming_its_variable(run_module, emulator, environment, module,
                                                                  variables, message):
    main, options = MODULES[module]
    for variable, value in variables.items():
        environment.setenv(variable, value)
    run = run_module(main, dict(options, application_id=APP_ID))
    assert run.exit_code == 1 and emulator.calls == []
    assert message in run.result['msg']
    assert (run.result['error_status'], run.result['retryable']) == (None, False)


def test_a_bad_variable_is_reported_with_every_other_input_error(run_module, emulator, environment):
    environment.setenv('LOSANT_TIMEOUT', 'soon')
    run = run_module(losant_webhook_info.main, {'application_id': 'nope', 'api_retries': -1})
    assert run.result['errors'] == ["the environment variable LOSANT_TIMEOUT (for timeout) must be a whole number, "
                                    "got 'soon'", 'api_retries must be 0 or more, got -1',
                                    "application_id must be 24 hexadecimal characters, got 'nope'"]


@pytest.mark.parametrize('module', sorted(MODULES))
def test_a_missing_token_names_its_variable(run_module, emulator, environment, module):
    main, options = MODULES[module]
    environment.delenv('LOSANT_API_TOKEN')
    run = run_module(main, dict(options, application_id=APP_ID))
    assert run.exit_code == 1 and emulator.calls == []
    assert run.result['errors'] == ['api_token is required: set it, or the environment variable LOSANT_API_TOKEN']


def test_a_token_from_the_environment_never_shows(run_module, emulator, environment):
    environment.setenv('LOSANT_API_TOKEN', TOKEN[:4] + '\u00e9' + TOKEN[4:])
    run = run_module(losant_webhook_info.main, {'application_id': APP_ID})
    assert 'api_token has a character an HTTP header cannot carry at position 5' in run.result['msg']
    assert TOKEN[5:] not in run.output
