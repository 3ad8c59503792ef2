# -*- coding: utf-8 -*-
# Copyright: Contributors to the losant.platform collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

# Private to the losant.platform collection: it changes without notice, so other collections and
# plugins of your own must not import it.

"""What every losant.platform module shares: connection options, the client, secrets and failures."""

from __future__ import annotations

import contextlib
import ipaddress
import re
from typing import Any, Iterable, NoReturn, Optional
from urllib.parse import urlparse

from ansible.module_utils.basic import missing_required_lib

from ansible_collections.losant.platform.plugins.module_utils._client import (
    DEFAULT_POOL_SIZE, DEFAULT_RETRIES, DEFAULT_RETRY_MAX_WAIT, REQUESTS_IMPORT_ERROR, LosantClient, LosantError,
    ca_path_errors, retry_errors, token_errors,
)
from ansible_collections.losant.platform.plugins.module_utils._environment import VARIABLES, EnvironmentFallbacks
from ansible_collections.losant.platform.plugins.module_utils._fields import validate_id
from ansible_collections.losant.platform.plugins.module_utils._scrubbing import ScrubbingModule

# A user name or password before the host: requests would not send it (the token replaces it), and messages
# that name the server would show it.
USER_INFO = re.compile(r'[^:/?#]*://([^/?#]*)@')
# Each falls back to its environment variable (environment.VARIABLES). The token is required, but checked
# by the module: Ansible's message for a missing option would not name the variable.
CONNECTION_ARGUMENT_SPEC: dict[str, dict[str, Any]] = {
    'api_url': {'type': 'str', 'default': 'https://api.losant.com'},
    'api_token': {'type': 'str', 'no_log': True},
    'timeout': {'type': 'int', 'default': 30},
    'validate_certs': {'type': 'bool', 'default': True},
    'ca_path': {'type': 'path'},
    'api_retries': {'type': 'int', 'default': DEFAULT_RETRIES},
    'api_retry_max_wait': {'type': 'int', 'default': DEFAULT_RETRY_MAX_WAIT},
    'trigger_base_url': {'type': 'str'},
}


def validate_api_url(value: str, option: str = 'api_url') -> list[str]:
    """requests refuses a URL without an http(s) scheme or a host with an exception, not an HTTP error."""
    if USER_INFO.match(value):  # never quoted: it may hold a password
        return ['%s must not hold a user name or password, as the API token is the only credential sent' % option]
    try:
        parts = urlparse(value)
    except ValueError:  # an unclosed IPv6 address: https://[::1
        parts = None
    if parts is None or parts.scheme not in ('http', 'https') or not parts.hostname:
        return ['%s must be an http:// or https:// URL with a host name, got %r' % (option, value)]
    try:
        valid_port = parts.port != 0
    except ValueError:
        valid_port = False
    return [] if valid_port else ['%s must have a port from 1 to 65535 if any, got %r' % (option, value)]


DEFAULT_PORTS = {'http': 80, 'https': 443}


def server_identity(api_url: str) -> str:
    """One spelling for every spelling of the server of a valid ``api_url``, for keys such as the name lock. Case, a
    default port, trailing slashes, credentials, query, fragment, a host name's final dot and how an IP address or a
    non-ASCII host name is written make no other server; the path is kept, as it may lead to another API."""
    parts = urlparse(api_url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or '').rstrip('.')
    try:
        host = ipaddress.ip_address(host).compressed
    except ValueError:
        with contextlib.suppress(UnicodeError):
            host = host.encode('idna').decode('ascii')  # as requests sends a host name of other characters
    if ':' in host:
        host = '[%s]' % host
    port = parts.port
    if port is not None and port != DEFAULT_PORTS.get(scheme):
        host = '%s:%d' % (host, port)
    return '%s://%s%s' % (scheme, host, parts.path.rstrip('/'))


# Every failure carries these, so that a pipeline can tell a failure worth retrying from one that needs a
# person without reading the message; a failure before or without an API answer has no status or type.
FAILURE_DEFAULTS: dict[str, Any] = {'error_status': None, 'error_type': None, 'retryable': False}


