# Copyright: Contributors to the losant.platform collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Where the time of one losant_webhook task goes: controller, interpreter, imports, arguments, HTTP."""

from __future__ import annotations

import json
import pstats
import re
from pathlib import Path
from typing import Any

from benchmarks.harness import PYTHON, ROOT, WORK, Ansible, Emulator, hook, median, progress, timed

DRIVER = ROOT / 'benchmarks' / 'profile_driver.py'
PAYLOAD_RUNS = 15
LOOP_SIZE = 10
MODULE_PHASES = ('AnsiballZ wrapper: imports, unzip', 'import ansible.module_utils.basic', 'import requests',
                 'import collection module_utils', 'argument handling', 'HTTP session set-up', 'HTTP requests',
                 'module code', 'result output')
COLLECTION_PREFIX = 'ansible_collections.losant.platform.plugins.module_utils.'
PROFILE_NOISE = ('runpy', 'builtins.exec', 'profile_driver.py')
IMPORT_LINE = re.compile(r'^import time:\s*(\d+)\s*\|\s*(\d+)\s*\|(\s*)(\S+)\s*$')


def keep_payloads(ansible: Ansible, target: str) -> dict[str, Path]:
    """Run one converged losant_webhook task and one uri GET, keeping the AnsiballZ payloads Ansible ran."""
    tasks = [
        {'name': 'module', 'losant.platform.losant_webhook': {'application_id': '{{ app }}', 'webhook_id': target,
                                                              'description': 'benchmark webhook'}},
        {'name': 'uri', 'ansible.builtin.uri': {'url': '{{ api }}/applications/{{ app }}/webhooks/' + target,
                                                'headers': {'Authorization': 'Bearer {{ token }}'}}},
    ]
    payloads = ansible.run_keeping_payloads(ansible.play(tasks))
    return {'module': payloads['losant_webhook'], 'uri': payloads['uri']}


