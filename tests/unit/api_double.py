# -*- coding: utf-8 -*-
# Copyright: Contributors to the losant.platform collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The one test double of the Losant API for unit tests: an application's webhooks in memory.

``FakeApi`` answers as the API would (listing with paging, sorting and the case-insensitive glob
filter, get, create with the platform defaults, update, delete, 404 for an unknown webhook), and
records every request. Use it in one of two ways:

- as the client of ``WebhookApi`` (module_utils tests): ``WebhookApi(FakeApi([...]), APP_ID)``;
  ``request`` has the signature of ``LosantClient.request`` and raises ``LosantError``.
- behind the real client and ``AnsibleModule`` (module tests): ``with fake.serving(): run_module(...)``
  answers every ``requests.Session.request``; the ``fake_api`` fixture of
  tests/unit/plugins/modules/conftest.py does that for a whole test and starts empty (``fake_api.add``).

What it recorded:

- ``calls``: every request in order, as ``Call(method, path, body, params, headers, timeout)``; ``params``
  is a copy of what the client passed (ints stay ints); ``headers`` and ``timeout`` only when serving.
- ``writes`` (every call but GET), ``lists`` (the GETs of the collection), ``stored`` (webhooks by ID).

Workflows: ``fake.flows`` (a list, e.g. of ``flow(name, webhook_id)``) answers the workflow list with its
``triggerFilter`` query, paged; a DELETE with ``includeWorkflows=true`` removes the webhook's workflows.

To answer otherwise than the stored webhooks would:

- ``fake.script(method, path, *answers)``: the next requests with that method and path get these
  answers in order, then the stored webhooks answer again. An answer is a ``Reply(status, body,
  headers)`` (a ``bytes`` body is sent as is, a JSON one otherwise), an exception to raise (``requests.exceptions.ReadTimeout()`` when serving, a
  ``LosantError`` as the client), or ``None`` for the stored webhooks' answer.
- ``FakeApi(..., fail_write=N, failure=(status, type, message))``: the Nth write (1-based) fails.
- ``FakeApi(scripted_only=True)``: a request without a scripted answer fails the test (``AssertionError``).

``webhook(name, **fields)`` builds a stored webhook with the platform defaults (``CREATE_DEFAULTS`` of
the emulator, their one statement for every test suite), read-only and HAL keys
(``id=`` picks its ID); ``bare_webhook`` one from before most fields existed; ``listing`` a raw list
answer for ``Reply``.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import re
from typing import Any, Iterator, NamedTuple, Optional, Union
from unittest import mock

import requests

from ansible_collections.losant.platform.plugins.module_utils._client import LosantError
from ansible_collections.losant.platform.tests.emulator.state import CREATE_DEFAULTS

APP_ID = '5f0c1e2d3b4a59687a8b9c0d'
BASE_URL = 'https://api.example.test'
# Where a private installation's webhooks are triggered (option trigger_base_url), for the tests that need it.
TRIGGER_BASE = 'https://triggers.example.test/webhooks'
_ids = itertools.count(1)


class Reply(NamedTuple):
    status: int
    body: Any = None
    headers: Optional[dict[str, str]] = None


class Call(NamedTuple):
    method: str
    path: str
    body: Optional[dict[str, Any]]
    params: Optional[dict[str, Any]]
    headers: Optional[dict[str, str]] = None
    timeout: Any = None


Answer = Union[Reply, Exception, None]


def webhook(name: str, **fields: Any) -> dict[str, Any]:
    """A stored webhook as the API lists it, with the create defaults, read-only and HAL keys."""
    webhook_id = fields.pop('id', None) or '%024x' % next(_ids)
    stored = {'id': webhook_id, 'webhookId': webhook_id, 'applicationId': APP_ID, 'name': name,
              'token': 'token-%s' % webhook_id, 'creationDate': '2026-01-01T00:00:00.000Z',
              'lastUpdated': '2026-01-01T00:00:00.000Z', '_type': 'webhook', '_links': {'self': {'href': '/x'}}}
    stored.update(CREATE_DEFAULTS)
    stored.update(fields)
    return stored


