#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: Contributors to the losant.platform collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: losant_webhook_info
short_description: List the webhooks of a Losant application
version_added: 0.1.0
description:
  - Returns webhooks of a Losant application, one by O(webhook_id), those with an exact O(name),
    or, without either, every webhook of the application.
  - Listing asks for 1000 webhooks per request and follows the pages the API actually serves (a server that
    serves fewer per page, or refuses 1000, is paged with its own page size), so applications with
    thousands of webhooks are returned whole. Pages that disagree with each other are read once more, then
    returned with a warning.
  - Never changes anything on the platform.
author:
  - Losant Platform Collection Maintainers (@losant-platform)
extends_documentation_fragment:
  - losant.platform.losant
  - losant.platform.losant.attributes
  - losant.platform.in_process
  - ansible.builtin.action_common_attributes
  - ansible.builtin.action_common_attributes.actiongroups
attributes:
  check_mode:
    support: full
    details:
      - The module only reads, so it runs and returns the same data in check mode.
  diff_mode:
    support: none
options:
  application_id:
    description:
      - ID of the Losant application whose webhooks to return, 24 hexadecimal characters.
    type: str
    required: true
  webhook_id:
    description:
      - ID of the one webhook to return, 24 hexadecimal characters.
      - If the application has no webhook with this ID, RV(webhooks) is an empty list; the module
        does not fail. Only Losant's own 404, a JSON error of type C(NotFound), says so; any other 404, such
        as a proxy's HTML page, fails naming the status and the start of the answer.
      - Mutually exclusive with O(name).
    type: str
  name:
    description:
      - Return only the webhooks with exactly this name, case-sensitive, 1 to 255 characters.
      - Characters such as C(*) are matched literally.
      - Names are not unique on the platform, so several webhooks may be returned.
      - Mutually exclusive with O(webhook_id).
      - A name YAML reads as another type (unquoted V(yes), V(007), V(1.10), V(null) or a date) fails before any
        request; quote it.
    type: str
  with_workflows:
    description:
      - Also return, for each webhook, the workflows whose webhook trigger uses it, as C(workflows) (a list of
        C(id), C(name), C(enabled)). One workflow query per 100 webhooks.
      - If the token may not list workflows, C(workflows) is V(null) and the module warns.
    type: bool
    version_added: 0.2.0
    default: false
notes:
  - Without O(webhook_id) and O(name) the module returns every webhook of the application, sorted by name.
  - O(name) is looked up with an API filter made of its ASCII letters and digits (every other run of characters
    as C(*)), as Losant does not document the filter's syntax or case rules; the module keeps the exact matches.
seealso:
  - module: losant.platform.losant_webhook
  - module: losant.platform.losant_webhooks
"""

EXAMPLES = r"""
# The API token comes from the environment variable LOSANT_API_TOKEN (or api_token in module_defaults).
- name: List every webhook with the workflows it triggers
  losant.platform.losant_webhook_info:
    application_id: 575ec8687ae143cd83dc4a97
    with_workflows: true
  register: listed

- name: List every webhook of an application
  losant.platform.losant_webhook_info:
    application_id: 575ec8687ae143cd83dc4a97
  register: all_hooks

- name: Show each webhook's trigger URL
  ansible.builtin.debug:
    msg: "{{ item.name }}: {{ item.trigger_url }}"
  loop: "{{ all_hooks.webhooks }}"
  loop_control:
    label: "{{ item.name }}"

- name: Find the webhooks named orders
  losant.platform.losant_webhook_info:
    application_id: 575ec8687ae143cd83dc4a97
    name: orders
  register: orders

- name: Fail unless exactly one webhook is named orders
  ansible.builtin.assert:
    that: orders.webhooks | length == 1
    fail_msg: "Expected one webhook named orders, found {{ orders.webhooks | length }}"

- name: Get one webhook by ID
  losant.platform.losant_webhook_info:
    application_id: 575ec8687ae143cd83dc4a97
    webhook_id: 575ed78e7ae143cd83dc4aab
  register: by_id

- name: Report webhooks that exist on the platform but are not declared
  ansible.builtin.debug:
    msg: "Undeclared webhooks: {{ all_hooks.webhooks | map(attribute='name') | difference(declared) }}"
  vars:
    declared: [orders, alerts, partner-feed]

- name: Fail when any webhook is disabled
  ansible.builtin.assert:
    that: disabled | length == 0
    fail_msg: "Disabled webhooks: {{ disabled | join(', ') }}"
  vars:
    disabled: "{{ all_hooks.webhooks | selectattr('enabled', 'defined') | rejectattr('enabled') | map(attribute='name') | list }}"

- name: Write an inventory of the application's webhooks
  ansible.builtin.copy:
    dest: webhook-inventory.json
    content: "{{ all_hooks.webhooks | items2dict(key_name='name', value_name='trigger_url') | to_nice_json }}"
    mode: "0644"
