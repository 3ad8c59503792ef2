# -*- coding: utf-8 -*-
# Copyright: Contributors to the losant.platform collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The drift check's reports, built from results of losant_webhooks in check mode."""

from __future__ import annotations

import json
from typing import Any
from xml.etree import ElementTree

import pytest

from ansible_collections.losant.platform.plugins.plugin_utils.drift_report import (
    application_entry,
    change_text,
    error_entry,
    json_report,
    junit_report,
    report,
    summary_lines,
    worst,
)

APP = '575ec8687ae143cd83dc4a97'
AT = '2026-01-01T05:17:00Z'
FLOW = {'id': 'f1', 'name': 'order router', 'enabled': True, 'webhook': 'old', 'webhook_id': 'w2', 'deleted': False}
DRIFTED = {
    'changed': True,
    'changes': [
        {'action': 'update', 'name': 'orders', 'id': 'w1', 'fields': ['response_code', 'basic_auth_password']},
        {'action': 'create', 'name': 'new', 'id': None, 'fields': ['name']},
        {'action': 'delete', 'name': 'old', 'id': 'w2', 'fields': []},
        {'action': 'delete', 'name': 'rogue', 'id': 'w3', 'fields': []},
    ],
    'before': [{'name': 'orders', 'response_code': 500}, {'name': 'old'}, {'name': 'rogue'}],
    'after': [{'name': 'new'}, {'name': 'orders', 'response_code': 201}],
    'affected_workflows': [FLOW],
}
FAILED = {'failed': True, 'msg': 'GET /x failed with HTTP 503 ServiceUnavailable: busy', 'error_status': 503,
          'error_type': 'ServiceUnavailable', 'retryable': True}


def entry(name: str = APP, result: Any = None) -> dict[str, Any]:
    """The application's entry from ``result`` as losant_webhooks returns it: parsed from the JSON it printed."""
    return application_entry(name, APP, AT, json.loads(json.dumps(DRIFTED if result is None else result)))


def test_an_update_lists_each_field_with_before_and_after_and_a_secret_only_as_changing():
    update = entry()['changes'][0]
    assert update == {'action': 'update', 'name': 'orders', 'id': 'w1', 'fields': ['response_code', 'basic_auth_password'],
                      'values': {'response_code': {'before': 500, 'after': 201}, 'basic_auth_password': {'secret': True}}}
    assert change_text(update) == 'update orders: response_code 500 -> 201, basic_auth_password changes (secret)'


def test_a_delete_lists_the_workflows_it_leaves_without_a_trigger_and_only_its_own():
    changes = entry()['changes']
    assert changes[2]['workflows'] == [{'name': 'order router', 'id': 'f1', 'enabled': True}]
    assert changes[3]['workflows'] == []
    assert change_text(changes[2]) == 'delete old; workflows left without a trigger: order router (f1, enabled)'
    assert changes[1] == {'action': 'create', 'name': 'new', 'id': None, 'fields': ['name']}


def test_a_value_reads_in_its_own_letters():
    result = dict(DRIFTED, changes=[{'action': 'update', 'name': 'orders', 'id': 'w1', 'fields': ['description']}],
                  before=[{'name': 'orders', 'description': 'Bestellübersicht'}], after=[{'name': 'orders', 'description': 'Aufträge'}])
    assert change_text(entry(result=result)['changes'][0]) == 'update orders: description "Bestellübersicht" -> "Aufträge"'


def test_a_field_missing_on_either_side_is_null():
    result = dict(DRIFTED, changes=[{'action': 'update', 'name': 'orders', 'id': 'w1', 'fields': ['description']}])
    assert entry(result=result)['changes'][0]['values'] == {'description': {'before': None, 'after': None}}


def test_verdicts_of_an_application():
    assert entry()['status'] == 'drift'
    clean = entry(result={'changed': False, 'changes': [], 'before': [], 'affected_workflows': []})
    assert (clean['status'], clean['changes'], clean['error'], clean['retryable']) == ('clean', [], None, False)
    assert entry()['retryable'] is False


