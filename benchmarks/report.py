# Copyright: Contributors to the losant.platform collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The machine and versions, the raw results as JSON, and docs/performance.md with its plot."""

from __future__ import annotations

import datetime
import json
import os
import platform
import subprocess
from importlib import metadata
from pathlib import Path
from typing import Any

from benchmarks import bulk, comparison
from benchmarks.harness import ROOT

DOCUMENT = ROOT / 'docs' / 'performance.md'
PLOT = ROOT / 'docs' / 'performance.png'
COLLECTION_PHASES = ('import requests', 'import collection module_utils', 'argument handling', 'HTTP session set-up',
                     'HTTP requests', 'module code', 'result output')
PACKAGES = ('ansible-core', 'requests', 'urllib3', 'losant-rest', 'matplotlib')


def first_line(path: str, prefix: str) -> str:
    try:
        with open(path, encoding='utf-8') as handle:
            for line in handle:
                if line.startswith(prefix):
                    return line.split(':', 1)[1].strip()
    except OSError:
        pass
    return 'unknown'


def git(*arguments: str) -> str:
    completed = subprocess.run(['git', *arguments], cwd=ROOT, capture_output=True, text=True, check=False)
    return completed.stdout.strip()


def environment() -> dict[str, Any]:
    memory_kb = first_line('/proc/meminfo', 'MemTotal')
    uncommitted = git('status', '--porcelain', '--', 'plugins', 'meta', 'galaxy.yml')
    return {
        'date': datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%d %H:%M UTC'),
        'cpus': os.cpu_count(),
        'cpu_model': first_line('/proc/cpuinfo', 'model name'),
        'memory': '%.1f GiB' % (int(memory_kb.split()[0]) / 1024 ** 2) if memory_kb != 'unknown' else memory_kb,
        'system': '%s %s' % (platform.system(), platform.release()),
        'python': platform.python_version(),
        'packages': {name: metadata.version(name) for name in PACKAGES},
        'commit': git('rev-parse', '--short', 'HEAD') + (' (with uncommitted changes)' if uncommitted else ''),
        'load_average_at_start': ' '.join('%.2f' % load for load in os.getloadavg()),
    }


def save(results: dict[str, Any], path: str) -> Path:
    results.setdefault('environment', {})['load_average_at_end'] = ' '.join('%.2f' % load for load in os.getloadavg())
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(results, indent=1, sort_keys=True))
    return target


def ms(seconds: float) -> str:
    if abs(seconds) < 0.01:
        return '%.1f ms' % (seconds * 1000)
    return '%.0f ms' % (seconds * 1000) if abs(seconds) < 10 else '%.1f s' % seconds


def table(header: list[str], rows: list[list[Any]]) -> str:
    lines = ['| ' + ' | '.join(header) + ' |', '|' + '|'.join(['---'] * len(header)) + '|']
    lines += ['| ' + ' | '.join(str(cell) for cell in row) + ' |' for row in rows]
    return '\n'.join(lines)


def held(ok: bool) -> str:
    return 'held' if ok else '**NOT HELD**'


def section_floors(results: dict[str, Any]) -> str:
    rows = []
    calls = results['calls']
    rows.append(['losant_webhook calls per run (14 scenarios, below)', 'at or under the floor of each scenario',
                 'every scenario at its floor' if not calls['failures'] else '; '.join(calls['failures']),
                 held(not calls['failures'])])
    compared = results['comparison']
    per = {row['approach']: row['per_webhook'] for row in compared['rows'] if row['n'] == compared['ratios_at']}
    rows.append(['converged losant_webhook loop against a bare uri GET loop (N=%d)' % compared['ratios_at'],
                 'no slower (%d%% tolerance for noise)' % round(compared['tolerance'] * 100),
                 '%s vs %s per webhook; median of the runs\' paired ratios %.2f'
                 % (ms(per[comparison.MODULE]), ms(per[comparison.URI_GET]), compared['floor_ratio']),
                 held(not compared['failures'])])
    rows.append(['lookup by name, 10 to 10000 webhooks', '1 GET',
                 ', '.join('%d GET' % row['calls'] for row in results['lookup']['rows']),
                 held(not results['lookup']['failures'])])
    grouped = results['bulk']
    if grouped['speedup_at_floor'] is not None:
        one_task = [row for row in grouped['rows'] if row['approach'] == bulk.BULK]
        rows.append(['losant_webhooks vs loop, %d converged webhooks' % grouped['floor_size'],
                     'at least %.0fx faster' % grouped['floor_speedup'], '%.0fx' % grouped['speedup_at_floor'],
                     held(grouped['speedup_at_floor'] >= grouped['floor_speedup'])])
        rows.append(['losant_webhooks list calls', 'one per 1000 webhooks, no other GET, one write per change',
                     ', '.join('N=%d: %d' % (row['n'], row['lists']) for row in one_task if not row['drift']),
                     held(not grouped['failures'])])
    return '## Floors\n\n' + table(['what', 'floor', 'measured', 'result'], rows)


