# -*- coding: utf-8 -*-
# Copyright: Contributors to the losant.platform collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

from typing import Any

import pytest

from ansible_collections.losant.platform.plugins.module_utils._fields import desired_fields
from ansible_collections.losant.platform.plugins.module_utils._resource_set import (
    ACTIONS,
    Change,
    after_items,
    apply_changes,
    changes_diff,
    repeated,
    ResourceSet,
)
from ansible_collections.losant.platform.plugins.module_utils._webhook import (
    FIELDS,
    PUBLIC_TRIGGER_BASE,
    WEBHOOKS,
    WebhookApi,
    with_trigger_url,
)
from ansible_collections.losant.platform.tests.emulator.state import CREATE_DEFAULTS
from ansible_collections.losant.platform.tests.unit.conftest import APP_ID, COLLECTION, webhook

DATE = '2026-01-01T00:00:00.000Z'


def after_state(items: list[dict[str, Any]], changes: list[Change], answers: list[Any], base: Any) -> list[dict[str, Any]]:
    """The webhooks losant_webhooks returns after a run: ``after_items``, each masked with its trigger URL."""
    return [with_trigger_url(hook, base) for hook in after_items(items, changes, answers, APP_ID)]


def listed(name: str, **fields: Any) -> dict[str, Any]:
    """A webhook as the API lists it: read-only and HAL keys, the create defaults, then ``fields``."""
    hook = webhook(name, **fields)
    return dict(CREATE_DEFAULTS, webhookId=hook['id'], applicationId=APP_ID, creationDate=DATE, lastUpdated=DATE,
                _type='webhook', _links={'self': {'href': '%s/%s' % (COLLECTION, hook['id'])}}, **hook)


def old(name: str, **fields: Any) -> dict[str, Any]:
    """A webhook from before most fields existed: its ID, token, name and ``fields``."""
    return webhook(name, **fields)


def entry(name, **fields):
    """A config item as AnsibleModule hands it over: every suboption present, unset ones None."""
    item = {field.option: None for field in FIELDS}
    item.update(name=name, **fields)
    return item


def test_config_argument_spec_requires_name_and_keeps_field_types_choices_and_no_log():
    spec = WEBHOOKS.config_argument_spec()
    assert spec['name'] == {'type': 'str', 'required': True}
    assert spec['cast_buffers_as']['choices'] == ['array', 'binary', 'utf8', 'base64', 'hex']
    assert spec['basic_auth_password']['no_log'] is True
    assert spec['verification_code']['no_log'] is True
    assert set(spec) == {field.option for field in FIELDS}


def test_config_entry_uses_option_names_and_drops_secrets_read_only_hal_and_null_keys():
    hook = listed('orders', description='shop', basicAuthPassword='pw-123456', verificationCode='vc-123456',
                  basicAuthUsername='partner', enabled=None)
    assert WEBHOOKS.config_entry(hook) == {
        'name': 'orders', 'description': 'shop', 'response_code': 200, 'verification_type': 'none',
        'wait_for_reply': False, 'basic_auth_username': 'partner', 'is_websocket': False,
        'cast_buffers_as': 'array', 'annotate_multipart': False,
    }


def test_config_entry_of_an_old_webhook_lists_only_the_fields_it_has():
    assert WEBHOOKS.config_entry(old('old', responseCode=404)) == {'name': 'old', 'response_code': 404}


def test_repeated_lists_each_name_seen_twice_once_sorted():
    assert repeated(['b', 'a', 'b', 'c', 'a', 'b']) == ['a', 'b']
    assert repeated(['a', 'A']) == []


def test_replaced_changes_counts_missing_and_null_fields_as_defaults():
    current = old('a', description=None, enabled=None)
    assert WEBHOOKS.replaced_changes({'name': 'a'}, current) == {}
    assert WEBHOOKS.replaced_changes({'name': 'a', 'enabled': True}, current) == {'enabled': True}


def test_replaced_changes_compares_given_fields_like_merged():
    current = listed('a', responseCode=201)
    assert WEBHOOKS.replaced_changes({'name': 'a', 'responseCode': 202}, current) == {'responseCode': 202}
    assert WEBHOOKS.replaced_changes({'name': 'a', 'responseCode': 201}, current) == {}


def test_update_secrets_on_create_sends_secrets_only_in_creates():
    current = listed('a')  # the API did not return the password: it cannot be compared
    entries = [entry('a', basic_auth_password='pw-1'), entry('b', basic_auth_password='pw-2')]
    always = ResourceSet(WEBHOOKS, [current]).plan('merged', entries, 'always')
    on_create = ResourceSet(WEBHOOKS, [current]).plan('merged', entries, 'on_create')
    assert [(c.action, c.body) for c in always] == [
        ('update', {'basicAuthPassword': 'pw-1'}), ('create', {'name': 'b', 'basicAuthPassword': 'pw-2'})]
    assert [(c.action, c.body) for c in on_create] == [('create', {'name': 'b', 'basicAuthPassword': 'pw-2'})]


