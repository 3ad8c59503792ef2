# Copyright: Contributors to the losant.platform collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""API calls of one losant_webhook task per scenario, from the emulator journal, against the module's floor."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from benchmarks.harness import Ansible, Emulator, hook, median, progress

SEEDED = 20
TARGET = 3  # the webhook the scenarios find, update or delete: bench-00003
DESCRIPTION = 'benchmark webhook'


@dataclass(frozen=True)
class Scenario:
    name: str
    arguments: dict[str, Any]
    changed: bool
    floor_calls: int
    floor_text: str
    check: bool = False
    check_text: str = 'lookup only, no write'

    def in_check_mode(self) -> 'Scenario':
        """The same task with --check: the same reads, and the write left out."""
        return Scenario(self.name + ', check mode', self.arguments, self.changed,
                        self.floor_calls - 1 if self.changed else self.floor_calls, self.check_text, check=True)


BY_ID = {'webhook_id': '{{ target_id }}'}
DELETE_CHECK = 'lookup + workflow lookup, no write'
BY_NAME = {'name': 'bench-%05d' % TARGET}
BASE_SCENARIOS = (
    Scenario('converged by id', dict(BY_ID, description=DESCRIPTION), False, 1, '1 GET'),
    Scenario('converged by name', dict(BY_NAME, description=DESCRIPTION), False, 1, '1 GET (list filtered by name)'),
    Scenario('create', {'name': 'bench-new', 'description': DESCRIPTION}, True, 2, 'lookup + 1 POST'),
    Scenario('update by id', dict(BY_ID, description='changed'), True, 2, 'lookup + 1 PATCH'),
    Scenario('update by name', dict(BY_NAME, description='changed'), True, 2, 'lookup + 1 PATCH'),
    # A delete first looks up the workflows the webhook triggers (affected_workflows, shown in the diff).
    Scenario('delete by id', dict(BY_ID, state='absent'), True, 3, 'lookup + workflow lookup + 1 DELETE',
             check_text=DELETE_CHECK),
    Scenario('delete by name', dict(BY_NAME, state='absent'), True, 3, 'lookup + workflow lookup + 1 DELETE',
             check_text=DELETE_CHECK),
)
SCENARIOS = BASE_SCENARIOS + tuple(scenario.in_check_mode() for scenario in BASE_SCENARIOS)


def changed_count(output: str) -> int:
    match = re.search(r'localhost\s*:.*\bchanged=(\d+)', output)
    if not match:
        raise RuntimeError('no play recap in:\n' + output[-2000:])
    return int(match.group(1))


def run(emulator: Emulator, ansible: Ansible, repeats: int) -> dict[str, Any]:
    """Each scenario ``repeats`` times on a freshly seeded application; calls and time above start-up."""
    ansible.sample_noop(repeats)
    rows = []
    failures = []
    for scenario in SCENARIOS:
        progress('calls: %s' % scenario.name)
        ansible.sample_noop()
        totals, writes, seconds, shapes = [], [], [], set()
        for unused in range(repeats):
            emulator.reset()
            target_id = emulator.seed([hook(index) for index in range(SEEDED)])[TARGET]
            task = {'name': scenario.name, 'losant.platform.losant_webhook': dict(scenario.arguments, application_id='{{ app }}')}
            playbook = ansible.play([task], {'target_id': target_id})
            emulator.clear_journal()
            result = ansible.run(playbook, check=scenario.check)
            calls = emulator.journal()
            if bool(changed_count(result.output)) != scenario.changed:
                raise RuntimeError('%s: expected changed=%s:\n%s' % (scenario.name, scenario.changed, result.output[-2000:]))
            totals.append(len(calls))
            writes.append(sum(1 for call in calls if call['method'] != 'GET'))
            seconds.append(result.wall)
            shapes.add(', '.join('%s %s' % (call['method'], call['path'].replace(target_id, '{id}')) for call in calls))
        row = {
            'scenario': scenario.name,
            'calls': median(totals),
            'writes': median(writes),
            'floor_calls': scenario.floor_calls,
            'floor_text': scenario.floor_text,
            'requests': sorted(shapes),
            'wall': median(seconds),
            'held': max(totals) <= scenario.floor_calls and (not scenario.check or max(writes) == 0)
            and max(writes) <= 1,
        }
        if not row['held']:
            failures.append('losant_webhook %s: %s calls (%s), floor %d (%s)' % (
                scenario.name, row['calls'], '; '.join(row['requests']), scenario.floor_calls, scenario.floor_text))
        rows.append(row)
    noop = ansible.baseline().wall
    for row in rows:
        row['seconds'] = row.pop('wall') - noop
    return {'noop_seconds': noop, 'repeats': repeats, 'rows': rows, 'failures': failures}
