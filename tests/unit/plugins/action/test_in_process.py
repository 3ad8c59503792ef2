# -*- coding: utf-8 -*-
# Copyright: Contributors to the losant.platform collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""When the action plugins run a module in the controller's process, and when as a module process."""

from __future__ import annotations

import os
import sys
from unittest.mock import MagicMock

import pytest

from ansible_collections.losant.platform.plugins.action.losant_webhook import ActionModule
from ansible_collections.losant.platform.plugins.plugin_utils import in_process


def action(transport: str = 'local', become: bool = False, async_val: int = 0) -> ActionModule:
    task = MagicMock(async_val=async_val, check_mode=False, args={})
    connection = MagicMock(transport=transport)
    play_context = MagicMock(become=become)
    templar = MagicMock()
    templar.template.side_effect = lambda value: value
    return ActionModule(task, connection, play_context, MagicMock(), templar, MagicMock())


@pytest.fixture(autouse=True)
def no_switch_in_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(in_process.SWITCH_ENVIRONMENT, raising=False)


def test_a_local_connection_runs_in_process():
    assert action().reason_for_a_module_process({}) == ''


@pytest.mark.parametrize('transport', ['ssh', 'ansible.builtin.ssh', 'paramiko_ssh', 'community.docker.docker'])
def test_another_connection_runs_a_module_process(transport):
    assert action(transport).reason_for_a_module_process({}) == 'the %s connection runs it on another host' % transport


def test_become_and_async_run_a_module_process():
    assert action(become=True).reason_for_a_module_process({}) == 'become runs it as another user'
    assert action(async_val=60).reason_for_a_module_process({}) == 'async runs it in the background'


@pytest.mark.parametrize('value', [False, 'false', 'no', 'off', '0', 0])
def test_the_variable_turns_the_in_process_path_off(value):
    assert action().reason_for_a_module_process({'losant_in_process': value}) == 'losant_in_process is false'


@pytest.mark.parametrize('value', ['', 'maybe'])
def test_a_value_that_is_not_a_boolean_runs_the_module_process_that_always_works(value):
    assert action().reason_for_a_module_process({'losant_in_process': value}) == 'losant_in_process is false'


def test_the_environment_turns_it_off_unless_the_variable_is_set(monkeypatch):
    monkeypatch.setenv('LOSANT_IN_PROCESS', 'false')
    assert action().reason_for_a_module_process({}) == 'losant_in_process is false'
    assert action().reason_for_a_module_process({'losant_in_process': True}) == ''


def test_no_requests_in_the_controller_runs_a_module_process(monkeypatch):
    monkeypatch.setitem(sys.modules, 'requests', None)  # makes ``import requests`` raise ImportError
    assert action().reason_for_a_module_process({}) == (
        "the controller's Python (%s) cannot import requests" % sys.executable)


def test_the_core_running_the_tests_is_one_the_in_process_path_runs_on():
    # Fails on a core added to the Makefile's CORES but not to TESTED_CORES.
    assert in_process.core_is_tested(), in_process.untested_core()


@pytest.mark.parametrize('version', ['2.22.0rc1', '2.22.3', '2.16.0'])
def test_a_tested_minor_runs_in_process_whatever_its_release(monkeypatch, version):
    monkeypatch.setattr(in_process.release, '__version__', version)
    assert action().reason_for_a_module_process({}) == ''


@pytest.mark.parametrize('version', ['2.99.0', '2.15.13', '3.0.0b1'])
def test_an_untested_minor_runs_a_module_process(monkeypatch, version):
    monkeypatch.setattr(in_process.release, '__version__', version)
    assert action().reason_for_a_module_process({}) == (
        'ansible-core %s is not one it was tested on (2.16, 2.19, 2.21, 2.22)' % version.rsplit('.', 1)[0])


