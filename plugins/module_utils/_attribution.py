# -*- coding: utf-8 -*-
# Copyright: Contributors to the losant.platform collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

# Private to the losant.platform collection: it changes without notice, so other collections and
# plugins of your own must not import it.

"""Who made a drift: the newest entry of the organization's audit log for each drifted webhook.

Losant keeps audit logs per organization, for the applications it owns. Attribution never fails a
task: when it cannot be had (a user's application, a token without organization scopes, a plan
without audit logs, any error), every change gets none and one reason says why.
"""

from __future__ import annotations

import time
from datetime import datetime, timezone
from typing import Any, Callable, Optional, Sequence

from ansible.module_utils.basic import env_fallback

from ansible_collections.losant.platform.plugins.module_utils._client import LosantClient, LosantError, page_of, token_errors
from ansible_collections.losant.platform.plugins.module_utils._fields import Field
from ansible_collections.losant.platform.plugins.module_utils._resource import ResourceApi

DEFAULT_DAYS = 30
# auditLogFilter takes a list of targets; no maximum is published, so ask for a bounded number at once.
TARGETS_PER_REQUEST = 50
PAGE_SIZE = 100
MAX_PAGES = 10  # per request: a busy organization's window is read no further than this
DAY_MS = 86_400_000

ATTRIBUTION_ARGUMENT_SPEC: dict[str, dict[str, Any]] = {
    'attribution': {'type': 'bool', 'default': False},
    'attribution_days': {'type': 'int', 'default': DEFAULT_DAYS},
    'audit_api_token': {'type': 'str', 'no_log': True, 'fallback': (env_fallback, ['LOSANT_AUDIT_API_TOKEN'])},
}

NO_SCOPE = ("the token may not read the organization's audit logs (it needs all.Organization.read or "
            "auditLogs.get; give one that may as audit_api_token or LOSANT_AUDIT_API_TOKEN)")


def is_entry(body: Any) -> bool:
    return isinstance(body, dict)


AUDIT_PAGE = page_of('audit log entries', is_entry)


def attribution_errors(params: dict[str, Any]) -> list[str]:
    """Problems of the attribution options, for ``check_input``; never quotes the token."""
    errors = [] if 1 <= params['attribution_days'] <= 3660 else [
        'attribution_days must be from 1 to 3660, got %d' % params['attribution_days']]
    token = params['audit_api_token']
    if token is not None:
        errors.extend(error.replace('api_token', 'audit_api_token') for error in token_errors(token.strip()))
    return errors


def attribute(module: Any, api: ResourceApi, application_id: str, changes: list[dict[str, Any]]) -> dict[str, Any]:
    """The result keys of attribution for ``changes`` (each gains ``attribution``), in check mode when asked.

    ``module`` is the ``LosantModule``; a real run writes first, and its own entry would be the newest.
    """
    params = module.params
    if not params['attribution'] or not module.module.check_mode:
        return {}
    token = (params['audit_api_token'] or '').strip()
    if token:
        module.module.no_log_values.add(token)
    audit_client = module.client(api.resource.scrubbed_keys, token) if token else None
    reason = Attribution(api.client, application_id, api.resource.fields, params['attribution_days'], audit_client).of(changes)
    return {'attribution_unavailable': reason}


