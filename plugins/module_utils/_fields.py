# -*- coding: utf-8 -*-
# Copyright: Contributors to the losant.platform collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

# Private to the losant.platform collection: it changes without notice, so other collections and
# plugins of your own must not import it.

"""A resource's writable fields as a table (a sequence of ``Field``), and their validation, comparison and masking."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Optional, Sequence

MASK = '********'
CHANGED_SECRET = '******** (changed)'
ID_PATTERN = re.compile(r'^[0-9A-Fa-f]{24}\Z')
FIELD_TYPES = ('str', 'int', 'bool')


@dataclass(frozen=True)
class Field:
    """One writable field of a resource: the module option, the API key and the platform's rules."""

    option: str
    api_key: str
    type: str
    platform_default: Any = None
    secret: bool = False
    max_length: Optional[int] = None
    choices: Optional[tuple] = None
    minimum: Optional[int] = None
    maximum: Optional[int] = None
    non_empty: bool = False
    fixed: bool = False  # set on create only: an update may be refused or ignored (see ``Resource.fixed_hint``)

    def __post_init__(self) -> None:
        if self.type not in FIELD_TYPES:
            raise ValueError('field %s has type %r, expected one of %s' % (self.option, self.type, ', '.join(FIELD_TYPES)))


def secret_keys(fields: Sequence[Field]) -> frozenset[str]:
    return frozenset(field.api_key for field in fields if field.secret)


def field_argument_spec(fields: Sequence[Field]) -> dict[str, dict[str, Any]]:
    """Argument spec of the field options. None of them has a default: unset means 'leave alone'."""
    spec = {}
    for field in fields:
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


def validate_fields(fields: Sequence[Field], params: dict[str, Any], where: str = '') -> list[str]:
    """Check lengths and ranges the argument spec cannot express. Returns one message per problem."""
    errors = []
    for field in fields:
        value = params.get(field.option)
        if value is None:
            continue
        label = where + field.option
        if field.non_empty and not value:
            errors.append('%s must not be empty' % label)
        if field.max_length is not None and len(value) > field.max_length:
            errors.append('%s must be at most %d characters, got %d' % (label, field.max_length, len(value)))
        if field.minimum is not None and not field.minimum <= value <= field.maximum:
            errors.append('%s must be between %d and %d, got %d' % (label, field.minimum, field.maximum, value))
    return errors


def desired_fields(fields: Sequence[Field], params: dict[str, Any], include_secrets: bool = True) -> dict[str, Any]:
    """API body of the fields the user set, keyed by API key."""
    return {field.api_key: params[field.option] for field in fields
            if params.get(field.option) is not None and (include_secrets or not field.secret)}


def changed_fields(desired: dict[str, Any], current: dict[str, Any]) -> dict[str, Any]:
    """The subset of ``desired`` that differs from ``current``, where a missing key (a secret the API does not return,
    a field older objects lack) differs from any value."""
    return {key: value for key, value in desired.items() if key not in current or current[key] != value}


def masked(field: Field, value: Any) -> Any:
    return MASK if field.secret and value else value


def mask(fields: Sequence[Field], resource: dict[str, Any]) -> dict[str, Any]:
    """A copy without HAL keys (``_type``, ``_links``...) and with every secret value masked."""
    secrets = secret_keys(fields)
    return {key: MASK if key in secrets and value else value for key, value in resource.items() if not key.startswith('_')}


def option_view(fields: Sequence[Field], resource: dict[str, Any]) -> dict[str, Any]:
    """The fields ``resource`` (keyed by API key) has, keyed by option name, with secrets masked."""
    return {field.option: masked(field, resource[field.api_key]) for field in fields if field.api_key in resource}


def update_diff(fields: Sequence[Field], changes: dict[str, Any], current: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Before and after of the changed fields only, in option names, secrets masked so that a change still shows."""
    changed = [field for field in fields if field.api_key in changes]
    return {'before': {field.option: masked(field, current.get(field.api_key)) for field in changed},
            'after': {field.option: CHANGED_SECRET if field.secret else changes[field.api_key] for field in changed}}
