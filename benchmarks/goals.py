# Copyright: Contributors to the losant.platform collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The speed goals of issue 19, each measured side by side with its reference in one run, per ansible-core.

1. 1000 webhooks, 10% drift, 50 ms: the whole losant_webhooks run against a losant-rest script (list, PATCH the
   drifted with 4 threads), and at most 1 s above the same play's start-up with a no-op task.
2. 5000 webhooks, 10% drift, 50 ms: at most 3 s above start-up; the worker memory at most 80 MB: the peak
   resident set of the run's largest process (the task's worker, forked from ansible-playbook) above the same
   peak of the same play and variables with a no-op task. Ansible alone, holding the 5000-entry list, peaks at
   56 to 85 MB depending on the ansible-core, which is no cost of the task; what the task adds is.
3. A converged losant_webhook loop item over TLS at most 1.5x a debug loop item.
4. A server that throttles above 4 writes in flight: the run converges, one successful write per change.
"""

from __future__ import annotations

import json
import math
import os
import re
from typing import Any

from benchmarks.bulk import DESCRIPTION, DRIFT_EVERY, DRIFTED, NO_OP, desired
from benchmarks.comparison import module_tasks
from benchmarks.harness import (APP_ID, PYTHON, ROOT, TOKEN, WORK, Ansible, Emulator, Run, hook, median, progress,
                                timed)
from benchmarks.scenarios import changed_count

LATENCY_MS = 50
SIZE, LARGE = 1000, 5000
QUICK_SIZE, QUICK_LARGE = 100, 300
OVER_START_UP, LARGE_OVER_START_UP, LARGE_MEGABYTES = 1.0, 3.0, 80
LOOP_SIZE, QUICK_LOOP_SIZE, LOOP_RATIO = 200, 5, 1.5
THROTTLE_AT = 4
# losant_webhooks' defaults (concurrency.START, option concurrency) and the API's page size, for the network floor.
START_IN_FLIGHT, CEILING, PAGE = 4, 32, 1000
BULK_TASK = [{'name': 'converge every webhook', 'losant.platform.losant_webhooks': {
    'application_id': '{{ app }}', 'state': 'merged', 'config': '{{ config }}'}}]
DEBUG_LOOP = [{'name': 'each item', 'ansible.builtin.debug': {'msg': '{{ item.name }}'}, 'loop': '{{ hooks }}',
               'loop_control': {'label': '{{ item.name }}'}}]
# Runs a command and prints the peak resident memory of its largest process (ansible-playbook or a worker).
PEAK_MEMORY = ('import resource, subprocess, sys; code = subprocess.call(sys.argv[1:]); '
               'print("PEAK_RSS_KB %d" % resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss); sys.exit(code)')


def seed_drifted(emulator: Emulator, size: int) -> None:
    emulator.reset()
    emulator.seed([hook(index, DRIFTED if index % DRIFT_EVERY == 0 else DESCRIPTION) for index in range(size)])
    emulator.clear_journal()


def peak_megabytes(run: Run) -> float:
    found = re.search(r'PEAK_RSS_KB (\d+)', run.output)
    return int(found.group(1)) / 1024 if found else float('nan')


def playbook_run(ansible: Ansible, tasks: list[dict[str, Any]], variables: dict[str, Any]) -> Run:
    return ansible.run(ansible.play(tasks, variables), prefix=[PYTHON, '-c', PEAK_MEMORY])


def bulk_runs(emulator: Emulator, ansible: Ansible, size: int, repeats: int) -> dict[str, Any]:
    """The task and the no-op start-up of the same play, interleaved; medians of time and peak memory."""
    tasks, noops = [], []
    for repeat in range(repeats):
        progress('goals: ansible-core %s, N=%d, run %d/%d' % (ansible.core, size, repeat + 1, repeats))
        noops.append(playbook_run(ansible, [NO_OP], {'config': desired(size)}))
        seed_drifted(emulator, size)
        tasks.append(playbook_run(ansible, BULK_TASK, {'config': desired(size)}))
        if changed_count(tasks[-1].output) != 1:
            raise RuntimeError('the losant_webhooks run changed nothing:\n' + tasks[-1].output[-3000:])
    wall, noop = median([run.wall for run in tasks]), median([run.wall for run in noops])
    return {'wall': wall, 'noop': noop, 'above_start_up': wall - noop,
            'cpu_above_start_up': median([run.cpu for run in tasks]) - median([run.cpu for run in noops]),
            'megabytes': median([peak_megabytes(run) for run in tasks]),
            'noop_megabytes': median([peak_megabytes(run) for run in noops]),
            'added_megabytes': median([peak_megabytes(task) - peak_megabytes(noop) for task, noop in zip(tasks, noops)])}


def script_runs(emulator: Emulator, size: int, repeats: int) -> float:
    path = WORK / 'script-bulk.json'
    path.write_text(json.dumps(desired(size)))
    walls = []
    for unused in range(repeats):
        seed_drifted(emulator, size)
        result = timed([PYTHON, str(ROOT / 'benchmarks' / 'losant_rest_bulk.py'), emulator.url, TOKEN, APP_ID,
                        str(path)], env=dict(os.environ, REQUESTS_CA_BUNDLE=emulator.ca_bundle))
        if result.returncode != 0 or '"changed": %d' % math.ceil(size / DRIFT_EVERY) not in result.output:
            raise RuntimeError('the losant-rest bulk script failed:\n' + result.output[-3000:])
        walls.append(result.wall)
    return median(walls)


def loop_item_ratio(emulator: Emulator, ansible: Ansible, size: int, repeats: int) -> dict[str, Any]:
    """Per item above start-up: a converged losant_webhook loop (in-process, by ID) and a debug loop."""
    emulator.reset()
    ids = emulator.seed([hook(index) for index in range(size)])
    hooks = [{'id': webhook_id, 'name': 'bench-%05d' % index, 'description': DESCRIPTION, 'response_code': 200}
             for index, webhook_id in enumerate(ids)]
    runs: dict[str, list[Run]] = {'noop': [], 'module': [], 'debug': []}
    for repeat in range(repeats):
        progress('goals: ansible-core %s, loop items, run %d/%d' % (ansible.core, repeat + 1, repeats))
        for kind, tasks in (('noop', [NO_OP]), ('module', module_tasks()), ('debug', DEBUG_LOOP)):
            runs[kind].append(ansible.run(ansible.play(tasks, {'hooks': hooks})))
    per_item = {(kind, measure): (median([getattr(run, measure) for run in runs[kind]])
                                  - median([getattr(run, measure) for run in runs['noop']])) / size
                for kind in ('module', 'debug') for measure in ('wall', 'cpu')}
    module, debug = per_item['module', 'wall'], per_item['debug', 'wall']
    return {'module_item': module, 'debug_item': debug, 'ratio': module / debug if debug > 0 else float('inf'),
            'module_cpu': per_item['module', 'cpu'], 'debug_cpu': per_item['debug', 'cpu']}


def throttled_run(emulator: Emulator, ansible: Ansible, size: int) -> dict[str, Any]:
    """The bulk task against a server answering 429 above THROTTLE_AT writes in flight, then once more."""
    seed_drifted(emulator, size)
    emulator.admin('POST', '/settings', {'max_writes_in_flight': THROTTLE_AT})
    first = ansible.run(ansible.play(BULK_TASK, {'config': desired(size)}))
    again = ansible.run(ansible.play(BULK_TASK, {'config': desired(size)}))
    journal = emulator.journal()
    emulator.admin('POST', '/settings', {'max_writes_in_flight': None})
    writes = [entry for entry in journal if entry['method'] != 'GET']
    applied = [entry['path'] for entry in writes if entry['status'] == 200]
    names = [webhook['name'] for webhook in emulator.admin('GET', '/applications/%s/webhooks' % APP_ID)['webhooks']]
    return {'wall': first.wall, 'throttled': sum(1 for entry in writes if entry['status'] == 429),
            'applied': len(applied), 'distinct_applied': len(set(applied)), 'drifted': math.ceil(size / DRIFT_EVERY),
            'converged': changed_count(again.output) == 0, 'duplicates': len(names) - len(set(names)),
            'other_statuses': sorted({entry['status'] for entry in writes} - {200, 429})}


def rows_for(core: str, large: dict[str, Any], bulk: dict[str, Any], script: float, loop: dict[str, Any],
             throttled: dict[str, Any], sizes: tuple[int, int]) -> list[dict[str, Any]]:
    """Each goal as (goal, figure, reference, held)."""
    size, large_size = sizes
    converged = (throttled['converged'] and throttled['applied'] == throttled['distinct_applied'] == throttled['drifted']
                 and not throttled['duplicates'] and not throttled['other_statuses'])
    return [
        {'goal': '1. %d webhooks, 10%% drift, %d ms: whole run' % (size, LATENCY_MS), 'figure': bulk['wall'],
         'reference': script,
         'reference_text': 'the losant-rest script (list, PATCH with 4 threads); the no-op playbook with the same '
                           'list alone takes %.2f s' % bulk['noop'],
         'held': bulk['wall'] <= script},
        {'goal': '1. %d webhooks, 10%% drift, %d ms: above start-up' % (size, LATENCY_MS),
         'figure': bulk['above_start_up'], 'reference': OVER_START_UP, 'figure_text': with_cpu(bulk, size),
         'reference_text': 'a no-op playbook with the same list (%.2f s) + %.1f s' % (bulk['noop'], OVER_START_UP),
         'held': bulk['above_start_up'] <= OVER_START_UP},
        {'goal': '2. %d webhooks, 10%% drift, %d ms: above start-up' % (large_size, LATENCY_MS),
         'figure': large['above_start_up'], 'reference': LARGE_OVER_START_UP, 'figure_text': with_cpu(large, large_size),
         'reference_text': 'a no-op playbook with the same list (%.2f s) + %.1f s' % (large['noop'], LARGE_OVER_START_UP),
         'held': large['above_start_up'] <= LARGE_OVER_START_UP},
        {'goal': '2. %d webhooks: worker memory (peak above the no-op playbook\'s)' % large_size,
         'figure_text': '%.0f MB (peak %.0f MB)' % (large['added_megabytes'], large['megabytes']),
         'figure': large['added_megabytes'], 'reference': LARGE_MEGABYTES,
         'reference_text': '%d MB above a no-op playbook with the same list (peak %.0f MB)'
                           % (LARGE_MEGABYTES, large['noop_megabytes']),
         'held': large['added_megabytes'] <= LARGE_MEGABYTES},
        {'goal': '3. converged losant_webhook loop item, TLS, 0 ms', 'figure': loop['module_item'],
         'figure_text': '%.1f ms (CPU %.1f ms against %.1f ms, %.2fx)' % (
             loop['module_item'] * 1000, loop['module_cpu'] * 1000, loop['debug_cpu'] * 1000,
             loop['module_cpu'] / loop['debug_cpu'] if loop['debug_cpu'] > 0 else float('inf')),
         'reference': loop['debug_item'] * LOOP_RATIO,
         'reference_text': '%.1fx a debug loop item (%.1f ms); measured %.2fx'
                           % (LOOP_RATIO, loop['debug_item'] * 1000, loop['ratio']),
         'held': loop['ratio'] <= LOOP_RATIO},
        {'goal': '4. %d webhooks, 10%% drift, server throttling above %d writes in flight' % (size, THROTTLE_AT),
         'figure': throttled['wall'],
         'figure_text': '%.2f s, %d answered 429, %d of %d changes applied once, %d duplicates, rerun %s'
                        % (throttled['wall'], throttled['throttled'], throttled['distinct_applied'],
                           throttled['drifted'], throttled['duplicates'],
                           'unchanged' if throttled['converged'] else 'CHANGED'),
         'reference': None, 'reference_text': 'converges, one successful write per change, no duplicate',
         'held': converged},
    ]


def with_cpu(runs: dict[str, Any], size: int) -> str:
    """Wall time above start-up, the CPU time above it (user + system of every process), which a loaded machine
    stretches less, and the network floor: together, what an idle machine would take at the least."""
    return '%.2f s (CPU %.2f s + network floor %.2f s)' % (runs['above_start_up'], runs['cpu_above_start_up'],
                                                           network_floor(size))


def network_floor(size: int) -> float:
    """Seconds of latency no run can avoid: the list pages one after the other, then the drifted webhooks' writes
    in rounds of as many as are allowed in flight, from START_IN_FLIGHT doubling up to CEILING."""
    rounds, left, in_flight = math.ceil(size / PAGE), math.ceil(size / DRIFT_EVERY), START_IN_FLIGHT
    while left > 0:
        rounds, left, in_flight = rounds + 1, left - in_flight, min(CEILING, in_flight * 2)
    return rounds * LATENCY_MS / 1000


def run(emulator: Emulator, ansibles: list[Ansible], repeats: int, quick: bool) -> dict[str, Any]:
    sizes = (QUICK_SIZE, QUICK_LARGE) if quick else (SIZE, LARGE)
    rows, failures = [], []
    for ansible in ansibles:
        load = os.getloadavg()[0]
        emulator.set_latency(0)
        loop = loop_item_ratio(emulator, ansible, QUICK_LOOP_SIZE if quick else LOOP_SIZE, repeats)
        emulator.set_latency(LATENCY_MS)
        bulk = bulk_runs(emulator, ansible, sizes[0], repeats)
        script = script_runs(emulator, sizes[0], repeats)
        large = bulk_runs(emulator, ansible, sizes[1], repeats)
        throttled = throttled_run(emulator, ansible, sizes[0])
        for row in rows_for(ansible.core, large, bulk, script, loop, throttled, sizes):
            row['core'], row['load'] = ansible.core, (load + os.getloadavg()[0]) / 2
            rows.append(row)
            if not row['held']:
                failures.append('goal %s, ansible-core %s: %s against %s' % (
                    row['goal'], ansible.core, figure_text(row), row['reference_text']))
    emulator.set_latency(0)
    return {'rows': rows, 'repeats': repeats, 'failures': failures}


def figure_text(row: dict[str, Any]) -> str:
    if 'figure_text' in row:
        return row['figure_text']
    return '%.0f ms' % (row['figure'] * 1000) if row['figure'] < 1 else '%.2f s' % row['figure']


def reference_text(row: dict[str, Any]) -> str:
    if row['reference'] is None or 'MB' in row['reference_text']:
        return row['reference_text']
    return '%s: %s' % (figure_text({'figure': row['reference']}), row['reference_text'])


def table(results: dict[str, Any]) -> list[list[str]]:
    """Rows of goal, ansible-core, figure, reference, result, load: what make bench prints and the document shows."""
    return [[row['goal'], row['core'], figure_text(row), reference_text(row), 'held' if row['held'] else 'NOT HELD',
             '%.1f' % row['load']] for row in results['rows']]


HEADERS = ['goal', 'ansible-core', 'figure', 'reference', 'result', 'load average']