def section_environment(results: dict[str, Any]) -> str:
    env = results['environment']
    rows = [['date', env['date']], ['CPU', '%s, %d cores' % (env['cpu_model'], env['cpus'])],
            ['memory', env['memory']], ['system', env['system']], ['Python', env['python']]]
    rows += [[name, version] for name, version in env['packages'].items()]
    rows += [['collection commit', env['commit']],
             ['load average (1, 5, 15 min) at start / end',
              '%s / %s' % (env['load_average_at_start'], env['load_average_at_end'])],
             ['benchmark duration', '%.1f minutes' % (results['duration_seconds'] / 60)]]
    return '## Machine and versions\n\n' + table(['', ''], rows)


def section_calls(results: dict[str, Any]) -> str:
    calls = results['calls']
    rows = [[row['scenario'], row['calls'], row['writes'], row['floor_calls'], row['floor_text'],
             '<br>'.join(request.replace('/applications/5a1f0c0ffee0000000000001', '/applications/{app}')
                         for request in row['requests']),
             ms(row['seconds']), held(row['held'])] for row in calls['rows']]
    return ('## API calls per losant_webhook run\n\n'
            'One task on an application with 20 webhooks, freshly seeded for every run; requests read from the '
            'emulator journal; median of %d runs. Time is the playbook\'s wall time above a no-op playbook (%s).\n\n'
            % (calls['repeats'], ms(calls['noop_seconds']))
            + table(['scenario', 'calls', 'writes', 'floor', 'floor means', 'requests', 'time', 'result'], rows))


def section_comparison(results: dict[str, Any]) -> str:
    compared = results['comparison']
    rows = [[row['approach'], row['n'], row['calls'], ms(row['seconds']), ms(row['per_webhook']),
             ms(row['cpu_per_webhook'])] for row in sorted(compared['rows'], key=lambda row: (row['n'], row['approach']))]
    ratios = ', '.join('%.2f against %s' % (ratio, name) for name, ratio in compared['ratios'].items())
    cpu_ratios = ', '.join('%.2f against %s' % (ratio, name) for name, ratio in compared['cpu_ratios'].items())
    return ('## losant_webhook against what users write today\n\n'
            'N converged webhooks, found by ID; nothing to change, so every approach makes exactly N GETs. '
            'The uri loops and the losant_webhook loop are one task each with `loop:` (the uri pattern is two '
            'tasks: GET, then PATCH `when:` a field differs, skipped here); the losant-rest script is one Python '
            'process that does the same GET and conditional PATCH with Losant\'s own client. Ansible times are '
            'above a no-op playbook (%s), the script\'s above a bare interpreter start (%s). Medians of %d runs, '
            'the approaches interleaved. CPU is user + system time of all processes involved, which is less '
            'sensitive than wall time to other load on the machine.\n\n'
            % (ms(compared['noop_seconds']), ms(compared['interpreter_seconds']), compared['repeats'])
            + table(['approach', 'N', 'calls', 'wall time', 'per webhook', 'CPU per webhook'], rows)
            + '\n\nTime per webhook of the losant_webhook loop, as a ratio, at N=%d: %s. By CPU time: %s.\n'
            % (compared['ratios_at'], ratios, cpu_ratios))


