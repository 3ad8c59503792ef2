# -*- coding: utf-8 -*-
# Copyright: Contributors to the losant.platform collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Which tests can kill a mutant: the ones that run its line, from one coverage run of the tests.

A mutant inside a function body changes behaviour only where that code runs, so only the tests that run
its statement (coverage with one context per test) can notice it; when none does, it survives without a
run. A mutant of a function's default values or decorators runs the tests that run the function's body.
Other code that runs when a module is imported (constants, class bodies) is shared by every test that
imports the module, so a mutant there runs all the test files that see it.
"""

from __future__ import annotations

import ast
import json
import os
import sys
from pathlib import Path
from typing import Optional

import pytest

Position = tuple[int, int]


class Lines:
    """Where the statements of one source file are, and which of them run only when the module is imported."""

    def __init__(self, source: str) -> None:
        self.bodies: list[tuple[Position, Position]] = []
        self.signatures: list[tuple[Position, Position, range]] = []
        self.statements: list[tuple[Position, Position, range]] = []
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                body = node.body if isinstance(node.body, list) else [node.body]
                self.bodies.append((_start(body[0]), _end(body[-1])))
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                self.signatures.append((_start(node), _start(node.body[0]), range(_start(node.body[0])[0], node.end_lineno + 1)))
            if isinstance(node, (ast.stmt, ast.ExceptHandler)):
                self.statements.append((_start(node), _end(node), _header(node)))

    def running(self, position: Position) -> Optional[range]:
        """The lines whose tests can see a change at POSITION; None where it runs when the module is imported."""
        if any(start <= position < end for start, end in self.bodies):
            enclosing = [(start, end, lines) for start, end, lines in self.statements if start <= position < end]
            return max(enclosing, key=lambda statement: statement[0])[2] if enclosing else range(position[0], position[0] + 1)
        # A default value or a decorator changes what the function does when called: the tests that run its body.
        signatures = [(start, lines) for start, body, lines in self.signatures if start <= position < body]
        return max(signatures, key=lambda signature: signature[0])[1] if signatures else None


def _start(node: ast.AST) -> Position:
    return min([(node.lineno, node.col_offset)] +
               [(decorator.lineno, decorator.col_offset - 1) for decorator in getattr(node, 'decorator_list', [])])


def _end(node: ast.AST) -> Position:
    return node.end_lineno, node.end_col_offset


def _header(node: ast.AST) -> range:
    first = _start(node)[0]
    blocks = [block for block in (getattr(node, name, None) for name in ('body', 'handlers', 'orelse', 'finalbody'))
              if isinstance(block, list) and block]
    if not blocks:
        return range(first, node.end_lineno + 1)
    return range(first, max(first, min(_start(block[0])[0] for block in blocks) - 1) + 1)


class Recorder:
    """A pytest plugin: coverage of DIRECTORY by test (its node ID) into DATA, durations and failures into DATA.json."""

    def __init__(self, directory: Path, data: Path) -> None:
        self.directory, self.data = directory, data
        self.durations: dict[str, float] = {}
        self.failed: list[str] = []

    def pytest_configure(self, config: object) -> None:  # in the child that runs the tests, before collection
        import coverage
        self.coverage = coverage.Coverage(data_file=str(self.data), include=[str(self.directory / '*')])
        self.coverage.start()

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_setup(self, item: object) -> None:
        self.coverage.switch_context(item.nodeid)  # type: ignore[attr-defined]

    def pytest_runtest_logreport(self, report: object) -> None:
        nodeid = report.nodeid  # type: ignore[attr-defined]
        self.durations[nodeid] = self.durations.get(nodeid, 0.0) + report.duration  # type: ignore[attr-defined]
        if report.failed:  # type: ignore[attr-defined]
            self.failed.append(nodeid)
        if report.when == 'teardown':  # type: ignore[attr-defined]
            self.coverage.switch_context('')

    def pytest_sessionfinish(self, session: object) -> None:
        self.coverage.stop()
        self.coverage.save()
        Path(str(self.data) + '.json').write_text(json.dumps({'durations': self.durations, 'failed': self.failed}))


class Map:
    """The tests that run each line of each file (paths relative to a collection copy), and how long each takes."""

    def __init__(self) -> None:
        self.tests: dict[str, dict[int, set[str]]] = {}
        self.durations: dict[str, float] = {}

    def add(self, data: Path, root: Path) -> list[str]:
        """Adds a Recorder's DATA, measured in the copy at ROOT; the tests that failed."""
        from coverage import CoverageData
        coverage = CoverageData(basename=str(data))
        coverage.read()
        for measured in coverage.measured_files():
            lines = self.tests.setdefault(os.path.relpath(measured, root), {})
            for line, contexts in coverage.contexts_by_lineno(measured).items():
                lines.setdefault(line, set()).update(contexts)
        results = json.loads(Path(str(data) + '.json').read_text())
        self.durations.update(results['durations'])
        return results['failed']

    def running(self, file: str, lines: range) -> set[str]:
        """The tests that run any of LINES of FILE; '' among them when a module's import runs one."""
        by_line = self.tests.get(file, {})
        return set().union(*(by_line.get(line, set()) for line in lines))

    def durations_of(self, tests: set[str], files: Optional[list[str]] = None) -> dict[str, float]:
        """How long each of TESTS (or every test of FILES) took."""
        if files is not None:
            tests = {test for test in self.durations if test.split('::')[0] in files}
        return {test: self.durations.get(test, 0.0) for test in tests}


if __name__ == '__main__':
    sys.exit('a module of tests/mutation/run.py')
