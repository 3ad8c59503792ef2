# -*- coding: utf-8 -*-
# Copyright: Contributors to the losant.platform collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The Losant webhook resource: its fields, their validation, comparison, masking and API calls."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterator, Optional

from ansible_collections.losant.platform.plugins.module_utils.client import LosantClient, LosantError

MASK = '********'
CHANGED_SECRET = '******** (changed)'
TRIGGER_URL = 'https://triggers.losant.com/webhooks/%s'
PAGE_SIZE = 1000
ID_PATTERN = re.compile(r'^[0-9A-Fa-f]{24}\Z')


@dataclass(frozen=True)
class Field:
    """One writable webhook field: the module option, the API key and the platform's rules."""

    option: str
    api_key: str
    type: str
    platform_default: Any = None
    secret: bool = False
    max_length: Optional[int] = None
    choices: Optional[tuple] = None
    minimum: Optional[int] = None
    maximum: Optional[int] = None


FIELDS = (
    Field('name', 'name', 'str', max_length=255),
    Field('description', 'description', 'str', '', max_length=32767),
    Field('response_code', 'responseCode', 'int', 200, minimum=100, maximum=599),
    Field('verification_type', 'verificationType', 'str', 'none',
          choices=('none', 'facebook', 'fitbit', 'twilio', 'alexa')),
    Field('verification_code', 'verificationCode', 'str', secret=True, max_length=32767),
    Field('wait_for_reply', 'waitForReply', 'bool', False),
    Field('basic_auth_username', 'basicAuthUsername', 'str', '', max_length=255),
    Field('basic_auth_password', 'basicAuthPassword', 'str', secret=True, max_length=255),
    Field('is_websocket', 'isWebsocket', 'bool', False),
    Field('cast_buffers_as', 'castBuffersAs', 'str', 'array', choices=('array', 'binary', 'utf8', 'base64', 'hex')),
    Field('annotate_multipart', 'annotateMultipart', 'bool', False),
    Field('enabled', 'enabled', 'bool', True),
)
FIELDS_BY_OPTION = {field.option: field for field in FIELDS}
SECRET_KEYS = frozenset(field.api_key for field in FIELDS if field.secret)


def field_argument_spec() -> dict[str, dict[str, Any]]:
    """Argument spec of the field options. None of them has a default: unset means 'leave alone'."""
    spec = {}
    for field in FIELDS:
        option: dict[str, Any] = {'type': field.type}
        if field.choices:
            option['choices'] = list(field.choices)
        if field.secret:
            option['no_log'] = True
        spec[field.option] = option
    return spec


def validate_id(option: str, value: Optional[str]) -> list[str]:
    if value is None or ID_PATTERN.match(value):
        return []
    return ['%s must be 24 hexadecimal characters, got %r' % (option, value)]


def validate_fields(params: dict[str, Any], where: str = '') -> list[str]:
    """Check lengths and ranges the argument spec cannot express. Returns one message per problem."""
    errors = []
    for field in FIELDS:
        value = params.get(field.option)
        if value is None:
            continue
        label = where + field.option
        if field.option == 'name' and not value:
            errors.append('%s must not be empty' % label)
        if field.max_length is not None and len(value) > field.max_length:
            errors.append('%s must be at most %d characters, got %d' % (label, field.max_length, len(value)))
        if field.minimum is not None and not field.minimum <= value <= field.maximum:
            errors.append('%s must be between %d and %d, got %d' % (label, field.minimum, field.maximum, value))
    return errors


def desired_fields(params: dict[str, Any], include_secrets: bool = True) -> dict[str, Any]:
    """API body of the fields the user set, keyed by API key."""
    return {
        field.api_key: params[field.option]
        for field in FIELDS
        if params.get(field.option) is not None and (include_secrets or not field.secret)
    }


def changed_fields(desired: dict[str, Any], current: dict[str, Any]) -> dict[str, Any]:
    """The subset of ``desired`` that differs from ``current``.

    A secret the API does not return cannot be compared, so it is always part of the change.
    A key missing from ``current`` (older webhooks lack newer fields) differs from any desired value.
    """
    return {key: value for key, value in desired.items() if key not in current or current[key] != value}


