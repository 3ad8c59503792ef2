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

from benchmarks import bulk, comparison, goals
from benchmarks.harness import CORES, ROOT, core_venv

DOCUMENT = ROOT / 'docs' / 'performance.md'
PLOT = ROOT / 'docs' / 'performance.png'
PACKAGES = ('requests', 'urllib3', 'losant-rest', 'matplotlib')
CORE_VERSIONS = ('import sys, ansible, requests; '
                 'print("ansible-core %s, Python %s, requests %s" % (ansible.__version__, sys.version.split()[0], '
                 'requests.__version__))')


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
        'cores': {core: subprocess.run([str(core_venv(core) / 'bin' / 'python'), '-c', CORE_VERSIONS], capture_output=True,
                                       text=True, check=False).stdout.strip() for core in CORES},
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
    for ratio in compared['ratios']:
        rows.append(['converged losant_webhook loop (in-process) against a bare uri GET loop, N=%d, ansible-core %s, '
                     '%d ms' % (compared['size'], ratio['core'], ratio['latency_ms']),
                     'at most %.1fx the time' % compared['floor_ratio'],
                     '%.2fx (module processes: %.2fx)' % (ratio['floor_ratio'], ratio['module_ratio']),
                     held(ratio['floor_ratio'] <= compared['floor_ratio'])])
    rows.append(['lookup by name, 10 to 10000 webhooks', '1 GET',
                 ', '.join('%d GET' % row['calls'] for row in results['lookup']['rows']),
                 held(not results['lookup']['failures'])])
    grouped = results['bulk']
    for core in CORES:
        row = bulk.floor_row(grouped['rows'], core)
        if row:
            rows.append(['losant_webhooks, %d webhooks, 10%% drift, %d ms per request, ansible-core %s'
                         % (row['n'], row['latency_ms'], core),
                         'at most %.0f s above start-up, at most %d writes in flight'
                         % (grouped['floor_seconds'], grouped['concurrency']),
                         '%s, %d in flight' % (ms(row['seconds']), row['in_flight']),
                         held(row['seconds'] <= grouped['floor_seconds'] and row['in_flight'] <= grouped['concurrency'])])
    one_task = [row for row in grouped['rows'] if row['approach'] in (bulk.BULK, bulk.SERIAL)]
    call_failures = bulk.call_failures(grouped['rows'])  # the time floor has rows of its own, above
    rows.append(['losant_webhooks list calls and writes', 'one list call per 1000 webhooks, no other GET, one write '
                 'per change, never more writes in flight than concurrency',
                 'max %d list call(s) at N=1000; %d writes in flight at most'
                 % (max(row['lists'] for row in one_task), max(row['in_flight'] for row in one_task))
                 if not call_failures else '; '.join(call_failures),
                 held(not call_failures)])
    return '## Floors\n\n' + table(['what', 'floor', 'measured', 'result'], rows)


def section_goals(results: dict[str, Any]) -> str:
    return ('## Goals\n\n'
            'The speed goals of issue 19 (`benchmarks/goals.py`), each beside its reference, measured in the same '
            'run, per ansible-core; %s. Time is the whole `ansible-playbook` run or, where it says so, the run '
            'above a no-op playbook with the same play and list, with the CPU time (user and system, every process) '
            'above that no-op run, which load stretches less than wall time, and the network floor at 50 ms (the list '
            'pages one after another, then the writes in rounds of as many as the default adaptive concurrency allows, '
            '4, 8, 16, then 32): their sum is the least an idle machine can take. Worker memory is the peak resident set '
            'of the run\'s largest process, the task\'s worker (forked from `ansible-playbook`, so it counts the '
            'pages it shares with it), above the same peak of the same play and variables with a no-op task: '
            'Ansible alone, holding the list, peaks at 56 to 85 MB depending on the ansible-core, which is not the '
            'task\'s doing. The load average is the 1-minute one, the mean of its values when each ansible-core\'s '
            'goals began and ended. Medians of %d runs; the throttled run (goal 4) runs once, then again to show it '
            'converged.\n\n'
            % (load_note(results), results['goals']['repeats'])
            + table(goals.HEADERS, goals.table(results['goals'])))


