# -*- coding: utf-8 -*-
# Copyright: Contributors to the losant.platform collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Attribution of drifts from the organization's audit log, against the emulator served from a thread."""

from __future__ import annotations

import json
import threading
import time

import pytest
import requests

from ansible_collections.losant.platform.plugins.module_utils._attribution import NO_SCOPE, Attribution, summary
from ansible_collections.losant.platform.plugins.module_utils._client import LosantClient
from ansible_collections.losant.platform.plugins.module_utils._webhook import FIELDS
from ansible_collections.losant.platform.tests.emulator.audit import DEFAULT_ORG_ID, add_entries
from ansible_collections.losant.platform.tests.emulator.server import make_server
from ansible_collections.losant.platform.tests.emulator.state import State

APP_ID = '5f0c1e2d3b4a59687a8b9c0d'
TOKEN = 'app-token'
ORG_TOKEN = 'org-token'
JANE = json.dumps({'type': 'User', 'name': 'Jane Doe'})
APPLICATION = '/applications/%s' % APP_ID
AUDIT_LOGS = '/orgs/%s/audit-logs' % DEFAULT_ORG_ID


class Emulator:
    def __init__(self) -> None:
        state = State()
        state.add_application(APP_ID)
        state.add_token({'token': TOKEN, 'scopes': ['all.Application'], 'applications': [APP_ID],
                         'name': 'deploy pipeline'})
        state.add_token({'token': ORG_TOKEN, 'scopes': ['all.Organization.read']})
        self.state = state
        self.server = make_server(state)
        threading.Thread(target=self.server.serve_forever, kwargs={'poll_interval': 0.01}, daemon=True).start()
        self.url = self.server.url

    def call(self, method: str, path: str, actor: str = '', **kwargs) -> dict:
        headers = {'Authorization': 'Bearer ' + TOKEN}
        if actor:
            headers['X-Emulator-Actor'] = actor
        response = requests.request(method, self.url + path, headers=headers, timeout=10, **kwargs)
        assert response.status_code < 300, response.text
        return response.json()

    def create(self, name: str, actor: str = '') -> str:
        return self.call('POST', '/applications/%s/webhooks' % APP_ID, actor, json={'name': name})['id']

    def journal(self) -> list:
        """The requests answered so far: the emulator journals a request just after answering it, so wait until
        two reads agree."""
        seen = None
        while True:
            requests_so_far = requests.get(self.url + '/_emulator/journal', timeout=10).json()['requests']
            if seen is not None and len(requests_so_far) == len(seen):
                return requests_so_far
            seen = requests_so_far
            time.sleep(0.05)

    def admin(self, path: str, body: dict) -> None:
        assert requests.post(self.url + '/_emulator' + path, json=body, timeout=10).status_code < 300


@pytest.fixture
def emulator():
    emu = Emulator()
    yield emu
    emu.server.shutdown()
    emu.server.server_close()


def attribution(emulator: Emulator, token: str = ORG_TOKEN, days: int = 30) -> Attribution:
    app_client = LosantClient(emulator.url, TOKEN, retries=0)
    audit_client = LosantClient(emulator.url, token, retries=0)
    return Attribution(app_client, APP_ID, FIELDS, days, audit_client)


def test_each_drift_names_its_newest_change(emulator):
    changed = emulator.create('orders')
    emulator.call('PATCH', '/applications/%s/webhooks/%s' % (APP_ID, changed), JANE,
                  json={'responseCode': 500, 'basicAuthPassword': 'hunter2'})
    by_hand = emulator.create('by-hand', JANE)
    deleted = emulator.create('gone')
    emulator.call('DELETE', '/applications/%s/webhooks/%s' % (APP_ID, deleted), JANE)
    changes = [{'action': 'update', 'name': 'orders', 'id': changed},
               {'action': 'delete', 'name': 'by-hand', 'id': by_hand},
               {'action': 'create', 'name': 'gone', 'id': None}]

    assert attribution(emulator).of(changes) is None

    update, extra, missing = (change['attribution'] for change in changes)
    assert (update['actor'], update['actor_type'], update['action']) == ('Jane Doe', 'User', 'patch')
    assert update['fields'] == ['basic_auth_password', 'response_code']
    assert (extra['actor'], extra['action'], extra['fields']) == ('Jane Doe', 'post', [])
    assert (missing['actor'], missing['action']) == ('Jane Doe', 'delete')
    assert 'hunter2' not in json.dumps(changes)
    assert summary(update).startswith('changed by Jane Doe (User) 20') and summary(update).endswith(' UTC')
    assert summary(extra).startswith('created by') and summary(missing).startswith('deleted by')