def bare_webhook(name: str, **fields: Any) -> dict[str, Any]:
    """A webhook from before most fields existed: only identity keys, ``name`` and ``fields``."""
    stored = webhook(name)
    for key in CREATE_DEFAULTS:
        del stored[key]
    stored.update(fields)
    return stored


def flow(name: str, *webhook_ids: str, enabled: bool = True) -> dict[str, Any]:
    """A stored workflow with a webhook trigger on each of ``webhook_ids``."""
    return {'id': '%024x' % next(_ids), 'name': name, 'enabled': enabled, 'flowClass': 'cloud',
            'triggers': [{'type': 'webhook', 'key': webhook_id} for webhook_id in webhook_ids]}


def listing(*hooks: dict[str, Any], total: Optional[int] = None, page: int = 0) -> dict[str, Any]:
    """A list answer holding ``hooks``; ``total`` defaults to their number."""
    return {'items': list(hooks), 'count': len(hooks), 'totalCount': len(hooks) if total is None else total,
            'perPage': 1000, 'page': page, 'applicationId': APP_ID, '_type': 'webhooks'}


def glob_matches(pattern: str, name: str) -> bool:
    """The API's name filter: ``*`` matches anything, everything else literally, ignoring case."""
    regex = '.*'.join(re.escape(part) for part in pattern.split('*'))
    return re.fullmatch(regex, name, re.IGNORECASE | re.DOTALL) is not None


