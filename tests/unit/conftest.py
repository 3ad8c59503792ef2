# -*- coding: utf-8 -*-
# Copyright: Contributors to the losant.platform collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The Losant API for every test above the client, and a time limit for every test.

The ``emulator`` fixture is the emulator of tests/emulator, served from a thread of the test's process
(one server per process, back to its start for each test): seed webhooks and workflows, queue faults
(a status with Losant's error body, a dropped connection, a given answer for the Nth request of a method
and path), play personalities, and assert the requests from its journal (``calls``). Modules reach it
through the real client with ``emulator.args()``; ``public_api`` is the emulator reached at Losant's public API
address as well. The client's own tests use ``requests_mock`` instead.

Every unit test fails after ``TIMEOUT`` seconds instead of hanging the run (a broken paging loop
would otherwise loop forever). ansible-test units passes pytest its own ini file, so the timeout is
set here, as a pytest-timeout marker, rather than in a pytest.ini. The timer runs around the test
function only: ansible-test runs each test in a forked process, and an alarm set before the fork
goes off in the parent, which cannot stop the child. A test may set its own marker."""

from __future__ import annotations

import itertools
from typing import Any, Iterator, NamedTuple, Optional

import pytest
from requests.adapters import HTTPAdapter

from ansible_collections.losant.platform.tests.emulator import flows as emulator_flows
from ansible_collections.losant.platform.tests.emulator.admin import parse_fault
from ansible_collections.losant.platform.tests.emulator.server import EmulatorServer, make_server
from ansible_collections.losant.platform.tests.emulator.state import State

TIMEOUT = 60  # seconds; every test takes well under one


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.get_closest_marker('timeout') is None:
            item.add_marker(pytest.mark.timeout(TIMEOUT, func_only=True))


# -- the Losant API: the emulator (tests/emulator) -------------------------------------------------

APP_ID = '5f0c1e2d3b4a59687a8b9c0d'
TOKEN = 'tok-3f9a1c77e0b54d2e'
# Where a private installation's webhooks are triggered (option trigger_base_url), for the tests that need it.
TRIGGER_BASE = 'https://triggers.example.test/webhooks'
# Losant's public API, where the modules know the trigger host (fixture public_api).
PUBLIC_API = 'https://api.losant.com'
COLLECTION = '/applications/%s/webhooks' % APP_ID
FLOWS = '/applications/%s/flows' % APP_ID


class Call(NamedTuple):
    """A request as the emulator journaled it: ``query`` holds the first value of each parameter, as text."""
    method: str
    path: str
    body: Any
    query: dict[str, str]
    status: Optional[int]


def losant_error(error_type: str, message: str) -> dict[str, str]:
    """An error body as Losant sends it."""
    return {'type': error_type, 'message': message}


class Emulator:
    """The emulator serving this test from a thread of its process, with the application ``APP_ID`` and
    the token ``TOKEN``; ``args()`` are the connection options that reach it."""

    def __init__(self, server: EmulatorServer) -> None:
        self.server, self.state, self.url = server, server.state, server.url

    def args(self, **options: Any) -> dict[str, Any]:
        return dict({'api_url': self.url, 'api_token': TOKEN, 'application_id': APP_ID}, **options)

    def seed(self, *webhooks: dict[str, Any], defaults: bool = True) -> list[dict[str, Any]]:
        """Store webhooks (``{'name': ..., 'id': optional, other API fields}``) with the create defaults (unless
        ``defaults`` is false: a webhook from before most fields existed), as given otherwise; returns them as
        stored, token included."""
        ids = self.state.seed_webhooks(APP_ID, list(webhooks), apply_defaults=defaults)
        stored = self.stored()
        return [stored[webhook_id] for webhook_id in ids]

    def seed_flows(self, *items: dict[str, Any]) -> list[str]:
        """Store workflows, e.g. ``flow('on orders', webhook_id)``; returns their IDs."""
        with self.state.lock:
            return emulator_flows.seed(self.state, APP_ID, list(items))

    def stored(self) -> dict[str, dict[str, Any]]:
        """The application's webhooks by ID, as stored."""
        with self.state.lock:
            return {webhook['id']: dict(webhook) for webhook in self.state.webhooks_of(APP_ID).values()}

    def fault(self, **spec: Any) -> None:
        """Queue a fault (tests/emulator/README.md, "Faults"): ``status`` with ``body`` (Losant's error body by
        default), ``drop``, ``delay``; ``method``, ``path`` and ``after`` pick the request."""
        self.state.add_fault(parse_fault(spec))

    def fail(self, method: str, path: str, status: int, error_type: str, message: str, **spec: Any) -> None:
        """Answer the next ``method`` request of ``path`` with Losant's error body."""
        self.fault(method=method, path=path, status=status, body=losant_error(error_type, message), **spec)

    def settings(self, **changes: Any) -> None:
        """Change settings or play a personality (``personality='no-secrets'``)."""
        self.state.update_settings(changes)

    @property
    def calls(self) -> list[Call]:
        with self.state.lock:
            return [Call(entry['method'], entry['path'], entry['body'], entry['query'], entry['status'])
                    for entry in self.state.journal]

    @property
    def writes(self) -> list[Call]:
        return [call for call in self.calls if call.method != 'GET']


