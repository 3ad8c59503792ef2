# -*- coding: utf-8 -*-
# Copyright: Contributors to the losant.platform collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Run cosmic-ray on each file of plugins/ against only the unit tests that can see it, on several workers.

Usage: python run.py WORK JOBS PATH...   (from the collection copy, with the mutation venv's Python)
The copies are WORK/worker-N/ansible_collections/losant/platform; report.py reads the sources in worker-0.

- Which tests: a test file sees a plugin file when, collected alone, it has that file imported (directly,
  through other plugins or test helpers, or dynamically, as the action plugins import their modules), or
  names it ('_module.py'). Worked out afresh on every run, so the map cannot go stale. A mutant runs only
  those test files, the ones named after its file first, and stops at the first failure (-x).
- Duplicates left out: a '%' whose left operand is a string literal formats text. Replaced by '/', '//',
  '**', '<<', '>>', '|', '&' or '^' it raises TypeError exactly where '-' does, so only the '-' mutant
  (and '+' and '*', which can produce text) runs; the others are marked skipped, not counted.
- Workers: JOBS copies of the collection in WORK, each mutating and testing its share of the files
  (mutating one file of a shared copy would change what the other workers' tests import).
"""

from __future__ import annotations

import ast
import concurrent.futures
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

PLUGINS_PACKAGE = 'ansible_collections.losant.platform.plugins.'
PYTEST = [sys.executable, '-m', 'pytest', '-q', '-p', 'no:cacheprovider']
TYPE_ERROR_LIKE_SUB = ('Div', 'FloorDiv', 'Pow', 'LShift', 'RShift', 'BitOr', 'BitAnd', 'BitXor')
MIN_TIMEOUT, MAX_TIMEOUT, TIMEOUT_FACTOR = 10.0, 120.0, 4
FORMAT_DUPLICATES = re.compile(r'core/ReplaceBinaryOperator_Mod_(%s)$' % '|'.join(TYPE_ERROR_LIKE_SUB))


def plugin_files(paths: list[str]) -> list[Path]:
    files = []
    for path in map(Path, paths):
        if not path.exists():
            sys.exit('%s: no such file or folder in the collection' % path)
        files.extend(sorted(path.rglob('*.py')) if path.is_dir() else [path])
    return [file for file in files if file.name != '__init__.py']


def imported_plugin_files() -> list[str]:
    """The plugin files this process has imported (after pytest collected a test file in it)."""
    root = Path.cwd().resolve()
    return sorted({str(Path(module.__file__).resolve().relative_to(root)) for name, module in list(sys.modules.items())
                   if name.startswith(PLUGINS_PACKAGE) and getattr(module, '__file__', None)})


def files_seen_by(test_file: Path, listing: Path) -> set[str]:
    path = os.pathsep.join([str(Path.cwd().parents[2]), str(Path(__file__).parent)])
    subprocess.run(PYTEST + ['-p', 'run', '--collect-only', test_file.as_posix()], capture_output=True,
                   env=dict(os.environ, PYTHONPATH=path, MUTATION_LIST_IMPORTS=str(listing)), check=False)
    seen = set(json.loads(listing.read_text()))
    named = set(re.findall(r'''['"](\w+\.py)['"]''', test_file.read_text(encoding='utf-8')))
    return seen | {str(file) for file in plugin_files(['plugins']) if file.name in named}


def tests_of(files: list[Path], work: Path, jobs: int) -> dict[Path, list[str]]:
    test_files = sorted(Path('tests/unit').rglob('test_*.py'))
    listings = [work / ('imports-%d.json' % index) for index in range(len(test_files))]
    with concurrent.futures.ThreadPoolExecutor(jobs) as pool:
        seen = dict(zip(test_files, pool.map(files_seen_by, test_files, listings)))
    return {file: sorted((test.as_posix() for test in test_files if str(file) in seen[test]),
                         key=lambda test: file.stem not in Path(test).stem)
            for file in files}


def format_operators(source: str) -> set[tuple[int, int]]:
    """Where a '%' formats a string literal: the (line, column) ranges between its operands."""
    spans = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod) and isinstance(node.left, ast.Constant) \
                and isinstance(node.left.value, str):
            spans.add(((node.left.end_lineno, node.left.end_col_offset), (node.right.lineno, node.right.col_offset)))
    return spans


def skip_format_duplicates(session: Path, file: Path) -> int:
    from cosmic_ray.work_db import WorkDB, use_db
    from cosmic_ray.work_item import WorkerOutcome, WorkResult

    spans = format_operators(file.read_text(encoding='utf-8'))
    skipped = 0
    with use_db(str(session), WorkDB.Mode.open) as db:
        for item in list(db.pending_work_items):
            mutation = item.mutations[0]
            position = (mutation.start_pos[0], mutation.start_pos[1])
            if FORMAT_DUPLICATES.match(mutation.operator_name) and any(start <= position <= end for start, end in spans):
                db.set_result(item.job_id, WorkResult(output='duplicate of the Mod_Sub mutant',
                                                      worker_outcome=WorkerOutcome.SKIPPED))
                skipped += 1
    return skipped


def mutate(copy: Path, work: Path, file: Path, tests: list[str]) -> None:
    """One file's cosmic-ray session, in a worker's copy of the collection."""
    name = str(file).replace('/', '.')
    config, session = work / ('config-%s.toml' % name), work / ('session-%s.sqlite' % name)
    command = ' '.join(PYTEST + ['-x'] + (tests or ['tests/unit']))
    cosmic_ray = [str(Path(sys.executable).parent / 'cosmic-ray')]
    environment = dict(os.environ, PYTHONPATH=str(copy.parents[2]))
    write_config(config, file, command, MAX_TIMEOUT)
    subprocess.run(cosmic_ray + ['init', str(config), str(session)], cwd=copy, env=environment, check=True)
    skip_format_duplicates(session, copy / file)
    started = time.monotonic()
    baseline = subprocess.run(cosmic_ray + ['baseline', str(config)], cwd=copy, env=environment,
                              capture_output=True, text=True, check=False)
    if baseline.returncode:
        sys.exit('the unit tests of %s fail unmutated:\n%s' % (file, baseline.stdout + baseline.stderr))
    # A mutant that makes the tests take many times longer loops or waits: it is killed (a timeout)
    # without waiting for every test's own 60-second limit.
    timeout = TIMEOUT_FACTOR * (time.monotonic() - started)
    write_config(config, file, command, min(MAX_TIMEOUT, max(MIN_TIMEOUT, timeout)))
    subprocess.run(cosmic_ray + ['exec', str(config), str(session)], cwd=copy, env=environment, check=True)
    print('%s: %d test files' % (file, len(tests)), flush=True)


def write_config(config: Path, file: Path, command: str, timeout: float) -> None:
    config.write_text('[cosmic-ray]\nmodule-path = "%s"\ntimeout = %.1f\nexcluded-modules = []\n'
                      'test-command = "%s"\n\n[cosmic-ray.distributor]\nname = "local"\n' % (file, timeout, command))


def worker_copy(work: Path, index: int) -> Path:
    copy = work / ('worker-%d' % index) / 'ansible_collections' / 'losant' / 'platform'
    shutil.rmtree(copy.parents[2], ignore_errors=True)
    shutil.copytree(Path.cwd(), copy, symlinks=True)
    return copy


def main(work: str, jobs: str, *paths: str) -> None:
    workers = max(1, int(jobs))
    files = plugin_files(list(paths) or ['plugins'])
    copies = [worker_copy(Path(work), index) for index in range(workers)]
    os.chdir(copies[0])
    tests = tests_of(files, Path(work), workers)
    # Largest first, each to the worker with the least work so far (sizes stand in for mutant counts).
    shares: list[list[Path]] = [[] for worker in range(workers)]
    for file in sorted(files, key=lambda file: -file.stat().st_size):
        min(shares, key=lambda share: sum(file.stat().st_size for file in share)).append(file)

    def run_share(index: int) -> None:
        for file in shares[index]:
            mutate(copies[index], Path(work), file, tests[file])
    with concurrent.futures.ThreadPoolExecutor(workers) as pool:
        list(pool.map(run_share, range(workers)))


if os.environ.get('MUTATION_LIST_IMPORTS'):  # loaded as a pytest plugin by files_seen_by
    def pytest_collection_finish(session: object) -> None:
        Path(os.environ['MUTATION_LIST_IMPORTS']).write_text(json.dumps(imported_plugin_files()))
elif __name__ == '__main__':
    main(*sys.argv[1:])
