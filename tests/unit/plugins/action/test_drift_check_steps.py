# -*- coding: utf-8 -*-
# Copyright: Contributors to the losant.platform collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The steps of the drift check playbook through the real action plugin (real_task.py): what compare
registers, the reports start and report write, and the result behind ansible-playbook's exit status."""

from __future__ import annotations

import json
import pickle
from pathlib import Path
from typing import Any

import pytest
from ansible.errors import AnsibleActionFail
from ansible.parsing.dataloader import DataLoader
from ansible.plugins import loader as plugin_loader

from ansible_collections.losant.platform.plugins.action import drift_check, losant_webhooks
from ansible_collections.losant.platform.plugins.module_utils import _client as client
from ansible_collections.losant.platform.tests.unit.conftest import APP_ID, TOKEN, Emulator
from ansible_collections.losant.platform.tests.unit.plugins.action.real_task import action_for_task

try:
    from ansible.template import trust_as_template  # ansible-core 2.19+ templates only text a playbook wrote
except ImportError:
    def trust_as_template(value: str) -> str:
        return value

DECLARED = [{'name': 'orders', 'description': 'new'}]
ACTION = 'losant.platform.drift_check'
# The play as Ansible's loader reads it: its variables and each step's arguments are strings of their own, as in
# a run, not the literals of the plugin (which a comparison with 'is' would take for equal).
PLAY = DataLoader().load_from_file(str(Path(__file__).parents[4] / 'playbooks' / 'drift_check.yml'))[0]
STEPS = {task[ACTION]['step']: task[ACTION] for task in PLAY['tasks'] if ACTION in task}
PLAY_VARIABLES = dict(PLAY['vars'], losant_drift_attribution=False)


def step(name: str, task_vars: dict[str, Any]) -> dict[str, Any]:
    """The step's result as ansible-core keeps it: one that raised Drift (2.19+) is failed."""
    plugin = action_for_task(drift_check.ActionModule, ACTION, dict(STEPS[name]), task_vars,
                             check_mode=name == 'compare')
    try:
        return plugin.run(task_vars=task_vars)
    except drift_check.Drift as drift:
        assert drift.omit_exception_key, 'ansible-core shows it as a failed host, not an error with a traceback'
        return dict(drift.result, failed=True)


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


def compared(declared: Any, application_id: Any = APP_ID, host: str = 'localhost', **variables: Any) -> dict[str, Any]:
    return step('compare', dict(PLAY_VARIABLES, inventory_hostname=host, losant_application_id=application_id,
                                losant_webhooks=declared, **variables))


def reported(registered: dict[str, Any], paths: dict[str, Path], step_name: str = 'report', **variables: Any
             ) -> dict[str, Any]:
    return step(step_name, dict(PLAY_VARIABLES, inventory_hostname='localhost', ansible_play_hosts=['localhost'],
                                ansible_play_hosts_all=['localhost'], hostvars={'localhost': handed_over(registered)},
                                **dict({name: str(path) for name, path in paths.items()}, **variables)))


def handed_over(registered: dict[str, Any]) -> dict[str, Any]:
    """A registered result as it reaches the controller from the worker process that ran the step: pickled."""
    return pickle.loads(pickle.dumps(registered))


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
    entry = compared([], losant_drift_state=state)[drift_check.REGISTERED]
    assert (entry['status'], entry['changes'], entry['error']) == ('clean', [], None)


def test_a_task_without_a_step_fails_naming_it(api):
    plugin = action_for_task(drift_check.ActionModule, 'losant.platform.drift_check', {}, {})
    with pytest.raises(AnsibleActionFail, match='missing required arguments: step'):
        plugin.run(task_vars={})


@pytest.mark.parametrize('declared, application_id, name', [
    ({'name': 'orders'}, APP_ID, APP_ID),
    (DECLARED, 42, ''),
    (DECLARED, trust_as_template('{{ undefined_id }}'), ''),
])
def test_compare_of_a_bad_declaration_is_an_error_without_a_request(api, declared, application_id, name):
    entry = compared(declared, application_id)[drift_check.REGISTERED]
    assert entry['status'] == 'error' and entry['error'] == drift_check.BAD_DECLARATION
    assert entry['name'] == name and api.calls == []