def load_note(results: dict[str, Any]) -> str:
    """Whether the machine was idle: the figures of a loaded machine are slower than the code."""
    env = results['environment']
    start = float(env['load_average_at_start'].split()[0])
    end = float(env.get('load_average_at_end', '0').split()[0])
    cpus = env['cpus'] or 1
    if max(start, end) < cpus:
        return 'the machine was idle (load average %.2f at start, %.2f at end, %d cores)' % (start, end, cpus)
    return ('**taken under load** (load average %.2f at start, %.2f at end, on %d cores): other work competed for '
            'the CPU, so the times are slower than on an idle machine' % (start, end, cpus))


def section_environment(results: dict[str, Any]) -> str:
    env = results['environment']
    rows = [['date', env['date']], ['CPU', '%s, %d cores' % (env['cpu_model'], env['cpus'])],
            ['memory', env['memory']], ['system', env['system']], ['benchmark tools\' Python', env['python']]]
    rows += [['.venv/core-%s' % core, versions] for core, versions in env['cores'].items()]
    rows += [['%s (benchmark tools)' % name, version] for name, version in env['packages'].items()]
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
    ratios = {(row['core'], row['latency_ms']): row for row in compared['ratios']}
    rows = []
    for row in sorted(compared['rows'], key=lambda row: (row['core'], row['latency_ms'], row['per_webhook'])):
        ratio = ratios[(row['core'], row['latency_ms'])]
        against_uri = {comparison.IN_PROCESS: '%.2f' % ratio['floor_ratio'],
                       comparison.MODULE: '%.2f' % ratio['module_ratio'], comparison.URI_GET: '1'}.get(row['approach'], '')
        rows.append([row['core'], '%d ms' % row['latency_ms'], row['approach'], row['calls'], ms(row['seconds']),
                     ms(row['per_webhook']), ms(row['cpu_per_webhook']), against_uri])
    return ('## losant_webhook against what users write today\n\n'
            '%d converged webhooks, found by ID, over TLS, with 0 and 50 ms added before every API answer; nothing '
            'to change, so every approach makes exactly %d GETs. The loops are one task each with `loop:`; '
            '"in-process" is the collection\'s default on localhost (the action plugin runs the module in the '
            'worker process), "a task per webhook" the same written out as %d tasks, each run by a worker process of '
            'its own (which starts with the module already imported, see the user guide), "module processes" the '
            'loop with `LOSANT_IN_PROCESS=false`, as before. The '
            'losant-rest script is one Python process doing the same GET (and a PATCH where a field differs) with '
            'Losant\'s own client. Ansible times are above a no-op playbook of the same ansible-core, the script\'s '
            'above a bare interpreter start (%s). Medians of %d runs, the approaches interleaved; the ratio to the '
            'uri loop is the median of the ratios of runs made back to back. CPU is user + system time of all '
            'processes involved.\n\n'
            % (compared['size'], compared['size'], compared['size'], ms(compared['interpreter_seconds']),
               compared['repeats'])
            + table(['ansible-core', 'latency', 'approach', 'calls', 'wall time', 'per webhook', 'CPU per webhook',
                     'time against the uri loop'], rows) + '\n')


