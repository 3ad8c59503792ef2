# Copyright: Contributors to the losant.platform collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""N converged webhooks: a losant_webhook loop against what users write without the collection."""

from __future__ import annotations

import json
from typing import Any, Callable

from benchmarks.harness import APP_ID, PYTHON, ROOT, TOKEN, WORK, Ansible, Emulator, Run, hook, median, progress, timed

SIZES = (10, 30)
QUICK_SIZES = (3,)
MODULE = 'losant_webhook loop, by id'
URI_GET = 'uri GET loop'
URI_PATTERN = 'uri GET + conditional PATCH'
SCRIPT = 'losant-rest script'
PIPELINED = 'losant_webhook loop, by id, pipelining on'
PIPELINING = {'ANSIBLE_PIPELINING': '1'}
HEADERS = {'Authorization': 'Bearer {{ token }}'}
WEBHOOK_URL = '{{ api }}/applications/{{ app }}/webhooks/{{ item.id }}'
# The floor compares medians of whole loops of the same length; allow for the run-to-run noise of a 2-core machine.
TOLERANCE = 0.05


def module_tasks() -> list[dict[str, Any]]:
    return [{
        'name': 'converge each webhook',
        'losant.platform.losant_webhook': {
            'application_id': '{{ app }}', 'webhook_id': '{{ item.id }}',
            'description': '{{ item.description }}', 'response_code': '{{ item.response_code }}',
        },
        'loop': '{{ hooks }}',
        'loop_control': {'label': '{{ item.name }}'},
    }]


def uri_get_tasks() -> list[dict[str, Any]]:
    return [{
        'name': 'read each webhook',
        'ansible.builtin.uri': {'url': WEBHOOK_URL, 'headers': HEADERS},
        'loop': '{{ hooks }}',
        'loop_control': {'label': '{{ item.name }}'},
        'register': 'current',
    }]


def uri_pattern_tasks() -> list[dict[str, Any]]:
    return uri_get_tasks() + [{
        'name': 'update the webhooks that differ',
        'ansible.builtin.uri': {
            'url': '{{ api }}/applications/{{ app }}/webhooks/{{ item.item.id }}', 'method': 'PATCH',
            'headers': HEADERS, 'body_format': 'json',
            'body': {'description': '{{ item.item.description }}', 'responseCode': '{{ item.item.response_code | int }}'},
        },
        'loop': '{{ current.results }}',
        'loop_control': {'label': '{{ item.item.name }}'},
        'when': 'item.json.description != item.item.description or item.json.responseCode != item.item.response_code',
        'changed_when': True,
    }]


def script_run(hooks: list[dict[str, Any]], url: str) -> Run:
    path = WORK / 'run' / 'script-webhooks.json'
    path.write_text(json.dumps(hooks))
    result = timed([PYTHON, str(ROOT / 'benchmarks' / 'losant_rest_converge.py'), url, TOKEN, APP_ID, str(path)])
    if result.returncode != 0:
        raise RuntimeError('the losant-rest script failed:\n' + result.output[-4000:])
    return result


def interpreter(repeats: int) -> Run:
    """Start-up of a bare Python interpreter, the fixed cost the script's time is measured above."""
    runs = [timed([PYTHON, '-c', 'pass']) for unused in range(max(repeats, 5))]
    return Run(median([run.wall for run in runs]), median([run.cpu for run in runs]), 0, '')


def run(emulator: Emulator, ansible: Ansible, repeats: int, quick: bool) -> dict[str, Any]:
    sizes = QUICK_SIZES if quick else SIZES
    ansible.sample_noop(2)
    bare = interpreter(repeats)
    runners: dict[str, Callable[[list[dict[str, Any]]], Run]] = {
        MODULE: lambda hooks: ansible.run(ansible.play(module_tasks(), {'hooks': hooks})),
        URI_GET: lambda hooks: ansible.run(ansible.play(uri_get_tasks(), {'hooks': hooks})),
        URI_PATTERN: lambda hooks: ansible.run(ansible.play(uri_pattern_tasks(), {'hooks': hooks})),
        SCRIPT: lambda hooks: script_run(hooks, emulator.url),
        PIPELINED: lambda hooks: ansible.run(ansible.play(module_tasks(), {'hooks': hooks}), environment=PIPELINING),
    }
    samples: dict[tuple[str, int], list[Run]] = {}
    calls: dict[tuple[str, int], list[int]] = {}
    for repeat in range(repeats):
        ansible.sample_noop()
        for size in sizes:
            for approach, runner in runners.items():  # interleaved, so that drift of the machine hits all alike
                progress('comparison: %s, N=%d, run %d/%d' % (approach, size, repeat + 1, repeats))
                emulator.reset()
                ids = emulator.seed([hook(index) for index in range(size)])
                hooks = [{'id': webhook_id, 'name': 'bench-%05d' % index, 'description': 'benchmark webhook',
                          'response_code': 200} for index, webhook_id in enumerate(ids)]
                emulator.clear_journal()
                samples.setdefault((approach, size), []).append(runner(hooks))
                journal = emulator.journal()
                calls.setdefault((approach, size), []).append(len(journal))
                if any(request['method'] != 'GET' for request in journal):
                    raise RuntimeError('%s wrote to converged webhooks: %s' % (approach, journal))
    noop = ansible.baseline()
    rows = []
    for (approach, size), runs in samples.items():
        start_up = bare if approach == SCRIPT else noop
        wall = median([one.wall for one in runs]) - start_up.wall
        cpu = median([one.cpu for one in runs]) - start_up.cpu
        rows.append({'approach': approach, 'n': size, 'seconds': wall, 'per_webhook': wall / size,
                     'cpu_per_webhook': cpu / size, 'calls': median(calls[(approach, size)]), 'runs': len(runs)})
    largest = max(sizes)
    per_webhook = {row['approach']: row['per_webhook'] for row in rows if row['n'] == largest}
    cpu_per_webhook = {row['approach']: row['cpu_per_webhook'] for row in rows if row['n'] == largest}
    others = (URI_GET, URI_PATTERN, SCRIPT, PIPELINED)
    floor_ratio = paired_ratio(samples[(MODULE, largest)], samples[(URI_GET, largest)], noop)
    failures = []
    if floor_ratio > 1 + TOLERANCE:
        failures.append('losant_webhook loop is slower than a bare uri GET loop at N=%d: %.3f s vs %.3f s per webhook, '
                        'paired ratio %.2f' % (largest, per_webhook[MODULE], per_webhook[URI_GET], floor_ratio))
    return {'noop_seconds': noop.wall, 'interpreter_seconds': bare.wall, 'repeats': repeats, 'sizes': list(sizes),
            'rows': rows, 'ratios_at': largest, 'tolerance': TOLERANCE, 'failures': failures, 'floor_ratio': floor_ratio,
            'ratios': {other: per_webhook[MODULE] / per_webhook[other] for other in others},
            'cpu_ratios': {other: cpu_per_webhook[MODULE] / cpu_per_webhook[other] for other in others}}


def paired_ratio(module: list[Run], uri: list[Run], noop: Run) -> float:
    """Median over the repeats of module time / uri time, each pair run back to back, so under the same load."""
    return median([(pair[0].wall - noop.wall) / (pair[1].wall - noop.wall) for pair in zip(module, uri)])
