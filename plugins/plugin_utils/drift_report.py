# -*- coding: utf-8 -*-
# Copyright: Contributors to the losant.platform collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The reports of the drift check (playbook losant.platform.drift_check): JSON, JUnit and the log's summary.

Everything is built from the results of losant_webhooks in check mode, one per application, in time linear
in the number of webhooks: each result is indexed by name once.
"""

from __future__ import annotations

import json
import re
from typing import Any, Iterable, Optional
from xml.etree import ElementTree

from ansible_collections.losant.platform.plugins.module_utils._attribution import summary as attribution_summary
from ansible_collections.losant.platform.plugins.module_utils._webhook import FIELDS

STATUSES = ('clean', 'drift', 'error')
SECRET_OPTIONS = frozenset(field.option for field in FIELDS if field.secret)
NOT_DECLARED = 'webhooks present but not declared'
# Characters XML 1.0 cannot hold (control characters in a name made by hand), and terminal escapes in the log.
UNPRINTABLE = re.compile('[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]')


def worst(statuses: Iterable[str]) -> str:
    """The worst of ``statuses`` (clean, drift, error); error when there are none."""
    return max(statuses, key=STATUSES.index, default='error')


def change_record(change: dict[str, Any], before: dict[str, Any], after: dict[str, Any],
                  workflows: list[dict[str, Any]]) -> dict[str, Any]:
    """One change of the report: the module's ``changes`` entry (action, name, id, fields) and what a reviewer needs.

    An update gets ``values``: each field's ``before`` and ``after`` (a secret only ``secret: true``, as its
    values are never shown). A delete gets ``workflows``: the workflows it leaves without a trigger.
    """
    record = dict(change)
    if change['action'] == 'update':
        record['values'] = {
            option: {'secret': True} if option in SECRET_OPTIONS
            else {'before': before.get(option), 'after': after.get(option)}
            for option in change['fields']
        }
    elif change['action'] == 'delete':
        record['workflows'] = [{'name': flow.get('name'), 'id': flow.get('id'), 'enabled': flow.get('enabled')}
                               for flow in workflows]
    return record


def by_name(webhooks: Optional[list[dict[str, Any]]]) -> dict[str, dict[str, Any]]:
    """Webhooks in config shape keyed by name; the first of a name wins, as the module compares with it."""
    indexed: dict[str, dict[str, Any]] = {}
    for webhook in webhooks or ():
        indexed.setdefault(webhook.get('name'), webhook)
    return indexed


def change_records(result: dict[str, Any]) -> list[dict[str, Any]]:
    """The report's changes from a successful result of losant_webhooks (check mode)."""
    before, after = by_name(result.get('before')), by_name(result.get('after'))
    workflows: dict[str, list[dict[str, Any]]] = {}
    for flow in result.get('affected_workflows') or ():
        workflows.setdefault(flow.get('webhook_id'), []).append(flow)
    return [change_record(change, before.get(change['name'], {}), after.get(change['name'], {}),
                          workflows.get(change.get('id'), []) if change['action'] == 'delete' else [])
            for change in result.get('changes') or ()]


def application_entry(name: str, application_id: Any, checked_at: str, result: dict[str, Any]) -> dict[str, Any]:
    """The report's entry for one application, from the result of losant_webhooks (check mode), failed or not.

    A failure carries the module's ``msg`` as ``error``, and its ``error_status``, ``error_type`` and
    ``retryable`` (null, null and false when the result has none).
    """
    if result.get('failed'):
        return error_entry(name, application_id, checked_at, result.get('msg') or 'failed', result)
    changes = change_records(result)
    return dict(entry_head(name, application_id, checked_at, 'drift' if changes else 'clean'),
                changes=changes, error=None, error_status=None, error_type=None, retryable=False,
                attribution_unavailable=result.get('attribution_unavailable'))


def error_entry(name: str, application_id: Any, checked_at: str, error: str,
                result: Optional[dict[str, Any]] = None) -> dict[str, Any]:
    """The entry of an application that could not be checked: ``error`` says why."""
    result = result or {}
    return dict(entry_head(name, application_id, checked_at, 'error'), changes=[], error=error,
                error_status=result.get('error_status'), error_type=result.get('error_type'),
                retryable=bool(result.get('retryable', False)), attribution_unavailable=None)


def entry_head(name: str, application_id: Any, checked_at: str, status: str) -> dict[str, Any]:
    return {'name': name, 'application_id': application_id, 'checked_at': checked_at, 'status': status}


def report(entries: list[dict[str, Any]], checked_at: str, error: Optional[str] = None) -> dict[str, Any]:
    """The JSON report: the worst status, every change, and an entry per application in ``applications``.

    With one application the top-level keys are that application's (the report of a single-application run
    has kept its format and gained keys); with several, ``application_id`` is null, ``changes`` holds every
    application's (each naming its ``application``), and ``error`` each error prefixed with the application.
    ``error`` (a report that could not be written) makes the whole report an error.
    """
    failed = [entry for entry in entries if entry['error']]
    top = {
        'status': 'error' if error else worst(entry['status'] for entry in entries),
        'application_id': entries[0]['application_id'] if len(entries) == 1 else None,
        'checked_at': checked_at,
        'changes': [dict(change, application=entry['name']) for entry in entries for change in entry['changes']],
        'error': error or joined_errors(failed, len(entries)),
        'error_status': None,
        'error_type': None,
        'retryable': not error and bool(failed) and all(entry['retryable'] for entry in failed),
        'attribution_unavailable': joined_reasons(entries),
        'applications': entries,
    }
    if len(failed) == 1 and not error:
        top.update(error_status=failed[0]['error_status'], error_type=failed[0]['error_type'])
    if not entries and not error:
        top['error'] = 'No application was checked: the inventory group losant_applications has no hosts'
    return top


