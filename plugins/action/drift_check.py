# -*- coding: utf-8 -*-
# Copyright: Contributors to the losant.platform collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The steps of the playbook losant.platform.drift_check (the module's documentation describes them)."""

from __future__ import annotations

import datetime
import os
from typing import Any, Optional

from ansible.errors import AnsibleActionFail, AnsibleError
from ansible.plugins.action import ActionBase
from ansible.utils.display import Display

from ansible_collections.losant.platform.plugins.plugin_utils.drift_report import (
    application_entry,
    error_entry,
    json_report,
    junit_report,
    report,
    summary_lines,
    verdict,
)

display = Display()

GROUP = 'losant_applications'
REGISTERED = 'losant_drift_compared'
NOT_FINISHED = 'The drift check did not finish'
# ansible-core < 2.19 also lands here when a value uses an undefined variable; naming the value would print it,
# and a secret written in it.
BAD_DECLARATION = ('Set losant_application_id (the application\'s ID) and losant_webhooks (a list of webhooks in the '
                   'config shape of losant.platform.losant_webhooks), for example with -e @webhooks.yml or as host '
                   'variables in the inventory group losant_applications, and define every variable their values use.')


class DeclarationError(Exception):
    """The variables of an application cannot be checked."""


# ansible-core 2.19+ gives every failed result an exception, which the default callback shows as [ERROR] with
# the task's place in the playbook, unless an exception raised by the action says to omit it.
SHOWS_FAILURES_AS_ERRORS = hasattr(AnsibleActionFail, 'omit_exception_key')


class Drift(AnsibleActionFail):
    """Drift fails the host, and is no error."""

    omit_exception_key = True


