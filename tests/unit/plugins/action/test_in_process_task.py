# -*- coding: utf-8 -*-
# Copyright: Contributors to the losant.platform collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The in-process path as a play runs it (real_task.py), nothing of the action stubbed: ansible-core builds
the module arguments (check mode, diff, the task's environment) and reads the printed result. Only the
Losant API is the emulator's (the ``emulator`` fixture), reached through the real client."""

from __future__ import annotations

import json
import os
import sys
import types
from typing import Any, Optional

import pytest

from ansible.module_utils import basic
from ansible.utils.display import Display

from ansible_collections.losant.platform.plugins.action import losant_webhook, losant_webhooks
from ansible_collections.losant.platform.plugins.module_utils import _client as client
from ansible_collections.losant.platform.plugins.plugin_utils import in_process
from ansible_collections.losant.platform.tests.unit.conftest import APP_ID, COLLECTION, TOKEN, Emulator
from ansible_collections.losant.platform.tests.unit.plugins.action.real_task import action_for_task

PASSWORD = 'hunter2-in-process'
# The task's environment; the api fixture adds LOSANT_API_URL, its emulator's.
ENVIRONMENT = {'LOSANT_API_TOKEN': TOKEN}
UPDATE = {'application_id': APP_ID, 'name': 'orders', 'description': 'new', 'basic_auth_username': 'u',
          'basic_auth_password': PASSWORD}


def action(plugin: type, args: dict[str, Any], check_mode: bool = False, diff: bool = False,
           environment: Optional[list[dict[str, Any]]] = None) -> Any:
    return action_for_task(plugin, 'losant.platform.' + plugin.module_name, args, check_mode=check_mode, diff=diff,
                           environment=[ENVIRONMENT] if environment is None else environment)


def run(plugin: type, args: dict[str, Any], **task: Any) -> dict[str, Any]:
    return action(plugin, args, **task).run(task_vars={})


@pytest.fixture(autouse=True)
def in_the_controller(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(in_process.SWITCH_ENVIRONMENT, raising=False)
    for name in ENVIRONMENT:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(client, 'backoff_delay', lambda attempt, retry_after=None: 0)


@pytest.fixture
def api(emulator: Emulator, monkeypatch: pytest.MonkeyPatch) -> Emulator:
    """The emulator holding the webhook ``orders``, which the task's environment reaches."""
    monkeypatch.setitem(ENVIRONMENT, 'LOSANT_API_URL', emulator.url)
    emulator.seed({'name': 'orders', 'description': 'old'})
    return emulator


@pytest.fixture
def warnings_shown(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The warnings a user sees: since ansible-core 2.19 the display shows them, before it the result has them."""
    shown: list[str] = []
    monkeypatch.setattr(Display, 'warning', lambda self, msg, *args, **kwargs: shown.append(msg))
    return shown


def seen(result: dict[str, Any], shown: list[str]) -> list[str]:
    return list(result.get('warnings', [])) + shown


def text(result: dict[str, Any]) -> str:
    return json.dumps(result, default=str)


def test_check_mode_predicts_the_update_and_writes_nothing(api):
    result = run(losant_webhook.ActionModule, UPDATE, check_mode=True, diff=True)
    assert result['changed'] is True and not result.get('failed')
    assert api.writes == [] and api.stored()[result['webhook']['id']]['description'] == 'old'
    assert result['diff']['before']['description'] == 'old' and result['diff']['after']['description'] == 'new'


def test_without_check_mode_the_update_is_written(api):
    result = run(losant_webhook.ActionModule, UPDATE)
    assert result['changed'] is True
    hook_id = result['webhook']['id']
    assert [(call.method, call.path, call.body['description']) for call in api.writes] == [
        ('PATCH', '%s/%s' % (COLLECTION, hook_id), 'new')]
    assert api.stored()[hook_id]['description'] == 'new'
    assert 'diff' not in result  # no --diff


def test_the_task_environment_reaches_the_module_and_is_gone_afterwards(api):
    run(losant_webhook.ActionModule, UPDATE)
    # The emulator takes only TOKEN, which no variable of the process holds.
    assert api.calls and {call.status for call in api.calls} == {200}
    assert not set(ENVIRONMENT) & set(os.environ)


def test_without_a_token_anywhere_the_task_fails_before_any_request(api):
    result = run(losant_webhook.ActionModule, UPDATE, environment=[{'LOSANT_API_URL': api.url}])
    assert result['failed'] is True and 'api_token' in result['msg']
    assert api.calls == []


def test_secrets_are_absent_from_the_result_diff_and_invocation(api):
    result = run(losant_webhook.ActionModule, UPDATE, check_mode=True, diff=True)
    assert result['diff']['after']['basic_auth_password'] == '******** (changed)'
    assert PASSWORD not in text(result) and TOKEN not in text(result)


def test_the_result_has_none_of_the_internal_keys(api):
    result = run(losant_webhook.ActionModule, UPDATE)
    # _ansible_parsed, before ansible-core 2.21, is for the TaskExecutor, which removes it in turn.
    assert not [key for key in result if key.startswith('_ansible') and key != '_ansible_parsed']


def test_an_api_error_fails_the_task_with_its_status(api):
    hook_id = next(iter(api.stored()))
    api.fail('PATCH', '%s/%s' % (COLLECTION, hook_id), 403, 'Forbidden', 'no webhooks.patch')
    result = run(losant_webhook.ActionModule, UPDATE)
    assert result['failed'] is True and result['changed'] is False
    assert '403' in result['msg'] and 'no webhooks.patch' in result['msg']
    assert [call.status for call in api.writes] == [403]
    assert [stored['description'] for stored in api.stored().values()] == ['old']


def test_each_run_of_a_worker_shows_only_its_own_warnings(api, warnings_shown):
    args = {'application_id': APP_ID, 'config': [{'name': 'orders', 'description': 'old'}],
            'unmanaged': ['typo*']}
    first = run(losant_webhooks.ActionModule, args)
    second = run(losant_webhooks.ActionModule, args)
    assert first['changed'] is False and second['changed'] is False
    warning = "unmanaged glob 'typo*' matches no webhook of the application: check its spelling"
    assert seen(first, warnings_shown[:1]) == [warning]
    assert seen(second, warnings_shown[1:]) == [warning]


def test_a_name_yaml_read_as_a_boolean_fails_naming_it_before_any_request(api):
    result = run(losant_webhook.ActionModule, dict(UPDATE, name=True))
    assert result['failed'] is True and api.calls == []
    assert len(result['errors']) == 1 and 'quote the name' in result['errors'][0]
    assert result['msg'] == 'Invalid input: ' + result['errors'][0] + '.'


def test_module_globals_are_the_workers_own_again_after_a_run(api):
    before = basic._ANSIBLE_ARGS
    run(losant_webhook.ActionModule, UPDATE)
    assert basic._ANSIBLE_ARGS is before


@pytest.fixture
def said(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What the action plugin says at -vvv (the connection says more, through the same display)."""
    messages: list[str] = []
    monkeypatch.setattr(in_process.display, 'vvv',
                        lambda msg, host=None: messages.append(msg) if msg.startswith('losant.platform') else None)
    return messages


def test_with_vvv_the_task_says_it_runs_in_the_controller_process(api, said):
    run(losant_webhook.ActionModule, UPDATE)
    assert said == ['losant.platform: running losant_webhook in the controller process']


def module_process(plugin: Any, executed: list[dict[str, Any]]) -> Any:
    """The plugin with ansible-core's module process (run by the integration tests) recorded instead of started."""
    def execute_module(**options: Any) -> dict[str, Any]:
        executed.append(options)
        return {'changed': False, 'ran': 'as a module process'}
    plugin._execute_module = execute_module
    return plugin


def module_directory(plugin: Any, tmp_path: Any) -> Any:
    """The temporary directory ansible-core makes for the module process, as _make_tmp_path leaves it."""
    directory = tmp_path / 'ansible-tmp-module'
    directory.mkdir()
    plugin._connection._shell.tmpdir = str(directory)
    plugin._cleanup_remote_tmp = True
    return directory


def test_the_task_variable_turns_the_in_process_path_off(api, said, tmp_path):
    # test_in_process.py reads every spelling of false; this is the path a task takes with one.
    executed: list[dict[str, Any]] = []
    plugin = module_process(action(losant_webhook.ActionModule, UPDATE), executed)
    directory = module_directory(plugin, tmp_path)
    result = plugin.run(task_vars={'losant_in_process': 'no'})
    assert result['ran'] == 'as a module process' and len(executed) == 1 and api.calls == []
    assert said == ['losant.platform: running losant_webhook as a module: losant_in_process is false']
    assert not directory.exists(), 'the module process left its temporary directory behind'


def test_an_async_task_runs_as_a_module_process_in_the_background(api, said, tmp_path):
    executed: list[dict[str, Any]] = []
    plugin = module_process(action(losant_webhook.ActionModule, UPDATE), executed)
    plugin._task.async_val = 60
    directory = module_directory(plugin, tmp_path)
    result = plugin.run(task_vars={})
    assert result['ran'] == 'as a module process' and executed[0]['wrap_async'] == 60 and api.calls == []
    assert said == ['losant.platform: running losant_webhook as a module: async runs it in the background']
    assert directory.exists(), 'removed while the background job needs it (its wrapper removes it)'


def exiting_module(code: Any) -> Any:
    def main() -> None:
        sys.stderr.write('going\n')
        sys.exit(code)
    return main


@pytest.mark.parametrize('code, status', [(3, 3), ('fatal text', 1)])
def test_a_module_that_exits_without_a_result_fails_with_its_exit_status(monkeypatch, code, status):
    result = run_crashing(monkeypatch, exiting_module(code))
    assert result['failed'] is True and result['rc'] == status and result['module_stderr'] == 'going\n'


def crashing_module() -> None:
    print('printed before the crash')
    raise KeyError('no such key')


class Unprintable(Exception):
    def __str__(self) -> str:
        raise RuntimeError('no text')


def unprintable_crash() -> None:
    raise Unprintable()


class Crashing(in_process.InProcessModuleAction):
    module_name = 'crashing'


def run_crashing(monkeypatch: pytest.MonkeyPatch, main: Any) -> dict[str, Any]:
    monkeypatch.setitem(sys.modules, in_process.MODULES_PACKAGE + 'crashing', types.SimpleNamespace(main=main))
    return run(Crashing, {})


def test_a_module_crash_is_reported_as_a_module_process_reports_it(monkeypatch):
    result = run_crashing(monkeypatch, crashing_module)
    assert result['failed'] is True
    if in_process.report_crash is None:  # before ansible-core 2.19: the traceback on stderr
        assert result['msg'] == 'MODULE FAILURE\nSee stdout/stderr for the exact error'
        assert result['rc'] == 1 and result['module_stdout'] == 'printed before the crash\n'
        assert result['module_stderr'].startswith('Traceback') and "KeyError: 'no such key'" in result['module_stderr']
    else:  # since 2.19: the failure result the AnsiballZ wrapper prints, which names the error
        assert result['exception'].event.msg == "'no such key'"
        assert not {'msg', 'rc', 'module_stdout', 'module_stderr'} & set(result)


def test_a_crash_whose_error_has_no_text_is_reported_by_its_traceback(monkeypatch):
    result = run_crashing(monkeypatch, unprintable_crash)
    assert result['failed'] is True and result['rc'] == 1
    assert result['module_stderr'].rstrip().endswith('Unprintable: <exception str() failed>')
