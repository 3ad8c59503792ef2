# -*- coding: utf-8 -*-
# Copyright: Contributors to the losant.platform collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Names that YAML read as another type: refused before any request, saying what YAML read."""

from __future__ import annotations

import datetime

import pytest

from ansible_collections.losant.platform.plugins.plugin_utils.in_process import retyped_names


HINT = ('YAML reads an unquoted yes, no, on, off, true, false, null, number or date as another type, which would '
        'name another webhook: quote the name')


@pytest.mark.parametrize('value, reading', [
    (True, 'the boolean true'), (False, 'the boolean false'), (1.1, 'the number 1.1'), (None, 'null'),
    (7, 'the number 7'), (1000.0, 'the number 1000.0'), (datetime.date(2024, 1, 1), 'the date 2024-01-01'),
    (datetime.datetime(2024, 1, 1, 10, 0), 'the date 2024-01-01T10:00:00'), (['a'], 'a list'), ({'a': 1}, 'a mapping'),
    (b'\x89PNG', 'a bytes'),  # !!binary
])
def test_a_name_that_is_not_a_string_is_refused_saying_what_yaml_read(value, reading):
    assert retyped_names({'name': value}) == ['name is %s, not a string: %s' % (reading, HINT)]


def test_names_are_read_in_name_config_and_unmanaged():
    args = {'name': 'ok', 'config': [{'name': 'a'}, {'name': True}, {'enabled': True}, 'odd', {'name': 7}],
            'unmanaged': ['ops-*', 1.1]}
    assert retyped_names(args) == ['config[1].name is the boolean true, not a string: ' + HINT,
                                   'config[4].name is the number 7, not a string: ' + HINT,
                                   'unmanaged[1] is the number 1.1, not a string: ' + HINT]


def test_strings_that_look_like_other_types_are_names():
    args = {'name': '1e3', 'config': [{'name': 'yes'}, {'name': '007'}], 'unmanaged': 'ops-*, tmp-*'}
    assert retyped_names(args) == [] and retyped_names({}) == []
    assert retyped_names({'unmanaged': 7}) == ['unmanaged is the number 7, not a string: ' + HINT]


def test_a_vaulted_name_is_a_string():
    vaulted = type('AnsibleVaultEncryptedUnicode', (), {})()  # what ansible-core < 2.19 gives for !vault
    assert retyped_names({'name': vaulted, 'config': [{'name': vaulted}], 'unmanaged': [vaulted]}) == []
    mapping = type('AnsibleMapping', (dict,), {})()  # and for a YAML mapping
    assert retyped_names({'name': mapping}) == ['name is a mapping, not a string: ' + HINT]
