# -*- coding: utf-8 -*-
# Copyright: Contributors to the losant.platform collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import errno
import fcntl
import os
import shutil
import stat
import tempfile
import threading

import pytest

from ansible_collections.losant.platform.plugins.module_utils import _lock as lock

KEY = ('api', 'app', 'orders')


@pytest.fixture(autouse=True)
def private_tmp(tmp_path, monkeypatch):
    monkeypatch.setattr(lock, 'LOCK_ROOT', str(tmp_path))


def held(*key: str, **options):
    return lock.held(*(key or KEY), **dict({'wait': 5}, **options))


def is_held(*key: str) -> bool:
    try:
        descriptor = os.open(lock.lock_path(*key), os.O_RDONLY)
    except FileNotFoundError:
        return False
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(descriptor)
    return False


def test_a_held_lock_makes_another_holder_wait_until_it_is_released():
    order = []
    first_holds = threading.Event()

    def second() -> None:
        first_holds.wait()
        with held():
            order.append('second')

    thread = threading.Thread(target=second)
    thread.start()
    with held():
        first_holds.set()
        thread.join(0.3)
        assert thread.is_alive(), 'the second holder must wait'
        order.append('first')
    thread.join(5)
    assert order == ['first', 'second']
    assert not is_held(*KEY)


def test_other_names_and_applications_have_other_locks():
    with held('api', 'app', 'orders'):
        assert is_held('api', 'app', 'orders')
        assert not is_held('api', 'app', 'Orders')
        assert not is_held('api', 'other-app', 'orders')
        assert not is_held('api', 'app', 'orders\0x')


def test_any_name_makes_a_file_name_in_the_lock_directory(tmp_path):
    path = lock.lock_path('https://api.losant.com', 'app', '../../etc/passwd \udcff ü/x')
    assert os.path.dirname(path) == str(tmp_path / ('losant.platform-%d' % os.geteuid()))
    assert os.path.basename(path).endswith('.lock')


def test_the_lock_directory_is_the_same_whatever_the_temporary_directory(tmp_path, monkeypatch):
    monkeypatch.undo()  # the real LOCK_ROOT
    places = set()
    for tmpdir in (tmp_path / 'one', tmp_path / 'two'):
        monkeypatch.setenv('TMPDIR', str(tmpdir))
        monkeypatch.setattr(tempfile, 'tempdir', None)  # as a new process would choose it
        tmpdir.mkdir()
        places.add(os.path.dirname(lock.lock_path(*KEY)))
    assert places == {'/tmp/losant.platform-%d' % os.geteuid()}


def test_the_lock_directory_is_private_and_the_lock_file_goes_when_released():
    with held():
        directory = os.stat(lock.lock_directory())
        assert (stat.S_IMODE(directory.st_mode), directory.st_uid) == (0o700, os.geteuid())
        assert stat.S_IMODE(os.stat(lock.lock_path(*KEY)).st_mode) == 0o600
    assert os.listdir(lock.lock_directory()) == []


@pytest.mark.parametrize('mode', [0o777, 0o500, 0o701, 0o677])
def test_a_lock_directory_of_another_mode_is_made_private(mode):
    os.mkdir(lock.lock_directory())
    os.chmod(lock.lock_directory(), mode)
    with held():
        assert stat.S_IMODE(os.stat(lock.lock_directory()).st_mode) == 0o700


def test_a_lock_held_too_long_fails_naming_its_path_and_how_to_clear_it(fake_time):
    with held():
        with pytest.raises(lock.LockError) as failure:
            with held(wait=30, clock=fake_time.clock, sleep=fake_time.sleep):
                pytest.fail('the lock was taken twice')
    path = lock.lock_path(*KEY)
    assert str(failure.value) == (
        'Waited 30 seconds for the lock %s, which another task or process of this user holds. If none is running for '
        'the same webhook, the one holding it is stuck: "fuser -v %s" names it, and the lock is released when it '
        'ends.' % (path, path))
    assert sum(fake_time.sleeps) == pytest.approx(30)
    assert fake_time.sleeps[:8] == [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.5, 0.5], 'soon at first, then twice a second'
    assert max(fake_time.sleeps) == 0.5


def test_the_wait_counts_from_when_it_starts_whatever_the_clock_reads(fake_time):
    fake_time.now = 10.0  # the monotonic clock soon after the machine started
    with held():
        with pytest.raises(lock.LockError, match='Waited 30 seconds'):
            with held(wait=30, clock=fake_time.clock, sleep=fake_time.sleep):
                pytest.fail('the lock was taken twice')
    assert sum(fake_time.sleeps) == pytest.approx(30)


