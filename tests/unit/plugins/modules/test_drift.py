# -*- coding: utf-8 -*-
# Copyright: Contributors to the losant.platform collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Drift features in-process: ``changes``, ``before``/``after``, the guards of losant_webhooks, and the
workflows a delete affects in losant_webhooks, losant_webhook and losant_webhook_info."""

from __future__ import annotations

import json
from typing import Any, Optional

import pytest

from ansible_collections.losant.platform.plugins.modules import losant_webhook, losant_webhook_info, losant_webhooks
from ansible_collections.losant.platform.tests.unit.conftest import COLLECTION, FLOWS, Emulator, flow, webhook

FORBIDDEN = (403, 'Forbidden', 'Access token is not authorized for flows.get')


@pytest.fixture
def run(run_module: Any, emulator: Emulator) -> Any:
    """``run(module, check_mode=False, diff=False, **args)``: the module's run against the emulator.

    losant_webhooks writes one at a time unless ``concurrency`` is given, so that the order the emulator
    journals is the plan's (parallel writes are tested in test_parallel_writes.py).
    """
    def execute(module: Any, check_mode: bool = False, diff: bool = False, **args: Any) -> Any:
        if module is losant_webhooks:
            args.setdefault('concurrency', 1)
        return run_module(module.main, emulator.args(**args), check_mode=check_mode, diff=diff)
    return execute


def writes(emulator: Emulator) -> list[tuple]:
    return [(call.method, call.path) for call in emulator.writes]


def warnings(outcome: Any) -> str:
    """The warnings as text: plain strings before ansible-core 2.19, structured after."""
    return json.dumps(outcome.result.get('warnings'))


def flow_queries(emulator: Emulator) -> list[Optional[dict]]:
    return [call.query for call in emulator.calls if call.path == FLOWS]


# -- changes, before and after -----------------------------------------------------------------

@pytest.mark.parametrize('check_mode', [False, True])
def test_webhooks_return_changes_and_before_after_in_config_shape(run, emulator, check_mode):
    hook, old = webhook('hook-07', responseCode=500, enabled=False), webhook('old')
    emulator.seed(hook, old)
    result = run(losant_webhooks, check_mode, state='overridden',
                 config=[{'name': 'hook-07', 'response_code': 200, 'enabled': True}, {'name': 'rogue'}]).result
    assert result['changes'] == [
        {'action': 'update', 'name': 'hook-07', 'id': hook['id'], 'fields': ['response_code', 'enabled']},
        {'action': 'create', 'name': 'rogue', 'id': None, 'fields': ['name']},
        {'action': 'delete', 'name': 'old', 'id': old['id'], 'fields': []},
    ]
    assert [entry['name'] for entry in result['before']] == ['hook-07', 'old']
    assert result['before'][0]['response_code'] == 500 and 'id' not in result['before'][0]
    assert [(entry['name'], entry['response_code'], entry['enabled']) for entry in result['after']] == [
        ('hook-07', 200, True), ('rogue', 200, True)]


def test_webhooks_without_changes_return_an_empty_before_and_no_after(run, emulator):
    emulator.seed(webhook('a'))
    result = run(losant_webhooks, state='merged', config=[{'name': 'a'}]).result
    assert result['changes'] == [] and result['before'] == [] and result['webhooks'] == [] and 'after' not in result


def test_webhook_returns_its_change_for_create_update_and_delete(run, emulator):
    emulator.seed(webhook('orders', responseCode=200))
    updated = run(losant_webhook, name='orders', response_code=201, enabled=True).result
    created = run(losant_webhook, check_mode=True, name='new', description='x').result
    deleted = run(losant_webhook, name='orders', state='absent').result
    unchanged = run(losant_webhook, name='orders', state='absent').result
    hook_id = deleted['changes'][0]['id']
    assert updated['changes'] == [{'action': 'update', 'name': 'orders', 'id': hook_id, 'fields': ['response_code']}]
    assert created['changes'] == [{'action': 'create', 'name': 'new', 'id': None, 'fields': ['name', 'description']}]
    assert deleted['changes'] == [{'action': 'delete', 'name': 'orders', 'id': hook_id, 'fields': []}]
    assert unchanged['changes'] == [] and unchanged['affected_workflows'] == []


# -- max_deletions -----------------------------------------------------------------------------

@pytest.mark.parametrize('check_mode', [False, True])
def test_max_deletions_refuses_a_larger_plan_before_any_write(run, emulator, check_mode):
    emulator.seed(webhook('a'), webhook('b'), webhook('c'))
    outcome = run(losant_webhooks, check_mode, state='overridden', config=[{'name': 'a', 'enabled': False}],
                  max_deletions=1)
    assert outcome.exit_code == 1 and outcome.result['failed'] is True
    assert outcome.result['msg'] == "Nothing was changed: the plan deletes 2 webhooks, more than max_deletions=1: 'b', 'c'."
    assert [change['action'] for change in outcome.result['changes']] == ['update', 'delete', 'delete']
    assert emulator.writes == [] and flow_queries(emulator) == []


@pytest.mark.parametrize('check_mode', [False, True])
def test_max_deletions_zero_refuses_any_delete_and_allows_other_writes(run, emulator, check_mode):
    emulator.seed(webhook('a'), webhook('b'))
    refused = run(losant_webhooks, check_mode, state='overridden', config=[{'name': 'a'}], max_deletions=0)
    assert refused.exit_code == 1 and emulator.writes == []
    assert refused.result['msg'] == "Nothing was changed: the plan deletes 1 webhook, more than max_deletions=0: 'b'."
    allowed = run(losant_webhooks, check_mode, state='merged', config=[{'name': 'a', 'enabled': False}],
                  max_deletions=0)
    assert allowed.exit_code == 0 and allowed.result['changed'] is True


def test_max_deletions_allows_a_plan_at_the_limit(run, emulator):
    emulator.seed(webhook('a'), webhook('b'))
    outcome = run(losant_webhooks, state='deleted', config=[{'name': 'a'}, {'name': 'b'}], max_deletions=2)
    assert outcome.exit_code == 0 and len(emulator.writes) == 2


@pytest.mark.parametrize('max_deletions', [1, 5])
def test_max_deletions_counts_only_the_deletes_and_allows_fewer(run, emulator, max_deletions):
    emulator.seed(webhook('a'), webhook('old'))
    outcome = run(losant_webhooks, state='overridden', config=[{'name': 'a'}, {'name': 'new'}],
                  max_deletions=max_deletions)
    assert outcome.exit_code == 0, outcome.result
    assert [(call.method, call.body) for call in emulator.writes] == [('POST', {'name': 'new'}), ('DELETE', None)]


def test_negative_max_deletions_fails_before_any_request(run, emulator):
    outcome = run(losant_webhooks, state='merged', config=[{'name': 'a'}], max_deletions=-1)
    assert 'max_deletions must be 0 or more, got -1' in outcome.result['msg'] and emulator.calls == []


# -- ignore_fields -----------------------------------------------------------------------------

def test_ignore_fields_are_neither_compared_nor_sent(run, emulator):
    hook = webhook('a', enabled=False, responseCode=500, description='by hand')
    emulator.seed(hook)
    config = [{'name': 'a', 'enabled': True, 'response_code': 201}, {'name': 'b', 'enabled': False}]
    result = run(losant_webhooks, state='replaced', config=config, ignore_fields=['enabled']).result
    assert [(call.method, call.body) for call in emulator.writes] == [
        ('PATCH', {'responseCode': 201, 'description': ''}), ('POST', {'name': 'b'})]
    assert result['changes'][0]['fields'] == ['description', 'response_code']


def test_ignore_fields_alone_leave_the_application_unchanged(run, emulator):
    emulator.seed(webhook('a', enabled=False))
    result = run(losant_webhooks, state='overridden', config=[{'name': 'a', 'enabled': True}],
                 ignore_fields=['enabled']).result
    assert result['changed'] is False and emulator.writes == []


def test_replaced_resets_neither_an_ignored_field_nor_a_secret_the_api_returns(run, emulator):
    emulator.seed(webhook('a', waitForReply=True, basicAuthPassword='pw-kept-3f9a'))
    outcome = run(losant_webhooks, state='replaced', config=[{'name': 'a'}], ignore_fields=['wait_for_reply'])
    assert outcome.exit_code == 0 and outcome.result['changed'] is False, outcome.result
    assert emulator.writes == []


def test_a_create_whose_answer_lacks_a_field_sent_fails_naming_it(run, emulator):
    answer = dict(webhook('new'), isWebsocket=False)
    emulator.fault(method='POST', path=COLLECTION, status=200, body=answer)
    outcome = run(losant_webhooks, state='merged', config=[{'name': 'new', 'is_websocket': True}])
    assert outcome.exit_code == 1 and outcome.result['fields_not_applied'] == {'new': ['is_websocket']}
    assert 'delete the webhook and create it again' in outcome.result['msg']


def test_ignore_fields_refuses_name(run):
    outcome = run(losant_webhooks, state='merged', config=[{'name': 'a'}], ignore_fields=['name'])
    assert outcome.exit_code == 1 and 'ignore_fields' in outcome.result['msg']


# -- unmanaged ---------------------------------------------------------------------------------

@pytest.mark.parametrize('state, config, delete_all', [('overridden', [{'name': 'keep'}], False),
                                                       ('deleted', [], True)])
def test_unmanaged_webhooks_are_never_deleted(run, emulator, state, config, delete_all):
    hooks = [webhook('keep'), webhook('ops-pager'), webhook('ops-Night'), webhook('stray')]
    emulator.seed(*hooks)
    result = run(losant_webhooks, state=state, config=config, delete_all=delete_all,
                 unmanaged=['ops-*']).result
    deleted = ['stray'] if state == 'overridden' else ['keep', 'stray']
    assert [change['name'] for change in result['changes']] == deleted
    assert writes(emulator) == [('DELETE', '%s/%s' % (COLLECTION, hook['id'])) for hook in hooks
                                if hook['name'] in deleted]


@pytest.mark.parametrize('unmanaged', [['legacy [v1]'], ['legacy [v1]*'], ['legacy ?v1?']])
def test_unmanaged_protects_a_name_with_glob_characters_written_as_it_is(run, emulator, unmanaged):
    hooks = [webhook('keep'), webhook('legacy [v1]'), webhook('stray')]
    emulator.seed(*hooks)
    result = run(losant_webhooks, state='overridden', config=[{'name': 'keep'}], unmanaged=unmanaged).result
    assert [(change['action'], change['name']) for change in result['changes']] == [('delete', 'stray')]


def test_deleted_skips_a_listed_webhook_that_is_unmanaged_by_refusing_the_contradiction(run, emulator):
    emulator.seed(webhook('ops-pager'))
    outcome = run(losant_webhooks, state='deleted', config=[{'name': 'ops-pager'}], unmanaged=['ops-*'])
    assert outcome.exit_code == 1 and emulator.calls == []
    assert "config[0].name 'ops-pager' matches unmanaged, which deleted never touches" in outcome.result['msg']


def test_gathered_puts_unmanaged_webhooks_apart(run, emulator):
    emulator.seed(webhook('a'), webhook('ops-pager'))
    result = run(losant_webhooks, state='gathered', unmanaged=['ops-*']).result
    assert [entry['name'] for entry in result['gathered']] == ['a']
    assert [entry['name'] for entry in result['gathered_unmanaged']] == ['ops-pager']


# -- workflows a delete affects ----------------------------------------------------------------

@pytest.mark.parametrize('check_mode', [False, True])
@pytest.mark.parametrize('include_workflows', [False, True])
def test_webhooks_list_the_workflows_of_deleted_webhooks_before_deleting(run, emulator, check_mode,
                                                                         include_workflows):
    old, kept = webhook('old'), webhook('kept')
    emulator.seed(old, kept)
    router = flow('router', old['id'], enabled=False)
    emulator.seed_flows(router, flow('unrelated', kept['id']))
    outcome = run(losant_webhooks, check_mode, diff=True, state='deleted', config=[{'name': 'old'}],
                  include_workflows=include_workflows)
    result = outcome.result
    assert result['affected_workflows'] == [{'id': router['id'], 'name': 'router', 'enabled': False,
                                             'webhook': 'old', 'webhook_id': old['id'], 'deleted': include_workflows}]
    assert flow_queries(emulator)[0] == {'triggerFilter[0][type]': 'webhook', 'triggerFilter[0][key]': old['id'],
                                         'perPage': '100', 'sortField': 'name', 'sortDirection': 'asc', 'page': '0'}
    flows_call = next(index for index, call in enumerate(emulator.calls) if call.path == FLOWS)
    assert all(call.method == 'GET' for call in emulator.calls[:flows_call])
    fate = 'deleted with its webhook (include_workflows)' if include_workflows else 'left without a trigger: its webhook is deleted'
    assert result['diff']['before']['old']['workflows'] == [{'id': router['id'], 'name': 'router', 'enabled': False}]
    assert result['diff']['after']['old'] == {'workflows': [{'id': router['id'], 'name': 'router', 'enabled': False,
                                                             'fate': fate}]}
    assert len(emulator.writes) == (0 if check_mode else 1)


def test_each_deleted_webhook_lists_only_the_workflows_its_own_trigger_starts(run, emulator):
    """A workflow is listed once for each deleted webhook whose trigger it has; a trigger of another type whose key
    is a webhook's ID does not count."""
    a, b = webhook('a'), webhook('b')
    emulator.seed(a, b)
    of_a, of_b, both = flow('of-a', a['id']), flow('of-b', b['id']), flow('both', a['id'], b['id'])
    mixed = dict(flow('mixed', a['id']), triggers=[{'type': 'webhook', 'key': a['id']},
                                                   {'type': 'deviceId', 'key': b['id']}])
    emulator.seed_flows(of_a, of_b, both, mixed)
    result = run(losant_webhooks, diff=True, state='deleted', config=[{'name': 'a'}, {'name': 'b'}]).result
    assert [(entry['webhook'], entry['name']) for entry in result['affected_workflows']] == [
        ('a', 'both'), ('a', 'mixed'), ('a', 'of-a'), ('b', 'both'), ('b', 'of-b')]
    assert {name: [one['name'] for one in diff['workflows']] for name, diff in result['diff']['before'].items()} == {
        'a': ['both', 'mixed', 'of-a'], 'b': ['both', 'of-b']}