def test_compare_with_an_option_that_cannot_be_templated_is_the_applications_error(api):
    result = compared(DECLARED, losant_drift_ignore_fields=trust_as_template('{{ undefined_fields }}'))
    entry = result[drift_check.REGISTERED]
    assert not result.get('failed') and entry['status'] == 'error'
    assert entry['error'].startswith('The drift check failed: ') and 'undefined_fields' in entry['error']
    assert api.calls == []


def test_compare_reads_the_audit_log_with_the_audit_token(api):
    """The application's token may not read the audit log; the audit token may (the seeded webhook has no entry)."""
    api.state.add_token({'token': 'audit-token', 'scopes': ['all.Organization.read']})
    entry = compared(DECLARED, losant_drift_attribution=True, losant_audit_api_token='audit-token')[
        drift_check.REGISTERED]
    assert entry['status'] == 'drift' and api.writes == []
    assert entry['attribution_unavailable'] == 'no audit log entry within the last 30 days for 1 of the 1 changes'


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


def test_report_of_an_application_that_could_not_be_checked_is_an_error(api, paths):
    result = reported({drift_check.REGISTERED: compared({'name': 'orders'})}, paths)
    assert result['unreachable'] is True and not result.get('failed')  # ansible-playbook exits 4
    assert result['msg'] == 'error: %s' % drift_check.BAD_DECLARATION


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


def test_report_with_a_path_that_cannot_be_templated_is_an_error(api, paths, displayed):
    result = reported({drift_check.REGISTERED: compared(DECLARED)}, paths, losant_drift_report=trust_as_template('{{ undefined_path }}'))
    assert result['unreachable'] is True and not result.get('failed')  # ansible-playbook exits 4
    assert result['msg'].startswith('error: the reports could not be written: ') and displayed == []


def test_start_with_a_path_that_cannot_be_templated_says_so_at_vvv_and_leaves_it_to_the_report(
        api, paths, monkeypatch):
    said: list[str] = []
    monkeypatch.setattr(drift_check.display, 'vvv', lambda msg, *args, **kwargs: said.append(msg))
    result = reported({}, paths, step_name='start', losant_drift_report=trust_as_template('{{ undefined_path }}'))
    assert not result.get('failed') and not result.get('unreachable')
    assert len(said) == 1 and said[0].startswith('losant.platform.drift_check: the reports were not started: ')


def test_report_of_many_applications_names_each_and_only_the_first_host_reports(api, paths, displayed):
    groups = {'losant_applications': ['production', 'staging', 'qa']}
    registered = {'production': {drift_check.REGISTERED: compared(DECLARED, host='production', groups=groups)},
                  'staging': {drift_check.REGISTERED: compared([{'name': 'orders', 'description': 'old'}],
                                                               host='staging', groups=groups)},
                  'qa': {}}
    hosts = list(groups['losant_applications'])
    variables = dict(PLAY_VARIABLES, groups=groups, ansible_play_hosts=hosts, ansible_play_hosts_all=hosts,
                     hostvars=handed_over(registered), **{name: str(path) for name, path in paths.items()})
    assert step('report', dict(variables, inventory_hostname='staging')) == {'changed': False}
    assert not paths['losant_drift_report'].exists()
    result = step('report', dict(variables, inventory_hostname='production'))
    assert result['unreachable'] is True and result['msg'] == 'error: qa: %s' % drift_check.NOT_FINISHED
    written = json.loads(paths['losant_drift_report'].read_text())
    assert [(entry['name'], entry['status']) for entry in written['applications']] == [
        ('production', 'drift'), ('staging', 'clean'), ('qa', 'error')]
    assert displayed[0] == 'production: update orders: description "old" -> "new"'
