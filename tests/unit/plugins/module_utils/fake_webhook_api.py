# -*- coding: utf-8 -*-
# Copyright: Contributors to the losant.platform collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""An application's webhooks in memory, answering ``LosantClient.request`` as the Losant API would."""

from __future__ import annotations

import itertools
from typing import Any, Optional

from ansible_collections.losant.platform.plugins.module_utils.client import LosantError

APP_ID = '5f0c1e2d3b4a59687a8b9c0d'
CREATE_DEFAULTS = {
    'responseCode': 200, 'verificationType': 'none', 'waitForReply': False, 'isWebsocket': False,
    'castBuffersAs': 'array', 'annotateMultipart': False, 'enabled': True,
}
_ids = itertools.count(1)


def webhook(name: str, **fields: Any) -> dict[str, Any]:
    """A stored webhook as the API lists it, with the create defaults, read-only and HAL keys."""
    webhook_id = '%024x' % next(_ids)
    stored = {'id': webhook_id, 'webhookId': webhook_id, 'applicationId': APP_ID, 'name': name,
              'token': 'token-%s' % webhook_id, 'creationDate': '2026-01-01T00:00:00.000Z',
              'lastUpdated': '2026-01-01T00:00:00.000Z', '_type': 'webhook', '_links': {'self': {'href': '/x'}}}
    stored.update(CREATE_DEFAULTS)
    stored.update(fields)
    return stored


def bare_webhook(name: str, **fields: Any) -> dict[str, Any]:
    """A webhook from before most fields existed: only identity keys, ``name`` and ``fields``."""
    stored = webhook(name)
    for key in CREATE_DEFAULTS:
        del stored[key]
    stored.update(fields)
    return stored


class FakeApi:
    """Records every request; ``fail_write`` makes that write (1-based) fail with ``failure``."""

    def __init__(self, webhooks: Optional[list[dict[str, Any]]] = None, fail_write: Optional[int] = None,
                 failure: tuple = (500, 'InternalServerError', 'Internal server error')) -> None:
        self.stored = {hook['id']: dict(hook) for hook in webhooks or []}
        self.calls: list[tuple] = []
        self.fail_write = fail_write
        self.failure = failure
        self.collection = '/applications/%s/webhooks' % APP_ID

    @property
    def writes(self) -> list[tuple]:
        return [call for call in self.calls if call[0] != 'GET']

    @property
    def lists(self) -> list[tuple]:
        return [call for call in self.calls if call[0] == 'GET' and call[1] == self.collection]

    def request(self, method: str, path: str, body: Optional[dict] = None, params: Optional[dict] = None) -> Any:
        self.calls.append((method, path, body, dict(params) if params else params))
        if method != 'GET' and len(self.writes) == self.fail_write:
            status, error_type, message = self.failure
            raise LosantError(method, path, message, status, error_type)
        if path == self.collection:
            return self._list(params or {}) if method == 'GET' else self._create(body or {})
        webhook_id = path.rsplit('/', 1)[1]
        if webhook_id not in self.stored:
            raise LosantError(method, path, 'Webhook was not found', 404, 'NotFound')
        if method == 'PATCH':
            self.stored[webhook_id].update(body or {})
            return dict(self.stored[webhook_id])
        if method == 'DELETE':
            del self.stored[webhook_id]
            return {'success': True}
        return dict(self.stored[webhook_id])

    def _list(self, params: dict) -> dict[str, Any]:
        hooks = sorted(self.stored.values(), key=lambda hook: (hook['name'], hook['id']))
        per_page, page = params['perPage'], params['page']
        items = hooks[page * per_page:(page + 1) * per_page]
        return {'items': [dict(hook) for hook in items], 'count': len(items), 'totalCount': len(hooks),
                'perPage': per_page, 'page': page, 'applicationId': APP_ID, '_type': 'webhooks'}

    def _create(self, body: dict[str, Any]) -> dict[str, Any]:
        fields = dict(body)
        created = webhook(fields.pop('name'), **fields)
        self.stored[created['id']] = created
        return dict(created)
