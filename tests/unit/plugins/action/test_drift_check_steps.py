# -*- coding: utf-8 -*-
# Copyright: Contributors to the losant.platform collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The steps of the drift check playbook through the real action plugin (real_task.py): what compare
registers, the reports start and report write, and the result behind ansible-playbook's exit status."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from ansible.errors import AnsibleActionFail
from ansible.plugins import loader as plugin_loader

from ansible_collections.losant.platform.plugins.action import drift_check, losant_webhooks
from ansible_collections.losant.platform.plugins.module_utils import _client as client
from ansible_collections.losant.platform.tests.unit.conftest import APP_ID, TOKEN, Emulator
from ansible_collections.losant.platform.tests.unit.plugins.action.real_task import action_for_task

DECLARED = [{'name': 'orders', 'description': 'new'}]
PLAY_VARIABLES = {'losant_drift_state': 'overridden', 'losant_drift_ignore_fields': [],
                  'losant_drift_unmanaged': [], 'losant_drift_update_secrets': 'always',
                  'losant_drift_attribution': False, 'losant_drift_attribution_days': 30}


def step(name: str, task_vars: dict[str, Any]) -> dict[str, Any]:
    """The step's result; a failed one raised as Drift (ansible-core 2.19+) is returned as its result."""
    plugin = action_for_task(drift_check.ActionModule, 'losant.platform.drift_check', {'step': name}, task_vars,
                             check_mode=name == 'compare')
    try:
        return plugin.run(task_vars=task_vars)
    except drift_check.Drift as drift:
        return drift.result


@pytest.fixture
def api(emulator: Emulator, monkeypatch: pytest.MonkeyPatch) -> Emulator:
    # The plugin loader finds losant_webhooks' action plugin so (plain pytest, as make mutation runs the
    # tests, has no collection finder).
    def get(name: str, **parts: Any) -> Any:
        assert name == 'losant.platform.losant_webhooks'
        return losant_webhooks.ActionModule(**parts)
    monkeypatch.setattr(plugin_loader.action_loader, 'get', get)
    monkeypatch.setenv('LOSANT_API_TOKEN', TOKEN)
    monkeypatch.setenv('LOSANT_API_URL', emulator.url)
    monkeypatch.setattr(client, 'backoff_delay', lambda attempt, retry_after=None: 0)
    emulator.seed({'name': 'orders', 'description': 'old'})
    return emulator


@pytest.fixture
def displayed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    lines: list[str] = []
    monkeypatch.setattr(drift_check.display, 'display', lambda msg, *args, **kwargs: lines.append(msg))
    return lines


@pytest.fixture
def paths(tmp_path: Path) -> dict[str, Path]:
    return {'losant_drift_report': tmp_path / 'drift.json', 'losant_drift_junit': tmp_path / 'drift.xml'}


def compared(declared: Any, application_id: Any = APP_ID, state: str = 'overridden') -> dict[str, Any]:
    return step('compare', dict(PLAY_VARIABLES, inventory_hostname='localhost', losant_application_id=application_id,
                                losant_webhooks=declared, losant_drift_state=state))


def reported(registered: dict[str, Any], paths: dict[str, Path], step_name: str = 'report') -> dict[str, Any]:
    return step(step_name, dict(PLAY_VARIABLES, inventory_hostname='localhost', ansible_play_hosts=['localhost'],
                                ansible_play_hosts_all=['localhost'], hostvars={'localhost': registered},
                                **{name: str(path) for name, path in paths.items()}))


def test_compare_registers_the_drift_and_writes_nothing(api):
    result = compared(DECLARED)
    entry = result[drift_check.REGISTERED]
    assert result['declared'] == ['orders'] and result['changed'] is False and not result.get('failed')
    assert (entry['name'], entry['application_id'], entry['status']) == (APP_ID, APP_ID, 'drift')
    assert [change['name'] for change in entry['changes']] == ['orders']
    assert api.writes == []


def test_compare_of_matching_webhooks_is_clean(api):
    assert compared([{'name': 'orders', 'description': 'old'}])[drift_check.REGISTERED]['status'] == 'clean'


def test_compare_of_no_declared_webhooks_in_the_overridden_state_lists_every_webhook_to_delete(api):
    entry = compared([])[drift_check.REGISTERED]
    assert entry['status'] == 'drift' and [change['name'] for change in entry['changes']] == ['orders']
    assert api.writes == []


@pytest.mark.parametrize('state', ['merged', 'replaced'])
def test_compare_of_no_declared_webhooks_in_another_state_is_clean(api, state):
    entry = compared([], state=state)[drift_check.REGISTERED]
    assert (entry['status'], entry['changes'], entry['error']) == ('clean', [], None)


def test_a_task_without_a_step_fails_naming_it(api):
    plugin = action_for_task(drift_check.ActionModule, 'losant.platform.drift_check', {}, {})
    with pytest.raises(AnsibleActionFail, match='missing required arguments: step'):
        plugin.run(task_vars={})


@pytest.mark.parametrize('declared, application_id', [({'name': 'orders'}, APP_ID), (DECLARED, 42)])
def test_compare_of_a_bad_declaration_is_an_error_without_a_request(api, declared, application_id):
    entry = compared(declared, application_id)[drift_check.REGISTERED]
    assert entry['status'] == 'error' and entry['error'] == drift_check.BAD_DECLARATION
    assert api.calls == []


def test_report_of_drift_fails_the_host_and_writes_both_reports(api, paths, displayed):
    result = reported({drift_check.REGISTERED: compared(DECLARED)}, paths)
    assert result['failed'] is True and result['changed'] is False  # ansible-playbook exits 2
    assert result['msg'] == 'drift: 1 change in %s' % APP_ID
    assert len(displayed) == 2 and 'orders' in displayed[0]
    assert displayed[1] == '%s; reports: %s, %s' % (result['msg'], paths['losant_drift_report'], paths['losant_drift_junit'])
    assert json.loads(paths['losant_drift_report'].read_text())['status'] == 'drift'
    assert 'classname="losant.webhooks" name="orders"' in paths['losant_drift_junit'].read_text()


def test_report_of_a_clean_application_succeeds(api, paths):
    result = reported({drift_check.REGISTERED: compared([{'name': 'orders', 'description': 'old'}])}, paths)
    assert not result.get('failed') and not result.get('unreachable')
    assert result['msg'] == 'clean: the application matches the declared webhooks'


def test_report_of_a_host_that_did_not_compare_is_an_error(api, paths):
    result = reported({}, paths)
    assert result['unreachable'] is True  # ansible-playbook exits 4
    assert result['msg'] == 'error: %s' % drift_check.NOT_FINISHED


def test_a_report_that_cannot_be_written_makes_the_verdict_an_error_and_the_other_says_so(api, paths, tmp_path):
    paths['losant_drift_junit'] = tmp_path / 'missing' / 'drift.xml'
    result = reported({drift_check.REGISTERED: compared(DECLARED)}, paths)
    assert result['unreachable'] is True
    assert result['msg'] == 'error: A report could not be written: %s: No such file or directory' % paths[
        'losant_drift_junit']
    assert json.loads(paths['losant_drift_report'].read_text())['error'].startswith('A report could not be written')


def test_start_writes_reports_that_say_the_check_did_not_finish_and_prints_nothing(api, paths, displayed):
    result = reported({}, paths, step_name='start')
    assert not result.get('failed') and not result.get('unreachable') and displayed == []
    written = json.loads(paths['losant_drift_report'].read_text())
    assert written['status'] == 'error' and written['error'] == drift_check.NOT_FINISHED
