# Copyright: Contributors to the losant.platform collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Converge N webhooks with one losant_webhooks task against a loop over losant_webhook (issue: bulk module)."""

from __future__ import annotations

import math
from typing import Any

from benchmarks.harness import Ansible, Emulator, hook, median, progress
from benchmarks.scenarios import changed_count

DESCRIPTION = 'benchmark webhook'
DRIFTED = 'changed by hand'
SIZES = (10, 100, 1000)
QUICK_SIZES = (10,)
DRIFT_EVERY = 10  # every tenth webhook differs: 10% drift
FLOOR_SIZE = 150
FLOOR_SPEEDUP = 20.0
BULK = 'losant_webhooks, one task'
LOOP = 'losant_webhook loop, by name'


def plan(quick: bool, repeats: int) -> list[tuple[int, bool, str, int]]:
    """(N, drift, approach, runs) to measure. The loop costs about a module run per webhook, so its large N run once."""
    if quick:
        return [(10, drift, approach, 1) for drift in (False, True) for approach in (BULK, LOOP)]
    measurements = []
    for size in SIZES:
        for drift in (False, True):
            measurements.append((size, drift, BULK, repeats))
            if size <= 10:
                measurements.append((size, drift, LOOP, repeats))
            elif size < 1000 or not drift:
                measurements.append((size, drift, LOOP, 1))
    measurements.append((FLOOR_SIZE, False, BULK, repeats))
    measurements.append((FLOOR_SIZE, False, LOOP, 1))
    return measurements


def desired(size: int) -> list[dict[str, Any]]:
    return [{'name': 'bench-%05d' % index, 'description': DESCRIPTION, 'response_code': 200} for index in range(size)]


def tasks(approach: str) -> list[dict[str, Any]]:
    if approach == BULK:
        return [{'name': 'converge every webhook', 'losant.platform.losant_webhooks': {
            'application_id': '{{ app }}', 'state': 'merged', 'config': '{{ config }}'}}]
    return [{
        'name': 'converge each webhook',
        'losant.platform.losant_webhook': {'application_id': '{{ app }}', 'name': '{{ item.name }}',
                                           'description': '{{ item.description }}',
                                           'response_code': '{{ item.response_code }}'},
        'loop': '{{ config }}',
        'loop_control': {'label': '{{ item.name }}'},
    }]


def measure(emulator: Emulator, ansible: Ansible, size: int, drift: bool, approach: str) -> dict[str, Any]:
    emulator.reset()
    emulator.seed([hook(index, DRIFTED if drift and index % DRIFT_EVERY == 0 else DESCRIPTION) for index in range(size)])
    drifted = math.ceil(size / DRIFT_EVERY) if drift else 0
    emulator.clear_journal()
    result = ansible.run(ansible.play(tasks(approach), {'config': desired(size)}))
    journal = emulator.journal()
    if bool(changed_count(result.output)) != bool(drifted):
        raise RuntimeError('%s, N=%d, drift=%s: unexpected changed status:\n%s' % (approach, size, drift, result.output[-3000:]))
    lists = sum(1 for call in journal if call['method'] == 'GET' and call['path'].endswith('/webhooks'))
    gets = sum(1 for call in journal if call['method'] == 'GET')
    return {'wall': result.wall, 'calls': len(journal), 'lists': lists, 'gets': gets,
            'writes': len(journal) - gets, 'drifted': drifted}


def check_floors(rows: list[dict[str, Any]]) -> list[str]:
    failures = []
    for row in rows:
        if row['approach'] == BULK:
            allowed = math.ceil(row['n'] / 1000)
            if row['lists'] > allowed or row['gets'] != row['lists']:
                failures.append('losant_webhooks, N=%d: %d GETs (%d list calls), floor %d list call(s) and no other GET'
                                % (row['n'], row['gets'], row['lists'], allowed))
        if row['writes'] != row['drifted']:
            failures.append('%s, N=%d: %d writes for %d drifted webhooks' % (row['approach'], row['n'], row['writes'],
                                                                             row['drifted']))
    speedup = speedup_at_floor(rows)
    if speedup is not None and speedup < FLOOR_SPEEDUP or math.isnan(speedup):
        failures.append('losant_webhooks is %.1fx faster than the loop for %d converged webhooks, floor %.0fx'
                        % (speedup, FLOOR_SIZE, FLOOR_SPEEDUP))
    return failures


def speedup_at_floor(rows: list[dict[str, Any]]) -> Any:
    """Loop time over one-task time for FLOOR_SIZE converged webhooks; None when either was not measured."""
    floor = {row['approach']: row['seconds'] for row in rows if row['n'] == FLOOR_SIZE and not row['drift']}
    if BULK not in floor or LOOP not in floor:
        return None
    return floor[LOOP] / floor[BULK] if floor[BULK] > 0 else float('inf')


def run(emulator: Emulator, ansible: Ansible, repeats: int, quick: bool) -> dict[str, Any]:
    ansible.sample_noop(2)
    samples: dict[tuple[int, bool, str], list[dict[str, Any]]] = {}
    measurements = plan(quick, repeats)
    for repeat in range(max(measurement[3] for measurement in measurements)):
        ansible.sample_noop()
        for size, drift, approach, runs in measurements:
            if repeat < runs:
                state = '10% drift' if drift else 'converged'
                progress('bulk: %s, N=%d, %s, run %d/%d' % (approach, size, state, repeat + 1, runs))
                samples.setdefault((size, drift, approach), []).append(measure(emulator, ansible, size, drift, approach))
    noop = ansible.baseline().wall
    rows = []
    for (size, drift, approach), runs in samples.items():
        row = {'n': size, 'drift': drift, 'approach': approach, 'runs': len(runs)}
        for key in ('wall', 'calls', 'lists', 'gets', 'writes', 'drifted'):
            row[key] = median([one[key] for one in runs])
        row['seconds'] = row.pop('wall') - noop
        row['per_webhook'] = row['seconds'] / size
        rows.append(row)
    rows.sort(key=lambda row: (row['n'], row['drift'], row['approach']))
    return {'rows': rows, 'noop_seconds': noop, 'repeats': repeats, 'floor_size': FLOOR_SIZE,
            'floor_speedup': FLOOR_SPEEDUP, 'failures': check_floors(rows), 'speedup_at_floor': speedup_at_floor(rows)}
