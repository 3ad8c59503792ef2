# -*- coding: utf-8 -*-
# Copyright: Contributors to the losant.platform collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""pytest in a forked child of a warm process: a test run without starting Python or importing ansible.

The process that forks has imported pytest, ansible-core and every other library the unit tests use,
but nothing of the collection (ansible_collections), so each child imports the collection's code, as
it is on disk at that moment (a mutant), and its tests afresh. A child is its own process group, so a
timeout kills it with whatever it started. The child says through a pipe when each test starts and ends,
so a test that outlasts its own time limit is killed at once, not when the whole run's limit is up: a
mutant that deadlocks leaves the CPU idle while it waits.
"""

from __future__ import annotations

import gc
import importlib
import json
import os
import select
import signal
import sys
import time
import traceback
from pathlib import Path
from typing import Mapping, Optional

# Plain asserts: a failing assert fails alike, without the time rewriting each test module takes.
PYTEST = ['-q', '-p', 'no:cacheprovider', '--rootdir', '.', '--assert', 'plain']
CRASHED = 98


def run(args: list[str], plugins: tuple[object, ...] = (), timeout: Optional[float] = None,
        output: str = os.devnull, test_timeouts: Optional[Mapping[str, float]] = None) -> Optional[int]:
    """pytest's exit status, or None when it ran out of time (killed); its output goes to OUTPUT.

    Out of time: the run took TIMEOUT seconds, or a test longer than TEST_TIMEOUTS gives its node ID."""
    reading, writing = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(reading)
        _child(args, plugins + (_Heartbeat(writing),), output)
    os.close(writing)
    with _pidfd(pid) as ready, os.fdopen(reading, 'rb', buffering=0) as heartbeat:
        if not _wait(ready, heartbeat, timeout, test_timeouts or {}):
            os.killpg(pid, signal.SIGKILL)
    status = os.waitpid(pid, 0)[1]
    if os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL and (timeout is not None or test_timeouts):
        return None
    return os.waitstatus_to_exitcode(status)


def _wait(ready: int, heartbeat: object, timeout: Optional[float], test_timeouts: Mapping[str, float]) -> bool:
    """Wait for the child to exit (True), or until the run or its current test is out of time (False)."""
    run_deadline = None if timeout is None else time.monotonic() + timeout
    test_deadline: Optional[float] = None
    watched, pending = [ready, heartbeat], b''
    while True:
        deadlines = [deadline for deadline in (run_deadline, test_deadline) if deadline is not None]
        wait = max(0.0, min(deadlines) - time.monotonic()) if deadlines else None
        readable = select.select(watched, [], [], wait)[0]
        if ready in readable:
            return True
        if not readable:
            return False
        chunk = heartbeat.read(4096)  # type: ignore[attr-defined]
        if not chunk:  # the child closed it (it is exiting)
            watched.remove(heartbeat)
            continue
        *lines, pending = (pending + chunk).split(b'\n')
        for line in lines:
            event, nodeid = line.decode('utf-8', 'replace').partition(' ')[::2]
            limit = test_timeouts.get(nodeid) if event == 'start' else None
            test_deadline = None if limit is None else time.monotonic() + limit


class _pidfd:
    def __init__(self, pid: int) -> None:
        self.fd = os.pidfd_open(pid)

    def __enter__(self) -> int:
        return self.fd

    def __exit__(self, *exc: object) -> None:
        os.close(self.fd)


class _Heartbeat:
    """A pytest plugin, in the child: writes 'start NODEID' and 'end NODEID' lines to a pipe around each test."""

    def __init__(self, fd: int) -> None:
        self.fd = fd

    def pytest_runtest_logstart(self, nodeid: str, location: object) -> None:
        os.write(self.fd, ('start %s\n' % nodeid).encode('utf-8'))

    def pytest_runtest_logfinish(self, nodeid: str, location: object) -> None:
        os.write(self.fd, ('end %s\n' % nodeid).encode('utf-8'))


def _child(args: list[str], plugins: tuple[object, ...], output: str) -> None:
    code = CRASHED
    try:
        os.setpgid(0, 0)
        sink = os.open(output, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
        os.dup2(sink, 1)
        os.dup2(sink, 2)
        import pytest
        code = int(pytest.main(PYTEST + args, plugins=list(plugins)))
    except BaseException:  # noqa: B036 (the child must never return into the parent's code)
        traceback.print_exc()
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


class _LibraryList:
    """Writes, after collection, the modules imported that are not the collection's: the libraries."""

    def __init__(self, listing: Path) -> None:
        self.listing = listing

    def pytest_collection_finish(self, session: object) -> None:
        root = str(Path.cwd().resolve())
        names = [name for name, module in list(sys.modules.items())
                 if name.split('.')[0] not in ('ansible_collections', '__main__', 'conftest')
                 and not str(getattr(module, '__file__', None) or '').startswith(root)]
        self.listing.write_text(json.dumps(sorted(names)))


def preload(test_files: list[str], listing: Path) -> int:
    """Import in this process the libraries the TEST_FILES import; how many modules that took."""
    if run(['--collect-only'] + test_files, (_LibraryList(listing),)) != 0:
        sys.exit('the unit tests cannot be collected: %s' % ' '.join(['pytest', '--collect-only'] + PYTEST + test_files))
    names = json.loads(listing.read_text())
    for name in names:
        try:
            importlib.import_module(name)
        except Exception:  # noqa: S110 (a module that only imports in its own context: the child imports it)
            pass
    if any(name.split('.')[0] == 'ansible_collections' for name in sys.modules):
        sys.exit('preloading imported the collection: the children would not see the mutants')
    gc.freeze()  # what every child shares is never collected: pytest collects garbage often
    return len(names)
