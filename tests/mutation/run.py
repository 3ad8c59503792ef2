# -*- coding: utf-8 -*-
# Copyright: Contributors to the losant.platform collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Make cosmic-ray's mutants of plugins/ and run each against only the unit tests that can kill it.

Usage: python run.py EQUIVALENT_YAML WORK JOBS PATH...   (from the collection copy, mutation venv's Python)
The copies are WORK/worker-N/ansible_collections/losant/platform; report.py reads the sources in worker-0.
cosmic-ray makes the mutants and keeps the results (WORK/session-*.sqlite, read by report.py); this script
runs them, as 'cosmic-ray exec' would but without a Python process per mutant:

- Which test files: a test file sees a plugin file when, collected alone, it has that file imported
  (directly, through other plugins or test helpers, or dynamically, as the action plugins import their
  modules), or names it ('_module.py'). Worked out afresh on every run, so the map cannot go stale.
- Which tests: those files run once, unmutated, under coverage with one context per test (the baseline:
  a failure stops the run). A mutant in a function body runs only the tests that run its statement
  (none: it survives unrun), those of the test files named after its file first, then the quickest;
  a mutant of code run on import runs every test file that sees its file, the ones named after its
  file first (tests/mutation/selection.py). Either way it stops at the first failure (-x), and pytest
  makes test items only for the tests selected (making the others cost more than running one).
- Kills cluster: most mutants of a file die to one of a few tests. A mutant first runs, in a child of
  its own, up to three tests of one file that killed earlier mutants of its file (those of its line
  first); when one fails it is killed, else (they pass, time out, or are not collected) all its tests
  run as above, so the verdict is the one that run alone gives, and only a real failure shortens it.
- How: JOBS worker processes, each with its own copy of the collection (a mutant is written there),
  forked from a process that has imported pytest and ansible-core; each mutant's tests run in a child
  forked from its worker (tests/mutation/forked.py), killed when a test, or all, take a few times
  as long as unmutated.
- Not run: duplicates (a '%' whose left operand is a string literal formats text; replaced by '/', '//',
  '**', '<<', '>>', '|', '&' or '^' it raises TypeError exactly where '-' does, so only the '-' mutant,
  and '+' and '*', which can produce text, run: the others are marked skipped, not counted), and the
  mutants EQUIVALENT_YAML lists (report.py sets them aside whatever their outcome).
"""

from __future__ import annotations

import ast
import compileall
import contextlib
import difflib
import json
import multiprocessing
import multiprocessing.pool
import os
import py_compile
import queue
import re
import resource
import shutil
import subprocess
import sys
import time
import traceback
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, Optional

import forked
import pytest
from cosmic_ray.mutating import use_mutation
from cosmic_ray.plugins import get_operator
from cosmic_ray.work_db import WorkDB, use_db
from cosmic_ray.work_item import MutationSpec, TestOutcome, WorkerOutcome, WorkResult
from report import UNRUN, Equivalents, occurrences
from selection import Lines, Map, Recorder

PLUGINS_PACKAGE = 'ansible_collections.losant.platform.plugins.'
TYPE_ERROR_LIKE_SUB = ('Div', 'FloorDiv', 'Pow', 'LShift', 'RShift', 'BitOr', 'BitAnd', 'BitXor')
FORMAT_DUPLICATES = re.compile(r'core/ReplaceBinaryOperator_Mod_(%s)$' % '|'.join(TYPE_ERROR_LIKE_SUB))
# A mutant whose tests take many times longer than unmutated loops or waits: it is killed (a timeout)
# without waiting for every test's own 60-second limit. Each test has a limit of its own (the longest
# takes about a second unmutated), and the whole run one for what happens outside tests (collection).
MIN_TIMEOUT, MIN_TEST_TIMEOUT, TIMEOUT_FACTOR = 10.0, 2.0, 4
NOT_SELECTED = 97
# How many of the tests that killed earlier mutants a mutant runs first, in a child of their own.
LIKELY_KILLERS = 3


def plugin_files(paths: list[str]) -> list[Path]:
    files = []
    for path in map(Path, paths):
        if not path.exists():
            sys.exit('%s: no such file or folder in the collection' % path)
        files.extend(sorted(path.rglob('*.py')) if path.is_dir() else [path])
    return [file for file in files if file.name != '__init__.py']


class PluginImports:
    """A pytest plugin: writes, after collection, the plugin files imported (relative to the copy)."""

    def __init__(self, listing: Path) -> None:
        self.listing = listing

    def pytest_collection_finish(self, session: object) -> None:
        root = Path.cwd().resolve()
        self.listing.write_text(json.dumps(sorted({
            str(Path(module.__file__).resolve().relative_to(root)) for name, module in list(sys.modules.items())
            if name.startswith(PLUGINS_PACKAGE) and getattr(module, '__file__', None)})))


class Only:
    """A pytest plugin: runs only TESTS (node IDs), in that order, of the files collected; all when TESTS is None.

    The node ID of the first test that fails goes to KILLER."""

    def __init__(self, tests: Optional[tuple[str, ...]], killer: Optional[Path] = None) -> None:
        self.order = None if tests is None else {test: index for index, test in enumerate(tests)}
        self.killer = killer
        # The classes and functions that hold TESTS (a parametrized test's ID adds '[...]' to its function's).
        self.holders = None if tests is None else {
            '::'.join(parts[:end]) for parts in (test.split('[', 1)[0].split('::') for test in tests)
            for end in range(2, len(parts) + 1)}

    @pytest.hookimpl(tryfirst=True)
    def pytest_pycollect_makeitem(self, collector: object, name: str, obj: object) -> Optional[list]:
        """No test items for the functions and classes that hold none of TESTS: making them costs more than running one."""
        if self.holders is None or '%s::%s' % (collector.nodeid, name) in self.holders:  # type: ignore[attr-defined]
            return None
        return []

    def pytest_collection_modifyitems(self, session: object, config: object, items: list) -> None:
        if self.order is None:
            return
        kept = sorted((item for item in items if item.nodeid in self.order), key=lambda item: self.order[item.nodeid])
        if len(kept) != len(self.order) and not session.testsfailed:  # type: ignore[attr-defined]
            print('not collected: %s' % sorted(set(self.order) - {item.nodeid for item in kept}), flush=True)
            os._exit(NOT_SELECTED)
        config.hook.pytest_deselected(items=[item for item in items if item.nodeid not in self.order])  # type: ignore
        items[:] = kept

    def pytest_runtest_logreport(self, report: object) -> None:
        if self.killer is not None and report.failed and not self.killer.exists():  # type: ignore[attr-defined]
            self.killer.write_text(report.nodeid)  # type: ignore[attr-defined]


# -- in the worker processes -----------------------------------------------------------------------

WORKER: dict[str, Path] = {}


def use_copy(copy: Path) -> None:
    """Import the collection from COPY and run tests there."""
    os.chdir(copy)
    sys.path[:] = [str(copy.parents[2])] + [entry for entry in sys.path if not (Path(entry) / 'ansible_collections').is_dir()]


def start_worker(copies: multiprocessing.Queue, work: Path) -> None:
    WORKER['copy'] = copies.get()
    WORKER['work'] = work
    use_copy(WORKER['copy'])


def files_seen_by(test_file: str) -> set[str]:
    listing = WORKER['work'] / ('imports-%s.json' % test_file.replace('/', '.'))
    forked.run(['--collect-only', test_file], (PluginImports(listing),))
    named = set(re.findall(r'''['"](\w+\.py)['"]''', Path(test_file).read_text(encoding='utf-8')))
    return set(json.loads(listing.read_text())) | {str(file) for file in plugin_files(['plugins']) if file.name in named}


def measure(test_file: str) -> tuple[Path, Path, Optional[int]]:
    """Runs TEST_FILE unmutated under coverage: its data, the copy it ran in, pytest's status."""
    data = WORKER['work'] / ('coverage-%s' % test_file.replace('/', '.'))
    status = forked.run([test_file], (Recorder(WORKER['copy'] / 'plugins', data),), output=str(data) + '.out')
    return data, WORKER['copy'], status


@dataclass(frozen=True)
class Mutant:
    session: str
    job_id: str
    mutation: MutationSpec
    test_files: tuple[str, ...]
    tests: Optional[tuple[str, ...]]
    timeout: float
    test_timeouts: dict[str, float] = field(compare=False)


def run_mutant(mutant: Mutant, likely: tuple[str, ...] = ()) -> tuple[Mutant, WorkResult, Optional[str]]:
    """Runs MUTANT's tests: the LIKELY killers first, alone, then, if none fails, all its tests as ever.

    What it returns: the result, and the test that killed it."""
    mutation = mutant.mutation
    name = WORKER['copy'].parents[2].name
    output, killer = WORKER['work'] / ('output-%s.txt' % name), WORKER['work'] / ('killer-%s.txt' % name)
    killer.unlink(missing_ok=True)
    try:
        operator = get_operator(mutation.operator_name)(**(mutation.operator_args or {}))
        with use_mutation(Path(mutation.module_path), operator, mutation.occurrence) as (original, mutated):
            if mutated is None:
                return mutant, WorkResult(worker_outcome=WorkerOutcome.NO_TEST), None
            status = _likely_killers(mutant, likely, str(output), killer)
            if status is None:
                status = forked.run(['-x'] + list(mutant.test_files), (Only(mutant.tests, killer),), mutant.timeout,
                                    str(output), mutant.test_timeouts)
    except Exception:  # as cosmic-ray's own worker: a mutant that cannot be made is incompetent
        return mutant, WorkResult(worker_outcome=WorkerOutcome.EXCEPTION, test_outcome=TestOutcome.INCOMPETENT,
                                  output=traceback.format_exc()), None
    text = 'timeout' if status is None else output.read_text(errors='replace')[-2000:]
    if status == NOT_SELECTED:
        raise RuntimeError('%s: the tests selected were not collected: %s' % (mutation.module_path, text))
    diff = ''.join(difflib.unified_diff(original.splitlines(True), mutated.splitlines(True), str(mutation.module_path),
                                        str(mutation.module_path)))
    return mutant, WorkResult(worker_outcome=WorkerOutcome.NORMAL, output=text, diff=diff,
                              test_outcome=TestOutcome.SURVIVED if status == 0 else TestOutcome.KILLED), \
        killer.read_text() if killer.exists() else None


def _likely_killers(mutant: Mutant, likely: tuple[str, ...], output: str, killer: Path) -> Optional[int]:
    """Runs the first few LIKELY killers of one test file: pytest's status when one fails, else None.

    Only a failure counts: when they pass, time out or are not collected (a mutant of code run on import
    can change a parametrization), all the mutant's tests run, exactly as they would without this step."""
    if not likely:
        return None
    test_file = likely[0].split('::')[0]
    tests = tuple(test for test in likely if test.split('::')[0] == test_file)[:LIKELY_KILLERS]
    status = forked.run(['-x', test_file], (Only(tests, killer),), MIN_TIMEOUT, output, mutant.test_timeouts)
    return None if status in (None, 0, NOT_SELECTED) else status


# -- in the main process ---------------------------------------------------------------------------

def format_operators(source: str) -> set[tuple[tuple[int, int], tuple[int, int]]]:
    """Where a '%' formats a string literal: the (line, column) ranges between its operands."""
    spans = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod) and isinstance(node.left, ast.Constant) \
                and isinstance(node.left.value, str):
            spans.add(((node.left.end_lineno, node.left.end_col_offset), (node.right.lineno, node.right.col_offset)))
    return spans


