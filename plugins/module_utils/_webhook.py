# -*- coding: utf-8 -*-
# Copyright: Contributors to the losant.platform collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

# Private to the losant.platform collection: it changes without notice, so other collections and
# plugins of your own must not import it.

"""The Losant webhook resource: its field table and its API calls."""

from __future__ import annotations

from typing import Any, Optional

from ansible_collections.losant.platform.plugins.module_utils._module import LosantModule, server_identity
from ansible_collections.losant.platform.plugins.module_utils._client import LosantClient
from ansible_collections.losant.platform.plugins.module_utils._fields import Field, mask
from ansible_collections.losant.platform.plugins.module_utils._resource import Resource, ResourceApi

# Losant's public cloud: its API, and where its webhooks are triggered. A private installation has its own
# trigger host, which cannot be derived from its API URL (option trigger_base_url).
PUBLIC_API = 'https://api.losant.com'
PUBLIC_TRIGGER_BASE = 'https://triggers.losant.com/webhooks'

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
    Field('is_websocket', 'isWebsocket', 'bool', False, fixed=True),
    Field('cast_buffers_as', 'castBuffersAs', 'str', 'array', choices=('array', 'binary', 'utf8', 'base64', 'hex')),
    Field('annotate_multipart', 'annotateMultipart', 'bool', False),
    Field('enabled', 'enabled', 'bool', True),
)
FIELDS_BY_OPTION = {field.option: field for field in FIELDS}
RECREATE_HINT = ('Losant fixes is_websocket when a webhook is created: to change it, delete the webhook and create it '
                 'again (state=absent, then present), which gives it a new token and so a new trigger URL; or set '
                 'is_websocket to the value the webhook has')
# The trigger token is the only credential of many webhooks (whoever holds it can trigger the webhook): diffs mask
# it, and error messages never show it.
WEBHOOKS = Resource('webhook', 'webhooks', FIELDS, credentials=('token',), fixed_hint=RECREATE_HINT)
SCRUBBED_KEYS = WEBHOOKS.scrubbed_keys
incomplete_listing = WEBHOOKS.incomplete_listing


def is_public_api(api_url: str) -> bool:
    """Whether ``api_url`` is Losant's public API, however it is spelled (case, default port, final slash)."""
    try:
        return server_identity(api_url) == PUBLIC_API
    except ValueError:  # not a URL: check_input refuses it
        return False


def trigger_base(params: dict[str, Any]) -> Optional[str]:
    """Where trigger URLs start: ``trigger_base_url`` if given, else the public trigger host for the public API."""
    if params.get('trigger_base_url'):
        return params['trigger_base_url'].strip().rstrip('/')
    return PUBLIC_TRIGGER_BASE if is_public_api(params['api_url']) else None


def trigger_url(webhook: dict[str, Any], base: Optional[str]) -> Optional[str]:
    """The URL that triggers ``webhook``: None until it has a token, or when the trigger host is unknown."""
    token = webhook.get('token')
    return '%s/%s' % (base, token) if token and base else None


def with_trigger_url(webhook: dict[str, Any], base: Optional[str]) -> dict[str, Any]:
    """A webhook for a list in a module result: masked, with ``trigger_url``."""
    return dict(mask(FIELDS, webhook), trigger_url=trigger_url(webhook, base))


def webhook_api(module: LosantModule) -> WebhookApi:
    return WebhookApi(module.client(SCRUBBED_KEYS), module.params['application_id'], check_mode=module.module.check_mode,
                      include_workflows=module.params.get('include_workflows', False))


class WebhookApi(ResourceApi):
    """The webhook calls of one application; ``include_workflows`` deletes the workflows a webhook triggers with it."""

    def __init__(self, client: LosantClient, application_id: str, check_mode: bool = False,
                 include_workflows: bool = False) -> None:
        super().__init__(WEBHOOKS, client, application_id, check_mode)
        if include_workflows:
            self.delete_params = {'includeWorkflows': 'true'}
