# -*- coding: utf-8 -*-
# Copyright: Contributors to the losant.platform collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The field machinery works for any resource's table, and the shared base knows no resource."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from ansible_collections.losant.platform.plugins.module_utils._fields import (
    CHANGED_SECRET,
    MASK,
    Field,
    desired_fields,
    field_argument_spec,
    mask,
    option_view,
    update_diff,
    validate_fields,
)

MODULE_UTILS = Path(__file__).resolve().parents[4] / 'plugins' / 'module_utils'
DEVICE_FIELDS = (
    Field('name', 'name', 'str', max_length=255, non_empty=True),
    Field('device_class', 'deviceClass', 'str', 'standalone', choices=('standalone', 'gateway')),
    Field('keep_alive', 'keepAlive', 'int', minimum=1, maximum=3600),
    Field('access_key', 'accessKey', 'str', secret=True),
)


def test_a_second_table_gets_its_own_options_checks_body_and_masking():
    assert field_argument_spec(DEVICE_FIELDS) == {
        'name': {'type': 'str'}, 'device_class': {'type': 'str', 'choices': ['standalone', 'gateway']},
        'keep_alive': {'type': 'int'}, 'access_key': {'type': 'str', 'no_log': True},
    }
    assert validate_fields(DEVICE_FIELDS, {'name': '', 'keep_alive': 0}) == [
        'name must not be empty', 'keep_alive must be between 1 and 3600, got 0']
    params = {'name': 'd', 'device_class': None, 'keep_alive': 60, 'access_key': 'k', 'response_code': 201}
    assert desired_fields(DEVICE_FIELDS, params) == {'name': 'd', 'keepAlive': 60, 'accessKey': 'k'}
    assert mask(DEVICE_FIELDS, {'accessKey': 'k', 'basicAuthPassword': 'p', '_links': {}}) == {
        'accessKey': MASK, 'basicAuthPassword': 'p'}
    assert update_diff(DEVICE_FIELDS, {'accessKey': 'new', 'keepAlive': 30}, {'accessKey': 'old', 'keepAlive': 60}) == {
        'before': {'access_key': MASK, 'keep_alive': 60}, 'after': {'access_key': CHANGED_SECRET, 'keep_alive': 30}}
    assert option_view(DEVICE_FIELDS, {'id': 'd1', 'deviceClass': 'gateway', 'accessKey': 'k', 'basicAuthPassword': 'p'}) == {
        'device_class': 'gateway', 'access_key': MASK}


def test_the_shared_base_imports_no_resource():
    tree = ast.parse((MODULE_UTILS / '_module.py').read_text(encoding='utf-8'))
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    ours = {name.rsplit('.', 1)[1] for name in imported if name and '.module_utils.' in name and 'losant' in name}
    assert ours == {'_client', '_environment', '_fields', '_scrubbing'}


def test_a_field_type_outside_the_argument_spec_types_is_refused():
    with pytest.raises(ValueError, match="field serial has type 'string', expected one of str, int, bool"):
        Field('serial', 'serial', 'string')
