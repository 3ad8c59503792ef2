# -*- coding: utf-8 -*-
# Copyright: Contributors to the losant.platform collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""A second resource is its field table and a small module (losant_relay.py): end to end against the emulator."""

from __future__ import annotations

from ansible_collections.losant.platform.plugins.module_utils._fields import CHANGED_SECRET, MASK
from ansible_collections.losant.platform.tests.unit.conftest import APP_ID, COLLECTION, Emulator
from ansible_collections.losant.platform.tests.unit.plugins.modules.losant_relay import main

SECRET = 'relay-secret-7c1e'


def relay(emulator: Emulator, **options: object) -> dict[str, object]:
    return emulator.args(name='relay-a', **options)


def writes(emulator: Emulator) -> list[tuple[str, str, object]]:
    return [(call.method, call.path, call.body) for call in emulator.writes]


def test_a_relay_is_created_with_its_fields_and_secret_masked(run_module, emulator):
    run = run_module(main, relay(emulator, description='first', shared_secret=SECRET), diff=True)
    assert run.exit_code == 0 and run.result['changed'] is True, run.result
    assert writes(emulator) == [('POST', COLLECTION, {'name': 'relay-a', 'description': 'first',
                                                      'basicAuthPassword': SECRET})]
    assert run.result['relay']['description'] == 'first' and run.result['diff']['before'] == {}
    assert run.result['diff']['after']['shared_secret'] == MASK
    assert run.result['requests'] == [{'method': 'POST', 'path': COLLECTION, 'body': {
        'name': 'relay-a', 'description': 'first', 'basicAuthPassword': MASK}}]
    assert SECRET not in run.output


def test_a_relay_as_wanted_is_left_alone_and_a_changed_field_is_patched(run_module, emulator):
    [stored] = emulator.seed({'name': 'relay-a', 'description': 'old', 'basicAuthPassword': SECRET})
    run = run_module(main, relay(emulator, description='old'))
    assert run.result['changed'] is False and writes(emulator) == []
    run = run_module(main, relay(emulator, description='new', enabled=False, shared_secret='other'), diff=True)
    path = '%s/%s' % (COLLECTION, stored['id'])
    assert writes(emulator) == [('PATCH', path, {'description': 'new', 'enabled': False, 'basicAuthPassword': 'other'})]
    assert run.result['diff'] == {
        'before': {'description': 'old', 'enabled': True, 'shared_secret': MASK},
        'after': {'description': 'new', 'enabled': False, 'shared_secret': CHANGED_SECRET}}


def test_check_mode_predicts_and_writes_nothing(run_module, emulator):
    [stored] = emulator.seed({'name': 'relay-a', 'description': 'old'})
    changed = run_module(main, relay(emulator, description='new'), check_mode=True, diff=True)
    created = run_module(main, emulator.args(name='relay-b'), check_mode=True)
    assert writes(emulator) == []
    assert changed.result['changed'] is True and changed.result['diff']['after'] == {'description': 'new'}
    assert changed.result['requests'] == [{'method': 'PATCH', 'path': '%s/%s' % (COLLECTION, stored['id']),
                                           'body': {'description': 'new'}}]
    assert created.result['changed'] is True and created.result['requests'][0]['method'] == 'POST'


def test_an_absent_relay_is_deleted_once(run_module, emulator):
    [stored] = emulator.seed({'name': 'relay-a'})
    first = run_module(main, relay(emulator, state='absent'))
    again = run_module(main, relay(emulator, state='absent'))
    assert writes(emulator) == [('DELETE', '%s/%s' % (COLLECTION, stored['id']), None)]
    assert first.result['changed'] is True and again.result['changed'] is False
    assert stored['id'] not in emulator.stored()


def test_bad_input_fails_before_any_request_and_an_api_error_names_the_relay(run_module, emulator):
    invalid = run_module(main, emulator.args(name=''))
    assert invalid.exit_code == 1 and invalid.result['msg'] == 'Invalid input: name must not be empty.'
    assert emulator.calls == []
    emulator.fault(method='POST', path=COLLECTION, status=502, body={'message': 'upstream failed'})
    failed = run_module(main, relay(emulator))
    assert failed.exit_code == 1 and failed.result['changed'] is True, failed.result
    assert failed.result['msg'].endswith('(1 attempt; the relay may have been created: check before running again)')
    assert APP_ID in failed.result['msg']