def test_an_untested_minor_is_announced_once_with_v(monkeypatch):
    said = []
    monkeypatch.setattr(in_process.display, 'v', said.append)
    monkeypatch.setattr(in_process, '_announced', [])
    monkeypatch.setattr(in_process.release, '__version__', '2.99.0')
    for name in ('losant_webhook', 'losant_webhooks', 'losant_webhook_info'):
        type('Plugin', (in_process.InProcessModuleAction,), {'module_name': name})
    assert said == ['losant.platform: modules run as module processes, not in the controller process: '
                    'ansible-core 2.99 is not one it was tested on (2.16, 2.19, 2.21, 2.22)']


def test_a_tested_minor_is_not_announced(monkeypatch):
    said = []
    monkeypatch.setattr(in_process.display, 'v', said.append)
    monkeypatch.setattr(in_process, '_announced', [])
    type('Plugin', (in_process.InProcessModuleAction,), {'module_name': 'losant_webhook'})
    assert said == []


def test_module_globals_are_set_for_the_run_then_restored(monkeypatch):
    from ansible.module_utils import basic
    from ansible.module_utils.common import warnings

    monkeypatch.setattr(basic, '_ANSIBLE_ARGS', b'before')
    # The collections of the worker's own module code: each must come back itself, not a fresh one.
    collected = {name: type(getattr(warnings, name))() for name in ('_global_warnings', '_global_deprecations')}
    for name, earlier in collected.items():
        monkeypatch.setattr(warnings, name, earlier)
    with in_process.module_globals(b'{"ANSIBLE_MODULE_ARGS": {}}'):
        assert basic._ANSIBLE_ARGS == b'{"ANSIBLE_MODULE_ARGS": {}}'
        for name, earlier in collected.items():
            assert not getattr(warnings, name) and getattr(warnings, name) is not earlier
    assert basic._ANSIBLE_ARGS == b'before'
    for name, earlier in collected.items():
        assert getattr(warnings, name) is earlier


def test_task_environment_is_set_while_the_module_runs_then_restored(monkeypatch):
    monkeypatch.setenv('LOSANT_API_URL', 'http://worker')
    monkeypatch.delenv('LOSANT_API_TOKEN', raising=False)
    with in_process.task_environment({'LOSANT_API_URL': 'http://task', 'LOSANT_API_TOKEN': 'token'}):
        assert os.environ['LOSANT_API_URL'] == 'http://task' and os.environ['LOSANT_API_TOKEN'] == 'token'
    assert os.environ['LOSANT_API_URL'] == 'http://worker' and 'LOSANT_API_TOKEN' not in os.environ


def test_an_action_plugin_imports_its_module_when_it_is_defined(monkeypatch):
    imported = []
    monkeypatch.setattr(in_process.importlib, 'import_module', imported.append)

    class Plugin(in_process.InProcessModuleAction):  # pylint: disable=unused-variable
        module_name = 'losant_webhooks'
    assert imported == [in_process.MODULES_PACKAGE + 'losant_webhooks']


def test_an_action_plugin_whose_module_cannot_be_imported_still_loads(monkeypatch):
    attempted = []

    def broken(name):
        attempted.append(name)
        raise ImportError('no module named %s' % name)
    monkeypatch.setattr(in_process.importlib, 'import_module', broken)

    class Plugin(in_process.InProcessModuleAction):  # pylint: disable=unused-variable
        module_name = 'missing'
    assert attempted == [in_process.MODULES_PACKAGE + 'missing']


@pytest.mark.parametrize('args', [{'name': True}, {'config': [{'name': 7}]}, {'unmanaged': [None]}])
def test_a_name_yaml_read_as_another_type_fails_before_the_module_runs_either_way(monkeypatch, args):
    plugin = action()
    plugin._task.args = dict(args, application_id='5f3e1c2a9b8d7e6f5a4b3c2d')
    ran = []
    monkeypatch.setattr(plugin, 'run_in_process', ran.append)
    monkeypatch.setattr(plugin, 'run_module_process', ran.append)
    result = plugin.run(task_vars={})
    assert ran == [] and result['failed'] is True
    assert result['msg'].startswith('Invalid input: ') and 'not a string' in result['msg']
    assert len(result['errors']) == 1 and 'quote the name' in result['errors'][0]
