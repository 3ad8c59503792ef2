# -*- coding: utf-8 -*-
# Copyright: Contributors to the losant.platform collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: webhooks_file
short_description: Write the webhooks of a Losant application as a variables file
version_added: 0.3.0
description:
  - Turns the webhooks that M(losant.platform.losant_webhook_info) returns into the text of a variables file
    with C(losant_application_id) and C(losant_webhooks), the file that the C(losant.platform.drift_check)
    playbook and a deployment with M(losant.platform.losant_webhooks) read.
  - Each webhook has its name and the options whose value differs from the platform's default, in option
    names. Names and texts that YAML would read as another type (V(yes), V(1.10), V(null), V(007)) are
    quoted, and text holding C({{), C({%) or C({#) is marked C(!unsafe) so that Ansible reads it as it is.
  - Secrets are never written. A comment names the webhooks that have a basic auth password or a
    verification code on the platform, and shows how to supply them from Ansible Vault.
  - Fails when two webhooks share a name or one has none, as the file identifies webhooks by name.
  - The C(losant.platform.export) playbook uses it.
author:
  - Losant Platform Collection Maintainers (@losant-platform)
positional: application_id
options:
  _input:
    description: The webhooks, as RV(losant.platform.losant_webhook_info#module:webhooks) returns them.
    type: list
    elements: dict
    required: true
  application_id:
    description: The ID of the application, written as C(losant_application_id).
    type: str
    required: true
"""

EXAMPLES = r"""
- name: Read the webhooks of the application
  losant.platform.losant_webhook_info:
    application_id: 575ec8687ae143cd83dc4a97
  register: losant_current

- name: Write them as a variables file
  ansible.builtin.copy:
    dest: webhooks.yml
    content: "{{ losant_current.webhooks | losant.platform.webhooks_file('575ec8687ae143cd83dc4a97') }}"
    mode: "0644"
"""

RETURN = r"""
_value:
  description: The text of the variables file, YAML starting with C(---) and a comment.
  type: str
"""

import re
from typing import Any, Callable

import yaml
from ansible.errors import AnsibleFilterError

from ansible_collections.losant.platform.plugins.module_utils._webhook import FIELDS, FIELDS_BY_OPTION

JINJA_MARKERS = ('{{', '{%', '{#')
NOT_IDENTIFIER = re.compile(r'[^a-z0-9]+')
# What YAML 1.2 (yq, ruamel.yaml, most editors) reads as a number, boolean or null, and PyYAML's YAML 1.1 does
# not (1e3): quoted too, so that the file means the same to every tool.
YAML_1_2_NOT_TEXT = re.compile(r'[-+]?(?:[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+|(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?'
                               r'|\.(?:inf|Inf|INF))|\.(?:nan|NaN|NAN)|null|Null|NULL|~|true|True|TRUE|false|False|FALSE')


# Line breaks YAML knows besides \n and \r: written raw (in plain, quoted or block style) they are read back as a
# space or a newline, so the name would stand for another webhook. Only double quotes escape them.
UNICODE_LINE_BREAKS = re.compile('[\x85\u2028\u2029]')


class _Dumper(yaml.SafeDumper):
    """Block style with sequences indented under their key, as yamllint and ansible-lint expect."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _represent_text(dumper: _Dumper, text: str) -> yaml.ScalarNode:
    tag = '!unsafe' if any(marker in text for marker in JINJA_MARKERS) else 'tag:yaml.org,2002:str'
    style = ('"' if UNICODE_LINE_BREAKS.search(text) else '|' if '\n' in text
             else "'" if YAML_1_2_NOT_TEXT.fullmatch(text) else None)
    return dumper.represent_scalar(tag, text, style=style)


_Dumper.add_representer(str, _represent_text)
# Every str subclass too: ansible-core before 2.19 hands filters its own (AnsibleUnsafeText).
_Dumper.add_multi_representer(str, _represent_text)


def has_secret(webhook: dict[str, Any], option: str) -> bool:
    """Whether the webhook has this secret: the API returns it (masked), or, when the API keeps secrets to
    itself, the option that needs it is set (a basic auth user, a verification type)."""
    value = webhook.get(FIELDS_BY_OPTION[option].api_key)
    if value is not None:
        return bool(value)
    if option == 'basic_auth_password':
        return bool(webhook.get('basicAuthUsername'))
    return webhook.get('verificationType') not in (None, 'none')


def exported_entry(webhook: dict[str, Any]) -> dict[str, Any]:
    """The webhook in option names, with only the values that differ from the platform's defaults, no secret."""
    return {
        field.option: webhook[field.api_key]
        for field in FIELDS
        if not field.secret and webhook.get(field.api_key) is not None
        and (field.platform_default is None or webhook[field.api_key] != field.platform_default)
    }


def _unnamed_or_repeated(webhooks: list[dict[str, Any]]) -> list[str]:
    names: dict[str, list[str]] = {}
    problems = []
    for webhook in webhooks:
        if not webhook.get('name'):
            problems.append('webhook %s has no name' % webhook.get('id'))
        else:
            names.setdefault(webhook['name'], []).append(str(webhook.get('id')))
    problems += ['%d webhooks are named %s (IDs %s)' % (len(ids), _shown(name), ', '.join(ids))
                 for name, ids in names.items() if len(ids) > 1]
    return problems


def _shown(name: str) -> str:
    """A name as a comment or message can hold it: as it is, or as a quoted string if it has control characters."""
    return name if name.isprintable() else yaml.safe_dump(name, default_style='"', width=float('inf')).strip()


def vault_variable(name: str, option: str) -> str:
    """A variable name for a webhook's secret: vault_<name in lower-case letters, digits and _>_<option>."""
    return 'vault_%s_%s' % (NOT_IDENTIFIER.sub('_', name.lower()).strip('_') or 'webhook', option)


def _secrets_comment(webhooks: list[dict[str, Any]]) -> list[str]:
    secrets = [(webhook['name'], option) for webhook in webhooks
               for option in ('basic_auth_password', 'verification_code') if has_secret(webhook, option)]
    if not secrets:
        return []
    example_name, example_option = secrets[0]
    variable = vault_variable(example_name, example_option)
    return [
        'Secrets are never exported. These webhooks have one on the platform:',
    ] + ['  %s: %s' % (_shown(name), option) for name, option in secrets] + [
        'Left out, a secret is neither compared nor changed. To manage one, keep it in Ansible Vault',
        '(ansible-vault encrypt_string --name %s) and add it to the webhook:' % variable,
        '  %s: "{{ %s }}"' % (example_option, variable),
        'then pass the vaulted variables to each run (-e @vault.yml --ask-vault-pass); see the',
        'collection\'s guide "Secrets with Ansible Vault".',
    ]


def webhooks_file(webhooks: list[dict[str, Any]], application_id: str) -> str:
    if not isinstance(webhooks, list) or not all(isinstance(webhook, dict) for webhook in webhooks):
        raise AnsibleFilterError('webhooks_file expects the list of webhooks that losant_webhook_info returns')
    problems = _unnamed_or_repeated(webhooks)
    if problems:
        raise AnsibleFilterError('Cannot write a variables file, which identifies webhooks by name: %s. Rename or '
                                 'delete webhooks with losant.platform.losant_webhook and webhook_id first.'
                                 % '; '.join(problems))
    comment = [
        'The webhooks of the Losant application %s: each with its name and the options' % application_id,
        'that differ from the platform\'s defaults. Check the application for drift with',
        '  ansible-playbook losant.platform.drift_check -e @webhooks.yml',
    ] + _secrets_comment(webhooks)
    data = {'losant_application_id': str(application_id), 'losant_webhooks': [exported_entry(w) for w in webhooks]}
    body = yaml.dump(data, Dumper=_Dumper, explicit_start=True, sort_keys=False, allow_unicode=True,
                     width=float('inf'))
    header, separator, rest = body.partition('\n')
    return '%s\n%s\n%s' % (header, '\n'.join(('# ' + line).rstrip() for line in comment), rest)


class FilterModule:
    def filters(self) -> dict[str, Callable[..., str]]:
        return {'webhooks_file': webhooks_file}