def test_one_owner_lookup_and_one_audit_request_for_all_drifts(emulator):
    ids = [emulator.create('hook-%d' % index) for index in range(3)]
    before = len(emulator.journal())
    changes = [{'action': 'update', 'name': 'hook-%d' % index, 'id': webhook_id} for index, webhook_id in enumerate(ids)]

    attribution(emulator).of(changes)

    journal = emulator.journal()[before:]
    calls = [(entry['method'], entry['path']) for entry in journal]
    assert calls == [('GET', '/applications/%s' % APP_ID), ('GET', '/orgs/%s/audit-logs' % DEFAULT_ORG_ID)]
    query = journal[1]['query']
    assert [query['auditLogFilter[secondaryTarget][%d][id]' % index] for index in range(3)] == ids
    assert int(query['end']) - int(query['start']) == 30 * 86_400_000


def test_no_drift_makes_no_request(emulator):
    assert attribution(emulator).of([]) is None
    assert emulator.journal() == []


def test_many_drifts_are_asked_for_in_chunks_of_50(emulator):
    changes = [{'action': 'create', 'name': 'hook-%03d' % index, 'id': None} for index in range(50)]
    changes.append({'action': 'update', 'name': 'last', 'id': emulator.create('last')})
    reason = attribution(emulator).of(changes)
    audit_calls = [entry for entry in emulator.journal() if entry['path'].startswith('/orgs/')]
    assert [len([name for name in call['query'] if name.endswith('][type]') and 'secondaryTarget' in name])
            for call in audit_calls] == [50, 1]
    assert changes[-1]['attribution']['action'] == 'post'
    assert reason == 'no audit log entry within the last 30 days for 50 of the 51 changes'


def log(emulator: Emulator, *entries: dict) -> None:
    """Add entries about webhooks of the application: ``{'name': ..., 'seconds_ago': ...}`` and any other keys."""
    now = time.time()
    with emulator.state.lock:
        add_entries(emulator.state, [dict({
            'creationDate': time.strftime('%Y-%m-%dT%H:%M:%S.000Z', time.gmtime(now - entry['seconds_ago'])),
            'primaryTargetType': 'Application', 'primaryTargetId': APP_ID, 'secondaryTargetType': 'Webhook',
            'secondaryTargetName': entry['name'], 'actorType': 'User', 'actorName': 'Jane Doe',
            'requestAction': 'patch', 'responseStatus': 200},
            **{key: value for key, value in entry.items() if key not in ('name', 'seconds_ago')})
            for entry in entries])


def creates(*names: str) -> list:
    return [{'action': 'create', 'name': name, 'id': None} for name in names]


def pages_read(emulator: Emulator) -> list:
    return [(entry['query']['page'], entry['query']['perPage']) for entry in emulator.journal()
            if entry['path'].startswith('/orgs/')]


def test_a_busy_log_is_read_no_further_than_10_pages_of_100(emulator):
    log(emulator, *({'name': 'busy', 'seconds_ago': 100 + index} for index in range(1100)))
    log(emulator, {'name': 'early', 'seconds_ago': 100 + 995.5}, {'name': 'late', 'seconds_ago': 100 + 1005.5})
    changes = creates('busy', 'early', 'late')
    reason = attribution(emulator).of(changes)
    assert pages_read(emulator) == [(str(page), '100') for page in range(10)]
    assert [bool(change['attribution']) for change in changes] == [True, True, False]
    assert reason == 'no audit log entry within the last 30 days for 1 of the 3 changes'