def section_profile(results: dict[str, Any]) -> str:
    profile = results['profile']
    rows = [[row['phase'], ms(row['seconds']), '%.0f%%' % (row['share'] * 100)] for row in profile['breakdown']]
    imports = [[row['module'], ms(row['cumulative'])] for row in profile['imports']]
    uri_imports = {row['module']: row['cumulative'] for row in profile['uri_imports']}
    functions = [['`%s`' % row['function'], row['calls'], ms(row['cumulative'])] for row in profile['functions']]
    process = profile['process_seconds']
    return ('## Where the time of one task goes\n\n'
            'One converged losant_webhook task found by ID, as one item of a loop of %d: %s per item. Ansible ran '
            'the module as an AnsiballZ payload, kept with `ANSIBLE_KEEP_REMOTE_FILES=1`; that '
            'payload alone, run as a process, takes %s (the `ansible.builtin.uri` payload for the same GET: %s; a bare '
            'interpreter: %s). The phases inside it come from `benchmarks/profile_driver.py`, which unpacks the '
            'payload and runs the module as the payload does, with timers around the imports, `AnsibleModule()` '
            '(argument handling), the HTTP client and `exit_json`; medians of %d runs, interleaved with the loop '
            'runs. The controller share is the loop item time less the payload process time.\n\n'
            % (profile['loop_size'], ms(profile['loop_item_seconds']), ms(process['module']), ms(process['uri']),
               ms(process['interpreter']), profile['payload_runs'])
            + table(['phase', 'time', 'share of the task'], rows)
            + '\n\nImports (`python -X importtime` on the payload, cumulative, median of 5; the profiler inflates '
            'them; nested: urllib3 and requests.exceptions are part of requests, which is part of the client '
            'module_utils, which is part of base):\n\n' + table(['module', 'cumulative'], imports)
            + '\n\nFor comparison, the uri payload imports `ansible.module_utils.basic` in %s and '
            '`ansible.module_utils.urls` (its HTTP stack) in %s.\n\n'
            % (ms(uri_imports.get('ansible.module_utils.basic', float('nan'))),
               ms(uri_imports.get('ansible.module_utils.urls', float('nan'))))
            + 'cProfile of the module run after the imports (the functions with the largest cumulative time):\n\n'
            + table(['function', 'calls', 'cumulative'], functions)
            + '\n\n' + what_was_done(results))


def what_was_done(results: dict[str, Any]) -> str:
    profile, compared = results['profile'], results['comparison']
    ranked = sorted(profile['breakdown'], key=lambda row: -row['seconds'])
    shares = {row['phase']: row['share'] for row in profile['breakdown']}
    collection_share = sum(shares.get(phase, 0.0) for phase in COLLECTION_PHASES)
    imports = {row['module']: row['cumulative'] for row in profile['imports']}
    uri_imports = {row['module']: row['cumulative'] for row in profile['uri_imports']}
    process = profile['process_seconds']
    pipelining = compared['ratios'][comparison.PIPELINED]  # plain loop time / pipelined loop time
    if abs(pipelining - 1) <= compared['tolerance']:
        pipelined = ('made no measurable difference here (%.2f): with a local connection the payload copy is a '
                     'local file write, so there is little to save (over SSH, Ansible documents it as saving '
                     'connections per task; not measured here)' % pipelining)
    else:
        pipelined = 'changed the loop\'s time by a factor of %.2f here' % (1 / pipelining)
    return (
        '### What was done about the largest share\n\n'
        'The two largest shares are %s (%.0f%%) and %s (%.0f%%). Both are what Ansible spends on every task '
        'for every module, `ansible.builtin.uri` included: templating the task, creating a temporary directory, '
        'copying the payload, starting Python and importing `ansible.module_utils.basic`. Everything the '
        'collection controls (importing `requests` and its own module_utils, argument handling, the HTTP '
        'request, building the result) is %.0f%% of the task, and the module\'s payload process is %s than the '
        'uri one (%s against %s).\n\n'
        'The largest part the collection controls is `import requests` (%.0f%%). It was looked at and left as it '
        'is: the time is spent in what `requests` imports unconditionally (urllib3, charset_normalizer, '
        'http.cookiejar), which the module cannot skip, and uri pays about as much for its own HTTP stack '
        '(`ansible.module_utils.urls`: %s under `-X importtime`, against %s for `requests`). Making the import '
        'lazy would not help either: every successful run sends a request, so the import is always paid; it '
        'would only speed up runs that fail on bad input. The collection\'s own module_utils take %.0f%%.\n\n'
        'No module code can remove a per-task cost, so the collection removes the tasks: '
        '`losant.platform.losant_webhooks` converges every webhook of an application in one task, paying the '
        'fixed cost once, with one list call per 1000 webhooks, instead of once per webhook (see below). For '
        'loops that stay, pipelining (`ANSIBLE_PIPELINING=1`, the pipelining row of the comparison) %s.\n'
        % (ranked[0]['phase'], ranked[0]['share'] * 100, ranked[1]['phase'], ranked[1]['share'] * 100,
           collection_share * 100, 'faster' if process['module'] < process['uri'] else 'slower',
           ms(process['module']), ms(process['uri']), shares.get('import requests', 0.0) * 100,
           ms(uri_imports.get('ansible.module_utils.urls', float('nan'))), ms(imports.get('requests', float('nan'))),
           shares.get('import collection module_utils', 0.0) * 100, pipelined))


