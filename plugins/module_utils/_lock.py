# -*- coding: utf-8 -*-
# Copyright: Contributors to the losant.platform collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

# Private to the losant.platform collection: it changes without notice, so other collections and
# plugins of your own must not import it.

"""A lock, on the machine that runs the module, for one named resource of one API and application.

The lock files live in a directory of the user's own under ``/tmp``, whatever ``TMPDIR`` says: a task's
``environment`` reaches a module process, but not the controller's process, whose ``tempfile`` has already
chosen its directory, so the two ways of running a module would lock in two places. Nothing in that
directory, nor the directory itself, is followed when it is a symbolic link or used when another user owns it.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import os
import stat
import time
from typing import Callable, Iterator

LOCK_ROOT = '/tmp'
FIRST_POLL = 0.01
LAST_POLL = 0.5


class LockError(Exception):
    """The lock could not be taken; the message names its path and what to do."""


def user_id() -> int:
    return os.geteuid()


def lock_directory() -> str:
    return os.path.join(LOCK_ROOT, 'losant.platform-%d' % user_id())


def lock_path(*key: str) -> str:
    """The lock file of ``key``; the key is hashed, so names need no escaping."""
    digest = hashlib.sha256('\0'.join(key).encode('utf-8', 'surrogatepass')).hexdigest()[:32]
    return os.path.join(lock_directory(), '%s.lock' % digest)


@contextlib.contextmanager
def held(*key: str, wait: float, clock: Callable[[], float] = time.monotonic,
         sleep: Callable[[float], None] = time.sleep) -> Iterator[None]:
    """Hold the lock of ``key`` until the block ends, waiting at most ``wait`` seconds for another holder.

    ``flock`` locks belong to an open file, not to a process, so two threads of one process that open the
    file separately exclude each other too. The holder removes the file when it is done; a waiter that then
    gets the lock of the removed file sees that and starts again. Raises LockError.
    """
    path = lock_path(*key)
    name = os.path.basename(path)
    directory = open_private_directory()
    try:
        descriptor = acquire(directory, name, path, wait, clock, sleep)
        try:
            yield
        finally:
            with contextlib.suppress(FileNotFoundError):  # while held, so that nobody locks a file about to go
                os.unlink(name, dir_fd=directory)
            os.close(descriptor)
    finally:
        os.close(directory)


def open_private_directory() -> int:
    """The lock directory, made if missing; refused when it is a link, no directory or another user's."""
    path = lock_directory()
    try:
        with contextlib.suppress(FileExistsError):
            os.mkdir(path, 0o700)
        descriptor = os.open(path, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    except OSError as error:
        if error.errno not in (errno.ELOOP, errno.ENOTDIR):
            raise LockError('Cannot make or open the lock directory %s: %s.' % (path, error.strerror))
        raise LockError('The lock directory %s is a symbolic link or not a directory, so it was not used: someone '
                        'made it in its place. Remove it; the modules make it again.' % path)
    status = os.fstat(descriptor)
    if status.st_uid != user_id():
        os.close(descriptor)
        raise LockError('The lock directory %s belongs to user ID %d, not to this user (%d), so it was not used: '
                        'another user made it in its place. Have it removed (as that user or root); the modules '
                        'make it again.' % (path, status.st_uid, user_id()))
    if stat.S_IMODE(status.st_mode) != 0o700:
        os.fchmod(descriptor, 0o700)
    return descriptor


def acquire(directory: int, name: str, path: str, wait: float, clock: Callable[[], float],
            sleep: Callable[[float], None]) -> int:
    """The descriptor of the lock file ``name``, locked; LockError after ``wait`` seconds of another holder."""
    deadline = clock() + wait
    pause = FIRST_POLL
    while True:
        descriptor = open_lock_file(directory, name, path)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(descriptor)
            left = deadline - clock()
            if left <= 0:
                raise LockError(
                    'Waited %s seconds for the lock %s, which another task or process of this user holds. If none '
                    'is running for the same webhook, the one holding it is stuck: "fuser -v %s" names it, and the '
                    'lock is released when it ends.' % (wait, path, path))
            sleep(min(pause, left))
            pause = min(LAST_POLL, pause * 2)
            continue
        if is_at(directory, name, descriptor):
            return descriptor
        os.close(descriptor)  # its holder removed it meanwhile: lock the file that is there now


def open_lock_file(directory: int, name: str, path: str) -> int:
    """The lock file, a regular file of this user's; whatever else is at its name is removed first."""
    while True:
        try:
            descriptor = os.open(name, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o600, dir_fd=directory)
        except OSError as error:
            if error.errno != errno.ELOOP:
                raise LockError('Cannot open the lock file %s: %s.' % (path, error.strerror))
            os.unlink(name, dir_fd=directory)  # a symbolic link
            continue
        status = os.fstat(descriptor)
        if stat.S_ISREG(status.st_mode) and status.st_uid == user_id():
            return descriptor
        os.close(descriptor)
        os.unlink(name, dir_fd=directory)


def is_at(directory: int, name: str, descriptor: int) -> bool:
    """Whether the open file ``descriptor`` is still the one at ``name``."""
    try:
        there = os.stat(name, dir_fd=directory, follow_symlinks=False)
    except FileNotFoundError:
        return False
    here = os.fstat(descriptor)
    return (there.st_dev, there.st_ino) == (here.st_dev, here.st_ino)
