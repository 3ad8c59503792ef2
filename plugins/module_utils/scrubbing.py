# -*- coding: utf-8 -*-
# Copyright: Contributors to the losant.platform collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""One scrubber for every text that leaves a module: messages, error messages, warnings and deprecations."""

from __future__ import annotations

import threading
from typing import Any, Iterable

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.losant.platform.plugins.module_utils.fields import MASK

# Result keys whose text a module writes (possibly quoting an API answer); other keys hold data, such as the
# trigger token of ``webhooks``, which is returned on purpose and masked where it stands when it must not be.
TEXT_KEYS = ('msg', 'error_message', 'errors')


def scrub_text(text: str, secrets: Iterable[str]) -> str:
    """``text`` without any of ``secrets``, longest first."""
    for secret in sorted(secrets, key=len, reverse=True):
        text = text.replace(secret, MASK)
    return text


class ScrubbingModule(AnsibleModule):
    """An AnsibleModule whose texts leave it scrubbed of its no_log values and of the secrets added.

    Warnings and deprecations are scrubbed when they are made: in the controller's process (ansible-core
    2.19+) they go straight to the display, not through the result that Ansible scrubs of no_log values.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.api_secrets: set[str] = set()  # before AnsibleModule's checks, which may already fail
        self.secrets_lock = threading.Lock()
        super().__init__(*args, **kwargs)

    def add_secrets(self, values: Iterable[str]) -> None:
        """Hide ``values`` from every text from now on (safe while other threads add theirs)."""
        with self.secrets_lock:
            self.api_secrets.update(value for value in values if value)

    def scrub(self, text: str) -> str:
        with self.secrets_lock:
            secrets = set(self.api_secrets)
        return scrub_text(text, secrets.union(getattr(self, 'no_log_values', ())))

    def scrubbed(self, result: dict[str, Any]) -> dict[str, Any]:
        """``result`` with its texts scrubbed (each a string or a list of strings)."""
        for key in TEXT_KEYS:
            value = result.get(key)
            if isinstance(value, str):
                result[key] = self.scrub(value)
            elif isinstance(value, list):
                result[key] = [self.scrub(item) if isinstance(item, str) else item for item in value]
        return result

    def warn(self, warning: str, *args: Any, **kwargs: Any) -> None:
        super().warn(self.scrub(warning), *args, **kwargs)

    def deprecate(self, msg: str, *args: Any, **kwargs: Any) -> None:
        # The caller's collection_name or deprecator is in kwargs.
        super().deprecate(self.scrub(msg), *args, **kwargs)  # pylint: disable=ansible-deprecated-no-collection-name

    def exit_json(self, **result: Any) -> None:
        super().exit_json(**self.scrubbed(result))

    def fail_json(self, msg: str, **result: Any) -> None:
        super().fail_json(self.scrub(str(msg)), **self.scrubbed(result))