def section_lookup(results: dict[str, Any]) -> str:
    lookup = results['lookup']
    rows = [[row['webhooks'], row['calls'], ms(row['task_seconds']), ms(row['module_seconds']),
             '%.1f ms' % (row['lookup_http_seconds'] * 1000), row['listing_calls'],
             '%.1f ms' % (row['listing_http_seconds'] * 1000)] for row in lookup['rows']]
    return ('## Lookup by name as the application grows\n\n'
            'A converged losant_webhook task that finds the last webhook by name, ansible-core %s, no added latency: '
            'the task (in-process, median of %d runs, above the no-op playbook, so it carries the machine\'s noise), '
            'the module as a process of its own (its AnsiballZ payload run alone, median of %d), the HTTP time of '
            'the lookup alone (the filtered list request, median of %d), and '
            'for contrast a full listing of the application, which is what finding a webhook would cost without '
            'the API\'s name filter (and what losant_webhooks reads once).\n\n'
            % (CORES[-1], lookup['repeats'], lookup['module_runs'], lookup['http_runs'])
            + table(['webhooks in the application', 'lookup calls', 'task time', 'module process', 'lookup HTTP time',
                     'full listing calls', 'full listing HTTP time'], rows)
            + '\n\nThe lookup stays at one GET whatever the size: the server filters by name, and only matches '
            'come back. Its time grows only with the server\'s own filtering; the task time is dominated by '
            'the fixed per-task cost above. A full listing grows linearly, one call per 1000 webhooks.\n')


def section_bulk(results: dict[str, Any]) -> str:
    grouped = results['bulk']
    rows = [[row['core'], '%d ms' % row['latency_ms'], row['n'], '10%% (%d)' % row['drifted'] if row['drift'] else 'none',
             row['approach'], row['runs'], ms(row['seconds']), ms(row['per_webhook']), row['calls'], row['lists'],
             row['writes'], row['in_flight'] if row['writes'] else '']
            for row in grouped['rows']]
    speedups = []
    for key in sorted({(row['core'], row['latency_ms'], row['n'], row['drift']) for row in grouped['rows']}):
        pair = {row['approach']: row['seconds'] for row in grouped['rows']
                if (row['core'], row['latency_ms'], row['n'], row['drift']) == key}
        for slower in (bulk.LOOP, bulk.SERIAL):
            if bulk.BULK in pair and slower in pair:
                speedups.append('ansible-core %s, %d ms, N=%d %s, against the %s: %.1fx'
                                % (key[0], key[1], key[2], '10% drift' if key[3] else 'converged',
                                   'loop' if slower == bulk.LOOP else 'writes one at a time',
                                   pair[slower] / pair[bulk.BULK]))
    loading = ', '.join('%s on ansible-core %s' % (ms(row['noop_seconds'] - row['bare_noop_seconds']), row['core'])
                        for row in grouped['rows'] if row['n'] == grouped['floor_size'] and row['approach'] == bulk.BULK
                        and row['drift'] and row['latency_ms'] == grouped['floor_latency_ms'])
    return ('## One losant_webhooks task against a loop, and parallel writes\n\n'
            'The application holds exactly the N webhooks of the list; already converged, or with every tenth '
            'webhook\'s description changed by hand (10%% drift), over TLS with 0 or 50 ms before every API answer. '
            'One `losant_webhooks` task with `state: merged` (default `concurrency: %d`, and `concurrency: 1`, '
            'which writes one at a time) against an in-process loop of `losant_webhook` over the same list, by '
            'name. Time above start-up: the same play, with the same N-entry list, running a no-op task instead, '
            'with the same ansible-core (loading the list is part of starting such a playbook; for N=%d it adds %s '
            'to a bare no-op playbook). The one task runs %d times per row (the '
            'median is shown), the loop and the one-at-a-time writes once. "In flight" is the most writes the '
            'emulator held at once, from its journal (each answer\'s time less the latency).\n\n'
            % (grouped['concurrency'], grouped['floor_size'], loading or 'nothing measured', grouped['repeats'])
            + table(['ansible-core', 'latency', 'N', 'drift', 'approach', 'runs', 'time', 'per webhook', 'calls',
                     'list calls', 'writes', 'in flight'], rows)
            + '\n\nSpeed-ups of one task: %s.\n' % '; '.join(speedups))


COLOURS = {
    bulk.BULK: 'tab:green', bulk.SERIAL: 'tab:olive', bulk.LOOP: 'tab:blue', comparison.IN_PROCESS: 'tab:cyan',
    comparison.SEPARATE: 'tab:brown', comparison.MODULE: 'tab:purple', comparison.URI_GET: 'tab:orange',
    comparison.SCRIPT: 'tab:gray',
}
PLOTTED_CORE = CORES[-1]


