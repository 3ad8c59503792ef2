# -*- coding: utf-8 -*-
# Copyright: Contributors to the losant.platform collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import fcntl
import os
import tempfile
import threading

import pytest

from ansible_collections.losant.platform.plugins.module_utils import lock


@pytest.fixture(autouse=True)
def private_tmp(tmp_path, monkeypatch):
    monkeypatch.setattr(lock, 'LOCK_ROOT', str(tmp_path))


def is_held(*key: str) -> bool:
    descriptor = os.open(lock.lock_path(*key), os.O_RDONLY | os.O_CREAT)
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
        with lock.held('api', 'app', 'orders'):
            order.append('second')

    thread = threading.Thread(target=second)
    thread.start()
    with lock.held('api', 'app', 'orders'):
        first_holds.set()
        thread.join(0.3)
        assert thread.is_alive(), 'the second holder must wait'
        order.append('first')
    thread.join(5)
    assert order == ['first', 'second']
    assert not is_held('api', 'app', 'orders')


def test_other_names_and_applications_have_other_locks():
    with lock.held('api', 'app', 'orders'):
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
        places.add(os.path.dirname(lock.lock_path('api', 'app', 'orders')))
    assert places == {'/tmp/losant.platform-%d' % os.geteuid()}
