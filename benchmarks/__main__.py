# Copyright: Contributors to the losant.platform collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""``python -m benchmarks``: measure the collection against the emulator and write docs/performance.md.

Exit status 1 when a floor does not hold. Use benchmarks/run.sh, which prepares the virtualenvs.
"""

from __future__ import annotations

import argparse
import json
import sys
import time

from benchmarks import bulk, comparison, goals, lookup, report, scenarios
from benchmarks.harness import CORES, ROOT, Ansible, Emulator, progress

SECTIONS = ('calls', 'comparison', 'lookup', 'bulk', 'goals')


def parse_arguments(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog='python -m benchmarks', description=__doc__.splitlines()[0])
    parser.add_argument('--only', action='append', choices=SECTIONS,
                        help='run only this section (repeatable); the document is written only for a full run, '
                        'or its goals section for --only goals')
    parser.add_argument('--quick', action='store_true',
                        help='small N and one repeat, to check the harness; numbers are not meaningful')
    parser.add_argument('--repeats', type=int, default=3, help='repeats of each short measurement (default 3)')
    parser.add_argument('--results', default=str(ROOT / 'benchmarks' / 'results' / 'latest.json'),
                        help='where to write the raw results as JSON')
    parser.add_argument('--no-docs', action='store_true', help='do not write docs/performance.md and the plot')
    return parser.parse_args(argv)


def main(argv: list[str]) -> int:
    options = parse_arguments(argv)
    sections = options.only or list(SECTIONS)
    repeats = 1 if options.quick else options.repeats
    started = time.time()
    results: dict = {'environment': report.environment(), 'quick': options.quick}
    with Emulator() as emulator:
        progress('emulator at %s' % emulator.url)
        ansibles = [Ansible(emulator, core) for core in CORES]
        newest = ansibles[-1]  # sections whose numbers do not depend on the ansible-core version
        if 'calls' in sections:
            results['calls'] = scenarios.run(emulator, newest, repeats)
        if 'comparison' in sections:
            results['comparison'] = comparison.run(emulator, ansibles, repeats, options.quick)
        if 'lookup' in sections:
            results['lookup'] = lookup.run(emulator, newest, repeats, options.quick)
        if 'bulk' in sections:
            results['bulk'] = bulk.run(emulator, ansibles, repeats, options.quick)
        if 'goals' in sections:
            results['goals'] = goals.run(emulator, ansibles, repeats, options.quick)
    results['duration_seconds'] = time.time() - started
    failures = [failure for section in results.values() if isinstance(section, dict)
                for failure in section.get('failures', [])]
    results['failures'] = failures
    path = report.save(results, options.results)
    progress('raw results: %s' % path)
    if not options.no_docs and not options.only and not options.quick:
        for written in report.write(results):
            progress('wrote %s' % written)
    elif not options.no_docs and options.only == ['goals'] and not options.quick:
        progress('wrote the goals of %s' % report.write_goals(results))
    if 'goals' in results:
        print(report.table(goals.HEADERS, goals.table(results['goals'])))
        print('load average (1, 5, 15 min) at start / end: %s / %s' % (
            results['environment']['load_average_at_start'], results['environment']['load_average_at_end']))
    print(json.dumps({'failures': failures, 'duration_seconds': round(results['duration_seconds'])}, indent=1))
    if failures:
        print('FAILED: %d floor(s) did not hold' % len(failures), file=sys.stderr)
        return 1
    print('all floors held')
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