def plot_series(results: dict[str, Any]) -> dict[tuple[str, int], list[tuple[int, float]]]:
    """(approach, latency) -> sorted (N, seconds per webhook) for the newest ansible-core, drifted runs for the
    one task (converged for the others); times at or below zero cannot go on a log scale."""
    series: dict[tuple[str, int], list[tuple[int, float]]] = {}
    loops = [row for row in results['bulk']['rows'] if row['approach'] == bulk.LOOP and not row['drift']]
    one_task = [row for row in results['bulk']['rows'] if row['approach'] != bulk.LOOP and row['drift']]
    for row in results['comparison']['rows'] + loops + one_task:
        if row['core'] == PLOTTED_CORE and row['per_webhook'] > 0:
            series.setdefault((row['approach'], row['latency_ms']), []).append((row['n'], row['per_webhook']))
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
    for (approach, latency), points in sorted(series.items(), key=lambda item: (-item[1][0][1], item[0][1])):
        axes.plot([point[0] for point in points], [point[1] * 1000 for point in points], '--' if latency else '-',
                  marker='s' if latency else 'o', color=COLOURS.get(approach), label='%s, %d ms' % (approach, latency))
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
    axes.set_title('Time per webhook against N\nansible-core %s, TLS, log-log (%s, %d cores)'
                   % (PLOTTED_CORE, results['environment']['date'], results['environment']['cpus']))
    axes.grid(True, which='major', alpha=0.4)
    axes.grid(True, which='minor', alpha=0.15)
    axes.legend(fontsize=8, loc='center left', bbox_to_anchor=(1.01, 0.5))
    figure.tight_layout()
    figure.savefig(PLOT)
    pyplot.close(figure)
    return PLOT


def write_goals(results: dict[str, Any]) -> Path:
    """Put the goals of a goals-only run into docs/performance.md, in place of the goals section there or before
    the floors, leaving the rest of the document (and its machine section) as the last full run wrote it."""
    text = DOCUMENT.read_text()
    section = section_goals(results) + '\n\nMeasured with `make bench` `--only goals` on %s, commit %s.' % (
        results['environment']['date'], results['environment']['commit'])
    start = text.find('## Goals\n')
    if start < 0:
        start = end = text.index('## Floors\n')
        section += '\n\n'
    else:
        end = text.index('\n## ', start + 1) + 1
        section += '\n'
    DOCUMENT.write_text(text[:start] + section + text[end:])
    return DOCUMENT


def write(results: dict[str, Any]) -> list[Path]:
    parts = [
        '# Performance\n\n'
        'What the collection costs next to what Losant users do without it, measured with `benchmarks/run.sh` '
        '(`make bench`) against the project\'s Losant API emulator on 127.0.0.1, over TLS (a self-signed '
        'certificate the clients verify), with no added latency and with 50 ms before every API answer, which is '
        'what a real API 20 to 150 ms away looks like. Each measurement runs on every ansible-core version '
        '`make test` uses. On the controller the modules run in the worker process (see the user guide, '
        '"Speed: in-process runs and parallel writes"); the "module processes" rows show the cost without that, '
        'as before and as on remote hosts. Every time is a median over repeated runs on the same machine, above '
        'the start-up of a no-op playbook (for `losant_webhooks`, of the same play and list with a no-op task). '
        'This file and the plot are written by the benchmark; run it again to refresh them.',
        section_environment(results), section_goals(results), section_floors(results), section_calls(results), section_comparison(results),
        section_lookup(results), section_bulk(results),
        '## Plot\n\nTime per webhook against N for each approach, ansible-core %s, 0 ms (solid) and 50 ms '
        '(dashed) per request (both axes logarithmic):\n\n![Time per webhook against N](performance.png)' % PLOTTED_CORE,
    ]
    DOCUMENT.write_text('\n\n'.join(part.rstrip('\n') for part in parts) + '\n')
    return [DOCUMENT, plot(results)]
