# -*- coding: utf-8 -*-
# Copyright: Contributors to the losant.platform collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The variables file of losant.platform.export: what Ansible reads back, what it leaves out, what it refuses."""

from __future__ import annotations

import json

import pytest
from ansible.errors import AnsibleFilterError
from ansible.parsing.yaml.loader import AnsibleLoader

from ansible_collections.losant.platform.plugins.filter.webhooks_file import (
    FilterModule,
    exported_entry,
    vault_variable,
    webhooks_file,
)
from ansible_collections.losant.platform.tests.emulator.state import CREATE_DEFAULTS

APPLICATION_ID = '575ec8687ae143cd83dc4a97'
# Names every YAML reader would take for another type or syntax, and names Jinja would template.
ODD_NAMES = [
    'yes', 'no', 'on', 'off', 'y', 'n', 'True', 'FALSE', 'null', 'Null', '~', '', '1.10', '007', '0o17', '0x1F', '1e3',
    '-1', '+1', '.5', '.inf', '.NaN', '12:30:00', '2026-01-01', '<<', '=', ' lead', 'trail ', '# hash', 'a #b',
    'a: b', 'a:b', '- dash', '-', '?', '? q', ':', '[v1]', '{a: 1}', '*star', '&anchor', '!tag', '%p', '@at', '`tick',
    '|pipe', '>gt', ', comma', '"quoted"', "it's", 'multi\nline', 'trailing newline\n', 'tab\there',
    'ctl\x01\x1b[31mred', 'ünïcödé', '日本語',
    'orders\x85eu', 'line\u2028sep', 'para\u2029sep', 'nel\x85\nmix', '{{ lookup("env", "HOME") }}', '{% raw %}', '{# c #}', 'a' * 255,
]


def webhook(index: int, name: str, **fields: object) -> dict:
    """A webhook as losant_webhook_info returns it: platform defaults, no secret, a trigger URL."""
    found = dict(CREATE_DEFAULTS, id='%024x' % index, applicationId=APPLICATION_ID, name=name, description='',
                 basicAuthUsername='', token='t%d' % index, creationDate='2026-01-01T00:00:00.000Z',
                 trigger_url='https://triggers.losant.com/webhooks/t%d' % index)
    found.update(fields)
    return json.loads(json.dumps(found))  # as a module result reaches the filter, its texts new objects


def read_as_ansible(text: str) -> dict:
    data = AnsibleLoader(text).get_single_data()
    return {'application_id': data['losant_application_id'], 'webhooks': data['losant_webhooks']}


def test_ansible_reads_every_name_back_as_the_same_text() -> None:
    names = [name for name in ODD_NAMES if name]  # Losant refuses an empty name
    text = webhooks_file([webhook(index, name, description=name) for index, name in enumerate(names)], APPLICATION_ID)
    read = read_as_ansible(text)
    assert [entry['name'] for entry in read['webhooks']] == names
    assert [entry['description'] for entry in read['webhooks']] == names
    assert all(isinstance(entry['name'], str) for entry in read['webhooks'])
    assert read['application_id'] == APPLICATION_ID


@pytest.mark.parametrize('name', ['1e3', '0o17', '.inf', 'null', 'True', '123'])
def test_names_yaml_1_2_reads_as_other_types_are_quoted(name: str) -> None:
    assert "- name: '%s'\n" % name in webhooks_file([webhook(0, name)], APPLICATION_ID)


class Text(str):
    """A str subclass, as ansible-core before 2.19 hands its filters (AnsibleUnsafeText)."""


def test_text_of_a_str_subclass_is_written_as_text() -> None:
    text = webhooks_file([webhook(0, Text('1.10'), description=Text('{{ x }}'))], Text(APPLICATION_ID))
    assert "- name: '1.10'\n    description: !unsafe '{{ x }}'\n" in text


def test_jinja_in_text_is_marked_unsafe() -> None:
    text = webhooks_file([webhook(0, '{{ x }}', description='a {% if %}\nb')], APPLICATION_ID)
    assert "- name: !unsafe '{{ x }}'\n" in text
    assert '    description: !unsafe |-\n      a {% if %}\n      b\n' in text


def test_an_application_id_of_digits_stays_text() -> None:
    text = webhooks_file([], '575123456789012345678901')
    assert "losant_application_id: '575123456789012345678901'" in text
    assert read_as_ansible(text) == {'application_id': '575123456789012345678901', 'webhooks': []}


def test_only_options_that_differ_from_the_platform_defaults_in_option_names() -> None:
    changed = webhook(0, 'orders', description='Order events', responseCode=201, waitForReply=True, enabled=False,
                      castBuffersAs='utf8', basicAuthUsername='partner', basicAuthPassword='********')
    assert exported_entry(webhook(1, 'plain')) == {'name': 'plain'}
    assert exported_entry(changed) == {'name': 'orders', 'description': 'Order events', 'response_code': 201,
                                       'wait_for_reply': True, 'basic_auth_username': 'partner',
                                       'cast_buffers_as': 'utf8', 'enabled': False}