_ids = itertools.count(1)


def webhook(name: str, **fields: Any) -> dict[str, Any]:
    """A webhook for ``Emulator.seed`` with its ID and trigger token known beforehand (``id=`` picks the ID)."""
    webhook_id = fields.pop('id', None) or '%024x' % next(_ids)
    return dict({'id': webhook_id, 'name': name, 'token': 'token-%s' % webhook_id}, **fields)


def flow(name: str, *webhook_ids: str, enabled: bool = True) -> dict[str, Any]:
    """A workflow for ``Emulator.seed_flows`` with its ID known beforehand, and a webhook trigger on each of
    ``webhook_ids``."""
    return {'id': '%024x' % next(_ids), 'name': name, 'enabled': enabled,
            'triggers': [{'type': 'webhook', 'key': key} for key in webhook_ids]}


@pytest.fixture(scope='session')
def emulator_server() -> Iterator[EmulatorServer]:
    """One emulator per test process (ansible-test forks one for each test)."""
    state = State()
    state.add_application(APP_ID)
    state.add_token({'token': TOKEN, 'scopes': ['all.Application'], 'applications': [APP_ID]})
    state.mark_initial()
    server = make_server(state).start_thread(poll_interval=0.01)
    yield server
    server.stop()


@pytest.fixture
def emulator(emulator_server: EmulatorServer, monkeypatch: pytest.MonkeyPatch) -> Emulator:
    """The emulator, back to its start: the application without webhooks, no faults, an empty journal."""
    # A request an earlier test's client gave up on (a timeout) would land in this test.
    assert emulator_server.state.wait_until_idle(10), 'an earlier test left a request in the emulator'
    emulator_server.state.reset()
    for variable in ('NO_PROXY', 'no_proxy'):
        monkeypatch.setenv(variable, '127.0.0.1')
    return Emulator(emulator_server)


@pytest.fixture
def public_api(emulator: Emulator, monkeypatch: pytest.MonkeyPatch) -> Emulator:
    """The emulator, reached at ``PUBLIC_API`` too: requests' transport sends what is addressed there to the
    emulator (plain HTTP, no proxy), so modules given that api_url behave as for Losant's public API."""
    send = HTTPAdapter.send

    def to_emulator(adapter: HTTPAdapter, request: Any, **options: Any) -> Any:
        if request.url.startswith(PUBLIC_API + '/'):
            request.url = emulator.url + request.url[len(PUBLIC_API):]
            options['proxies'] = {}
        return send(adapter, request, **options)
    monkeypatch.setattr(HTTPAdapter, 'send', to_emulator)
    return emulator
