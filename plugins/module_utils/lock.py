# -*- coding: utf-8 -*-
# Copyright: Contributors to the losant.platform collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""A lock, on the machine that runs the module, for one named resource of one API and application."""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import tempfile
from typing import Iterator


def lock_path(*key: str) -> str:
    """The lock file of ``key`` in the temporary directory; the key is hashed, so names need no escaping."""
    digest = hashlib.sha256('\0'.join(key).encode('utf-8', 'surrogatepass')).hexdigest()[:32]
    return os.path.join(tempfile.gettempdir(), 'losant.platform-%s.lock' % digest)


@contextlib.contextmanager
def held(*key: str) -> Iterator[None]:
    """Hold the lock of ``key`` until the block ends; waits while another process or thread holds it.

    ``flock`` locks belong to an open file, not to a process, so two threads of one process that open
    the file separately exclude each other too. The file is opened read-only, so a lock file left by
    another user of a shared temporary directory still works.
    """
    descriptor = os.open(lock_path(*key), os.O_RDONLY | os.O_CREAT, 0o644)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)
