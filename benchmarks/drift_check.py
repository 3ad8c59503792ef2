# Copyright: Contributors to the losant.platform collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""``python -m benchmarks.drift_check``: the drift check playbook at size, clean against every webhook drifted.

For N declared webhooks (1,500 and 5,000), with each ansible-core of ``make test``: the median wall time of
``ansible-playbook losant.platform.drift_check -e @webhooks.json`` on an application that matches (clean),
and on one where every webhook differs (drift, N updates in both reports), beside one ``losant_webhooks``
task in check mode with the same declaration (the module's own time). Writes benchmarks/drift_check.md.
Run it through benchmarks/run.sh's environment: ``.venv/bench/bin/python -m benchmarks.drift_check``.
"""

from __future__ import annotations

import json
import os
import sys
import time
from typing import Any

from benchmarks.harness import APP_ID, CORES, ROOT, TOKEN, Ansible, Emulator, hook, median, progress, timed

SIZES = (1500, 5000)
DESCRIPTION = 'benchmark webhook'
EXPECTED_STATUS = {'clean': 0, 'drift': 2}
DOCUMENT = ROOT / 'benchmarks' / 'drift_check.md'


def declared(size: int) -> list[dict[str, Any]]:
    return [{'name': 'bench-%05d' % index, 'description': DESCRIPTION, 'response_code': 200} for index in range(size)]


def drift_check(emulator: Emulator, ansible: Ansible, size: int, verdict: str) -> float:
    """One timed drift check; the seeded webhooks all differ from the declaration on drift."""
    emulator.reset()
    emulator.seed([hook(index, DESCRIPTION if verdict == 'clean' else 'changed by hand') for index in range(size)])
    variables = ansible.directory / 'webhooks.json'
    variables.write_text(json.dumps({'losant_application_id': APP_ID, 'losant_webhooks': declared(size)}))
    run = timed([str(ansible.bin / 'ansible-playbook'), 'losant.platform.drift_check', '-e', '@' + str(variables)],
                cwd=ansible.directory, env=dict(ansible.environment, LOSANT_API_URL=emulator.url, LOSANT_API_TOKEN=TOKEN))
    report = json.loads((ansible.directory / 'losant-drift.json').read_text())
    changes = 0 if verdict == 'clean' else size
    if run.returncode != EXPECTED_STATUS[verdict] or report['status'] != verdict or len(report['changes']) != changes:
        raise RuntimeError('drift check, N=%d, %s: exit %d, report %s:\n%s'
                           % (size, verdict, run.returncode, report['status'], run.output[-3000:]))
    return run.wall


def module_alone(emulator: Emulator, ansible: Ansible, size: int) -> float:
    emulator.reset()
    emulator.seed([hook(index, 'changed by hand') for index in range(size)])
    task = {'name': 'compare', 'losant.platform.losant_webhooks': {
        'application_id': '{{ app }}', 'state': 'overridden', 'config': '{{ config }}'}, 'check_mode': True}
    return ansible.run(ansible.play([task], {'config': declared(size)})).wall


def measure(repeats: int) -> list[dict[str, Any]]:
    rows = []
    with Emulator() as emulator:
        progress('emulator at %s' % emulator.url)
        for core in CORES:
            ansible = Ansible(emulator, core)
            for size in SIZES:
                row: dict[str, Any] = {'core': core, 'size': size}
                for verdict in ('clean', 'drift'):
                    row[verdict] = median([drift_check(emulator, ansible, size, verdict) for unused in range(repeats)])
                row['module'] = median([module_alone(emulator, ansible, size) for unused in range(repeats)])
                progress('ansible-core %s, N=%d: %s' % (core, size, row))
                rows.append(row)
    return rows


def document(rows: list[dict[str, Any]], load: tuple[float, float]) -> str:
    lines = [
        '# Drift check at size',
        '',
        'Written by `python -m benchmarks.drift_check` (%s; load average %.2f at the start, %.2f at the end),'
        % (time.strftime('%Y-%m-%d'), *load),
        'against the emulator over TLS on 127.0.0.1 with no added latency; medians of the wall time in seconds.',
        '*clean*: the application matches the N declared webhooks; *drift*: every one differs, so both reports',
        'list N updates with their before and after values; *module*: one `losant_webhooks` task in check mode',
        'with the same declaration, in a play of its own (start-up included, as for the others).',
        '',
        '| ansible-core | N | clean | drift | drift / clean | module | drift - module |',
        '|---|---|---|---|---|---|---|',
    ]
    lines.extend('| %s | %d | %.2f | %.2f | %.2f | %.2f | %.2f |' % (
        row['core'], row['size'], row['clean'], row['drift'], row['drift'] / row['clean'], row['module'],
        row['drift'] - row['module']) for row in rows)
    return '\n'.join(lines) + '\n'


def main(argv: list[str]) -> int:
    repeats = int(argv[0]) if argv else 3
    start = os.getloadavg()[0]
    rows = measure(repeats)
    DOCUMENT.write_text(document(rows, (start, os.getloadavg()[0])))
    progress('wrote %s' % DOCUMENT)
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