def mask(webhook: dict[str, Any]) -> dict[str, Any]:
    """A copy without HAL keys (``_type``, ``_links``...) and with every secret value masked."""
    return {
        key: (MASK if key in SECRET_KEYS and value else value)
        for key, value in webhook.items()
        if not key.startswith('_')
    }


def update_diff(changes: dict[str, Any], current: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Before and after of the changed fields only, secrets masked so that a change still shows."""
    before = mask({key: current.get(key) for key in changes})
    after = mask(changes)
    for key in SECRET_KEYS.intersection(changes):
        after[key] = CHANGED_SECRET
    return {'before': before, 'after': after}


def trigger_url(webhook: dict[str, Any]) -> Optional[str]:
    token = webhook.get('token')
    return TRIGGER_URL % token if token else None


def with_trigger_url(webhook: dict[str, Any]) -> dict[str, Any]:
    """A webhook for a list in a module result: masked, with ``trigger_url`` (None until it has a token)."""
    return dict(mask(webhook), trigger_url=trigger_url(webhook))


def predicted_webhook(body: dict[str, Any], application_id: str) -> dict[str, Any]:
    """What a create would return, for check mode: platform defaults overlaid with the body."""
    webhook = {field.api_key: field.platform_default for field in FIELDS if field.platform_default not in (None, '')}
    webhook.update(body)
    webhook['applicationId'] = application_id
    return webhook


class WebhookApi:
    """The five webhook actions of one application. Every write goes through ``_write``."""

    def __init__(self, client: LosantClient, application_id: str, check_mode: bool = False) -> None:
        self.client = client
        self.check_mode = check_mode
        self.path = '/applications/%s/webhooks' % application_id
        self.writes: list[dict[str, Any]] = []

    def list(self, name_glob: Optional[str] = None) -> Iterator[dict[str, Any]]:
        """Every webhook, sorted by name, following all pages; ``name_glob`` filters with the API's glob."""
        params: dict[str, Any] = {'perPage': PAGE_SIZE, 'sortField': 'name', 'sortDirection': 'asc'}
        if name_glob is not None:
            params.update(filterField='name', filter=name_glob)
        page = 0
        while True:
            params['page'] = page
            body = self.client.request('GET', self.path, params=params)
            items = body.get('items') or []
            yield from items
            page += 1
            if not items or page * PAGE_SIZE >= body.get('totalCount', 0):
                return

    def find_by_name(self, name: str) -> list[dict[str, Any]]:
        """Webhooks whose name is exactly ``name``: the API filter is a case-insensitive glob."""
        return [webhook for webhook in self.list(name_glob=name) if webhook.get('name') == name]

    def get(self, webhook_id: str) -> Optional[dict[str, Any]]:
        """The webhook, or None when the application has no webhook with that ID."""
        try:
            return self.client.request('GET', '%s/%s' % (self.path, webhook_id))
        except LosantError as error:
            if error.status == 404 and 'application' not in error.error_message.lower():
                return None
            raise

    def create(self, body: dict[str, Any]) -> Optional[dict[str, Any]]:
        return self._write('POST', self.path, body)

    def update(self, webhook_id: str, body: dict[str, Any]) -> Optional[dict[str, Any]]:
        return self._write('PATCH', '%s/%s' % (self.path, webhook_id), body)

    def delete(self, webhook_id: str, include_workflows: bool = False) -> Optional[dict[str, Any]]:
        params = {'includeWorkflows': 'true'} if include_workflows else None
        return self._write('DELETE', '%s/%s' % (self.path, webhook_id), params=params)

    def _write(self, method: str, path: str, body: Optional[dict[str, Any]] = None,
               params: Optional[dict[str, Any]] = None) -> Optional[dict[str, Any]]:
        """Send one write, or in check mode only plan it. ``writes`` lists those done (or planned)."""
        response = None
        if not self.check_mode:
            response = self.client.request(method, path, body=body, params=params)
        self.writes.append(describe_write(method, path, body, params))
        return response


def describe_write(method: str, path: str, body: Optional[dict[str, Any]] = None,
                   params: Optional[dict[str, Any]] = None) -> dict[str, Any]:
    """A readable record of one write request, secrets masked."""
    write: dict[str, Any] = {'method': method, 'path': path}
    if body is not None:
        write['body'] = mask(body)
    if params:
        write['params'] = params
    return write