def joined_errors(failed: list[dict[str, Any]], applications: int) -> Optional[str]:
    if applications == 1:
        return failed[0]['error'] if failed else None
    return '; '.join('%s: %s' % (entry['name'], entry['error']) for entry in failed) or None


def joined_reasons(entries: list[dict[str, Any]]) -> Optional[str]:
    """Why changes lack attribution, once: the application's reason, or each application's with its name."""
    reasons = [(entry['name'], entry.get('attribution_unavailable')) for entry in entries
               if entry.get('attribution_unavailable')]
    if len(entries) == 1:
        return reasons[0][1] if reasons else None
    return '; '.join('%s: %s' % reason for reason in reasons) or None


def json_report(top: dict[str, Any]) -> str:
    return json.dumps(top, indent=4, ensure_ascii=False) + '\n'


def change_text(change: dict[str, Any]) -> str:
    """One line for a change, the same in the log and the JUnit report, with option names."""
    text = '%s %s' % (change['action'], change['name'])
    if change.get('values'):
        text += ': ' + ', '.join(value_text(option, values) for option, values in change['values'].items())
    if change.get('attribution'):
        text += ', ' + attribution_summary(change['attribution'])
    if change.get('workflows'):
        text += '; workflows left without a trigger: ' + ', '.join(
            '%s (%s, %s)' % (flow['name'], flow['id'], 'enabled' if flow['enabled'] else 'disabled')
            for flow in change['workflows'])
    return printable(text)


def value_text(option: str, values: dict[str, Any]) -> str:
    if values.get('secret'):
        return '%s changes (secret)' % option
    return '%s %s -> %s' % (option, json.dumps(values['before'], ensure_ascii=False),
                            json.dumps(values['after'], ensure_ascii=False))


def printable(text: Any) -> str:
    return UNPRINTABLE.sub('\ufffd', str(text))


def summary_lines(top: dict[str, Any], paths: Iterable[str]) -> list[str]:
    """The log: one line per change (prefixed with its application when there are several), then the verdict
    with the report paths."""
    many = len(top['applications']) > 1
    lines = [('%s: ' % printable(entry['name']) if many else '') + change_text(change)
             for entry in top['applications'] for change in entry['changes']]
    if top.get('attribution_unavailable'):
        lines.append('attribution unavailable: %s' % printable(top['attribution_unavailable']))
    lines.append(verdict(top) + '; reports: ' + ', '.join(paths))
    return lines


def verdict(top: dict[str, Any]) -> str:
    if top['status'] == 'error':
        return 'error: %s' % printable(top['error'])
    if top['status'] == 'clean':
        return 'clean: %s' % ('every application matches its declared webhooks' if len(top['applications']) > 1
                              else 'the application matches the declared webhooks')
    drifted = [printable(entry['name']) for entry in top['applications'] if entry['status'] == 'drift']
    count = len(top['changes'])
    return 'drift: %d change%s in %s' % (count, '' if count == 1 else 's', ', '.join(drifted))


def junit_report(top: dict[str, Any], declared: dict[str, list[str]], error: Optional[str] = None) -> str:
    """JUnit XML: a test suite per application, a test case per declared webhook (``declared`` holds their
    names by application name) and one for the webhooks present but not declared. ``error`` (a report that
    could not be written) makes every case an error."""
    single = len(top['applications']) == 1
    suites = ElementTree.Element('testsuites', name=suite_name(top['applications'][0]['name'] if single else ''))
    for entry in top['applications']:
        suites.append(junit_suite(entry, declared.get(entry['name'], []), error or entry['error']))
    for counter in ('tests', 'failures', 'errors'):
        suites.set(counter, str(sum(int(suite.get(counter)) for suite in suites)))
    ElementTree.indent(suites, space='  ')
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ElementTree.tostring(suites, encoding='unicode') + '\n'


def suite_name(application: str) -> str:
    return printable(('losant drift check %s' % application).strip())


def junit_suite(entry: dict[str, Any], names: list[str], error: Optional[str]) -> ElementTree.Element:
    """One application's test suite; ``error`` (its own, or the report's) makes every case an error."""
    suite = ElementTree.Element('testsuite', name=suite_name(entry['name']),
                                timestamp=entry['checked_at'])
    declared = set(names)
    failures: dict[str, list[str]] = {}
    for change in entry['changes']:
        failures.setdefault(change['name'] if change['name'] in declared else NOT_DECLARED, []).append(
            change_text(change))
    for name in [*names, NOT_DECLARED]:
        case = ElementTree.SubElement(suite, 'testcase', classname='losant.webhooks', name=printable(name))
        if error:
            ElementTree.SubElement(case, 'error', message=printable(error))
        elif name in failures:
            texts = failures.pop(name)
            message = '%d not declared' % len(texts) if name == NOT_DECLARED else '; '.join(texts)
            ElementTree.SubElement(case, 'failure', message=message).text = '; '.join(texts)
    suite.set('tests', str(len(names) + 1))
    suite.set('failures', str(len(suite.findall('testcase/failure'))))
    suite.set('errors', str(len(suite.findall('testcase/error'))))
    return suite
