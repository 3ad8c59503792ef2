# -*- coding: utf-8 -*-
# Copyright: Contributors to the losant.platform collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

# Private to the losant.platform collection: it changes without notice, so other collections and
# plugins of your own must not import it.

"""One scrubber for every text that leaves a module: messages, error messages, warnings and deprecations."""

from __future__ import annotations

import json
import re
import threading
from typing import Any, Iterable, Iterator

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.losant.platform.plugins.module_utils._fields import MASK

# Result keys whose text a module writes (possibly quoting an API answer); other keys hold data, such as the
# trigger token of ``webhooks``, which is returned on purpose and masked where it stands when it must not be.
TEXT_KEYS = ('msg', 'error_message', 'errors', 'attribution_unavailable')
# Secrets shorter than this are masked in a text only where they stand whole (see scrub_text).
MIN_PARTIAL_LENGTH = 8
WORD_CHARACTER = re.compile(r'\w')  # a letter, digit or underscore (str.isalnum() or '_')


def scrub_text(text: str, secrets: Iterable[str]) -> str:
    """``text`` with one ``MASK`` in place of each run of characters that belongs to an occurrence of a secret.

    A secret of ``MIN_PARTIAL_LENGTH`` characters or more is masked wherever it occurs (also glued to other
    characters, as in an encoded URL or after a JSON escape). A shorter one is masked only where it stands
    whole: the whole text, between two equal quotes, or as a word of its own; masking every ``e`` or ``200`` inside
    other words would garble the text and, by where the masks fall, spell the secret. Overlapping occurrences become one mask.
    """
    spans = sorted(span for secret in secrets if secret for span in occurrences(text, secret))
    parts: list[str] = []
    masked_until = -1
    for start, end in spans:
        if start > masked_until:
            parts.extend((text[max(masked_until, 0):start], MASK))
        masked_until = max(masked_until, end)
    return ''.join(parts) + text[max(masked_until, 0):]


def occurrences(text: str, secret: str) -> Iterator[tuple[int, int]]:
    """Where ``secret`` occurs in ``text`` as is or JSON-escaped, as (start, end) spans that count (see scrub_text)."""
    partial = len(secret) >= MIN_PARTIAL_LENGTH
    for spelling in dict.fromkeys((secret, json.dumps(secret)[1:-1], json.dumps(secret, ensure_ascii=False)[1:-1])):
        start = text.find(spelling)
        while start >= 0:
            end = start + len(spelling)
            if partial or stands_whole(text, start, end):
                yield start, end
            start = text.find(spelling, start + 1)


def stands_whole(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` is a word of its own: no letter, digit or underscore touches it on either side
    (so also where it is the whole text, or quoted)."""
    return not WORD_CHARACTER.search(text[start - 1:start] + text[end:end + 1])


def masked_whole(value: Any, secrets: frozenset[str]) -> Any:
    """``value`` with every string that is one of ``secrets`` masked, in every list and dictionary within."""
    if isinstance(value, str):
        return MASK if value.strip() in secrets else value
    if isinstance(value, dict):
        return {key: masked_whole(item, secrets) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [masked_whole(item, secrets) for item in value]
    return value


def without_unset_suboptions(params: dict[str, Any]) -> dict[str, Any]:
    """``params`` with the suboptions left unset (None) out of each dictionary and list of dictionaries."""
    return {name: unset_left_out(value) for name, value in params.items()}


def unset_left_out(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: item for key, item in value.items() if item is not None}
    if isinstance(value, list) and value and all(isinstance(item, dict) for item in value):
        return [unset_left_out(item) for item in value]
    return value


class ScrubbingModule(AnsibleModule):
    """An AnsibleModule whose texts leave it scrubbed of its no_log values and of the secrets added.

    Warnings and deprecations are scrubbed when they are made: in the controller's process (ansible-core
    2.19+) they go straight to the display, not through the result that Ansible scrubs of no_log values.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.api_secrets: set[str] = set()  # before AnsibleModule's checks, which may already fail
        self.short_no_log_values: frozenset[str] = frozenset()  # taken from Ansible's no_log values (``leaving``)
        self.secrets_lock = threading.Lock()
        super().__init__(*args, **kwargs)

    def add_secrets(self, values: Iterable[str]) -> None:
        """Hide ``values`` from every text from now on (safe while other threads add theirs)."""
        with self.secrets_lock:
            self.api_secrets.update(value for value in values if value)

    def scrub(self, text: str) -> str:
        with self.secrets_lock:
            secrets = set(self.api_secrets)
        return scrub_text(text, secrets.union(getattr(self, 'no_log_values', ()), self.short_no_log_values))

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
        super().exit_json(**self.leaving(result))

    def fail_json(self, msg: str, **result: Any) -> None:
        result = self.leaving(dict(result, msg=msg))
        super().fail_json(result.pop('msg'), **result)

    def leaving(self, result: dict[str, Any]) -> dict[str, Any]:
        """The result to hand to Ansible, and short no_log values taken from Ansible's scrubbing.

        Ansible replaces every occurrence of a no_log value anywhere in the result, which for a short one garbles
        every text (and a number holding its digits) and spells it. Texts are scrubbed here (``scrub_text``), and
        a short value is masked elsewhere, the module arguments included, where it is a whole string.
        """
        result = self.scrubbed(result)
        if hasattr(self, 'params'):
            # Ansible before 2.21 (later ones on request) returns the arguments as ``invocation``; unset suboptions
            # made it three times as long for a list of webhooks, and the worker's time and memory with it.
            result.setdefault('invocation', {'module_args': without_unset_suboptions(self.params)})
        no_log_values = getattr(self, 'no_log_values', set())
        short = frozenset(value for value in no_log_values if len(value) < MIN_PARTIAL_LENGTH)
        if not short:
            return result
        no_log_values.difference_update(short)
        self.short_no_log_values |= short
        return masked_whole(result, short)