def start_session(work: Path, file: Path) -> tuple[Path, subprocess.Popen]:
    """A new session of cosmic-ray's mutants of FILE, and the process that is making them."""
    name = str(file).replace('/', '.')
    config, session = work / ('config-%s.toml' % name), work / ('session-%s.sqlite' % name)
    config.write_text('[cosmic-ray]\nmodule-path = "%s"\ntimeout = %.1f\nexcluded-modules = []\n'
                      'test-command = "pytest"\n\n[cosmic-ray.distributor]\nname = "local"\n' % (file, MIN_TIMEOUT))
    return session, subprocess.Popen([str(Path(sys.executable).parent / 'cosmic-ray'), 'init', str(config), str(session)])


def made(session: Path, making: subprocess.Popen) -> Path:
    if making.wait() != 0:
        sys.exit('cosmic-ray init failed for %s' % session.name)
    return session


def not_to_run(db: WorkDB, file: Path, equivalent: Equivalents) -> None:
    """Marks the duplicates skipped, and the equivalent mutants survivors (report.py sets them aside)."""
    source = file.read_text(encoding='utf-8')
    spans, lines = format_operators(source), source.splitlines()
    items = list(db.pending_work_items)
    places = occurrences(items)
    for item in items:
        mutation = item.mutations[0]
        position = tuple(mutation.start_pos)
        if FORMAT_DUPLICATES.match(mutation.operator_name) and any(start <= position <= end for start, end in spans):
            db.set_result(item.job_id, WorkResult(output='duplicate of the Mod_Sub mutant', worker_outcome=WorkerOutcome.SKIPPED))
        elif equivalent.reason(str(file), mutation.operator_name, lines[position[0] - 1], places[item.job_id]):
            db.set_result(item.job_id, WorkResult(output='equivalent: not run', worker_outcome=WorkerOutcome.NORMAL,
                                                  test_outcome=TestOutcome.SURVIVED))