class FailureDetailsModule(ScrubbingModule):
    """An AnsibleModule whose every failure, its own argument checks included, carries ``FAILURE_DEFAULTS``."""

    def fail_json(self, msg: str, **kwargs: Any) -> NoReturn:
        super().fail_json(msg, **dict(FAILURE_DEFAULTS, **kwargs))


class LosantModule:
    """An AnsibleModule with the connection options, input checks, a client and failure reporting."""

    def __init__(self, argument_spec: dict[str, Any], **kwargs: Any) -> None:
        self.environment = EnvironmentFallbacks()
        spec = self.environment.add_to(CONNECTION_ARGUMENT_SPEC)
        spec.update(argument_spec)
        self.module = FailureDetailsModule(argument_spec=spec, supports_check_mode=True, **kwargs)
        self.params = self.module.params
        if REQUESTS_IMPORT_ERROR:
            self.module.fail_json(msg=missing_required_lib('requests'), exception=REQUESTS_IMPORT_ERROR)
        # Whitespace around a token or URL (the final newline of a vault block scalar) is never part of it.
        self.api_token: str = (self.params['api_token'] or '').strip()
        self.params['api_url'] = self.params['api_url'].strip()
        user_info = USER_INFO.match(self.params['api_url'])
        if user_info:  # refused by check_input, and hidden from the invocation Ansible shows
            self.module.no_log_values.add(user_info.group(1))
        if self.api_token:
            self.module.no_log_values.add(self.api_token)

    def check_input(self, errors: list[str]) -> None:
        """Fail before any request when the input is invalid; the API would refuse it anyway."""
        connection_errors = (validate_api_url(self.params['api_url']) + self.token_errors()
                             + (ca_path_errors(self.params['ca_path']) if self.params['validate_certs'] else [])
                             + retry_errors(self.params['api_retries'], self.params['api_retry_max_wait']))
        if self.params['trigger_base_url'] is not None:
            connection_errors.extend(validate_api_url(self.params['trigger_base_url'].strip(), 'trigger_base_url'))
        if self.params['timeout'] <= 0:
            connection_errors.append('timeout must be a positive number of seconds, got %d' % self.params['timeout'])
        errors = (self.environment.errors + self.environment.name_variables(connection_errors)
                  + validate_id('application_id', self.params.get('application_id')) + errors)
        if errors:
            self.module.fail_json(msg='Invalid input: %s.' % '; '.join(errors), errors=errors)

    def token_errors(self) -> list[str]:
        if self.params['api_token'] is None:
            return ['api_token is required: set it, or the environment variable %s' % VARIABLES['api_token']]
        return token_errors(self.api_token)

    def client(self, secret_keys: Iterable[str], token: Optional[str] = None) -> LosantClient:
        """A client for the connection options (``token``, stripped, replaces ``api_token``), safe to share between
        threads; the values of ``secret_keys`` in its answers are scrubbed from every text the module gives out."""
        params = self.params
        client = LosantClient(params['api_url'], token or self.api_token, timeout=params['timeout'],
                              validate_certs=params['validate_certs'], ca_path=params['ca_path'],
                              retries=params['api_retries'], retry_max_wait=params['api_retry_max_wait'],
                              pool_size=max(DEFAULT_POOL_SIZE, params.get('concurrency') or 0))
        client.on_response = lambda body: self.remember_secrets(body, frozenset(secret_keys))
        return client

    def remember_secrets(self, body: Any, secret_keys: frozenset[str]) -> None:
        """Hide the secrets an answer carries from every text the module gives out. Not as no_log values: Ansible would
        then replace every equal value anywhere, such as ``responseCode: 200`` for the password ``200``."""
        items = body.get('items') if isinstance(body, dict) and isinstance(body.get('items'), list) else [body]
        found = [str(item[key]) for item in items if isinstance(item, dict) for key in secret_keys if item.get(key)]
        self.module.add_secrets(found)

    def fail(self, error: LosantError, **result: Any) -> NoReturn:
        """Fail with the API error; a write that may have been applied reports ``changed`` unless told otherwise."""
        result.setdefault('changed', error.outcome_unknown)
        self.module.fail_json(msg=str(error), **error.as_result(), **result)

    def exit(self, **result: Any) -> NoReturn:
        self.module.exit_json(**result)
