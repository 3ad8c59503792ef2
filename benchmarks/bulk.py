# Copyright: Contributors to the losant.platform collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Converge N webhooks with one losant_webhooks task (writes in parallel, or one at a time) against a loop
over losant_webhook, per ansible-core and network latency."""

from __future__ import annotations

import math
from typing import Any, Optional

from benchmarks.harness import Ansible, Emulator, hook, median, progress
from benchmarks.scenarios import changed_count

DESCRIPTION = 'benchmark webhook'
DRIFTED = 'changed by hand'
DRIFT_EVERY = 10  # every tenth webhook differs: 10% drift
BULK = 'losant_webhooks, one task'
SERIAL = 'losant_webhooks, one task, concurrency 1'
LOOP = 'losant_webhook loop, in-process, by name'
CONCURRENCY = 32  # the module's default ceiling (it starts at 4 and adapts)
# The floor: 1000 webhooks with 10% drift at 50 ms per request, converged this far above start-up.
FLOOR_SIZE, FLOOR_LATENCY_MS, FLOOR_SECONDS = 1000, 50, 2.0
# Start-up is measured with the same play and list, running this instead of the task: loading a
# 1000-entry list is part of starting such a playbook, not of converging the webhooks.
NO_OP = {'name': 'nothing', 'ansible.builtin.meta': 'noop'}


def plan(quick: bool, repeats: int) -> list[tuple[int, bool, str, int]]:
    """(N, drift, approach, runs) to measure; loops and one-at-a-time writes, slow by design, run once."""
    if quick:
        return [(10, drift, approach, 1) for drift in (False, True) for approach in (BULK, LOOP)]
    return [(100, False, BULK, repeats), (100, False, LOOP, 1), (100, True, BULK, repeats), (100, True, LOOP, 1),
            (1000, False, BULK, repeats), (1000, True, BULK, repeats), (1000, True, SERIAL, 1)]


def desired(size: int) -> list[dict[str, Any]]:
    return [{'name': 'bench-%05d' % index, 'description': DESCRIPTION, 'response_code': 200} for index in range(size)]


def tasks(approach: str) -> list[dict[str, Any]]:
    if approach in (BULK, SERIAL):
        return [{'name': 'converge every webhook', 'losant.platform.losant_webhooks': {
            'application_id': '{{ app }}', 'state': 'merged', 'config': '{{ config }}',
            'concurrency': 1 if approach == SERIAL else CONCURRENCY}}]
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
    return {'wall': result.wall, 'calls': len(journal), 'lists': lists, 'gets': gets, 'writes': len(journal) - gets,
            'drifted': drifted, 'in_flight': emulator.max_in_flight(journal)}


def call_failures(rows: list[dict[str, Any]]) -> list[str]:
    """The floors on requests: list calls, other GETs, one write per change, writes in flight."""
    failures = []
    for row in rows:
        where = describe(row)
        if row['approach'] in (BULK, SERIAL):
            allowed = math.ceil(row['n'] / 1000)
            if row['lists'] > allowed or row['gets'] != row['lists']:
                failures.append('%s: %d GETs (%d list calls), floor %d list call(s) and no other GET'
                                % (where, row['gets'], row['lists'], allowed))
            limit = 1 if row['approach'] == SERIAL else CONCURRENCY
            if row['in_flight'] > limit:
                failures.append('%s: %d writes in flight at once, at most %d allowed' % (where, row['in_flight'], limit))
        if row['writes'] != row['drifted']:
            failures.append('%s: %d writes for %d drifted webhooks' % (where, row['writes'], row['drifted']))
    return failures


def timing_failures(rows: list[dict[str, Any]]) -> list[str]:
    """The floor on time: 1000 webhooks, 10% drift, 50 ms, one task, at most FLOOR_SECONDS above start-up."""
    return ['%s, 10%% drift: %.2f s above start-up, floor %.1f s' % (describe(row), row['seconds'], FLOOR_SECONDS)
            for row in rows if row['approach'] == BULK and row['drift'] and row['n'] == FLOOR_SIZE
            and row['latency_ms'] == FLOOR_LATENCY_MS and row['seconds'] > FLOOR_SECONDS]


def describe(row: dict[str, Any]) -> str:
    return 'ansible-core %s, %d ms, %s, N=%d' % (row['core'], row['latency_ms'], row['approach'], row['n'])


def floor_row(rows: list[dict[str, Any]], core: str) -> Optional[dict[str, Any]]:
    for row in rows:
        if (row['core'], row['approach'], row['n'], row['drift'], row['latency_ms']) == (
                core, BULK, FLOOR_SIZE, True, FLOOR_LATENCY_MS):
            return row
    return None


def start_up(ansible: Ansible, size: int) -> float:
    """Wall time of the same play with a no-op task instead: Ansible's start-up with the N-entry list loaded."""
    return ansible.run(ansible.play([NO_OP], {'config': desired(size)})).wall


def run(emulator: Emulator, ansibles: list[Ansible], repeats: int, quick: bool) -> dict[str, Any]:
    measurements = plan(quick, repeats)
    sizes = sorted({measurement[0] for measurement in measurements})
    rows = []
    for latency in (0, 50):
        emulator.set_latency(latency)
        for ansible in ansibles:
            ansible.noops = []
            ansible.sample_noop()
            start_ups: dict[int, list[float]] = {size: [start_up(ansible, size)] for size in sizes}
            samples: dict[tuple[int, bool, str], list[dict[str, Any]]] = {}
            for repeat in range(max(measurement[3] for measurement in measurements)):
                ansible.sample_noop()
                for size in sizes:
                    start_ups[size].append(start_up(ansible, size))
                for size, drift, approach, runs in measurements:
                    if repeat < runs:
                        state = '10% drift' if drift else 'converged'
                        progress('bulk: ansible-core %s, %d ms, %s, N=%d, %s, run %d/%d'
                                 % (ansible.core, latency, approach, size, state, repeat + 1, runs))
                        samples.setdefault((size, drift, approach), []).append(
                            measure(emulator, ansible, size, drift, approach))
            for (size, drift, approach), runs in samples.items():
                noop = median(start_ups[size])
                row = {'core': ansible.core, 'latency_ms': latency, 'n': size, 'drift': drift, 'approach': approach,
                       'runs': len(runs), 'noop_seconds': noop, 'bare_noop_seconds': ansible.baseline().wall}
                for key in ('wall', 'calls', 'lists', 'gets', 'writes', 'drifted'):
                    row[key] = median([one[key] for one in runs])
                row['in_flight'] = max(one['in_flight'] for one in runs)
                row['seconds'] = row.pop('wall') - noop
                row['per_webhook'] = row['seconds'] / size
                rows.append(row)
    emulator.set_latency(0)
    rows.sort(key=lambda row: (row['core'], row['latency_ms'], row['n'], row['drift'], row['approach']))
    return {'rows': rows, 'repeats': repeats, 'concurrency': CONCURRENCY, 'floor_size': FLOOR_SIZE,
            'floor_latency_ms': FLOOR_LATENCY_MS, 'floor_seconds': FLOOR_SECONDS,
            'failures': call_failures(rows) + timing_failures(rows)}