def mutants(session: Path, db: WorkDB, file: Path, test_files: list[str], tests: Map) -> list[Mutant]:
    lines = Lines(file.read_text(encoding='utf-8'))
    found = []
    for item in db.pending_work_items:
        mutation = item.mutations[0]
        position = tuple(mutation.start_pos)
        running_lines = lines.running(position)
        running = {''} if running_lines is None else tests.running(str(file), running_lines)
        if '' in running:  # run when a module is imported
            selected, files = None, test_files
        else:
            # The quickest first: a mutant's run stops at the first failure.
            selected = tuple(sorted(running, key=lambda test: (file.stem not in Path(test.split('::')[0]).stem,
                                                               tests.durations.get(test, 0.0), test)))
            files = [test for test in test_files if any(nodeid.startswith(test + '::') for nodeid in selected)]
        durations = tests.durations_of(set(selected or ()), files if selected is None else None)
        timeout = MIN_TIMEOUT + TIMEOUT_FACTOR * sum(durations.values())
        limits = {test: MIN_TEST_TIMEOUT + TIMEOUT_FACTOR * duration for test, duration in durations.items()}
        found.append(Mutant(str(session), item.job_id, mutation, tuple(files), selected, timeout, limits))
    return found


def tests_of(files: list[Path], seen: dict[str, set[str]]) -> dict[Path, list[str]]:
    return {file: sorted((test for test in seen if str(file) in seen[test]), key=lambda test: file.stem not in Path(test).stem)
            for file in files}


