# -*- coding: utf-8 -*-
# Copyright: Contributors to the losant.platform collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The adaptive limit on writes in flight: start, growth, halving once per round, bounds."""

from __future__ import annotations

import threading

from ansible_collections.losant.platform.plugins.module_utils._concurrency import START, AdaptiveLimit


def write(limit: AdaptiveLimit, throttled: bool = False, succeeded: bool = True) -> None:
    """One write sent and answered by the calling thread."""
    limit.started(limit.acquire())
    if throttled:
        limit.throttled()
    limit.release(succeeded)


def test_it_starts_at_four_or_at_a_lower_ceiling():
    assert AdaptiveLimit(16).limit == START == 4
    assert AdaptiveLimit(2).limit == 2
    assert AdaptiveLimit(0).limit == 1


def test_each_clean_answer_adds_one_until_the_ceiling():
    limit = AdaptiveLimit(10)
    for unused in range(4):
        write(limit)
    assert limit.limit == 8
    for unused in range(10):
        write(limit)
    assert limit.limit == 10


def test_a_throttled_write_halves_the_limit_and_growth_slows_to_one_per_round_trip():
    limit = AdaptiveLimit(16)
    for unused in range(8):
        write(limit)
    assert limit.limit == 12
    write(limit, throttled=True)
    assert limit.limit == 6
    for unused in range(6):
        write(limit)
    assert 6.9 < limit.limit < 7.0


def test_failed_or_retried_writes_do_not_raise_the_limit():
    limit = AdaptiveLimit(16)
    write(limit, succeeded=False)
    assert limit.limit == 4
    write(limit, throttled=True)  # throttled once, then succeeded on a retry
    assert limit.limit == 2


def test_writes_started_before_a_halving_do_not_halve_it_again():
    """Writes in flight together all meet the same overload: one halving per round, as in TCP."""
    limit = AdaptiveLimit(16)
    rounds = [limit.acquire() for unused in range(4)]
    for round_ in rounds:
        limit.started(round_)
        limit.throttled()
        limit.release(False)
    assert limit.limit == 2
    write(limit, throttled=True)  # started after the halving: a new round
    assert limit.limit == 1
    write(limit, throttled=True)
    assert limit.limit == 1


def test_a_write_throttled_again_on_its_retry_halves_the_limit_again():
    """A retry is a send in the current round, as a TCP retransmission: a write refused again and again must lower
    the limit each time, or writes admitted by a growing limit keep crowding it out."""
    limit = AdaptiveLimit(16)
    for unused in range(4):
        write(limit)
    limit.started(limit.acquire())
    limit.throttled()
    assert limit.limit == 4
    limit.throttled()  # its retry
    assert limit.limit == 2
    limit.throttled()
    assert limit.limit == 1
    limit.release(True)
    assert limit.limit == 1


def test_a_write_sent_before_another_halving_halves_only_on_its_retry():
    limit = AdaptiveLimit(16)
    first, second = limit.acquire(), limit.acquire()
    limit.started(first)
    limit.throttled()
    limit.release(False)
    assert limit.limit == 2
    limit.started(second)
    limit.throttled()  # sent before the halving: the same overload
    assert limit.limit == 2
    limit.throttled()  # its retry, sent after it
    assert limit.limit == 1


def test_no_more_writes_than_the_limit_are_admitted_until_one_ends():
    limit = AdaptiveLimit(2)
    limit.acquire()
    limit.acquire()
    admitted = threading.Event()
    waiting = threading.Thread(target=lambda: (limit.acquire(), admitted.set()))
    waiting.start()
    assert not admitted.wait(0.2)
    limit.release(True)
    assert admitted.wait(10)
    waiting.join(10)
    assert limit.in_flight == 2


def test_an_odd_limit_halves_to_a_fraction():
    limit = AdaptiveLimit(16)
    for unused in range(3):
        write(limit)
    write(limit, throttled=True)
    assert limit.limit == 3.5


def test_after_a_halving_no_write_starts_until_fewer_than_the_new_limit_are_in_flight():
    limit = AdaptiveLimit(16)
    rounds = [limit.acquire() for unused in range(4)]
    limit.started(rounds[0])
    limit.throttled()
    limit.release(False)  # the limit is 2, with 3 writes in flight
    admitted = threading.Event()
    waiting = threading.Thread(target=lambda: (limit.acquire(), admitted.set()))
    waiting.start()
    assert not admitted.wait(0.2)
    limit.release(False)
    assert not admitted.wait(0.2)
    limit.release(False)
    assert admitted.wait(10)
    waiting.join(10)