def test_a_sleep_longer_than_asked_ends_the_wait_as_a_timeout(fake_time):
    """A busy or suspended machine sleeps longer than asked: past the deadline the wait is over."""
    def oversleep(seconds: float) -> None:
        assert seconds >= 0, 'time.sleep refuses a negative time'
        fake_time.sleep(seconds + 1)
    with held():
        with pytest.raises(lock.LockError, match='Waited 2 seconds'):
            with held(wait=2, clock=fake_time.clock, sleep=oversleep):
                pytest.fail('the lock was taken twice')


def pause_the_waiter_once_it_opened_the_file(monkeypatch: pytest.MonkeyPatch) -> tuple[threading.Event, ...]:
    """Events: the thread named 'waiter' opened the lock file (and waits), it may go on, it entered the lock."""
    opened, go_on, entered = threading.Event(), threading.Event(), threading.Event()
    real_open = lock.open_lock_file

    def open_and_pause(*args):
        descriptor = real_open(*args)
        if threading.current_thread().name == 'waiter' and not opened.is_set():
            opened.set()
            go_on.wait(5)
        return descriptor
    monkeypatch.setattr(lock, 'open_lock_file', open_and_pause)
    return opened, go_on, entered


@pytest.mark.parametrize('in_its_place', ['a new file', 'an older file'])
def test_a_waiter_that_locks_a_file_its_holder_removed_tries_again(monkeypatch, in_its_place):
    """The holder removes its file when done: a waiter that opened the file before must not hold its lock
    while the next task holds the lock of the file now at its name, whose inode number may be higher or (file
    systems reuse them) lower."""
    opened, go_on, entered = pause_the_waiter_once_it_opened_the_file(monkeypatch)
    os.mkdir(lock.lock_directory(), 0o700)
    older = os.path.join(lock.lock_directory(), 'older')
    with open(older, 'w'):
        pass

    def waiter() -> None:
        with held():
            entered.set()

    thread = threading.Thread(target=waiter, name='waiter')
    with held():
        thread.start()
        assert opened.wait(5)
        lower = os.stat(older).st_ino < os.stat(lock.lock_path(*KEY)).st_ino
    if in_its_place == 'an older file':
        if not lower:  # another process freed a lower inode number between the two files
            go_on.set()
            thread.join(5)
            pytest.skip('the file system gave the lock file a lower inode number than the file made before it')
        os.rename(older, lock.lock_path(*KEY))
    with held():  # the file the waiter opened is gone, and this is the lock of the one now at its name
        go_on.set()
        assert not entered.wait(0.3), 'the waiter took the lock of the removed file'
    thread.join(5)
    assert entered.is_set()


def test_a_waiter_that_locks_a_file_removed_with_none_in_its_place_makes_a_new_one(monkeypatch):
    opened, go_on, entered = pause_the_waiter_once_it_opened_the_file(monkeypatch)
    failures = []

    def waiter() -> None:
        try:
            with held():
                entered.set()
                assert is_held(*KEY)
        except Exception as error:  # pylint: disable=broad-exception-caught
            failures.append(error)

    thread = threading.Thread(target=waiter, name='waiter')
    with held():
        thread.start()
        assert opened.wait(5)
    go_on.set()  # the file the waiter opened is gone, and nothing is at its name
    thread.join(5)
    assert failures == [] and entered.is_set()


def test_a_lock_file_that_cannot_be_opened_fails_naming_it():
    os.mkdir(lock.lock_directory(), 0o700)
    os.mkdir(lock.lock_path(*KEY))  # a directory cannot be opened for writing
    with pytest.raises(lock.LockError) as failure:
        with held():
            pytest.fail('the lock was taken without its file')
    assert str(failure.value) == 'Cannot open the lock file %s: Is a directory.' % lock.lock_path(*KEY)


def test_a_lock_directory_that_cannot_be_made_fails_naming_it(tmp_path, monkeypatch):
    monkeypatch.setattr(lock, 'LOCK_ROOT', str(tmp_path / 'missing'))
    with pytest.raises(lock.LockError) as failure:
        with held():
            pytest.fail('the lock was taken without its directory')
    assert str(failure.value) == 'Cannot make or open the lock directory %s: No such file or directory.' % (
        lock.lock_directory())


