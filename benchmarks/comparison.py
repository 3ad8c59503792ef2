# Copyright: Contributors to the losant.platform collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""N converged webhooks: a losant_webhook loop, in-process and as module processes, against what users
write without the collection, side by side in one run, per ansible-core and network latency."""

from __future__ import annotations

import json
import os
from typing import Any

from benchmarks.harness import (APP_ID, MODULE_PROCESS, PYTHON, ROOT, TOKEN, WORK, Ansible, Emulator, Run, hook, median,
                                progress, timed)

SIZE = 20
QUICK_SIZE = 3
IN_PROCESS = 'losant_webhook loop, in-process'
SEPARATE = 'losant_webhook, a task per webhook, in-process'
MODULE = 'losant_webhook loop, module processes'
URI_GET = 'uri GET loop'
SCRIPT = 'losant-rest script'
APPROACHES = (IN_PROCESS, SEPARATE, MODULE, URI_GET, SCRIPT)
HEADERS = {'Authorization': 'Bearer {{ token }}'}
WEBHOOK_URL = '{{ api }}/applications/{{ app }}/webhooks/{{ item.id }}'
# The floor: a loop of converged losant_webhook tasks (in-process) at most this fraction of a bare uri GET loop.
FLOOR_RATIO = 0.3


def converge_arguments(webhook: dict[str, Any]) -> dict[str, Any]:
    """losant_webhook's arguments for one webhook of ``hooks`` (or, with Jinja values, for ``item``)."""
    return {'application_id': '{{ app }}', 'webhook_id': webhook['id'], 'description': webhook['description'],
            'response_code': webhook['response_code']}


def module_tasks() -> list[dict[str, Any]]:
    item = {key: '{{ item.%s }}' % key for key in ('id', 'description', 'response_code')}
    return [{
        'name': 'converge each webhook',
        'losant.platform.losant_webhook': converge_arguments(item),
        'loop': '{{ hooks }}',
        'loop_control': {'label': '{{ item.name }}'},
    }]


def separate_tasks(hooks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The same as ``module_tasks``, written out as one task per webhook: each task has a worker process of its own."""
    return [{'name': 'converge %s' % webhook['name'], 'losant.platform.losant_webhook': converge_arguments(webhook)}
            for webhook in hooks]


def uri_get_tasks() -> list[dict[str, Any]]:
    return [{
        'name': 'read each webhook',
        'ansible.builtin.uri': {'url': WEBHOOK_URL, 'headers': HEADERS, 'ca_path': '{{ ca }}'},
        'loop': '{{ hooks }}',
        'loop_control': {'label': '{{ item.name }}'},
        'register': 'current',
    }]


def script_run(hooks: list[dict[str, Any]], emulator: Emulator) -> Run:
    path = WORK / 'script-webhooks.json'
    path.write_text(json.dumps(hooks))
    result = timed([PYTHON, str(ROOT / 'benchmarks' / 'losant_rest_converge.py'), emulator.url, TOKEN, APP_ID, str(path)],
                   env=dict(os.environ, REQUESTS_CA_BUNDLE=emulator.ca_bundle))
    if result.returncode != 0:
        raise RuntimeError('the losant-rest script failed:\n' + result.output[-4000:])
    return result


def run_approach(approach: str, ansible: Ansible, emulator: Emulator, hooks: list[dict[str, Any]]) -> Run:
    if approach == SCRIPT:
        return script_run(hooks, emulator)
    if approach == URI_GET:
        tasks = uri_get_tasks()
    elif approach == SEPARATE:
        tasks = separate_tasks(hooks)
    else:
        tasks = module_tasks()
    return ansible.run(ansible.play(tasks, {'hooks': hooks}), environment=MODULE_PROCESS if approach == MODULE else None)


def interpreter(repeats: int) -> Run:
    """Start-up of a bare Python interpreter, the fixed cost the script's time is measured above."""
    runs = [timed([PYTHON, '-c', 'pass']) for unused in range(max(repeats, 5))]
    return Run(median([run.wall for run in runs]), median([run.cpu for run in runs]), 0, '')


def run(emulator: Emulator, ansibles: list[Ansible], repeats: int, quick: bool) -> dict[str, Any]:
    """Every approach, interleaved so that drift of the machine hits all alike, per core and latency."""
    size = QUICK_SIZE if quick else SIZE
    bare = interpreter(repeats)
    rows, failures = [], []
    for latency in (0,) if quick else (0, 50):
        emulator.set_latency(latency)
        for ansible in ansibles:
            samples: dict[str, list[Run]] = {}
            calls: dict[str, list[int]] = {}
            ansible.noops = []
            for repeat in range(repeats):
                ansible.sample_noop()
                for approach in APPROACHES:
                    progress('comparison: ansible-core %s, %d ms, %s, run %d/%d'
                             % (ansible.core, latency, approach, repeat + 1, repeats))
                    emulator.reset()
                    ids = emulator.seed([hook(index) for index in range(size)])
                    hooks = [{'id': webhook_id, 'name': 'bench-%05d' % index, 'description': 'benchmark webhook',
                              'response_code': 200} for index, webhook_id in enumerate(ids)]
                    emulator.clear_journal()
                    samples.setdefault(approach, []).append(run_approach(approach, ansible, emulator, hooks))
                    journal = emulator.journal()
                    calls.setdefault(approach, []).append(len(journal))
                    if any(request['method'] != 'GET' for request in journal) or len(journal) != size:
                        raise RuntimeError('%s sent other than %d GETs: %s' % (approach, size, journal))
            noop = ansible.baseline()
            per = {}
            for approach, runs in samples.items():
                start_up = bare if approach == SCRIPT else noop
                wall = median([one.wall for one in runs]) - start_up.wall
                cpu = median([one.cpu for one in runs]) - start_up.cpu
                per[approach] = wall / size
                rows.append({'core': ansible.core, 'latency_ms': latency, 'approach': approach, 'n': size,
                             'seconds': wall, 'per_webhook': wall / size, 'cpu_per_webhook': cpu / size,
                             'calls': median(calls[approach]), 'runs': len(runs), 'noop_seconds': noop.wall})
            ratio = paired_ratio(samples[IN_PROCESS], samples[URI_GET], noop)
            rows.append({'core': ansible.core, 'latency_ms': latency, 'floor_ratio': ratio,
                         'module_ratio': paired_ratio(samples[MODULE], samples[URI_GET], noop)})
            if ratio > FLOOR_RATIO:
                failures.append('ansible-core %s, %d ms: the in-process losant_webhook loop took %.2fx the time of a '
                                'bare uri GET loop (%.1f ms vs %.1f ms per webhook), floor %.2fx'
                                % (ansible.core, latency, ratio, per[IN_PROCESS] * 1000, per[URI_GET] * 1000,
                                   FLOOR_RATIO))
    return {'size': size, 'repeats': repeats, 'interpreter_seconds': bare.wall, 'floor_ratio': FLOOR_RATIO,
            'rows': [row for row in rows if 'approach' in row],
            'ratios': [row for row in rows if 'floor_ratio' in row], 'failures': failures}


def paired_ratio(loop: list[Run], uri: list[Run], noop: Run) -> float:
    """Median over the repeats of loop time / uri time, each pair run back to back, so under the same load."""
    return median([(pair[0].wall - noop.wall) / (pair[1].wall - noop.wall) for pair in zip(loop, uri)])