def test_a_failed_result_carries_its_structured_error_and_no_changes():
    failed = entry(result=FAILED)
    assert failed == {'name': APP, 'application_id': APP, 'checked_at': AT, 'status': 'error', 'changes': [],
                      'error': FAILED['msg'], 'error_status': 503, 'error_type': 'ServiceUnavailable', 'retryable': True,
                      'attribution_unavailable': None}


def test_a_failure_without_structured_error_has_nulls_and_is_not_retryable():
    failed = entry(result={'failed': True, 'msg': 'config[0].name is required'})
    assert (failed['error_status'], failed['error_type'], failed['retryable']) == (None, None, False)


@pytest.mark.parametrize('statuses, expected', [
    (['clean'], 'clean'), (['clean', 'drift'], 'drift'), (['error', 'drift', 'clean'], 'error'), ([], 'error')])
def test_the_worst_status_wins(statuses, expected):
    assert worst(statuses) == expected


def test_one_application_keeps_the_single_application_format_and_gains_keys():
    top = report([entry()], AT)
    assert list(top)[:5] == ['status', 'application_id', 'checked_at', 'changes', 'error']
    assert (top['status'], top['application_id'], top['error']) == ('drift', APP, None)
    assert top['changes'][0]['application'] == APP
    assert top['applications'] == [entry()]
    assert json.loads(json_report(top)) == top


def test_the_json_report_is_for_people_too_names_as_written_indented_and_ending_with_a_newline():
    assert json_report({'name': 'bestellungen-\u00fc', 'fields': ['url']}) == (
        '{\n    "name": "bestellungen-\u00fc",\n    "fields": [\n        "url"\n    ]\n}\n')


def test_one_failed_application_gives_the_report_its_structured_error():
    top = report([entry(result=FAILED)], AT)
    assert (top['error'], top['error_status'], top['error_type'], top['retryable']) == (
        FAILED['msg'], 503, 'ServiceUnavailable', True)


def test_many_applications_the_worst_status_each_change_naming_its_application_and_each_error():
    entries = [entry('production'), entry('staging', FAILED), error_entry('dev', None, AT, 'Set losant_application_id')]
    top = report(entries, AT)
    assert (top['status'], top['application_id']) == ('error', None)
    assert {change['application'] for change in top['changes']} == {'production'}
    assert top['error'] == 'staging: %s; dev: Set losant_application_id' % FAILED['msg']
    assert (top['error_status'], top['error_type'], top['retryable']) == (None, None, False)


def test_a_report_error_makes_the_report_an_error():
    top = report([entry()], AT, 'A report could not be written: x: No such file or directory')
    assert (top['status'], top['error'], top['retryable']) == ('error', 'A report could not be written: x: No such file or directory', False)


def test_summary_has_a_line_per_change_then_the_verdict_and_the_paths():
    lines = summary_lines(report([entry()], AT), ['/r.json', '/r.xml'])
    assert lines == [
        'update orders: response_code 500 -> 201, basic_auth_password changes (secret)',
        'create new',
        'delete old; workflows left without a trigger: order router (f1, enabled)',
        'delete rogue',
        'drift: 4 changes in %s; reports: /r.json, /r.xml' % APP,
    ]


def test_summary_of_many_applications_prefixes_each_change():
    clean = application_entry('staging', APP, AT, {'changes': [], 'before': []})
    lines = summary_lines(report([entry('production'), clean], AT), ['/r.json', '/r.xml'])
    assert lines[0] == 'production: update orders: response_code 500 -> 201, basic_auth_password changes (secret)'
    assert lines[-1] == 'drift: 4 changes in production; reports: /r.json, /r.xml'
    assert summary_lines(report([clean, clean], AT), ['/r'])[-1] == (
        'clean: every application matches its declared webhooks; reports: /r')


def junit(entries: list[dict[str, Any]], declared: dict[str, list[str]], error: Any = None) -> ElementTree.Element:
    return ElementTree.fromstring(junit_report(report(entries, AT, error), declared, error).encode('utf-8'))