class Attribution:
    """Reads the audit log of the organization that owns ``application_id``.

    ``client`` reads the application; ``audit_client`` (by default the same) reads the organization.
    """

    def __init__(self, client: LosantClient, application_id: str, fields: Sequence[Field], days: int = DEFAULT_DAYS,
                 audit_client: Optional[LosantClient] = None, clock: Callable[[], float] = time.time) -> None:
        self.client = client
        self.audit_client = audit_client or client
        self.application_id = application_id.lower()
        self.options = {field.api_key: field.option for field in fields}
        self.days = days
        self.clock = clock

    def of(self, changes: list[dict[str, Any]]) -> Optional[str]:
        """Add ``attribution`` to each change (``id`` and ``name`` name its webhook); the reason when there is none.

        No request is made when ``changes`` is empty.
        """
        if not changes:
            return None
        for change in changes:
            change['attribution'] = None
        try:
            organization = self._organization()
            if organization is None:
                return ('the application is owned by a user, and Losant keeps audit logs only for the '
                        "applications of an organization")
            found = self._newest_entries(organization, changes)
        except LosantError as error:
            return self._unavailable(error)
        missing = 0
        for change in changes:
            entry = found.get(('id', change.get('id'))) or found.get(('name', change.get('name')))
            change['attribution'] = self.describe(entry) if entry else None
            missing += entry is None
        if missing:
            return ('no audit log entry within the last %d days for %d of the %d changes'
                    % (self.days, missing, len(changes)))
        return None

    def describe(self, entry: dict[str, Any]) -> dict[str, Any]:
        """Who, when and what; for an update the options it touched. Never a value: bodies may hold secrets."""
        body = entry.get('requestBody') if isinstance(entry.get('requestBody'), dict) else {}
        action = entry.get('requestAction')
        return {
            'actor': entry.get('actorName'),
            'actor_type': entry.get('actorType'),
            'time': entry.get('creationDate'),
            'action': action,
            'fields': sorted(self.options.get(key, key) for key in body) if action in ('patch', 'update') else [],
        }

    def _organization(self) -> Optional[str]:
        application = self.client.request('GET', '/applications/%s' % self.application_id)
        if application.get('ownerType') != 'organization' or not isinstance(application.get('ownerId'), str):
            return None
        return application['ownerId']

    def _newest_entries(self, organization: str, changes: list[dict[str, Any]]) -> dict[tuple[str, str], dict]:
        """The newest entry per ``('id', ID)`` and, for webhooks without an ID, per ``('name', NAME)``."""
        targets = [('id', change['id']) if change.get('id') else ('name', change.get('name')) for change in changes]
        targets = [target for target in dict.fromkeys(targets) if isinstance(target[1], str)]
        found: dict[tuple[str, str], dict] = {}
        for start in range(0, len(targets), TARGETS_PER_REQUEST):
            chunk = targets[start:start + TARGETS_PER_REQUEST]
            for entry in self._entries(organization, chunk):
                for key in self._keys(entry, chunk):
                    if key not in found or _moment(entry) > _moment(found[key]):
                        found[key] = entry
        return found

    def _keys(self, entry: dict[str, Any], targets: list[tuple[str, str]]) -> list[tuple[str, str]]:
        """The targets an entry is about, checked here whatever the server's filter did."""
        if entry.get('secondaryTargetType') != 'Webhook' or not _succeeded(entry):
            return []
        if str(entry.get('primaryTargetId', self.application_id)).lower() != self.application_id:
            return []
        keys = [('id', entry.get('secondaryTargetId')), ('name', entry.get('secondaryTargetName'))]
        return [key for key in keys if key in targets]

    def _entries(self, organization: str, targets: list[tuple[str, str]]) -> list[dict[str, Any]]:
        now = int(self.clock() * 1000)
        params: dict[str, Any] = {
            'start': now - self.days * DAY_MS, 'end': now, 'sortField': 'creationDate', 'sortDirection': 'desc',
            'perPage': PAGE_SIZE,
            'auditLogFilter[primaryTarget][0][type]': 'Application',
            'auditLogFilter[primaryTarget][0][id]': self.application_id,
        }
        for index, (kind, value) in enumerate(targets):
            params['auditLogFilter[secondaryTarget][%d][type]' % index] = 'Webhook'
            params['auditLogFilter[secondaryTarget][%d][%s]' % (index, kind)] = value
        entries: list[dict[str, Any]] = []
        for page in range(MAX_PAGES):
            params['page'] = page
            body = self.audit_client.request('GET', '/orgs/%s/audit-logs' % organization, params=params,
                                             expect=AUDIT_PAGE)
            items = body.get('items') or []
            entries.extend(items)
            total = body.get('totalCount')
            if not items or (isinstance(total, int) and len(entries) >= total) or self._all_seen(entries, targets):
                break
        return entries

    def _all_seen(self, entries: list[dict[str, Any]], targets: list[tuple[str, str]]) -> bool:
        """Entries come newest first: once each target has one, older pages change nothing."""
        seen = {key for entry in entries for key in self._keys(entry, targets)}
        return seen >= set(targets)

    @staticmethod
    def _unavailable(error: LosantError) -> str:
        if error.status in (401, 403) and error.path.startswith('/orgs/'):
            return NO_SCOPE
        if error.status == 404 and error.path.startswith('/orgs/'):
            return "the organization's audit logs were not found (its plan may not include them): %s" % error
        if error.status in (401, 403):
            return "the token may not read the application's owner: %s" % error
        return 'reading the audit log failed: %s' % error


def _succeeded(entry: dict[str, Any]) -> bool:
    status = entry.get('responseStatus')
    return not isinstance(status, int) or status < 400


def _moment(entry: dict[str, Any]) -> datetime:
    try:
        moment = datetime.fromisoformat(str(entry.get('creationDate')).replace('Z', '+00:00'))
    except ValueError:
        return datetime.min.replace(tzinfo=timezone.utc)
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def summary(attribution: Optional[dict[str, Any]]) -> str:
    """``changed by Jane Doe (User) 2026-12-05 14:02 UTC``, or empty without attribution."""
    if not attribution:
        return ''
    moment = _moment({'creationDate': attribution.get('time')})
    when = moment.strftime(' %Y-%m-%d %H:%M UTC') if moment.year > 1 else ''
    verb = {'post': 'created', 'delete': 'deleted'}.get(str(attribution.get('action')), 'changed')
    return '%s by %s (%s)%s' % (verb, attribution.get('actor'), attribution.get('actor_type'), when)
