# -*- coding: utf-8 -*-
# Copyright: Contributors to the losant.platform collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""apply_changes with several writes in flight: the bound, the order of results, exact failure reports."""

from __future__ import annotations

import threading
from typing import Any, Optional, Union

import pytest

from ansible_collections.losant.platform.plugins.module_utils._client import LosantError
from ansible_collections.losant.platform.plugins.module_utils._resource_set import Change, PartialFailure, apply_changes
from ansible_collections.losant.platform.plugins.module_utils._webhook import WEBHOOKS, WebhookApi

APP_ID = '5f0c1e2d3b4a59687a8b9c0d'
COLLECTION = '/applications/%s/webhooks' % APP_ID
WAIT = 10  # seconds; only reached when the code under test is broken


class ConcurrentClient:
    """Answers writes from several threads; counts how many are in flight at once.

    With ``rendezvous`` set, each write waits until that many writes are in flight together (or
    until every write has arrived, or one has failed), so a pool smaller than ``rendezvous`` times out instead of passing;
    a list sets it for each write in the order they arrive.
    ``failures`` maps a webhook ID to the error its write raises; ``answers_after`` maps a webhook ID to
    another whose write must have started before the first one answers.
    """

    def __init__(self, rendezvous: Union[int, list[int]] = 1, total: int = 0, failures: Optional[dict[str, LosantError]] = None,
                 answers_after: Optional[dict[str, str]] = None) -> None:
        self.lock = threading.Condition()
        self.in_flight = 0
        self.max_in_flight = 0
        self.arrived = 0
        self.rendezvous = rendezvous
        self.total = total
        self.failures = failures or {}
        self.answers_after = answers_after or {}
        self.failed = False
        self.started: list[str] = []
        self.succeeded: list[str] = []

    def request(self, method: str, path: str, body: Optional[dict] = None, params: Optional[dict] = None,
                **unused: Any) -> Any:
        webhook_id = path.rsplit('/', 1)[1]
        with self.lock:
            self.in_flight += 1
            self.arrived += 1
            together = self.rendezvous if isinstance(self.rendezvous, int) else self.rendezvous[self.arrived - 1]
            self.started.append(webhook_id)
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
            self.lock.notify_all()
            reached = self.lock.wait_for(lambda: (self.in_flight >= together or self.arrived >= self.total
                                                  or self.failed or webhook_id in self.failures)
                                         and self.answers_after.get(webhook_id, webhook_id) in self.started,
                                         timeout=WAIT)
            self.in_flight -= 1
            self.failed = self.failed or webhook_id in self.failures
            self.lock.notify_all()
        assert reached, 'fewer than %d writes were ever in flight together' % together
        if webhook_id in self.failures:
            raise self.failures[webhook_id]
        with self.lock:
            self.succeeded.append(webhook_id)
        return dict(body or {}, id=webhook_id)


def updates(count: int) -> list[Change]:
    return [Change(WEBHOOKS, 'update', 'hook-%d' % index, {'id': '%024x' % index}, {'description': 'd%d' % index})
            for index in range(count)]


def described(change: Change) -> dict[str, Any]:
    return {'method': 'PATCH', 'path': '%s/%s' % (COLLECTION, change.current['id']), 'body': change.body}


@pytest.mark.parametrize('concurrency', [1, 2, 4])
def test_exactly_concurrency_writes_are_in_flight_and_answers_keep_plan_order(concurrency):
    changes = updates(10)
    client = ConcurrentClient(rendezvous=concurrency, total=len(changes))
    api = WebhookApi(client, APP_ID)
    answers = apply_changes(api, changes, concurrency)
    assert client.max_in_flight == concurrency
    assert [answer['id'] for answer in answers] == [change.current['id'] for change in changes]
    assert api.writes == [described(change) for change in changes]


def test_writes_that_succeed_raise_the_four_in_flight_at_first_up_to_concurrency():
    changes = updates(12)
    client = ConcurrentClient(rendezvous=[4] * 4 + [8] * 8, total=len(changes))
    apply_changes(WebhookApi(client, APP_ID), changes, 8)
    assert client.max_in_flight == 8


def test_an_error_other_than_the_apis_is_raised_not_taken_for_success():
    changes = updates(3)
    client = ConcurrentClient(failures={changes[1].current['id']: RuntimeError('a bug')})
    with pytest.raises(RuntimeError, match='a bug'):
        apply_changes(WebhookApi(client, APP_ID), changes, 1)


def test_one_at_a_time_starts_each_write_after_the_one_before_in_plan_order():
    changes = updates(5)
    client = ConcurrentClient()
    apply_changes(WebhookApi(client, APP_ID), changes, 1)
    assert client.started == [change.current['id'] for change in changes]
    assert client.max_in_flight == 1


def test_one_at_a_time_stops_at_the_first_failure():
    changes = updates(4)
    error = LosantError('PATCH', 'path', 'bad', 400, 'Validation')
    client = ConcurrentClient(failures={changes[1].current['id']: error})
    with pytest.raises(PartialFailure) as raised:
        apply_changes(WebhookApi(client, APP_ID), changes, 1)
    assert client.started == [changes[0].current['id'], changes[1].current['id']]
    assert raised.value.error is error
    assert raised.value.applied == [described(changes[0])]
    assert raised.value.not_applied == [described(change) for change in changes[1:]]
    assert raised.value.outcome_unknown == []


def test_a_failure_among_parallel_writes_reports_each_write_as_it_ended():
    changes = updates(9)
    refused = LosantError('PATCH', 'path', 'bad', 400, 'Validation')
    timed_out = LosantError('PATCH', 'path', 'no answer within 30 seconds')
    timed_out.outcome_unknown = True
    # Write 2 is refused only once write 4 has started (after 0 and 1 made room), so that 4 times out while in flight.
    ids = [change.current['id'] for change in changes]
    client = ConcurrentClient(rendezvous=3, total=len(changes), failures={ids[4]: timed_out, ids[2]: refused},
                              answers_after={ids[2]: ids[4]})
    with pytest.raises(PartialFailure) as raised:
        apply_changes(WebhookApi(client, APP_ID), changes, 3)
    failure = raised.value
    assert failure.error is refused  # the first failure in plan order
    assert client.max_in_flight <= 3
    by_id = {change.current['id']: described(change) for change in changes}
    assert failure.outcome_unknown == [by_id[ids[4]]]
    # Writes 5 and later may have started while 4 was failing: they are applied or not, as they ended.
    assert failure.applied[:3] == [by_id[ids[0]], by_id[ids[1]], by_id[ids[3]]]
    assert failure.applied == [by_id[webhook_id] for webhook_id in ids if webhook_id in client.succeeded]
    assert failure.not_applied[0] == by_id[ids[2]]
    assert failure.not_applied == [by_id[webhook_id] for webhook_id in ids
                                   if webhook_id not in client.succeeded and webhook_id != ids[4]]


def test_check_mode_records_every_write_in_plan_order_and_sends_nothing():
    changes = updates(6)
    client = ConcurrentClient()
    api = WebhookApi(client, APP_ID, check_mode=True)
    assert apply_changes(api, changes, 4) == [None] * 6
    assert client.started == []
    assert api.writes == [described(change) for change in changes]
