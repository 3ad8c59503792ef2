# -*- coding: utf-8 -*-
# Copyright: Contributors to the losant.platform collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Documentation that no fragment mechanism can share must still agree where it is written twice."""

from __future__ import annotations

import re
from typing import Any

import pytest
import yaml

from ansible_collections.losant.platform.plugins.doc_fragments.losant import ModuleDocFragment
from ansible_collections.losant.platform.plugins.module_utils._webhook import FIELDS
from ansible_collections.losant.platform.plugins.modules import losant_webhook, losant_webhook_info, losant_webhooks

MODULES = (losant_webhook, losant_webhook_info, losant_webhooks)
# The collection's fragment first: for an attribute in several fragments, the first one listed wins.
ATTRIBUTE_FRAGMENTS = ['losant.platform.losant.attributes', 'ansible.builtin.action_common_attributes',
                       'ansible.builtin.action_common_attributes.actiongroups']
FIELD_OPTIONS = {field.option for field in FIELDS}


def documentation(text: str) -> dict[str, Any]:
    return yaml.safe_load(text)


def fragment_fields() -> dict[str, Any]:
    return documentation(ModuleDocFragment.WEBHOOK_FIELDS)['options']


def config_suboptions() -> dict[str, Any]:
    return documentation(losant_webhooks.DOCUMENTATION)['options']['config']['suboptions']


def as_suboption_text(description: list[str]) -> str:
    """A fragment description as the ``config`` suboption writes it: O(option) becomes O(config[].option)."""
    text = ' '.join(' '.join(description).split())
    return re.sub(r'O\((\w+)\)', lambda ref: 'O(config[].%s)' % ref.group(1) if ref.group(1) in FIELD_OPTIONS
                  else ref.group(0), text)


def test_the_fragment_documents_every_field_but_the_name():
    assert sorted(fragment_fields()) == sorted(FIELD_OPTIONS - {'name'})


def test_config_suboptions_are_every_field():
    assert sorted(config_suboptions()) == sorted(FIELD_OPTIONS)


@pytest.mark.parametrize('option', sorted(FIELD_OPTIONS - {'name'}))
def test_fragment_and_config_suboption_agree(option):
    documented, suboption = fragment_fields()[option], config_suboptions()[option]
    assert as_suboption_text(documented['description']) == ' '.join(' '.join(suboption['description']).split())
    assert documented['type'] == suboption['type']
    assert documented.get('choices') == suboption.get('choices')


@pytest.mark.parametrize('field', FIELDS, ids=lambda field: field.option)
def test_documented_types_and_choices_are_those_of_the_field_table(field):
    suboption = config_suboptions()[field.option]
    assert suboption['type'] == field.type
    assert suboption.get('choices') == (list(field.choices) if field.choices else None)


@pytest.mark.parametrize('module', MODULES, ids=lambda module: module.__name__.rsplit('.', 1)[1])
def test_every_module_uses_the_same_attribute_fragments_and_attributes(module):
    doc = documentation(module.DOCUMENTATION)
    assert [name for name in doc['extends_documentation_fragment'] if 'attributes' in name] == ATTRIBUTE_FRAGMENTS
    assert sorted(doc['attributes']) == ['check_mode', 'diff_mode']
    assert sorted(documentation(ModuleDocFragment.ATTRIBUTES)['attributes']) == ['action_group', 'platform']
    assert all('description' not in attribute for attribute in doc['attributes'].values()), \
        'the description of a common attribute comes from the fragment'


# ansible-core 2.16 has no RETURN fragments, so each module documents them; a pipeline reads them alike.
FAILURE_DETAILS = ['error_status', 'error_type', 'retryable']


def test_every_module_documents_the_failure_details_alike():
    documented = [{key: documentation(module.RETURN)[key] for key in FAILURE_DETAILS} for module in MODULES]
    assert all(details == documented[0] for details in documented)
    assert all(documented[0][key]['returned'] == 'failed' for key in FAILURE_DETAILS)
