# -*- coding: utf-8 -*-
# Copyright: Contributors to the losant.platform collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

# Private to the losant.platform collection: it changes without notice, so other collections and
# plugins of your own must not import it.

"""The names of webhooks that YAML retyped, found where only the controller sees what YAML read."""

from __future__ import annotations

import datetime
from typing import Any

RETYPED_NAME_HINT = ('YAML reads an unquoted yes, no, on, off, true, false, null, number or date as another type, '
                     'which would name another webhook: quote the name')


def retyped_names(args: dict[str, Any]) -> list[str]:
    """One message per name among a task's arguments (``name``, ``config[].name``, ``unmanaged``) that YAML did not
    read as a string. The argument spec would silently make ``yes`` the name "True", ``007`` "7" and ``1.10`` "1.1"
    (and ``overridden`` create it and delete the webhook meant); only the controller sees what YAML read."""
    named = [('name', args['name'])] if 'name' in args else []
    config = args.get('config')
    if isinstance(config, list):
        named.extend(('config[%d].name' % index, entry['name']) for index, entry in enumerate(config)
                     if isinstance(entry, dict) and 'name' in entry)
    unmanaged = args.get('unmanaged', [])
    if isinstance(unmanaged, list):
        named.extend(('unmanaged[%d]' % index, glob) for index, glob in enumerate(unmanaged))
    else:
        named.append(('unmanaged', unmanaged))
    return ['%s is %s, not a string: %s' % (label, yaml_reading(value), RETYPED_NAME_HINT)
            for label, value in named if not is_text(value)]


def is_text(value: Any) -> bool:
    """A string, or a vaulted one, which ansible-core < 2.19 hands to action plugins as an object of its own."""
    return isinstance(value, str) or type(value).__name__ == 'AnsibleVaultEncryptedUnicode'


def yaml_reading(value: Any) -> str:
    """What YAML made of an unquoted scalar, in words."""
    if value is None:
        return 'null'
    if isinstance(value, bool):
        return 'the boolean %s' % str(value).lower()
    if isinstance(value, (int, float)):
        return 'the number %s' % value
    if isinstance(value, (datetime.date, datetime.time)):
        return 'the date %s' % value.isoformat()
    return 'a list' if isinstance(value, list) else 'a mapping' if isinstance(value, dict) else 'a %s' % type(value).__name__