"""

RETURN = r"""
webhooks:
  description:
    - The webhooks found, as the API returns them without its hypermedia keys, sorted by name.
    - Empty when no webhook matches, including when no webhook has the given O(webhook_id).
    - V(verificationCode) and V(basicAuthPassword) are masked as C(********) when the API returns them.
    - Each webhook also has a C(trigger_url) key, the URL that triggers it.
  returned: always
  type: list
  elements: dict
  sample:
    - id: 575ed78e7ae143cd83dc4aab
      webhookId: 575ed78e7ae143cd83dc4aab
      applicationId: 575ec8687ae143cd83dc4a97
      name: orders
      description: Order events from the shop
      token: 7f6b2c0e-1d58-4a4e-9a1f-2a0c3c8d9b11
      responseCode: 201
      verificationType: none
      waitForReply: false
      basicAuthUsername: partner
      basicAuthPassword: "********"
      isWebsocket: false
      castBuffersAs: array
      annotateMultipart: false
      enabled: true
      creationDate: "2026-01-01T12:00:00.000Z"
      lastUpdated: "2026-01-02T08:30:00.000Z"
      trigger_url: https://triggers.losant.com/webhooks/7f6b2c0e-1d58-4a4e-9a1f-2a0c3c8d9b11
      workflows:
        - {id: 575ed78e7ae143cd83dc4ab0, name: order router, enabled: true}
  contains:
    trigger_url:
      description:
        - The URL that triggers the webhook; V(null) while the webhook has no token, and when the trigger host is
          unknown (an O(api_url) other than Losant's public API, without O(trigger_base_url)).
      returned: always
      type: str
      sample: https://triggers.losant.com/webhooks/7f6b2c0e-1d58-4a4e-9a1f-2a0c3c8d9b11
    workflows:
      description:
        - The workflows whose webhook trigger uses this webhook, sorted by name; an empty list when none does.
        - V(null) when the token may not list workflows (the module then warns).
      returned: with O(with_workflows=true)
      type: list
      version_added: 0.2.0
      elements: dict
      contains:
        id:
          description: The workflow's ID.
          type: str
          returned: always
          sample: 575ed78e7ae143cd83dc4ab0
        name:
          description: The workflow's name.
          type: str
          returned: always
          sample: order router
        enabled:
          description: Whether the workflow is enabled.
          type: bool
          returned: always
          sample: true
complete:
  description:
    - Whether the listing is known to be whole. V(false) when its pages still disagreed when read a second time
      (webhooks changed while they were read); RV(webhooks) may then lack some, and the module warns.
    - Check it before acting on what is missing, as the C(losant.platform.export) playbook does.
  returned: success
  type: bool
  sample: true
  version_added: 0.3.0
status:
  description: HTTP status of the API call that failed.
  returned: failed, when the API answered
  type: int
  sample: 401
error_status:
  description:
    - HTTP status of the API call that failed; null when the failure had no answer (bad input found before any
      request, a timeout, a connection or TLS failure) or was not an API call's (a webhook not found, duplicate
      names, a refused plan).
  returned: failed
  type: int
  version_added: 0.3.0
  sample: 503
error_type:
  description:
    - Losant's error type of the API call that failed, such as C(NotFound), C(Validation) or C(Unauthorized);
      null when the answer had none or there was no answer.
  returned: failed
  type: str
  sample: Validation
retryable:
  description:
    - Whether running the task again later may succeed without changing anything. True after HTTP 429, a 5xx
      answer, a timeout or a connection that failed or broke (once the task's own retries, O(api_retries), are
      used up); false for every other failure, such as HTTP 400, 401, 403 or 404, a TLS failure or bad input.
  returned: failed
  type: bool
  version_added: 0.3.0
  sample: true
error_message:
  description: Losant's error message, or what went wrong with the connection.
  returned: failed
  type: str
  sample: Application was not found
"""

from typing import Any

from ansible_collections.losant.platform.plugins.module_utils._module import LosantModule
from ansible_collections.losant.platform.plugins.module_utils._client import LosantError
from ansible_collections.losant.platform.plugins.module_utils._fields import validate_fields, validate_id
from ansible_collections.losant.platform.plugins.module_utils._flows import WorkflowImpact
from ansible_collections.losant.platform.plugins.module_utils._resource import Listing
from ansible_collections.losant.platform.plugins.module_utils._webhook import (
    FIELDS,
    WebhookApi,
    incomplete_listing,
    trigger_base,
    webhook_api,
    with_trigger_url,
)


class WebhookInfoModule(LosantModule):
    def __init__(self) -> None:
        argument_spec = {
            'application_id': {'type': 'str', 'required': True},
            'webhook_id': {'type': 'str'},
            'name': {'type': 'str'},
            'with_workflows': {'type': 'bool', 'default': False},
        }
        super().__init__(argument_spec, mutually_exclusive=[('webhook_id', 'name')])

    def run(self) -> None:
        self.check_input(validate_id('webhook_id', self.params['webhook_id']) + validate_fields(FIELDS, self.params))
        api = webhook_api(self)
        try:
            base = trigger_base(self.params)
            found = self.find(api)
            webhooks = [with_trigger_url(webhook, base) for webhook in found.items]
            if self.params['with_workflows']:
                self.add_workflows(api, webhooks)
        except LosantError as error:
            self.fail(error, webhooks=[])
        self.exit(changed=False, webhooks=webhooks, complete=found.problem is None)

    def add_workflows(self, api: WebhookApi, webhooks: list[dict[str, Any]]) -> None:
        """Give each webhook its ``workflows``: None for every webhook when the token may not list them."""
        impact = WorkflowImpact(api.client, self.params['application_id'], self.module.warn)
        workflows = impact.by_webhook(webhooks)
        for webhook in webhooks:
            webhook['workflows'] = None if workflows is None else workflows[webhook['id']]

    def find(self, api: WebhookApi) -> Listing:
        if self.params['webhook_id']:
            webhook = api.get(self.params['webhook_id'])
            return Listing([webhook] if webhook else [])
        listing = api.find_by_name(self.params['name']) if self.params['name'] is not None else api.listing()
        if listing.problem:
            self.module.warn(incomplete_listing(listing.problem))
        return listing


def main() -> None:
    WebhookInfoModule().run()


if __name__ == '__main__':
    main()
