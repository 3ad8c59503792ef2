# -*- coding: utf-8 -*-
# Copyright: Contributors to the losant.platform collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The attribution options end to end (losant_webhooks in check mode against the ``emulator`` fixture): the
window's default, the audit token kept out of every output, the input checks. How the audit log is read:
tests/unit/plugins/module_utils/test_attribution.py."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from ansible.module_utils.ansible_release import __version__ as ANSIBLE_CORE_VERSION
from ansible.module_utils.common.parameters import PASS_VARS

from ansible_collections.losant.platform.plugins.modules import losant_webhooks
from ansible_collections.losant.platform.tests.emulator import audit
from ansible_collections.losant.platform.tests.emulator.audit import DEFAULT_ORG_ID
from ansible_collections.losant.platform.tests.unit.conftest import APP_ID, Emulator, webhook

AUDIT_TOKEN = 'audit-token-5c81d2e07a'
AUDIT_LOGS = '/orgs/%s/audit-logs' % DEFAULT_ORG_ID
# Ansible before 2.21 returns the module's arguments as invocation, later ones when asked; from 2.22 on the
# controller, not the module, takes no_log values out of it.
MODULE_MASKS = tuple(map(int, ANSIBLE_CORE_VERSION.split('.')[:2])) < (2, 22)
INVOCATION = {'_ansible_inject_invocation': True} if 'inject_invocation' in PASS_VARS and MODULE_MASKS else {}


def audit_reader(emulator: Emulator) -> None:
    emulator.state.add_token({'token': AUDIT_TOKEN, 'scopes': ['all.Organization.read']})


def logged(emulator: Emulator, hook: dict[str, Any], days_ago: float) -> None:
    """Jane Doe changed ``hook`` ``days_ago`` days ago, says the audit log."""
    moment = datetime.now(timezone.utc) - timedelta(days=days_ago)
    with emulator.state.lock:
        audit.add_entries(emulator.state, [{
            'creationDate': moment.strftime('%Y-%m-%dT%H:%M:%S.000Z'), 'primaryTargetType': 'Application',
            'primaryTargetId': APP_ID, 'secondaryTargetType': 'Webhook', 'secondaryTargetId': hook['id'],
            'secondaryTargetName': hook['name'], 'actorType': 'User', 'actorName': 'Jane Doe',
            'requestAction': 'patch', 'responseStatus': 200}])


def drifted(run_module: Any, emulator: Emulator, check_mode: bool = True, **options: Any) -> Any:
    """losant_webhooks with attribution, declaring response code 500 for each seeded webhook."""
    config = [{'name': hook['name'], 'response_code': 500} for hook in emulator.stored().values()]
    return run_module(losant_webhooks.main, emulator.args(state='merged', config=config, attribution=True,
                                                          **options), check_mode=check_mode)


def test_attribution_looks_back_30_days_unless_told(run_module, emulator):
    recent, old = emulator.seed(webhook('recent'), webhook('old'))
    logged(emulator, recent, days_ago=29.9)
    logged(emulator, old, days_ago=30.1)
    audit_reader(emulator)
    run = drifted(run_module, emulator, audit_api_token=AUDIT_TOKEN)
    assert run.exit_code == 0
    assert [change['attribution'] and change['attribution']['actor'] for change in run.result['changes']] == [
        'Jane Doe', None]
    assert run.result['attribution_unavailable'] == 'no audit log entry within the last 30 days for 1 of the 2 changes'


def test_the_audit_token_is_never_shown(run_module, emulator):
    """Not in the arguments Ansible returns, nor stripped of a newline in an error that echoes it."""
    emulator.seed(webhook('orders'))
    audit_reader(emulator)
    emulator.fail('GET', AUDIT_LOGS, 500, 'Error', 'no auditLogs.get for %s' % AUDIT_TOKEN)
    check = drifted(run_module, emulator, audit_api_token=AUDIT_TOKEN + '\n', **INVOCATION)
    assert 'no auditLogs.get for ********' in check.result['attribution_unavailable']
    real = drifted(run_module, emulator, check_mode=False, audit_api_token=AUDIT_TOKEN, **INVOCATION)
    assert real.exit_code == 0 and real.result['changed'] is True
    assert AUDIT_TOKEN not in check.output and AUDIT_TOKEN not in real.output


@pytest.mark.parametrize('days, error', [
    (0, 'attribution_days must be from 1 to 3660, got 0'),
    (1, None),
    (3660, None),
    (3661, 'attribution_days must be from 1 to 3660, got 3661'),
])
def test_attribution_days_from_1_to_3660(run_module, emulator, days, error):
    emulator.seed(webhook('orders'))
    run = drifted(run_module, emulator, attribution_days=days)
    if error:
        assert run.exit_code == 1 and error in run.result['msg'] and emulator.calls == []
    else:
        assert run.exit_code == 0 and run.result['changes'][0]['attribution'] is None