def section_lookup(results: dict[str, Any]) -> str:
    lookup = results['lookup']
    rows = [[row['webhooks'], row['calls'], ms(row['task_seconds']), ms(row['module_seconds']),
             '%.1f ms' % (row['lookup_http_seconds'] * 1000), row['listing_calls'],
             '%.1f ms' % (row['listing_http_seconds'] * 1000)] for row in lookup['rows']]
    return ('## Lookup by name as the application grows\n\n'
            'A converged losant_webhook task that finds the last webhook by name: the task (median of %d runs, '
            'above the no-op playbook, so it carries the machine\'s noise), the module alone (its AnsiballZ payload '
            'run as a process, median of %d), the HTTP time of the lookup alone (the filtered list request, median '
            'of %d), and '
            'for contrast a full listing of the application, which is what finding a webhook would cost without '
            'the API\'s name filter (and what losant_webhooks reads once).\n\n'
            % (lookup['repeats'], lookup['module_runs'], lookup['http_runs'])
            + table(['webhooks in the application', 'lookup calls', 'task time', 'module run', 'lookup HTTP time',
                     'full listing calls', 'full listing HTTP time'], rows)
            + '\n\nThe lookup stays at one GET whatever the size: the server filters by name, and only matches '
            'come back. Its time grows only with the server\'s own filtering; the task time is dominated by '
            'the fixed per-task cost above. A full listing grows linearly, one call per 1000 webhooks.\n')


def section_bulk(results: dict[str, Any]) -> str:
    grouped = results['bulk']
    rows = [[row['n'], '10%% (%d)' % row['drifted'] if row['drift'] else 'none', row['approach'], row['runs'],
             ms(row['seconds']), ms(row['per_webhook']), row['calls'], row['lists'], row['writes']]
            for row in grouped['rows']]
    speedups = []
    for size in sorted({row['n'] for row in grouped['rows']}):
        for drift in (False, True):
            pair = {row['approach']: row['seconds'] for row in grouped['rows'] if row['n'] == size and row['drift'] == drift}
            if bulk.BULK in pair and bulk.LOOP in pair:
                state = '10% drift' if drift else 'converged'
                speedups.append('N=%d %s: %.0fx' % (size, state, pair[bulk.LOOP] / pair[bulk.BULK]))
    return ('## One losant_webhooks task against a loop\n\n'
            'The application holds exactly the N webhooks of the list; already converged, or with every tenth '
            'webhook\'s description changed by hand (10%% drift). One `losant_webhooks` task with `state: merged` '
            'against a loop of `losant_webhook` over the same list, by name (what a user with a list of names '
            'writes). Time above the no-op playbook (%s). The one task runs %d times per row and the median is '
            'shown; the loop, which costs a module run per webhook, runs %d times at N=10 and once above (and is '
            'not run with drift at N=1000) to keep the whole benchmark under 20 minutes on 2 cores.\n\n'
            % (ms(grouped['noop_seconds']), grouped['repeats'], grouped['repeats'])
            + table(['N', 'drift', 'approach', 'runs', 'time', 'per webhook', 'calls', 'list calls', 'writes'], rows)
            + '\n\nSpeed-up of one task over the loop: %s.\n' % '; '.join(speedups))