class ActionModule(ActionBase):
    _supports_check_mode = True
    TRANSFERS_FILES = False

    def run(self, tmp: Any = None, task_vars: Optional[dict[str, Any]] = None) -> dict[str, Any]:
        result = super().run(tmp, task_vars)
        del tmp
        task_vars = task_vars or {}
        unused, arguments = self.validate_argument_spec(
            argument_spec={'step': {'type': 'str', 'required': True, 'choices': ['start', 'compare', 'report']}})
        step = arguments['step']
        if step == 'compare':
            result.update(self.compare(task_vars))
        elif step == 'start':
            self.start(task_vars)
        elif reporting_host(task_vars):
            try:
                result.update(self.write_reports(task_vars, finished=True))
            except Exception as error:  # pylint: disable=broad-exception-caught
                # A failed host would exit 2, which says drift.
                result.update(verdict_result('error', 'error: the reports could not be written: %s' % error))
        result['changed'] = False
        if result.get('failed') and SHOWS_FAILURES_AS_ERRORS:
            raise Drift(result['msg'], result=result)
        return result

    # --- compare: one application, on its own host ---------------------------------------------------------

    def compare(self, task_vars: dict[str, Any]) -> dict[str, Any]:
        """The application's entry of the report; never fails, as an error is the application's verdict."""
        checked_at = now()
        name = self.application_name(task_vars)
        application_id = None
        declared: list[str] = []
        try:
            application_id, webhooks = self.declaration(task_vars)
            declared = case_names(webhooks)
            entry = application_entry(name, application_id, checked_at, self.run_losant_webhooks(
                application_id, webhooks, task_vars))
        except DeclarationError as error:
            entry = error_entry(name, application_id, checked_at, str(error))
        except Exception as error:  # pylint: disable=broad-exception-caught
            # Anything else would fail the host, which ansible-playbook's exit status would take for drift.
            entry = error_entry(name, application_id, checked_at, 'The drift check failed: %s' % error)
        return {REGISTERED: entry, 'declared': declared}

    def application_name(self, task_vars: dict[str, Any]) -> str:
        """The inventory host in the many-application form, else the application ID (or '' without one)."""
        if many_applications(task_vars):
            return task_vars['inventory_hostname']
        try:
            application_id = self.variable(task_vars, 'losant_application_id')
        except AnsibleError:
            return ''
        return application_id if isinstance(application_id, str) else ''

    def declaration(self, task_vars: dict[str, Any]) -> tuple[str, list[Any]]:
        try:
            application_id = self.variable(task_vars, 'losant_application_id')
            webhooks = self.variable(task_vars, 'losant_webhooks')
        except AnsibleError:
            raise DeclarationError(BAD_DECLARATION) from None
        if not isinstance(application_id, str) or not isinstance(webhooks, list):
            raise DeclarationError(BAD_DECLARATION)
        return application_id, webhooks

    def variable(self, task_vars: dict[str, Any], name: str) -> Any:
        return self._templar.template(task_vars[name]) if name in task_vars else None

    def run_losant_webhooks(self, application_id: str, webhooks: list[Any], task_vars: dict[str, Any]) -> dict[str, Any]:
        """losant_webhooks in check mode, through its action plugin (in this process when it can)."""
        state = self.variable(task_vars, 'losant_drift_state')
        task = self._task.copy()
        task.action = task._resolved_action = 'losant.platform.losant_webhooks'
        task.check_mode = True
        task.diff = False
        task.args = {
            'application_id': application_id,
            'state': state,
            'config': webhooks,
            'delete_all': state == 'overridden' and not webhooks,
            'ignore_fields': self.variable(task_vars, 'losant_drift_ignore_fields'),
            'unmanaged': self.variable(task_vars, 'losant_drift_unmanaged'),
            'update_secrets': self.variable(task_vars, 'losant_drift_update_secrets'),
            'attribution': self.variable(task_vars, 'losant_drift_attribution'),
            'attribution_days': self.variable(task_vars, 'losant_drift_attribution_days'),
        }
        audit_token = self.variable(task_vars, 'losant_audit_api_token')
        if audit_token:
            task.args['audit_api_token'] = audit_token
        action = self._shared_loader_obj.action_loader.get(
            'losant.platform.losant_webhooks', task=task, connection=self._connection, play_context=self._play_context,
            loader=self._loader, templar=self._templar, shared_loader_obj=self._shared_loader_obj)
        return action.run(task_vars=task_vars)

    # --- start and report: every application, once ----------------------------------------------------------

    def start(self, task_vars: dict[str, Any]) -> None:
        """Reports that say the check did not finish; a problem waits for the report step, which says it."""
        try:
            self.write_reports(task_vars, finished=False)
        except Exception as error:  # pylint: disable=broad-exception-caught
            display.vvv('losant.platform.drift_check: the reports were not started: %s' % error)

    def write_reports(self, task_vars: dict[str, Any], finished: bool) -> dict[str, Any]:
        """Write both reports; when finished, print the summary and end with the verdict's exit status.

        At the start, the reports say the check did not finish, so that no earlier verdict survives a run
        that stops. A report that cannot be written makes the other say so, and the verdict an error.
        """
        hosts = task_vars.get('ansible_play_hosts_all') or [task_vars.get('inventory_hostname')]
        compared = [self.compared(task_vars, host) for host in hosts]
        checked_at = min((entry['checked_at'] for entry, unused in compared), default=now())
        entries = [entry for entry, unused in compared]
        declared = {entry['name']: names for entry, names in compared}
        paths = [self.report_path(task_vars, name) for name in ('losant_drift_report', 'losant_drift_junit')]
        error = None if finished else NOT_FINISHED
        unwritten = self.write(paths, report(entries, checked_at, error), declared, error)
        if unwritten and finished:
            error = 'A report could not be written: %s' % '; '.join(unwritten)
            self.write(paths, report(entries, checked_at, error), declared, error)
        if not finished:
            return {}
        top = report(entries, checked_at, error)
        for line in summary_lines(top, paths):
            display.display(line)
        return verdict_result(top['status'], verdict(top))

    def compared(self, task_vars: dict[str, Any], host: str) -> tuple[dict[str, Any], list[str]]:
        """A host's entry and declared names, as its compare step registered them."""
        result = task_vars['hostvars'][host].get(REGISTERED) or {}
        entry = result.get(REGISTERED)
        if entry is None:
            name = host if many_applications(task_vars) else self.application_name(task_vars)
            return error_entry(name, None, now(), NOT_FINISHED), []
        return entry, list(result.get('declared') or [])

    def report_path(self, task_vars: dict[str, Any], variable: str) -> str:
        # Relative to the directory ansible-playbook runs in, this process's ($PWD may be stale).
        return os.path.realpath(os.path.expanduser(str(self.variable(task_vars, variable))))

    @staticmethod
    def write(paths: list[str], top: dict[str, Any], declared: dict[str, list[str]],
              error: Optional[str]) -> list[str]:
        """Write the JSON and JUnit reports; returns why each one that could not be written was not."""
        unwritten = []
        for path, text in zip(paths, (json_report(top), junit_report(top, declared, error))):
            try:
                with open(path, 'w', encoding='utf-8') as report_file:
                    report_file.write(text)
            except OSError as problem:
                unwritten.append('%s: %s' % (path, problem.strerror or problem))
        return unwritten


def verdict_result(status: str, message: str) -> dict[str, Any]:
    """The task result whose exit status ansible-playbook gives: 0 when ok, 2 for a failed host (drift), 4 for an
    unreachable one (error), which wins over failed hosts."""
    if status == 'clean':
        return {'msg': message}
    if status == 'drift':
        return {'failed': True, 'msg': message}
    return {'unreachable': True, 'msg': message}


def reporting_host(task_vars: dict[str, Any]) -> bool:
    """Whether this host writes the reports and ends with the verdict: the first of the play.

    The report step runs on every host, as ansible-core < 2.19 makes any failure of a run_once task fail every
    host, which turns an unreachable host's exit status 4 into 2.
    """
    hosts = task_vars.get('ansible_play_hosts') or [task_vars.get('inventory_hostname')]
    return hosts[0] == task_vars.get('inventory_hostname')


def many_applications(task_vars: dict[str, Any]) -> bool:
    return task_vars.get('inventory_hostname') in (task_vars.get('groups') or {}).get(GROUP, ())


def case_names(webhooks: list[Any]) -> list[str]:
    """The JUnit test case of each declared webhook: its name, or its place in losant_webhooks without one."""
    return [str(item['name']) if isinstance(item, dict) and item.get('name') is not None else
            'losant_webhooks[%d]' % index for index, item in enumerate(webhooks)]


def now() -> str:
    return datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ')