def test_junit_a_suite_per_application_a_case_per_declared_webhook_failing_with_the_same_text():
    suites = junit([entry('production'), entry('staging', FAILED)],
                   {'production': ['orders', 'new', 'quiet'], 'staging': ['orders']})
    assert suites.get('name') == 'losant drift check'
    assert [suite.get('name') for suite in suites] == ['losant drift check production', 'losant drift check staging']
    assert (suites.get('tests'), suites.get('failures'), suites.get('errors')) == ('6', '3', '2')
    production = {case.get('name'): case for case in suites[0]}
    assert production['orders'].find('failure').get('message') == (
        'update orders: response_code 500 -> 201, basic_auth_password changes (secret)')
    assert production['quiet'].find('failure') is None
    extra = production['webhooks present but not declared'].find('failure')
    assert extra.get('message') == '2 not declared'
    assert extra.text == 'delete old; workflows left without a trigger: order router (f1, enabled); delete rogue'
    assert all(case.find('error').get('message') == FAILED['msg'] for case in suites[1])


def test_junit_a_declared_webhook_fails_with_its_change_whatever_its_name():
    result = dict(DRIFTED, changes=[{'action': 'create', 'name': 'zebra', 'id': None, 'fields': ['name']}])
    suites = junit([entry(result=result)], {APP: ['zebra']})
    assert suites[0][0].find('failure').get('message') == 'create zebra'


def test_junit_report_error_makes_every_case_an_error():
    suites = junit([entry()], {APP: ['orders']}, 'A report could not be written')
    assert suites.get('name') == 'losant drift check %s' % APP
    assert [case.find('error').get('message') for case in suites[0]] == ['A report could not be written'] * 2


def test_junit_replaces_what_xml_cannot_hold():
    odd = dict(DRIFTED, changes=[{'action': 'delete', 'name': 'ctl\x01\x1b[31m"<&>', 'id': 'w9', 'fields': []}])
    suites = junit([entry(result=odd)], {APP: []})
    assert suites[0][0].find('failure').text == 'delete ctl\ufffd\ufffd[31m"<&>'


def test_each_of_many_changes_finds_its_own_values():
    names = ['hook-%04d' % index for index in range(1500)]
    result = {
        'changes': [{'action': 'update', 'name': name, 'id': name, 'fields': ['response_code']} for name in names],
        'before': [{'name': name, 'response_code': 200} for name in names],
        'after': [{'name': name, 'response_code': index} for index, name in enumerate(names)],
    }
    changes = application_entry(APP, APP, AT, result)['changes']
    assert [change['values']['response_code']['after'] for change in changes] == list(range(1500))


JANE = {'actor': 'Jane Doe', 'actor_type': 'User', 'time': '2026-12-05T14:02:31.000Z', 'action': 'patch',
        'fields': ['response_code']}


def attributed(reason: Any = None) -> dict[str, Any]:
    changes = [dict(change, attribution=JANE if change['action'] == 'update' else None)
               for change in DRIFTED['changes']]
    return dict(DRIFTED, changes=changes, attribution_unavailable=reason)


def test_a_change_names_who_made_it_in_the_report_the_log_and_junit():
    top = report([entry(result=attributed())], AT)
    assert top['changes'][0]['attribution'] == JANE and top['changes'][1]['attribution'] is None
    line = 'update orders: response_code 500 -> 201, basic_auth_password changes (secret), ' \
           'changed by Jane Doe (User) 2026-12-05 14:02 UTC'
    assert summary_lines(top, ['/r.json'])[0] == line
    junit = ElementTree.fromstring(junit_report(top, {APP: ['orders', 'new', 'old', 'rogue']}))
    assert junit.find("testsuite/testcase[@name='orders']/failure").text == line
    assert top['attribution_unavailable'] is None


def test_why_attribution_is_unavailable_is_said_once_per_report_and_in_the_log():
    reason = 'the application is owned by a user'
    single = report([entry(result=attributed(reason))], AT)
    assert single['attribution_unavailable'] == reason
    assert summary_lines(single, ['/r.json'])[-2] == 'attribution unavailable: ' + reason
    many = report([entry('production', attributed(reason)), entry('staging', attributed()),
                   entry('dev', FAILED)], AT)
    assert many['attribution_unavailable'] == 'production: ' + reason
    assert [app['attribution_unavailable'] for app in many['applications']] == [reason, None, None]
    assert not any(line.startswith('attribution') for line in summary_lines(report([entry()], AT), ['/r.json']))
