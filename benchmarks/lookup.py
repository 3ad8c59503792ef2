# Copyright: Contributors to the losant.platform collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Lookup by name in applications with 10, 1000 and 10000 webhooks: API calls and time, as the size grows."""

from __future__ import annotations

import os
import time
from typing import Any

import requests

from benchmarks.harness import APP_ID, TOKEN, Ansible, Emulator, hook, median, progress, timed

SIZES = (10, 1000, 10000)
QUICK_SIZES = (10, 1000)
HTTP_RUNS = 15
MODULE_RUNS = 10
LIST_PARAMS = {'perPage': 1000, 'sortField': 'name', 'sortDirection': 'asc'}


def http_seconds(session: requests.Session, url: str, params: dict[str, Any]) -> tuple[float, int]:
    """Wall time of every page of one listing, and the number of pages."""
    start = time.perf_counter()
    page, pages = 0, 0
    while True:
        body = session.get(url, params=dict(params, page=page), timeout=60, verify=session.verify).json()
        pages += 1
        page += 1
        if not body['items'] or page * 1000 >= body['totalCount']:
            return time.perf_counter() - start, pages


def run(emulator: Emulator, ansible: Ansible, repeats: int, quick: bool) -> dict[str, Any]:
    sizes = QUICK_SIZES if quick else SIZES
    emulator.set_latency(0)
    session = requests.Session()
    session.verify = emulator.ca_bundle
    session.headers['Authorization'] = 'Bearer ' + TOKEN
    url = '%s/applications/%s/webhooks' % (emulator.url, APP_ID)
    rows, failures = [], []
    for size in sizes:
        progress('lookup by name among %d webhooks' % size)
        emulator.reset()
        emulator.seed([hook(index) for index in range(size)])
        name = 'bench-%05d' % (size - 1)  # the last one: a listing without the filter would need every page
        task = {'name': 'find by name', 'losant.platform.losant_webhook': {
            'application_id': '{{ app }}', 'name': name, 'description': 'benchmark webhook'}}
        task_seconds, calls = [], []
        for unused in range(repeats):
            ansible.sample_noop()
            emulator.clear_journal()
            task_seconds.append(ansible.run(ansible.play([task])).wall)
            calls.append(len(emulator.journal()))
        payload = ansible.run_keeping_payloads(ansible.play([task]))['losant_webhook']
        module_seconds = []
        for unused in range(MODULE_RUNS):
            result = timed([str(ansible.bin / 'python'), str(payload)],
                           env=dict(os.environ, REQUESTS_CA_BUNDLE=emulator.ca_bundle))
            if result.returncode != 0 or '"failed": true' in result.output:
                raise RuntimeError('payload %s failed:\n%s' % (payload, result.output[-3000:]))
            module_seconds.append(result.wall)
        filtered = [http_seconds(session, url, dict(LIST_PARAMS, filterField='name', filter=name))
                    for unused in range(HTTP_RUNS)]
        unfiltered = [http_seconds(session, url, LIST_PARAMS) for unused in range(max(3, HTTP_RUNS // 3))]
        row = {'webhooks': size, 'calls': median(calls), 'task_seconds': median(task_seconds),
               'module_seconds': median(module_seconds),
               'lookup_http_seconds': median([sample[0] for sample in filtered]),
               'listing_calls': unfiltered[0][1], 'listing_http_seconds': median([sample[0] for sample in unfiltered])}
        if max(calls) > 1:
            failures.append('lookup by name among %d webhooks made %d calls, floor 1' % (size, max(calls)))
        rows.append(row)
    noop = ansible.baseline().wall
    for row in rows:
        row['task_seconds'] -= noop
    return {'rows': rows, 'noop_seconds': noop, 'repeats': repeats, 'http_runs': HTTP_RUNS, 'module_runs': MODULE_RUNS,
            'failures': failures}