def worker_copy(work: Path, index: int) -> Path:
    copy = work / ('worker-%d' % index) / 'ansible_collections' / 'losant' / 'platform'
    shutil.rmtree(copy.parents[2], ignore_errors=True)
    shutil.copytree(Path.cwd(), copy, symlinks=True)
    # Bytecode that Python uses only while the source is unchanged: a mutated file is compiled afresh
    # (and, with PYTHONDONTWRITEBYTECODE, never cached), the others are not compiled for every mutant.
    compileall.compile_dir(copy, quiet=1, force=True, invalidation_mode=py_compile.PycInvalidationMode.CHECKED_HASH)
    return copy


def main(equivalent_file: str, work_path: str, jobs: str, *paths: str) -> None:
    started, work, workers = time.monotonic(), Path(work_path), max(1, int(jobs))
    files = plugin_files(list(paths) or ['plugins'])
    copies = [worker_copy(work, index) for index in range(workers)]
    use_copy(copies[0])
    # Made while the tests are mapped, which leaves a CPU idle at times.
    making = {file: start_session(work, file) for file in files}
    test_files = [test.as_posix() for test in sorted(Path('tests/unit').rglob('test_*.py'))]
    forked.preload(test_files, work / 'libraries.json')
    context = multiprocessing.get_context('fork')
    queue = context.Queue()
    for copy in copies:
        queue.put(copy)
    with context.Pool(workers, start_worker, (queue, work)) as pool, contextlib.ExitStack() as stack:
        seen = dict(zip(test_files, pool.map(files_seen_by, test_files, chunksize=1)))
        tests = tests_of(files, seen)
        needed = sorted(set().union(*tests.values()), key=lambda test: -Path(test).stat().st_size)
        coverage = Map()
        for data, copy, status in pool.imap_unordered(measure, needed):
            if coverage.add(data, copy) or status != 0:
                sys.exit('the unit tests fail unmutated (%s):\n%s' % (data.name, Path(str(data) + '.out').read_text()))
        sessions = {file: made(*making[file]) for file in files}
        dbs = {str(session): stack.enter_context(use_db(str(session), WorkDB.Mode.open)) for session in sessions.values()}
        to_run, equivalent = [], Equivalents(equivalent_file)
        for file, session in sessions.items():
            not_to_run(dbs[str(session)], file, equivalent)
            to_run += mutants(session, dbs[str(session)], file, tests[file], coverage)
        print('%d mutants (%d in code run on import, %d in code no test runs); %d test files mapped in %.0f s'
              % (len(to_run), sum(mutant.tests is None for mutant in to_run), sum(mutant.tests == () for mutant in to_run),
                 len(needed), time.monotonic() - started), flush=True)
        unrun = [mutant for mutant in to_run if mutant.tests == ()]
        for mutant in unrun:
            dbs[mutant.session].set_result(mutant.job_id, WorkResult(
                worker_outcome=WorkerOutcome.NORMAL, test_outcome=TestOutcome.SURVIVED, output=UNRUN))
        queued = sorted((mutant for mutant in to_run if mutant.tests != ()), key=lambda mutant: -mutant.timeout)
        for mutant, result in run_all(pool, workers, queued):
            dbs[mutant.session].set_result(mutant.job_id, result)
        pool.close()
        pool.join()
    print('%d mutants run in %.0f s (CPU: %.0f s)' % (len(queued), time.monotonic() - started, cpu_seconds()), flush=True)