COLOURS = {
    bulk.BULK: 'tab:green', bulk.LOOP: 'tab:blue', comparison.MODULE: 'tab:cyan', comparison.PIPELINED: 'tab:purple',
    comparison.URI_GET: 'tab:orange', comparison.URI_PATTERN: 'tab:red', comparison.SCRIPT: 'tab:gray',
}


def plot_series(results: dict[str, Any]) -> dict[tuple[str, bool], list[tuple[int, float]]]:
    """(approach, drift) -> sorted (N, seconds per webhook); times at or below zero cannot go on a log scale."""
    series: dict[tuple[str, bool], list[tuple[int, float]]] = {}
    rows = [dict(row, drift=False) for row in results['comparison']['rows']] + results.get('bulk', {}).get('rows', [])
    for row in rows:
        if row['per_webhook'] > 0:
            series.setdefault((row['approach'], row['drift']), []).append((row['n'], row['per_webhook']))
    return {key: sorted(points) for key, points in series.items()}


def minor_label(value: float, position: Any) -> str:
    """Label only the 2s and 5s between the decades, so the labels never crowd."""
    return '%g' % value if ('%.0e' % value)[0] in '25' else ''


def plot(results: dict[str, Any]) -> Path:
    import matplotlib  # pylint: disable=import-outside-toplevel
    matplotlib.use('Agg')
    from matplotlib import pyplot, ticker  # pylint: disable=import-outside-toplevel

    series = plot_series(results)
    figure, axes = pyplot.subplots(figsize=(10, 6), dpi=110)
    for (approach, drift), points in sorted(series.items(), key=lambda item: (-item[1][0][1], item[0][1])):
        axes.plot([point[0] for point in points], [point[1] * 1000 for point in points], '--' if drift else '-',
                  marker='s' if drift else 'o', color=COLOURS.get(approach), label=approach + (', 10% drift' if drift else ''))
    sizes = sorted({point[0] for points in series.values() for point in points})
    axes.set_xscale('log')
    axes.set_yscale('log')
    axes.set_xticks(sizes)
    axes.xaxis.set_major_formatter(ticker.FuncFormatter(lambda value, position: '%d' % value))
    axes.xaxis.set_minor_formatter(ticker.NullFormatter())
    axes.yaxis.set_major_formatter(ticker.FuncFormatter(lambda value, position: '%g' % value))
    axes.yaxis.set_minor_formatter(ticker.FuncFormatter(minor_label))
    axes.set_xlabel('N, webhooks converged in one run')
    axes.set_ylabel('wall time per webhook above start-up, ms')
    axes.set_title('Time per webhook against N, log-log (%s, %d cores)'
                   % (results['environment']['date'], results['environment']['cpus']))
    axes.grid(True, which='major', alpha=0.4)
    axes.grid(True, which='minor', alpha=0.15)
    axes.legend(fontsize=8, loc='center left', bbox_to_anchor=(1.01, 0.5))
    figure.tight_layout()
    figure.savefig(PLOT)
    pyplot.close(figure)
    return PLOT


def write(results: dict[str, Any]) -> list[Path]:
    parts = [
        '# Performance\n\n'
        'What the collection costs next to what Losant users do without it, measured with `benchmarks/run.sh` '
        '(`make bench`) against the project\'s Losant API emulator on 127.0.0.1. The emulator answers in about a '
        'millisecond, so these numbers are the cost of Ansible and the modules themselves; against the real API '
        'every call also pays a network round trip, which makes the call counts below matter more, not less. '
        'Every time is a median over repeated runs on the same machine; times are wall time above the start-up '
        'of a no-op playbook. This file and the plot are written by the benchmark; run it again to refresh them.',
        section_environment(results), section_floors(results), section_calls(results), section_comparison(results),
        section_profile(results), section_lookup(results), section_bulk(results),
        '## Plot\n\nTime per webhook against N for each approach (both axes logarithmic):\n\n'
        '![Time per webhook against N](performance.png)',
    ]
    DOCUMENT.write_text('\n\n'.join(part.rstrip('\n') for part in parts) + '\n')
    return [DOCUMENT, plot(results)]