def test_reading_stops_once_each_drift_has_its_newest_entry(emulator):
    log(emulator, *({'name': 'busy', 'seconds_ago': 100 + index} for index in range(250)))
    log(emulator, {'name': 'quiet', 'seconds_ago': 100 + 149.5})
    changes = creates('busy', 'quiet')
    assert attribution(emulator).of(changes) is None
    assert pages_read(emulator) == [('0', '100'), ('1', '100')]


def test_reading_stops_at_the_last_entry(emulator):
    log(emulator, *({'name': 'busy', 'seconds_ago': 100 + index} for index in range(300)))
    attribution(emulator).of(creates('busy', 'never-logged'))
    assert pages_read(emulator) == [('0', '100'), ('1', '100'), ('2', '100')]


def test_a_log_that_shrinks_while_read_is_read_no_further_than_its_end(emulator):
    """Entries expire: a later page may count fewer than were read already."""
    busy = {'primaryTargetType': 'Application', 'primaryTargetId': APP_ID, 'secondaryTargetType': 'Webhook',
            'secondaryTargetName': 'busy', 'actorType': 'User', 'actorName': 'Jane Doe',
            'creationDate': '2026-03-01T00:00:00.000Z', 'requestAction': 'patch', 'responseStatus': 200}
    for total in (300, 150):
        emulator.admin('/faults', {'status': 200, 'method': 'GET', 'path': AUDIT_LOGS,
                                   'body': {'items': [busy] * 100, 'count': 100, 'totalCount': total}})
    attribution(emulator).of(creates('busy', 'never-logged'))
    assert pages_read(emulator) == [('0', '100'), ('1', '100')]


def test_entries_the_server_should_have_left_out_are_no_attribution(emulator):
    """Whatever order the server lists them in, and whatever its filter let through: another kind of resource,
    another application, a request refused."""
    def entry(actor: str, moment: str, **other: object) -> dict:
        return dict({'primaryTargetType': 'Application', 'primaryTargetId': APP_ID, 'secondaryTargetType': 'Webhook',
                     'secondaryTargetName': 'orders', 'actorType': 'User', 'actorName': actor,
                     'creationDate': '2026-%s:00.000Z' % moment, 'requestAction': 'delete', 'responseStatus': 200},
                    **other)
    items = [entry('Olga', '01-01T00:00'), entry('Jane Doe', '02-01T00:00'),
             entry('Dave', '03-01T00:00', secondaryTargetType='Device'),
             entry('Fay', '03-02T00:00', secondaryTargetType='Workflow'),
             entry('Abe', '03-03T00:00', primaryTargetId='0' * 24), entry('Zoe', '03-04T00:00', primaryTargetId='f' * 24),
             entry('Fred', '03-05T00:00', responseStatus=500)]
    emulator.admin('/faults', {'status': 200, 'method': 'GET', 'path': AUDIT_LOGS,
                               'body': {'items': items, 'count': len(items), 'totalCount': len(items)}})
    changes = creates('orders')
    assert attribution(emulator).of(changes) is None
    assert (changes[0]['attribution']['actor'], changes[0]['attribution']['action']) == ('Jane Doe', 'delete')


def test_a_refused_request_is_no_change(emulator):
    webhook_id = emulator.create('orders')
    emulator.state.audit_logs[0]['creationDate'] = '2026-01-01T00:00:00.000Z'  # older than Fred's
    emulator.admin('/audit-logs', {'entries': [{
        'secondaryTargetType': 'Webhook', 'secondaryTargetId': webhook_id, 'secondaryTargetName': 'orders',
        'primaryTargetType': 'Application', 'primaryTargetId': APP_ID, 'actorType': 'User',
        'actorName': 'Failed Fred', 'requestAction': 'patch', 'responseStatus': 400}]})
    changes = [{'action': 'update', 'name': 'orders', 'id': webhook_id}]
    attribution(emulator, days=3660).of(changes)
    assert changes[0]['attribution']['actor'] == 'deploy pipeline'