class Killers:
    """The tests that killed mutants of each file and line: kills cluster, so a mutant tries them first."""

    def __init__(self) -> None:
        self.by_file: dict[str, Counter[str]] = {}
        self.by_line: dict[tuple[str, int], Counter[str]] = {}

    def add(self, mutant: Mutant, test: Optional[str]) -> None:
        if test is not None:
            self.by_file.setdefault(str(mutant.mutation.module_path), Counter())[test] += 1
            self.by_line.setdefault(_line(mutant), Counter())[test] += 1

    def likely(self, mutant: Mutant) -> tuple[str, ...]:
        """MUTANT's tests that killed others, those of its line first, then the ones that killed most."""
        by_file = self.by_file.get(str(mutant.mutation.module_path), Counter())
        by_line = self.by_line.get(_line(mutant), Counter())
        candidates = [test for test in by_file if (test in mutant.tests if mutant.tests is not None
                                                   else test.split('::')[0] in mutant.test_files)]
        return tuple(sorted(candidates, key=lambda test: (-by_line[test], -by_file[test])))


def _line(mutant: Mutant) -> tuple[str, int]:
    return str(mutant.mutation.module_path), mutant.mutation.start_pos[0]


def run_all(pool: multiprocessing.pool.Pool, workers: int, queued: list[Mutant]) -> Iterator[tuple[Mutant, WorkResult]]:
    """Runs QUEUED on POOL, each with the killers known when it starts: a few in flight, not all queued at once."""
    killers, results, waiting = Killers(), queue.SimpleQueue(), iter(queued)

    def start() -> int:
        mutant = next(waiting, None)
        if mutant is not None:
            pool.apply_async(run_mutant, (mutant, killers.likely(mutant)), callback=results.put, error_callback=results.put)
        return mutant is not None

    running = sum(start() for in_flight in range(2 * workers))
    while running:
        done = results.get()
        if isinstance(done, BaseException):
            raise done
        mutant, result, killer = done
        killers.add(mutant, killer)
        yield mutant, result
        running += start() - 1


def cpu_seconds() -> float:
    return sum(getattr(resource.getrusage(who), field) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
               for field in ('ru_utime', 'ru_stime'))


if __name__ == '__main__':
    main(*sys.argv[1:])