def test_webhooks_look_up_workflows_in_one_request_per_hundred_webhooks(run, emulator):
    hooks = [webhook('hook-%03d' % index) for index in range(201)]
    emulator.seed(*hooks)
    run(losant_webhooks, check_mode=True, state='deleted', delete_all=True)
    queries = flow_queries(emulator)
    assert [len([key for key in query if key.endswith('[key]')]) for query in queries] == [100, 100, 1]
    assert queries[2]['triggerFilter[0][key]'] == hooks[200]['id']


@pytest.mark.parametrize('served_per_page', [100, 30])
def test_webhooks_page_through_the_workflows_of_a_delete(run, emulator, served_per_page):
    old = webhook('old')
    emulator.seed(old)
    emulator.seed_flows(*(flow('flow-%03d' % index, old['id']) for index in range(150)))
    if served_per_page != 100:  # a server that serves fewer than asked
        emulator.settings(max_per_page=served_per_page, per_page_over_max='clamp')
    result = run(losant_webhooks, check_mode=True, state='deleted', config=[{'name': 'old'}]).result
    assert [entry['name'] for entry in result['affected_workflows']] == ['flow-%03d' % index for index in range(150)]
    assert [query['page'] for query in flow_queries(emulator)] == [str(page) for page in range(-(-150 // served_per_page))]


def seed_workflows_of(emulator: Emulator, count: int) -> list[dict[str, Any]]:
    """The webhook 'old' with ``count`` workflows it triggers, named flow-000, flow-001, ..."""
    old = webhook('old')
    emulator.seed(old)
    flows = [flow('flow-%03d' % index, old['id']) for index in range(count)]
    emulator.seed_flows(*flows)
    return flows


@pytest.mark.parametrize('second_page', ['repeats the first', 'counts fewer'])
def test_webhooks_read_the_workflows_again_when_their_pages_disagree(run, emulator, second_page):
    """Workflows changed while their pages were read: the listing is read again, and complete the second time."""
    flows = seed_workflows_of(emulator, 150)
    page = {'items': [flows[0]], 'totalCount': 150} if second_page == 'repeats the first' else {
        'items': [], 'totalCount': 100}
    emulator.fault(method='GET', path=FLOWS, after=1, status=200, body=page)
    outcome = run(losant_webhooks, check_mode=True, state='deleted', config=[{'name': 'old'}])
    assert [entry['name'] for entry in outcome.result['affected_workflows']] == [one['name'] for one in flows]
    assert [query['page'] for query in flow_queries(emulator)] == ['0', '1', '0', '1']
    assert 'warnings' not in outcome.result


def test_webhooks_warn_when_the_workflow_listing_stays_inconsistent(run, emulator):
    """A server that ignores the page number answers every page alike: read twice, then a warning."""
    flows = seed_workflows_of(emulator, 1)
    emulator.fault(method='GET', path=FLOWS, status=200, body={'items': flows}, count=4)
    outcome = run(losant_webhooks, check_mode=True, state='deleted', config=[{'name': 'old'}])
    assert [entry['id'] for entry in outcome.result['affected_workflows']] == [flows[0]['id']]
    assert [query['page'] for query in flow_queries(emulator)] == ['0', '1', '0', '1']
    assert ('The workflow listing stayed inconsistent when read a second time (page 1 repeated 1 workflows of earlier '
            'pages): the workflows listed for the webhooks may be incomplete.') in warnings(outcome)


def test_webhooks_ask_for_the_servers_page_size_when_it_refuses_theirs(run, emulator):
    flows = seed_workflows_of(emulator, 120)
    emulator.settings(max_per_page=50, per_page_over_max='error')
    result = run(losant_webhooks, check_mode=True, state='deleted', config=[{'name': 'old'}]).result
    assert [entry['name'] for entry in result['affected_workflows']] == [one['name'] for one in flows]
    assert [(query['page'], query.get('perPage')) for query in flow_queries(emulator)] == [
        ('0', '100'), ('0', None), ('1', None), ('2', None)]


def test_webhooks_without_deletes_do_not_look_up_workflows(run, emulator):
    emulator.seed(webhook('a'))
    result = run(losant_webhooks, state='merged', config=[{'name': 'a', 'enabled': False}]).result
    assert flow_queries(emulator) == [] and result['affected_workflows'] == []


@pytest.mark.parametrize('module, args', [
    (losant_webhooks, {'state': 'deleted', 'config': [{'name': 'old'}]}),
    (losant_webhook, {'state': 'absent', 'name': 'old'}),
])
def test_a_token_without_flows_access_warns_and_still_deletes(run, emulator, module, args):
    emulator.seed(webhook('old'))
    emulator.fail('GET', FLOWS, *FORBIDDEN)
    outcome = run(module, **args)
    assert outcome.exit_code == 0 and outcome.result['changed'] is True and len(emulator.writes) == 1
    assert outcome.result['affected_workflows'] == []
    assert 'may not list workflows' in warnings(outcome) and 'HTTP 403 Forbidden' in warnings(outcome)


@pytest.mark.parametrize('module, args', [
    (losant_webhooks, {'state': 'deleted', 'config': [{'name': 'old'}]}),
    (losant_webhook, {'state': 'absent', 'name': 'old'}),
])
def test_another_flows_error_fails_before_the_delete(run, emulator, module, args):
    emulator.seed(webhook('old'))
    emulator.fail('GET', FLOWS, 500, 'InternalServerError', 'boom')
    outcome = run(module, **args)
    assert outcome.exit_code == 1 and emulator.writes == []
    assert 'GET %s failed with HTTP 500' % FLOWS in outcome.result['msg']


@pytest.mark.parametrize('module, args', [
    (losant_webhooks, {'state': 'deleted', 'config': [{'name': 'old'}]}),
    (losant_webhook, {'state': 'absent', 'name': 'old'}),
])
def test_a_flows_error_that_echoes_the_trigger_token_or_a_secret_is_scrubbed(run, emulator, module, args):
    old = webhook('old', basicAuthPassword='listed-password')
    emulator.seed(old)
    echo = 'no workflows for %s (%s)' % (old['token'], 'listed-password')
    # count=2: the pager asks once more without perPage after a 400 on the first page.
    emulator.fail('GET', FLOWS, 400, 'Validation', echo, count=2)
    outcome = run(module, **args)
    assert outcome.exit_code == 1 and emulator.writes == []
    assert outcome.result['error_message'] == 'no workflows for ******** (********)'
    assert old['token'] not in outcome.output and 'listed-password' not in outcome.output


@pytest.mark.parametrize('check_mode', [False, True])
def test_webhook_lists_the_workflows_of_its_delete(run, emulator, check_mode):
    old = webhook('old')
    emulator.seed(old)
    router = flow('router', old['id'])
    emulator.seed_flows(router)
    result = run(losant_webhook, check_mode, diff=True, name='old', state='absent').result
    assert result['affected_workflows'] == [{'id': router['id'], 'name': 'router', 'enabled': True, 'webhook': 'old',
                                             'webhook_id': old['id'], 'deleted': False}]
    assert result['diff']['before']['workflows'] == [{'id': router['id'], 'name': 'router', 'enabled': True}]
    assert result['diff']['after']['workflows'][0]['fate'] == 'left without a trigger: its webhook is deleted'
    assert [call.method for call in emulator.calls] == ['GET', 'GET'] + ([] if check_mode else ['DELETE'])


@pytest.mark.parametrize('module', [losant_webhook, losant_webhooks])
def test_a_delete_diff_shows_the_webhook_in_option_names_and_its_workflows(run, emulator, module):
    old = webhook('old', basicAuthUsername='partner', basicAuthPassword='pw-of-old-hook')
    emulator.seed(old)
    router = flow('router', old['id'])
    emulator.seed_flows(router)
    options = {'name': 'old', 'state': 'absent'} if module is losant_webhook else {
        'state': 'deleted', 'config': [{'name': 'old'}]}
    diff = run(module, diff=True, **options).result['diff']
    workflows = [{'id': router['id'], 'name': 'router', 'enabled': True}]
    before = {'id': old['id'], 'token': '********', 'name': 'old', 'response_code': 200, 'verification_type': 'none',
              'wait_for_reply': False, 'basic_auth_username': 'partner', 'basic_auth_password': '********',
              'is_websocket': False, 'cast_buffers_as': 'array', 'annotate_multipart': False, 'enabled': True,
              'workflows': workflows}
    after = {'workflows': [dict(workflows[0], fate='left without a trigger: its webhook is deleted')]}
    if module is losant_webhooks:
        before, after = {'old': before}, {'old': after}
    assert diff == {'before': before, 'after': after}


def test_webhook_info_with_workflows_lists_each_webhooks_workflows(run, emulator):
    a, b = webhook('a'), webhook('b')
    emulator.seed(a, b)
    both, only_a = flow('both', a['id'], b['id']), flow('only-a', a['id'], enabled=False)
    emulator.seed_flows(both, only_a, flow('none'))
    result = run(losant_webhook_info, with_workflows=True).result
    assert [hook['workflows'] for hook in result['webhooks']] == [
        [{'id': both['id'], 'name': 'both', 'enabled': True}, {'id': only_a['id'], 'name': 'only-a', 'enabled': False}],
        [{'id': both['id'], 'name': 'both', 'enabled': True}],
    ]
    assert len(flow_queries(emulator)) == 1


def test_webhook_info_without_flows_access_warns_and_returns_null_workflows(run, emulator):
    emulator.seed(webhook('a'))
    emulator.fail('GET', FLOWS, *FORBIDDEN)
    outcome = run(losant_webhook_info, with_workflows=True)
    assert outcome.exit_code == 0 and outcome.result['webhooks'][0]['workflows'] is None
    assert 'webhooks are returned without their workflows' in warnings(outcome)


def test_webhook_info_does_not_ask_for_workflows_by_default(run, emulator):
    emulator.seed(webhook('a'))
    result = run(losant_webhook_info).result
    assert flow_queries(emulator) == [] and 'workflows' not in result['webhooks'][0]