def measure(ansible: Ansible, hooks: list[dict[str, Any]], payloads: dict[str, Path], repeats: int) -> dict[str, Any]:
    """Interleaved, so that all see the same load on the machine, medians of: a loop of converged
    losant_webhook tasks (per item, above the no-op playbook), each payload run as a process (as Ansible runs
    it), a bare interpreter, and each phase of the module run from the timing driver (no profiler attached)."""
    from benchmarks.comparison import module_tasks  # pylint: disable=import-outside-toplevel
    loops: list[float] = []
    processes: dict[str, list[float]] = {'interpreter': [], 'module': [], 'uri': []}
    phases: dict[str, list[float]] = {}
    output = WORK / 'phases.json'
    for unused in range(repeats):
        ansible.sample_noop()
        loops.append(ansible.run(ansible.play(module_tasks(), {'hooks': hooks})).wall)
        for unused in range(PAYLOAD_RUNS // repeats + 1):
            processes['interpreter'].append(timed([PYTHON, '-c', 'pass']).wall)
            for name, path in payloads.items():
                result = timed([PYTHON, str(path)])
                if result.returncode != 0 or '"failed": true' in result.output:
                    raise RuntimeError('payload %s failed:\n%s' % (path, result.output[-3000:]))
                processes[name].append(result.wall)
            result = timed([PYTHON, str(DRIVER), str(payloads['module']), str(output)])
            if result.returncode != 0:
                raise RuntimeError('profile driver failed:\n' + result.output[-3000:])
            for name, seconds in json.loads(output.read_text()).items():
                phases.setdefault(name, []).append(seconds)
    return {'loop_item': (median(loops) - ansible.baseline().wall) / LOOP_SIZE,
            'processes': {name: median(values) for name, values in processes.items()},
            'phases': {name: median(phases.get(name, [])) for name in MODULE_PHASES},
            'payload_runs': len(processes['module'])}


def parse_importtime(text: str) -> list[dict[str, Any]]:
    rows = []
    for line in text.splitlines():
        match = IMPORT_LINE.match(line)
        if match:
            rows.append({'self': int(match.group(1)) / 1e6, 'cumulative': int(match.group(2)) / 1e6,
                         'depth': len(match.group(3)) // 2, 'module': match.group(4)})
    return rows


def heaviest_imports(payload: Path, runs: int = 5) -> list[dict[str, Any]]:
    """Imports of the payload with python -X importtime: the heaviest packages by cumulative time (medians)."""
    samples: dict[str, list[float]] = {}
    for unused in range(runs):
        result = timed([PYTHON, '-X', 'importtime', str(payload)])
        for row in parse_importtime(result.output):
            samples.setdefault(row['module'], []).append(row['cumulative'])
    interesting = ('ansible.module_utils.basic', 'requests', 'urllib3', 'charset_normalizer', 'idna', 'certifi',
                   'requests.exceptions', 'ansible.module_utils.urls', 'ansible.module_utils.common.arg_spec',
                   'ansible.module_utils.compat.selinux', 'ansible.module_utils._internal._errors',
                   COLLECTION_PREFIX + 'base', COLLECTION_PREFIX + 'webhook', COLLECTION_PREFIX + 'client',
                   'ssl', 'http.client', 'json', 'zipfile')
    return [{'module': name, 'cumulative': median(samples[name])} for name in interesting if name in samples]


def top_functions(payload: Path, count: int = 12) -> list[dict[str, Any]]:
    """cProfile of the module run (after the imports): functions by cumulative time."""
    output, profile = WORK / 'phases-profiled.json', WORK / 'module.prof'
    result = timed([PYTHON, str(DRIVER), str(payload), str(output), str(profile)])
    if result.returncode != 0:
        raise RuntimeError('profile driver failed:\n' + result.output[-3000:])
    stats = pstats.Stats(str(profile))
    rows = []
    for (filename, line, function), (_calls, primitive, _total, cumulative, _callers) in stats.stats.items():
        rows.append({'function': '%s:%d(%s)' % (short_path(filename), line, function),
                     'calls': primitive, 'cumulative': cumulative})
    rows = [row for row in rows if not any(noise in row['function'] for noise in PROFILE_NOISE)]
    rows.sort(key=lambda row: -row['cumulative'])
    return rows[:count]


def short_path(filename: str) -> str:
    for marker in ('ansible_collections/', 'site-packages/', 'ansible/module_utils/', 'lib/python'):
        if marker in filename:
            return filename[filename.index(marker):]
    return filename


def run(emulator: Emulator, ansible: Ansible, repeats: int) -> dict[str, Any]:
    progress('profile: keeping the AnsiballZ payloads')
    emulator.reset()  # the same converged webhooks for every run below: nothing writes to them
    ids = emulator.seed([hook(index) for index in range(LOOP_SIZE)])
    hooks = [{'id': webhook_id, 'name': 'bench-%05d' % index, 'description': 'benchmark webhook',
              'response_code': 200} for index, webhook_id in enumerate(ids)]
    payloads = keep_payloads(ansible, ids[0])
    progress('profile: a loop, the payloads as processes and the phases of the module run')
    measured = measure(ansible, hooks, payloads, repeats)
    progress('profile: python -X importtime and cProfile')
    imports = heaviest_imports(payloads['module'])
    uri_imports = heaviest_imports(payloads['uri'])
    functions = top_functions(payloads['module'])
    loop_item, processes, phases = measured['loop_item'], measured['processes'], measured['phases']
    breakdown = [('controller (templating, temp dir, file transfer, result handling)', loop_item - processes['module']),
                 ('interpreter start-up', processes['interpreter'])]
    breakdown += list(phases.items())
    breakdown.append(('interpreter exit and unaccounted',
                      processes['module'] - processes['interpreter'] - sum(phases.values())))
    return {
        'loop_item_seconds': loop_item,
        'loop_size': LOOP_SIZE,
        'process_seconds': processes,
        'breakdown': [{'phase': name, 'seconds': seconds, 'share': seconds / loop_item} for name, seconds in breakdown],
        'imports': imports,
        'uri_imports': uri_imports,
        'functions': functions,
        'payload_runs': measured['payload_runs'],
        'failures': [],
    }
