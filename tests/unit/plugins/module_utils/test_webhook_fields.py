# -*- coding: utf-8 -*-
# Copyright: Contributors to the losant.platform collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The field table against Losant's official schemas, and the input checks built on it."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from ansible_collections.losant.platform.plugins.module_utils._fields import (
    field_argument_spec,
    secret_keys,
    validate_fields,
    validate_id,
)
from ansible_collections.losant.platform.plugins.module_utils._webhook import FIELDS, FIELDS_BY_OPTION
from ansible_collections.losant.platform.tests.emulator.state import CREATE_DEFAULTS

SCHEMAS = Path(__file__).resolve().parents[3] / 'emulator' / 'schemas'
JSON_TO_OPTION_TYPE = {'string': 'str', 'integer': 'int', 'boolean': 'bool'}


def load_schema(name: str) -> dict:
    return json.loads((SCHEMAS / name).read_text(encoding='utf-8'))


def snake_case(api_key: str) -> str:
    return re.sub(r'(?<!^)(?=[A-Z])', '_', api_key).lower()


PATCH_PROPERTIES = load_schema('webhookPatch.json')['properties']


def test_the_table_has_exactly_the_writable_fields_of_the_patch_schema():
    assert sorted(field.api_key for field in FIELDS) == sorted(PATCH_PROPERTIES)


def test_post_and_patch_schemas_accept_the_same_fields_and_post_requires_only_name():
    post = load_schema('webhookPost.json')
    assert post['properties'] == PATCH_PROPERTIES
    assert post['required'] == ['name']
    assert post['additionalProperties'] is False


@pytest.mark.parametrize('field', FIELDS, ids=lambda field: field.option)
def test_field_matches_its_schema_property(field):
    prop = PATCH_PROPERTIES[field.api_key]
    assert field.option == snake_case(field.api_key)
    assert field.type == JSON_TO_OPTION_TYPE[prop['type']]
    assert field.max_length == prop.get('maxLength')
    assert field.minimum == prop.get('minimum')
    assert field.maximum == prop.get('maximum')
    assert sorted(field.choices or ()) == sorted(prop.get('enum', ()))


def test_platform_defaults_are_those_losant_applies_on_create():
    defaults = {field.api_key: field.platform_default for field in FIELDS if field.platform_default is not None}
    # Text fields the platform leaves out on create behave as empty, so replaced resets them to ''.
    assert defaults == dict(CREATE_DEFAULTS, description='', basicAuthUsername='')


def test_secrets_are_the_verification_code_and_the_basic_auth_password():
    assert secret_keys(FIELDS) == {'verificationCode', 'basicAuthPassword'}
    assert FIELDS_BY_OPTION['basic_auth_password'].secret
    assert not FIELDS_BY_OPTION['basic_auth_username'].secret


def test_argument_spec_has_one_option_per_field_without_defaults():
    spec = field_argument_spec(FIELDS)
    assert sorted(spec) == sorted(field.option for field in FIELDS)
    for field in FIELDS:
        assert spec[field.option]['type'] == field.type
        assert 'default' not in spec[field.option], 'an unset option must stay None, so it is never sent'
        assert spec[field.option].get('no_log', False) is field.secret
        assert spec[field.option].get('choices') == (list(field.choices) if field.choices else None)


@pytest.mark.parametrize('value', ['575ec8687ae143cd83dc4a97', '575EC8687AE143CD83DC4A97', None])
def test_valid_ids_pass(value):
    assert validate_id('webhook_id', value) == []


@pytest.mark.parametrize('value', ['', '575ec8687ae143cd83dc4a9', '575ec8687ae143cd83dc4a977',
                                   '575ec8687ae143cd83dc4a9g', ' 575ec8687ae143cd83dc4a97',
                                   '575ec8687ae143cd83dc4a97\n', '575ec8687ae143cd83dc4a9\u0663',
                                   '../../../users/me000000000'])
def test_invalid_ids_are_named_with_their_option(value):
    assert validate_id('webhook_id', value) == ["webhook_id must be 24 hexadecimal characters, got %r" % value]


def test_fields_within_the_limits_pass():
    assert validate_fields(FIELDS, {
        'name': 'n' * 255, 'description': 'd' * 32767, 'response_code': 100, 'basic_auth_username': 'u' * 255,
        'basic_auth_password': 'p' * 255, 'verification_code': 'c' * 32767, 'enabled': False,
    }) == []
    assert validate_fields(FIELDS, {'name': 'x', 'response_code': 599}) == []
    assert validate_fields(FIELDS, {'name': None, 'response_code': None}) == []


@pytest.mark.parametrize('params, message', [
    ({'name': ''}, 'name must not be empty'),
    ({'name': 'n' * 256}, 'name must be at most 255 characters, got 256'),
    ({'description': 'd' * 32768}, 'description must be at most 32767 characters, got 32768'),
    ({'response_code': 99}, 'response_code must be between 100 and 599, got 99'),
    ({'response_code': 600}, 'response_code must be between 100 and 599, got 600'),
    ({'basic_auth_username': 'u' * 256}, 'basic_auth_username must be at most 255 characters, got 256'),
    ({'basic_auth_password': 'p' * 256}, 'basic_auth_password must be at most 255 characters, got 256'),
    ({'verification_code': 'c' * 32768}, 'verification_code must be at most 32767 characters, got 32768'),
])
def test_each_invalid_field_gives_one_message_naming_the_option(params, message):
    assert validate_fields(FIELDS, params) == [message]


def test_secret_values_never_appear_in_validation_messages():
    errors = validate_fields(FIELDS, {'basic_auth_password': 'hunter2' * 40})
    assert len(errors) == 1 and 'hunter2' not in errors[0]


def test_every_problem_is_reported_with_the_given_prefix():
    errors = validate_fields(FIELDS, {'name': '', 'response_code': 1000}, where='webhooks[2].')
    assert errors == ['webhooks[2].name must not be empty',
                      'webhooks[2].response_code must be between 100 and 599, got 1000']