def test_a_lock_file_the_disk_refuses_fails_naming_it(monkeypatch):
    real_open = os.open

    def no_room(path, flags, *args, **kwargs):
        if kwargs.get('dir_fd') is not None:
            raise OSError(errno.EDQUOT, os.strerror(errno.EDQUOT))
        return real_open(path, flags, *args, **kwargs)
    monkeypatch.setattr(lock.os, 'open', no_room)
    with pytest.raises(lock.LockError) as failure:
        with held():
            pytest.fail('the lock was taken without its file')
    assert str(failure.value) == 'Cannot open the lock file %s: Disk quota exceeded.' % lock.lock_path(*KEY)


def test_a_symbolic_link_at_the_lock_directory_is_refused_and_not_followed(tmp_path):
    elsewhere = tmp_path / 'elsewhere'
    elsewhere.mkdir()
    os.symlink(str(elsewhere), lock.lock_directory())
    with pytest.raises(lock.LockError, match='The lock directory %s is a symbolic link or not a directory, so it was '
                                             'not used' % lock.lock_directory()):
        with held():
            pytest.fail('a planted link was used')
    assert list(elsewhere.iterdir()) == []


def test_a_file_at_the_lock_directory_is_refused():
    with open(lock.lock_directory(), 'w'):
        pass
    with pytest.raises(lock.LockError, match='is a symbolic link or not a directory'):
        with held():
            pytest.fail('a file was used as the lock directory')


def test_a_lock_directory_of_another_user_is_refused(monkeypatch):
    other = os.geteuid() + 1
    monkeypatch.setattr(lock, 'user_id', lambda: other)
    os.mkdir(lock.lock_directory(), 0o700)  # made by this process, so another user's to the patched user_id
    with pytest.raises(lock.LockError, match=r'The lock directory %s belongs to user ID %d, not to this user \(%d\)'
                                             % (lock.lock_directory(), os.geteuid(), other)):
        with held():
            pytest.fail("another user's directory was used")


def test_a_symbolic_link_at_the_lock_file_is_removed_not_followed(tmp_path):
    victim = tmp_path / 'victim'
    victim.write_text('keep')
    os.mkdir(lock.lock_directory(), 0o700)
    os.symlink(str(victim), lock.lock_path(*KEY))
    with held():
        assert not os.path.islink(lock.lock_path(*KEY)) and is_held(*KEY)
    assert victim.read_text() == 'keep'
    assert os.listdir(lock.lock_directory()) == []


@pytest.mark.skipif(os.geteuid() != 0, reason='only root can give a file to another user')
def test_a_lock_file_of_another_user_is_replaced():
    os.mkdir(lock.lock_directory(), 0o700)
    with open(lock.lock_path(*KEY), 'w'):
        pass
    os.chown(lock.lock_path(*KEY), 12345, 12345)
    with held():
        assert os.stat(lock.lock_path(*KEY)).st_uid == os.geteuid() and is_held(*KEY)


ROOT_ONLY = pytest.mark.skipif(os.geteuid() != 0, reason='only root can act as or for another user')


@ROOT_ONLY
def test_a_lock_directory_made_by_a_user_of_a_higher_id_is_refused():
    os.mkdir(lock.lock_directory(), 0o700)
    os.chown(lock.lock_directory(), 12345, 12345)
    with pytest.raises(lock.LockError, match=r'belongs to user ID 12345, not to this user \(0\)'):
        with held():
            pytest.fail("another user's directory was used")


@ROOT_ONLY
def test_a_user_whose_id_is_above_256_locks_and_replaces_roots_file(monkeypatch):
    """As most users' IDs are (CPython keeps one object for each number up to 256 only)."""
    root = tempfile.mkdtemp()  # pytest's temporary directories are root's alone
    os.chmod(root, 0o755)
    monkeypatch.setattr(lock, 'LOCK_ROOT', root)
    directory = os.path.join(root, 'losant.platform-12345')
    os.mkdir(directory, 0o700)
    os.chown(directory, 12345, 12345)
    path = os.path.join(directory, os.path.basename(lock.lock_path(*KEY)))
    with open(path, 'w'):
        pass
    os.chmod(path, 0o666)
    os.seteuid(12345)
    try:
        with held():
            assert os.stat(path).st_uid == 12345 and is_held(*KEY)
        assert os.listdir(directory) == []
    finally:
        os.seteuid(0)
        shutil.rmtree(root)
