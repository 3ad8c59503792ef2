# -*- coding: utf-8 -*-
# Copyright: Contributors to the losant.platform collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The Losant webhook resource: its field table and its API calls."""

from __future__ import annotations

from typing import Any, Iterator, Optional

from ansible_collections.losant.platform.plugins.module_utils.base import LosantModule
from ansible_collections.losant.platform.plugins.module_utils.client import LosantClient, LosantError, Shape
from ansible_collections.losant.platform.plugins.module_utils.fields import Field, mask, secret_keys

TRIGGER_URL = 'https://triggers.losant.com/webhooks/%s'
PAGE_SIZE = 1000

FIELDS = (
    Field('name', 'name', 'str', max_length=255, non_empty=True),
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
SECRET_KEYS = secret_keys(FIELDS)
WEBHOOK = Shape('a webhook object', lambda body: isinstance(body, dict) and isinstance(body.get('id'), str))
DELETED = Shape('{"success": true}', lambda body: isinstance(body, dict) and body.get('success') is True)


def trigger_url(webhook: dict[str, Any]) -> Optional[str]:
    token = webhook.get('token')
    return TRIGGER_URL % token if token else None


def with_trigger_url(webhook: dict[str, Any]) -> dict[str, Any]:
    """A webhook for a list in a module result: masked, with ``trigger_url`` (None until it has a token)."""
    return dict(mask(FIELDS, webhook), trigger_url=trigger_url(webhook))


def predicted_webhook(body: dict[str, Any], application_id: str) -> dict[str, Any]:
    """What a create would return, for check mode: platform defaults overlaid with the body."""
    webhook = {field.api_key: field.platform_default for field in FIELDS if field.platform_default not in (None, '')}
    webhook.update(body)
    webhook['applicationId'] = application_id
    return webhook


def webhook_api(module: LosantModule) -> WebhookApi:
    """The webhook API of the module's application, through a client that hides the webhooks' secrets."""
    return WebhookApi(module.client(SECRET_KEYS), module.params['application_id'], check_mode=module.module.check_mode)


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
            return self.client.request('GET', '%s/%s' % (self.path, webhook_id), expect=WEBHOOK)
        except LosantError as error:
            if error.status == 404 and 'application' not in error.error_message.lower():
                return None
            raise

    def create(self, body: dict[str, Any]) -> Optional[dict[str, Any]]:
        return self._write('POST', self.path, WEBHOOK, body)

    def update(self, webhook_id: str, body: dict[str, Any]) -> Optional[dict[str, Any]]:
        return self._write('PATCH', '%s/%s' % (self.path, webhook_id), WEBHOOK, body)

    def delete(self, webhook_id: str, include_workflows: bool = False) -> Optional[dict[str, Any]]:
        params = {'includeWorkflows': 'true'} if include_workflows else None
        return self._write('DELETE', '%s/%s' % (self.path, webhook_id), DELETED, params=params)

    def _write(self, method: str, path: str, expect: Shape, body: Optional[dict[str, Any]] = None,
               params: Optional[dict[str, Any]] = None) -> Optional[dict[str, Any]]:
        """Send one write, or in check mode only plan it. ``writes`` lists those done (or planned)."""
        response = None
        if not self.check_mode:
            response = self.client.request(method, path, body=body, params=params, expect=expect)
        self.writes.append(describe_write(method, path, body, params))
        return response


def describe_write(method: str, path: str, body: Optional[dict[str, Any]] = None,
                   params: Optional[dict[str, Any]] = None) -> dict[str, Any]:
    """A readable record of one write request, secrets masked."""
    write: dict[str, Any] = {'method': method, 'path': path}
    if body is not None:
        write['body'] = mask(FIELDS, body)
    if params:
        write['params'] = params
    return write
