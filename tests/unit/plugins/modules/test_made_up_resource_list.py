# -*- coding: utf-8 -*-
# Copyright: Contributors to the losant.platform collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The list module of a second resource (losant_relays.py) end to end against the emulator, every state run in
check mode first: it writes nothing and predicts the real run exactly."""

from __future__ import annotations

from typing import Any, Optional

from ansible_collections.losant.platform.plugins.module_utils._fields import CHANGED_SECRET, MASK
from ansible_collections.losant.platform.tests.unit.conftest import COLLECTION, Emulator
from ansible_collections.losant.platform.tests.unit.plugins.modules.losant_relays import main

SECRET = 'relay-secret-7c1e'
NEW_SECRET = 'relay-secret-new-94b0'


def writes(emulator: Emulator) -> list[tuple[str, str, object]]:
    return [(call.method, call.path, call.body) for call in emulator.writes]


def path(relay: dict[str, Any]) -> str:
    return '%s/%s' % (COLLECTION, relay['id'])


def fields_of(relay: dict[str, Any]) -> dict[str, Any]:
    return {key: relay.get(key) for key in ('name', 'description', 'enabled', 'basicAuthPassword', 'applicationId')}


def converge(run_module: Any, emulator: Emulator, state: str, config: Optional[list] = None,
             **options: Any) -> Any:
    """The module's run with diff in check mode, which must write nothing, then for real; the check-mode result
    must be the real one but for the relays after the run (a created relay has no ID before), kept as
    ``predicted_relays`` on the real run, which is returned."""
    args = emulator.args(state=state, concurrency=1, **options)
    if config is not None:
        args['config'] = config
    predicted = run_module(main, args, check_mode=True, diff=True)
    assert predicted.exit_code == 0 and writes(emulator) == [], predicted.result
    real = run_module(main, args, diff=True)
    assert real.exit_code == 0, real.result
    real.predicted_relays = predicted.result.pop('relays', None)
    assert predicted.result == {key: value for key, value in real.result.items() if key != 'relays'}
    return real


def test_merged_patches_what_differs_and_creates_what_is_missing(run_module, emulator):
    old, other = emulator.seed({'name': 'relay-a', 'description': 'old', 'basicAuthPassword': SECRET},
                               {'name': 'relay-b'})
    config = [{'name': 'relay-a', 'description': 'new'},
              {'name': 'relay-c', 'enabled': False, 'shared_secret': NEW_SECRET}]
    run = converge(run_module, emulator, 'merged', config)
    assert writes(emulator) == [('PATCH', path(old), {'description': 'new'}),
                                ('POST', COLLECTION, {'name': 'relay-c', 'enabled': False,
                                                      'basicAuthPassword': NEW_SECRET})]
    assert run.result['changed'] is True
    assert run.result['changes'] == [
        {'action': 'update', 'name': 'relay-a', 'id': old['id'], 'fields': ['description']},
        {'action': 'create', 'name': 'relay-c', 'id': None, 'fields': ['name', 'enabled', 'shared_secret']}]
    assert run.result['requests'][1] == {'method': 'POST', 'path': COLLECTION, 'body': {
        'name': 'relay-c', 'enabled': False, 'basicAuthPassword': MASK}}
    assert run.result['diff'] == {
        'before': {'relay-a': {'description': 'old'}},
        'after': {'relay-a': {'description': 'new'},
                  'relay-c': {'name': 'relay-c', 'enabled': False, 'shared_secret': MASK}}}
    assert [(relay['name'], relay['basicAuthPassword']) for relay in run.result['relays']] == [
        ('relay-a', MASK), ('relay-c', MASK)]
    assert [fields_of(relay) for relay in run.predicted_relays] == [fields_of(relay) for relay in run.result['relays']]
    assert run.result['before'] == [{'name': 'relay-a', 'description': 'old', 'enabled': True}]
    assert run.result['after'] == [{'name': 'relay-a', 'description': 'new', 'enabled': True},
                                   {'name': 'relay-c', 'enabled': False}]
    stored = {relay['name']: relay for relay in emulator.stored().values()}
    assert (stored['relay-a']['description'], stored['relay-c']['enabled']) == ('new', False)
    assert stored['relay-b'] == other
    assert SECRET not in run.output and NEW_SECRET not in run.output


def test_a_second_run_changes_nothing(run_module, emulator):
    config = [{'name': 'relay-a', 'description': 'd', 'shared_secret': SECRET}]
    converge(run_module, emulator, 'merged', config)
    emulator.state.journal.clear()
    again = converge(run_module, emulator, 'merged', config)
    assert again.result['changed'] is False and writes(emulator) == []
    assert again.result['changes'] == again.result['requests'] == again.result['relays'] == []
    assert again.result['diff'] == {'before': {}, 'after': {}}


def test_replaced_resets_what_config_leaves_out_but_the_secret(run_module, emulator):
    old, other = emulator.seed({'name': 'relay-a', 'description': 'old', 'enabled': False,
                                'basicAuthPassword': SECRET}, {'name': 'relay-b', 'description': 'kept'})
    run = converge(run_module, emulator, 'replaced', [{'name': 'relay-a'}])
    assert writes(emulator) == [('PATCH', path(old), {'description': '', 'enabled': True})]
    assert run.result['diff'] == {'before': {'relay-a': {'description': 'old', 'enabled': False}},
                                  'after': {'relay-a': {'description': '', 'enabled': True}}}
    stored = emulator.stored()
    assert stored[old['id']]['basicAuthPassword'] == SECRET and stored[other['id']] == other


def test_a_changed_secret_is_sent_and_shown_changed_unless_only_on_create(run_module, emulator):
    [old] = emulator.seed({'name': 'relay-a', 'basicAuthPassword': SECRET})
    config = [{'name': 'relay-a', 'shared_secret': NEW_SECRET}]
    kept = converge(run_module, emulator, 'merged', config, update_secrets='on_create')
    assert kept.result['changed'] is False and writes(emulator) == []
    run = converge(run_module, emulator, 'merged', config)
    assert writes(emulator) == [('PATCH', path(old), {'basicAuthPassword': NEW_SECRET})]
    assert run.result['diff'] == {'before': {'relay-a': {'shared_secret': MASK}},
                                  'after': {'relay-a': {'shared_secret': CHANGED_SECRET}}}
    assert SECRET not in run.output and NEW_SECRET not in run.output


def test_overridden_creates_and_deletes_every_other_relay_but_the_unmanaged(run_module, emulator):
    kept, doomed, unmanaged, last = emulator.seed({'name': 'relay-a'}, {'name': 'relay-b', 'description': 'b'},
                                                  {'name': 'keep-c'}, {'name': 'relay-d'})
    run = converge(run_module, emulator, 'overridden', [{'name': 'relay-a'}, {'name': 'relay-e'}],
                   unmanaged=['keep-*'])
    assert writes(emulator) == [('POST', COLLECTION, {'name': 'relay-e'}),
                                ('DELETE', path(doomed), None), ('DELETE', path(last), None)]
    assert [(change['action'], change['name']) for change in run.result['changes']] == [
        ('create', 'relay-e'), ('delete', 'relay-b'), ('delete', 'relay-d')]
    assert run.result['diff'] == {
        'before': {'relay-b': {'id': doomed['id'], 'name': 'relay-b', 'description': 'b', 'enabled': True},
                   'relay-d': {'id': last['id'], 'name': 'relay-d', 'enabled': True}},
        'after': {'relay-e': {'name': 'relay-e', 'enabled': True}}}
    assert sorted(relay['name'] for relay in emulator.stored().values()) == ['keep-c', 'relay-a', 'relay-e']
    assert emulator.stored()[kept['id']] == kept and emulator.stored()[unmanaged['id']] == unmanaged


def test_deleted_deletes_the_relays_named_and_delete_all_the_rest(run_module, emulator):
    first, named, unmanaged = emulator.seed({'name': 'relay-a'}, {'name': 'relay-b'}, {'name': 'keep-c'})
    run = converge(run_module, emulator, 'deleted', [{'name': 'relay-b'}, {'name': 'relay-x'}])
    assert writes(emulator) == [('DELETE', path(named), None)]
    assert run.result['changed'] is True and list(run.result['diff']['before']) == ['relay-b']
    assert run.result['diff']['after'] == {}
    emulator.state.journal.clear()
    everything = converge(run_module, emulator, 'deleted', delete_all=True, unmanaged=['keep-*'])
    assert writes(emulator) == [('DELETE', path(first), None)]
    assert everything.result['changes'] == [{'action': 'delete', 'name': 'relay-a', 'id': first['id'], 'fields': []}]
    assert list(emulator.stored()) == [unmanaged['id']]


def test_gathered_returns_the_relays_as_config_without_secrets(run_module, emulator):
    emulator.seed({'name': 'relay-a', 'description': 'd', 'basicAuthPassword': SECRET},
                  {'name': 'keep-c', 'basicAuthPassword': SECRET})
    run = converge(run_module, emulator, 'gathered', unmanaged=['keep-*'])
    assert run.result['changed'] is False and writes(emulator) == []
    assert run.result['gathered'] == [{'name': 'relay-a', 'description': 'd', 'enabled': True}]
    assert run.result['gathered_unmanaged'] == [{'name': 'keep-c', 'enabled': True}]
    assert [call.method for call in emulator.calls] == ['GET', 'GET']
    assert SECRET not in run.output


def test_refusals_name_relays_and_write_nothing(run_module, emulator):
    emulator.seed({'name': 'relay-a'}, {'name': 'relay-a'}, {'name': 'relay-b'}, {'name': 'relay-c'})
    ids = sorted(relay['id'] for relay in emulator.stored().values() if relay['name'] == 'relay-a')
    for check_mode in (True, False):
        twice = run_module(main, emulator.args(config=[{'name': 'relay-a', 'description': 'x'}]), check_mode=check_mode)
        assert twice.exit_code == 1 and twice.result['duplicates'] == {'relay-a': ids}, twice.result
        assert twice.result['msg'].startswith('Nothing was changed: several relays of the application share a name')
        assert twice.result['msg'].endswith('Rename or delete all but one with losant_relay and relay_id.')
        many = run_module(main, emulator.args(state='deleted', config=[{'name': 'relay-b'}, {'name': 'relay-c'}],
                                              max_deletions=1), check_mode=check_mode)
        assert many.exit_code == 1 and many.result['msg'].startswith(
            'Nothing was changed: the plan deletes 2 relays, more than max_deletions=1')
    assert writes(emulator) == []


def test_a_failed_write_stops_the_run_and_reports_what_was_applied(run_module, emulator):
    emulator.fail('POST', COLLECTION, 400, 'Validation', 'refused', after=1)
    config = [{'name': 'relay-x'}, {'name': 'relay-y'}, {'name': 'relay-z'}]
    run = run_module(main, emulator.args(config=config, concurrency=1))
    assert run.exit_code == 1 and run.result['changed'] is True, run.result
    assert [write['body']['name'] for write in run.result['applied']] == ['relay-x']
    assert [write['body']['name'] for write in run.result['not_applied']] == ['relay-y', 'relay-z']
    assert run.result['outcome_unknown'] == [] and run.result['error_type'] == 'Validation'
    assert [relay['name'] for relay in emulator.stored().values()] == ['relay-x']
    assert writes(emulator) == [('POST', COLLECTION, {'name': 'relay-x'}), ('POST', COLLECTION, {'name': 'relay-y'})]