@pytest.mark.parametrize('setting, reason', [
    ('forbidden', NO_SCOPE),
    ('missing', "the organization's audit logs were not found"),
])
def test_plans_without_audit_logs(emulator, setting, reason):
    webhook_id = emulator.create('orders')
    emulator.admin('/settings', {'audit_logs': setting})
    changes = [{'action': 'update', 'name': 'orders', 'id': webhook_id}]
    assert attribution(emulator).of(changes).startswith(reason)
    assert changes[0]['attribution'] is None


@pytest.mark.parametrize('path, status, reason', [
    (AUDIT_LOGS, 401, NO_SCOPE),
    (APPLICATION, 401, "the token may not read the application's owner: GET %s failed with HTTP 401" % APPLICATION),
    (APPLICATION, 403, "the token may not read the application's owner: GET %s failed with HTTP 403" % APPLICATION),
    (APPLICATION, 404, 'reading the audit log failed: GET %s failed with HTTP 404' % APPLICATION),
    (AUDIT_LOGS, 400, 'reading the audit log failed: GET %s' % AUDIT_LOGS),
    (AUDIT_LOGS, 500, 'reading the audit log failed: GET %s' % AUDIT_LOGS),
])
def test_each_error_says_why_there_is_no_attribution(emulator, path, status, reason):
    changes = [{'action': 'update', 'name': 'orders', 'id': emulator.create('orders')}]
    emulator.admin('/faults', {'status': status, 'method': 'GET', 'path': path})
    assert attribution(emulator).of(changes).startswith(reason)
    assert changes[0]['attribution'] is None


def test_a_token_without_organization_scopes(emulator):
    changes = [{'action': 'update', 'name': 'orders', 'id': emulator.create('orders')}]
    assert attribution(emulator, token=TOKEN).of(changes) == NO_SCOPE
    assert changes[0]['attribution'] is None


@pytest.mark.parametrize('answer', [
    pytest.param({'ownerType': 'user', 'ownerId': '5a' * 12}, id='a user'),
    pytest.param({'id': APP_ID, 'name': 'Applications'}, id="no owner (Losant's schema requires none)"),
])
def test_an_application_no_organization_owns(emulator, answer):
    if 'ownerType' in answer:
        emulator.admin('/applications/%s/owner' % APP_ID, answer)
    else:
        emulator.admin('/faults', {'status': 200, 'method': 'GET', 'path': '/applications/%s' % APP_ID, 'body': answer})
    changes = [{'action': 'create', 'name': 'orders', 'id': None}]
    assert 'owned by a user' in attribution(emulator).of(changes)
    assert [entry['path'] for entry in emulator.journal()] == ['/applications/%s' % APP_ID]


def test_an_entry_outside_the_window_is_not_found(emulator):
    webhook_id = emulator.create('orders')
    emulator.state.audit_logs[0]['creationDate'] = '2001-01-01T00:00:00.000Z'
    changes = [{'action': 'update', 'name': 'orders', 'id': webhook_id}]
    assert attribution(emulator, days=1).of(changes) == (
        'no audit log entry within the last 1 days for 1 of the 1 changes')
    assert changes[0]['attribution'] is None


def test_an_error_reading_the_log_is_a_reason_not_a_failure(emulator):
    changes = [{'action': 'update', 'name': 'orders', 'id': emulator.create('orders')}]
    requests.post(emulator.url + '/_emulator/faults', json={'status': 503, 'count': 2}, timeout=10)
    reason = attribution(emulator).of(changes)
    assert reason.startswith('reading the audit log failed: GET /applications/%s failed with HTTP 503' % APP_ID)


def test_the_summary_of_a_known_time():
    assert summary({'actor': 'Jane Doe', 'actor_type': 'User', 'time': '2026-12-05T14:02:31.000Z',
                    'action': 'patch'}) == 'changed by Jane Doe (User) 2026-12-05 14:02 UTC'
    assert summary(None) == ''
    assert summary({'actor': 'x', 'actor_type': 'ApiToken', 'time': 'garbage', 'action': 'delete'}) == (
        'deleted by x (ApiToken)')