class FakeApi:
    """An application's webhooks answering requests as the Losant API; see the module docstring."""

    def __init__(self, webhooks: Optional[list[dict[str, Any]]] = None, fail_write: Optional[int] = None,
                 failure: tuple = (500, 'InternalServerError', 'Internal server error'),
                 scripted_only: bool = False) -> None:
        self.stored: dict[str, dict[str, Any]] = {}
        self.calls: list[Call] = []
        self.fail_write = fail_write
        self.failure = failure
        self.collection = '/applications/%s/webhooks' % APP_ID
        self.scripts: dict[tuple[str, str], list[Answer]] = {}
        self.scripted_only = scripted_only
        self.flows_path = '/applications/%s/flows' % APP_ID
        self.flows: list[dict[str, Any]] = []
        self.add(*(webhooks or []))

    def add(self, *webhooks: dict[str, Any]) -> None:
        self.stored.update((hook['id'], dict(hook)) for hook in webhooks)

    def script(self, method: str, path: str, *answers: Answer) -> None:
        self.scripts.setdefault((method, path), []).extend(answers)

    @property
    def writes(self) -> list[Call]:
        return [call for call in self.calls if call.method != 'GET']

    @property
    def lists(self) -> list[Call]:
        return [call for call in self.calls if call.method == 'GET' and call.path == self.collection]

    def request(self, method: str, path: str, body: Optional[dict] = None, params: Optional[dict] = None,
                expect: Any = None) -> Any:
        """``LosantClient.request``: the answer's body, or ``LosantError`` for an error status."""
        self.calls.append(Call(method, path, body, dict(params) if params else params))
        reply = self.answer(method, path, body, params)
        if reply.status >= 400:
            raise LosantError(method, path, reply.body['message'], reply.status, reply.body['type'])
        return reply.body

    @contextlib.contextmanager
    def serving(self, base_url: str = BASE_URL) -> Iterator[None]:
        """Answer every ``requests.Session.request`` for ``base_url`` as HTTP responses."""
        def request(session: requests.Session, method: str, url: str, params: Optional[dict] = None,
                    json: Any = None, headers: Optional[dict] = None, timeout: Any = None,
                    **transport: Any) -> requests.Response:
            assert url.startswith(base_url), url
            path = url[len(base_url):]
            sent = dict(session.prepare_request(requests.Request(method, url, headers=headers, json=json)).headers)
            self.calls.append(Call(method, path, json, dict(params) if params else params, sent, timeout))
            return http_response(self.answer(method, path, json, params))
        with mock.patch.object(requests.Session, 'request', request):
            yield

    def answer(self, method: str, path: str, body: Optional[dict], params: Optional[dict]) -> Reply:
        """The scripted answer if there is one, else the stored webhooks'. Raises a scripted exception."""
        scripted = self.scripts.get((method, path))
        if scripted:
            answer = scripted.pop(0)
            if isinstance(answer, Exception):
                raise answer
            if answer is not None:
                return answer
        elif self.scripted_only:
            raise AssertionError('no scripted answer for %s %s' % (method, path))
        try:
            return Reply(201 if method == 'POST' else 200, self.stored_answer(method, path, body or {}, params or {}))
        except LosantError as error:
            return Reply(error.status or 500, {'type': error.error_type, 'message': error.error_message})

    def stored_answer(self, method: str, path: str, body: dict[str, Any], params: dict[str, Any]) -> Any:
        if method != 'GET' and len(self.writes) == self.fail_write:
            status, error_type, message = self.failure
            raise LosantError(method, path, message, status, error_type)
        if path == self.collection:
            return self._list(params) if method == 'GET' else self._create(body)
        if path == self.flows_path and method == 'GET':
            return self._list_flows(params)
        webhook_id = path.rsplit('/', 1)[1]
        if path != '%s/%s' % (self.collection, webhook_id) or webhook_id not in self.stored:
            raise LosantError(method, path, 'Webhook was not found', 404, 'NotFound')
        if method == 'PATCH':
            self.stored[webhook_id].update(body)
            return dict(self.stored[webhook_id])
        if method == 'DELETE':
            del self.stored[webhook_id]
            if str(params.get('includeWorkflows')) == 'true':
                self.flows = [item for item in self.flows if {'type': 'webhook', 'key': webhook_id} not in item['triggers']]
            return {'success': True}
        return dict(self.stored[webhook_id])

    def _list(self, params: dict[str, Any]) -> dict[str, Any]:
        hooks = sorted(self.stored.values(), key=lambda hook: (hook['name'], hook['id']))
        if params.get('filterField') == 'name':
            hooks = [hook for hook in hooks if glob_matches(params['filter'], hook['name'])]
        per_page, page = params['perPage'], params['page']
        return dict(listing(*(dict(hook) for hook in hooks[page * per_page:(page + 1) * per_page]),
                            total=len(hooks), page=page), perPage=per_page)

    def _list_flows(self, params: dict[str, Any]) -> dict[str, Any]:
        """Workflows with a trigger equal to one of the ``triggerFilter[N][type|key]`` entries, by name."""
        wanted = [{'type': params['triggerFilter[%d][type]' % index], 'key': params['triggerFilter[%d][key]' % index]}
                  for index in range(len(params)) if 'triggerFilter[%d][type]' % index in params]
        if len(wanted) > 100:
            raise LosantError('GET', self.flows_path, 'triggerFilter allows at most 100 entries', 400, 'Validation')
        flows = sorted((item for item in self.flows if not wanted or any(trigger in wanted for trigger in item['triggers'])),
                       key=lambda item: (item['name'], item['id']))
        per_page, page = params.get('perPage', 100), params.get('page', 0)
        return {'items': [dict(item) for item in flows[page * per_page:(page + 1) * per_page]], 'count': len(flows),
                'totalCount': len(flows), 'perPage': per_page, 'page': page, '_type': 'flows'}

    def _create(self, body: dict[str, Any]) -> dict[str, Any]:
        fields = dict(body)
        created = webhook(fields.pop('name'), **fields)
        self.stored[created['id']] = created
        return dict(created)


def http_response(reply: Reply) -> requests.Response:
    response = requests.Response()
    response.status_code = reply.status
    raw = reply.body if isinstance(reply.body, bytes) else None
    response._content = raw or (b'' if reply.body is None else json.dumps(reply.body).encode('utf-8'))
    response.headers['Content-Type'] = 'application/json'
    response.headers.update(reply.headers or {})
    response.encoding = 'utf-8'
    return response