def test_fields_an_older_webhook_lacks_or_holds_as_null_are_left_out() -> None:
    old = {'id': '%024x' % 1, 'name': 'old', 'responseCode': 200, 'description': None, 'verificationType': 'none'}
    assert exported_entry(old) == {'name': 'old'}


@pytest.mark.parametrize('returned', [True, False], ids=['api returns secrets', 'api hides secrets'])
def test_no_secret_is_written_and_the_webhooks_that_have_one_are_named(returned: bool) -> None:
    password = {'basicAuthPassword': '********'} if returned else {}
    code = {'verificationCode': '********'} if returned else {}
    hooks = [webhook(0, 'partner feed', basicAuthUsername='partner', **password),
             webhook(1, 'alexa', verificationType='alexa', **code),
             webhook(2, 'no secret', basicAuthPassword='', verificationCode='')]
    text = webhooks_file(hooks, APPLICATION_ID)
    assert '********' not in text and 'basic_auth_password:' not in text.split('losant_webhooks:')[1]
    assert '#   partner feed: basic_auth_password\n#   alexa: verification_code\n# Left out' in text
    assert '#   basic_auth_password: "{{ vault_partner_feed_basic_auth_password }}"\n' in text
    assert 'no secret:' not in text


def test_the_whole_file_of_a_webhook_with_a_secret() -> None:
    hooks = [webhook(0, 'bestellungen-ü', basicAuthUsername='partner', basicAuthPassword='********')]
    assert webhooks_file(hooks, APPLICATION_ID) == (
        '---\n'
        '# The webhooks of the Losant application 575ec8687ae143cd83dc4a97: each with its name and the options\n'
        "# that differ from the platform's defaults. Check the application for drift with\n"
        '#   ansible-playbook losant.platform.drift_check -e @webhooks.yml\n'
        '# Secrets are never exported. These webhooks have one on the platform:\n'
        '#   bestellungen-ü: basic_auth_password\n'
        '# Left out, a secret is neither compared nor changed. To manage one, keep it in Ansible Vault\n'
        '# (ansible-vault encrypt_string --name vault_bestellungen_basic_auth_password) and add it to the webhook:\n'
        '#   basic_auth_password: "{{ vault_bestellungen_basic_auth_password }}"\n'
        '# then pass the vaulted variables to each run (-e @vault.yml --ask-vault-pass); see the\n'
        '# collection\'s guide "Secrets with Ansible Vault".\n'
        'losant_application_id: 575ec8687ae143cd83dc4a97\n'
        'losant_webhooks:\n'
        '  - name: bestellungen-ü\n'
        '    basic_auth_username: partner\n')


def test_no_secret_comment_without_secrets() -> None:
    assert 'Vault' not in webhooks_file([webhook(0, 'orders')], APPLICATION_ID)


def test_a_name_with_control_characters_is_quoted_in_the_comment() -> None:
    text = webhooks_file([webhook(0, 'a\nb', basicAuthPassword='********')], APPLICATION_ID)
    assert '#   "a\\nb": basic_auth_password\n' in text
    assert all(line.startswith('#') for line in text.split('losant_application_id')[0].splitlines()[1:])


def test_vault_variable_names() -> None:
    assert vault_variable('Partner Feed (v2)', 'basic_auth_password') == 'vault_partner_feed_v2_basic_auth_password'
    assert vault_variable('日本', 'verification_code') == 'vault_webhook_verification_code'


def test_repeated_and_missing_names_are_refused() -> None:
    hooks = [webhook(0, 'orders'), webhook(1, 'orders'), dict(webhook(2, 'x'), name=None)]
    with pytest.raises(AnsibleFilterError) as refused:
        webhooks_file(hooks, APPLICATION_ID)
    assert refused.value.message == (
        'Cannot write a variables file, which identifies webhooks by name: webhook 000000000000000000000002 has no '
        'name; 2 webhooks are named orders (IDs 000000000000000000000000, 000000000000000000000001). Rename or delete '
        'webhooks with losant.platform.losant_webhook and webhook_id first.')


@pytest.mark.parametrize('webhooks', [{'webhooks': []}, ['orders']], ids=['a dict', 'a list of names'])
def test_input_other_than_a_list_of_webhooks_is_refused(webhooks) -> None:
    with pytest.raises(AnsibleFilterError, match='list of webhooks that losant_webhook_info returns'):
        webhooks_file(webhooks, APPLICATION_ID)


def test_the_filter_is_registered() -> None:
    assert FilterModule().filters() == {'webhooks_file': webhooks_file}
