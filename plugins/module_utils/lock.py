# -*- coding: utf-8 -*-
# Copyright: Contributors to the losant.platform collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""A lock, on the machine that runs the module, for one named resource of one API and application.

The lock files live in a directory of the user's own under ``/tmp``, whatever ``TMPDIR`` says: a task's
``environment`` reaches a module process, but not the controller's process, whose ``tempfile`` has already
chosen its directory, so the two ways of running a module would lock in two places.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
from typing import Iterator

LOCK_ROOT = '/tmp'


def lock_directory() -> str:
    return os.path.join(LOCK_ROOT, 'losant.platform-%d' % os.geteuid())


def lock_path(*key: str) -> str:
    """The lock file of ``key``; the key is hashed, so names need no escaping."""
    digest = hashlib.sha256('\0'.join(key).encode('utf-8', 'surrogatepass')).hexdigest()[:32]
    return os.path.join(lock_directory(), '%s.lock' % digest)


@contextlib.contextmanager
def held(*key: str) -> Iterator[None]:
    """Hold the lock of ``key`` until the block ends; waits while another process or thread holds it.

    ``flock`` locks belong to an open file, not to a process, so two threads of one process that open
    the file separately exclude each other too.
    """
    with contextlib.suppress(FileExistsError):
        os.mkdir(lock_directory(), 0o700)
    descriptor = os.open(lock_path(*key), os.O_RDONLY | os.O_CREAT, 0o600)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)
