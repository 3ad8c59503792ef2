# -*- coding: utf-8 -*-
# Copyright: Contributors to the losant.platform collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

# Private to the losant.platform collection: it changes without notice, so other collections and
# plugins of your own must not import it.

"""The connection options' environment variables, read so that a bad value names its variable."""

from __future__ import annotations

import os
from typing import Any, Callable

from ansible.module_utils.errors import AnsibleFallbackNotFound
from ansible.module_utils.common.validation import check_type_bool, check_type_int

# The variable each connection option falls back to when the task does not set it.
VARIABLES = {
    'api_url': 'LOSANT_API_URL',
    'api_token': 'LOSANT_API_TOKEN',
    'timeout': 'LOSANT_TIMEOUT',
    'validate_certs': 'LOSANT_VALIDATE_CERTS',
    'ca_path': 'LOSANT_CA_PATH',
    'api_retries': 'LOSANT_API_RETRIES',
    'api_retry_max_wait': 'LOSANT_API_RETRY_MAX_WAIT',
    'trigger_base_url': 'LOSANT_TRIGGER_BASE_URL',
}
# Types whose conversion can fail, what they accept, and the conversion the argument spec would apply.
CONVERSIONS: dict[str, tuple[str, Callable[[str], Any]]] = {
    'int': ('a whole number', check_type_int),
    'bool': ('a boolean (true, false, yes, no, 1, 0)', check_type_bool),
}


class EnvironmentFallbacks:
    """Argument spec fallbacks to ``VARIABLES``, for one module run.

    A value the option's type cannot take is not used: Ansible would report it as the option's, never
    naming the variable. It is kept in ``errors`` for the input check, which fails before any request.
    ``used`` maps each option taken from the environment to its variable, for the messages about its value.
    """

    def __init__(self) -> None:
        self.used: dict[str, str] = {}
        self.errors: list[str] = []

    def add_to(self, spec: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
        """``spec`` with a fallback to its variable on every connection option."""
        return {option: dict(settings, fallback=(self.read, [option, settings['type']])) if option in VARIABLES
                else settings for option, settings in spec.items()}

    def read(self, option: str, option_type: str) -> Any:
        variable = VARIABLES[option]
        if variable not in os.environ:
            raise AnsibleFallbackNotFound
        value = os.environ[variable]
        kind, convert = CONVERSIONS.get(option_type, ('', str))
        try:
            converted = convert(value)
        except (TypeError, ValueError):
            self.errors.append('the environment variable %s (for %s) must be %s, got %r' % (variable, option, kind, value))
            raise AnsibleFallbackNotFound from None
        self.used[option] = variable
        return converted

    def name_variables(self, errors: list[str]) -> list[str]:
        """``errors``, those about an option taken from the environment saying from which variable."""
        return [next(('%s (from the environment variable %s)' % (error, variable)
                      for option, variable in self.used.items() if error.startswith(option + ' ')), error)
                for error in errors]
