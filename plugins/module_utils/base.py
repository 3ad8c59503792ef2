# -*- coding: utf-8 -*-
# Copyright: Contributors to the losant.platform collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""What every losant.platform module shares: connection options, the client, secrets and failures."""

from __future__ import annotations

from typing import Any, Iterable, NoReturn
from urllib.parse import urlparse

from ansible.module_utils.basic import AnsibleModule, env_fallback, missing_required_lib

from ansible_collections.losant.platform.plugins.module_utils.client import (
    REQUESTS_IMPORT_ERROR,
    LosantClient,
    LosantError,
)
from ansible_collections.losant.platform.plugins.module_utils.fields import validate_id

CONNECTION_ARGUMENT_SPEC: dict[str, dict[str, Any]] = {
    'api_url': {'type': 'str', 'default': 'https://api.losant.com', 'fallback': (env_fallback, ['LOSANT_API_URL'])},
    'api_token': {'type': 'str', 'required': True, 'no_log': True, 'fallback': (env_fallback, ['LOSANT_API_TOKEN'])},
    'timeout': {'type': 'int', 'default': 30},
    'validate_certs': {'type': 'bool', 'default': True},
}


def validate_api_url(value: str) -> list[str]:
    """requests refuses a URL without an http(s) scheme or a host with an exception, not an HTTP error."""
    parts = urlparse(value)
    if parts.scheme in ('http', 'https') and parts.hostname:
        return []
    return ['api_url must be an http:// or https:// URL with a host name, got %r' % value]


class LosantModule:
    """An AnsibleModule with the connection options, input checks, a client and failure reporting."""

    def __init__(self, argument_spec: dict[str, Any], **kwargs: Any) -> None:
        spec = dict(CONNECTION_ARGUMENT_SPEC)
        spec.update(argument_spec)
        self.module = AnsibleModule(argument_spec=spec, supports_check_mode=True, **kwargs)
        self.params = self.module.params
        if REQUESTS_IMPORT_ERROR:
            self.module.fail_json(msg=missing_required_lib('requests'), exception=REQUESTS_IMPORT_ERROR)

    def check_input(self, errors: list[str]) -> None:
        """Fail before any request when the input is invalid; the API would refuse it anyway."""
        errors = (validate_api_url(self.params['api_url'])
                  + validate_id('application_id', self.params.get('application_id')) + errors)
        if self.params['timeout'] <= 0:
            errors.append('timeout must be a positive number of seconds, got %d' % self.params['timeout'])
        if errors:
            self.module.fail_json(msg='Invalid input: %s.' % '; '.join(errors), errors=errors)

    def client(self, secret_keys: Iterable[str]) -> LosantClient:
        """A client for the connection options; the values of ``secret_keys`` in its answers are hidden."""
        client = LosantClient(
            self.params['api_url'],
            self.params['api_token'],
            timeout=self.params['timeout'],
            validate_certs=self.params['validate_certs'],
        )
        client.on_response = lambda body: self.hide_secrets(body, secret_keys)
        return client

    def hide_secrets(self, body: Any, secret_keys: Iterable[str]) -> None:
        """Register secrets the API returns so Ansible scrubs them from every output, messages included."""
        items = body.get('items') if isinstance(body, dict) and isinstance(body.get('items'), list) else [body]
        for item in items:
            if isinstance(item, dict):
                self.module.no_log_values.update(str(item[key]) for key in secret_keys if item.get(key))

    def fail(self, error: LosantError, **result: Any) -> NoReturn:
        self.module.fail_json(msg=str(error), **error.as_result(), **result)

    def exit(self, **result: Any) -> NoReturn:
        self.module.exit_json(**result)