def test_a_secret_the_api_returns_is_compared():
    current = listed('a', basicAuthPassword='pw-1')
    assert ResourceSet(WEBHOOKS, [current]).plan('replaced', [entry('a', basic_auth_password='pw-1')]) == []
    changes = ResourceSet(WEBHOOKS, [current]).plan('replaced', [entry('a', basic_auth_password='pw-2')])
    assert changes[0].body == {'basicAuthPassword': 'pw-2'}


def test_duplicates_names_the_ids_of_shared_names_among_those_asked_for():
    hooks = [listed('a'), listed('a'), listed('b'), listed('c'), listed('c')]
    webhooks = ResourceSet(WEBHOOKS, hooks)
    assert webhooks.duplicates() == {'a': [hooks[0]['id'], hooks[1]['id']], 'c': [hooks[3]['id'], hooks[4]['id']]}
    assert webhooks.duplicates(['c', 'b', 'missing']) == {'c': [hooks[3]['id'], hooks[4]['id']]}
    assert webhooks.duplicates([]) == {}


def test_changes_diff_is_keyed_by_name_with_changed_fields_only_and_secrets_masked():
    a = listed('a', responseCode=201, basicAuthPassword='old-secret')
    gone = listed('gone', verificationCode='vc-secret')
    changes = ResourceSet(WEBHOOKS, [a, gone]).plan(
        'overridden', [entry('a', response_code=202, basic_auth_password='new-secret'),
                       entry('n', verification_code='vc-new')])
    diff = changes_diff(changes, APP_ID)
    assert diff['before'] == {
        'a': {'response_code': 201, 'basic_auth_password': '********'},
        'gone': {'id': gone['id'], 'token': '********', 'name': 'gone', 'response_code': 200,
                 'verification_type': 'none', 'verification_code': '********', 'wait_for_reply': False,
                 'is_websocket': False, 'cast_buffers_as': 'array', 'annotate_multipart': False, 'enabled': True},
    }
    assert diff['after']['a'] == {'response_code': 202, 'basic_auth_password': '******** (changed)'}
    assert diff['after']['n']['verification_code'] == '********'
    assert diff['after']['n']['enabled'] is True
    assert 'secret' not in repr(diff) and 'vc-new' not in repr(diff) and gone['token'] not in repr(diff)


def test_changes_diff_keys_a_repeated_name_with_its_id():
    hooks = [listed('dup'), listed('dup')]
    diff = changes_diff(ResourceSet(WEBHOOKS, hooks).plan('overridden', [entry('x')]), APP_ID)
    assert set(diff['before']) == {'dup', 'dup (%s)' % hooks[1]['id']}
    assert set(diff['after']) == {'x'}


def test_apply_changes_in_check_mode_sends_nothing_and_records_the_plan(emulator, api):
    planner = WebhookApi(api.client, APP_ID, check_mode=True)
    changes = ResourceSet(WEBHOOKS, emulator.seed(webhook('a'))).plan('merged', [entry('b', basic_auth_password='pw-77777')])
    assert apply_changes(planner, changes) == [None]
    assert emulator.calls == []
    assert planner.writes == [{'method': 'POST', 'path': COLLECTION,
                               'body': {'name': 'b', 'basicAuthPassword': '********'}}]


def test_after_state_predicts_check_mode_and_uses_answers_otherwise():
    a, b = listed('b-hook', responseCode=201), listed('a-hook', basicAuthPassword='pw-secret')
    changes = ResourceSet(WEBHOOKS, [a, b]).plan('overridden', [entry('b-hook', response_code=202), entry('c-hook')])
    predicted = after_state([a, b], changes, [None] * len(changes), PUBLIC_TRIGGER_BASE)
    assert [hook['name'] for hook in predicted] == ['b-hook', 'c-hook']
    assert predicted[0]['responseCode'] == 202 and predicted[0]['trigger_url'].endswith(a['token'])
    assert 'id' not in predicted[1] and predicted[1]['trigger_url'] is None and predicted[1]['enabled'] is True
    assert not any(key.startswith('_') for hook in predicted for key in hook)
    answers = [dict(a, responseCode=202), listed('c-hook'), {'success': True}]
    assert after_state([a, b], changes, answers, None)[1]['id'] == answers[1]['id']


def test_after_state_masks_secrets():
    hook = listed('a', basicAuthPassword='pw-secret', verificationCode='vc-secret')
    assert after_state([hook], [], [], None)[0]['basicAuthPassword'] == '********'
    assert 'secret' not in repr(after_state([hook], [], [], None))


def test_overridden_with_ten_percent_drift_plans_one_update_per_drifted_webhook():
    hooks = [listed('hook-%05d' % index, description='d') for index in range(1000)]
    entries = [entry('hook-%05d' % index, description='d' if index % 10 else 'drift') for index in range(1000)]
    changes = ResourceSet(WEBHOOKS, hooks).plan('overridden', entries)
    assert len(changes) == 100 and all(c.action == 'update' and c.body == {'description': 'drift'} for c in changes)
    assert desired_fields(FIELDS, entries[1]) == {'name': 'hook-00001', 'description': 'd'}


def test_a_change_accepts_only_the_three_actions():
    assert ACTIONS == ('create', 'update', 'delete')
    with pytest.raises(ValueError, match="unknown change action 'remove', expected one of create, update, delete"):
        Change(WEBHOOKS, 'remove', 'orders')
