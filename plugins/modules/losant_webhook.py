#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: Contributors to the losant.platform collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: losant_webhook
short_description: Create, update and delete a Losant webhook
version_added: 0.1.0
description:
  - Makes one webhook of a Losant application match the options given.
  - The webhook is found by O(webhook_id), or by its exact, case-sensitive O(name).
  - Only the options you set are compared and sent. One PATCH carries every field that differs;
    a missing webhook is created with one POST; O(state=absent) deletes it with one DELETE.
  - Check mode predicts exactly what a real run would change, and writes nothing.
author:
  - Losant Platform Collection Maintainers (@losant-platform)
extends_documentation_fragment:
  - losant.platform.losant
  - losant.platform.in_process
  - losant.platform.losant.webhook_fields
  - losant.platform.losant.attributes
  - losant.platform.losant.attribution
  - ansible.builtin.action_common_attributes
  - ansible.builtin.action_common_attributes.actiongroups
attributes:
  check_mode:
    support: full
    details:
      - Reads the webhook, then reports exactly what a real run would change, without writing.
  diff_mode:
    support: full
    details:
      - The diff uses option names, as RV(changes) does. On update it shows the changed fields only; on create
        the new webhook, on delete the old one, each as its C(id), its fields and its C(token).
        Secrets and the trigger C(token) are masked; RV(webhook) and RV(trigger_url) keep the token.
options:
  application_id:
    description:
      - ID of the Losant application that owns the webhook, 24 hexadecimal characters.
    type: str
    required: true
  webhook_id:
    description:
      - ID of the webhook, 24 hexadecimal characters.
      - When set, the webhook is found by ID and O(name), if also set, renames it.
      - With O(state=present) the webhook must exist; a webhook cannot be created with a chosen ID.
      - One of O(webhook_id) and O(name) is required.
    type: str
  name:
    description:
      - Name of the webhook, 1 to 255 characters.
      - Without O(webhook_id), the webhook is found by this exact, case-sensitive name. If two
        webhooks of the application have this name the module fails, naming their IDs; pass
        O(webhook_id) to pick one.
      - Required to create a webhook.
      - A name YAML reads as another type (unquoted V(yes), V(007), V(1.10), V(null) or a date) fails before any
        request; quote it.
    type: str
  state:
    description:
      - V(present) creates the webhook or updates the fields that differ.
      - V(absent) deletes the webhook if it exists.
    type: str
    choices: [present, absent]
    default: present
  update_secrets:
    description:
      - When to send O(verification_code) and O(basic_auth_password).
      - V(always) compares a secret with the value the API returns and sends it when it differs. If the
        API does not return the secret, it cannot be compared, so it is sent on every run and the task
        reports a change every time.
      - V(on_create) sends secrets only when the webhook is created and never compares them, so the task
        stays unchanged on later runs even if someone changed the secret in the Losant UI.
    type: str
    choices: [always, on_create]
    default: always
  include_workflows:
    description:
      - With O(state=absent), also delete the workflows that use the webhook.
    type: bool
    default: false
notes:
  - Losant fixes O(is_websocket) when it creates a webhook. Changing it fails with the way out (delete and
    create again, which changes the trigger URL) rather than reporting a change on every run.
  - O(description) or O(basic_auth_username) set to an empty string matches a webhook that lacks the field.
  - If webhooks are created or deleted while the application is listed and the listing does not show O(name), the
    task fails before any write, as the webhook may exist.
  - Hosts that create the same webhook in parallel should delegate the task to one machine, as with
    C(delegate_to=localhost). Tasks on one machine take turns; tasks on several machines can create one webhook each.
  - Only Losant's own 404 (type C(NotFound)) means that the webhook does not exist; any other 404 fails. How names are
    looked up, what a repeated DELETE does and how the module runs are in the troubleshooting and performance guides.
seealso:
  - module: losant.platform.losant_webhook_info
  - module: losant.platform.losant_webhooks
"""

EXAMPLES = r"""
# The API token comes from the environment variable LOSANT_API_TOKEN (or api_token in module_defaults).
- name: Create or update a webhook by name
  losant.platform.losant_webhook:
    application_id: 575ec8687ae143cd83dc4a97
    name: orders
    description: Order events from the shop
    response_code: 201
    wait_for_reply: false
  register: orders_hook

- name: Show where to send events (in check mode a webhook that would be created has no URL yet)
  ansible.builtin.debug:
    msg: "Send events to {{ orders_hook.trigger_url or 'the URL a real run creates' }}"

- name: Rename a webhook and disable it, found by ID
  losant.platform.losant_webhook:
    application_id: 575ec8687ae143cd83dc4a97
    webhook_id: 575ed78e7ae143cd83dc4aab
    name: orders-v2
    enabled: false

- name: Protect a webhook with basic auth, setting the password (from Ansible Vault) only when it is created
  losant.platform.losant_webhook:
    application_id: 575ec8687ae143cd83dc4a97
    name: partner-feed
    basic_auth_username: partner
    basic_auth_password: "{{ vault_partner_feed_password }}"
    update_secrets: on_create

- name: Detect drift without changing anything (run with --check --diff)
  losant.platform.losant_webhook:
    application_id: 575ec8687ae143cd83dc4a97
    name: orders
    response_code: 201
  check_mode: true
  register: drift

- name: Fail when the webhook drifted
  ansible.builtin.assert:
    that: not drift.changed
    fail_msg: The orders webhook differs from its declaration

- name: Delete a webhook and the workflows that use it
  losant.platform.losant_webhook:
    application_id: 575ec8687ae143cd83dc4a97
    name: legacy-import
    state: absent
    include_workflows: true

- name: Set the connection once for every Losant task of a block (or a play)
  module_defaults:
    group/losant.platform.losant:
      application_id: 575ec8687ae143cd83dc4a97
      api_retries: 6
  block:
    - name: Ensure the alerts webhook exists
      losant.platform.losant_webhook:
        name: alerts
"""

RETURN = r"""
webhook:
  description:
    - The webhook as the API returned it after the change, without the API's hypermedia keys.
    - In check mode, the webhook as it would be; a webhook that would be created has no ID or token yet.
    - Empty after O(state=absent).
    - V(verificationCode) and V(basicAuthPassword) are masked as C(********) when present.
  returned: always
  type: dict
  sample:
    id: 575ed78e7ae143cd83dc4aab
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
changes:
  description:
    - The write made (in check mode, that a real run would make), as in RV(losant.platform.losant_webhooks#module:changes),
      with its C(attribution) under O(attribution); empty when nothing changes.
    - When the platform did not apply every field sent (RV(fields_not_applied)), C(fields) lists only the
      options it applied, and an update that applied none is left out.
  returned: success, and when the platform did not apply every field sent
  type: list
  version_added: 0.2.0
  elements: dict
  sample:
    - {action: update, name: orders, id: 575ed78e7ae143cd83dc4aab, fields: [response_code]}
attribution_unavailable:
  description:
    - With O(attribution) in check mode, why the change has no C(attribution) (see
      RV(losant.platform.losant_webhooks#module:attribution_unavailable)); V(null) when it has one.
  returned: with O(attribution) in check mode
  type: str
  version_added: 0.3.0
  sample: no audit log entry within the last 30 days for 1 of the 1 changes
affected_workflows:
  description:
    - With O(state=absent), the workflows whose webhook trigger uses the webhook, looked up before the delete, as
      in RV(losant.platform.losant_webhooks#module:affected_workflows). The diff shows them too.
  returned: with O(state=absent)
  type: list
  version_added: 0.2.0
  elements: dict
  sample:
    - {id: 575ed78e7ae143cd83dc4ab0, name: order router, enabled: true, webhook: orders,
       webhook_id: 575ed78e7ae143cd83dc4aab, deleted: false}
trigger_url:
  description:
    - The URL that triggers the webhook, as in RV(losant.platform.losant_webhooks#module:webhooks).
    - V(null) when it is not known, that is in check mode for a webhook that would be created (it has no token
      yet), after O(state=absent), and when the trigger host is unknown (an O(api_url) other than Losant's public
      API, without O(trigger_base_url)).
    - Before version 0.3.0, absent instead of V(null).
  returned: success
  type: str
  sample: https://triggers.losant.com/webhooks/7f6b2c0e-1d58-4a4e-9a1f-2a0c3c8d9b11
status:
  description: HTTP status of the API call that failed.
  returned: failed, when the API answered
  type: int
  sample: 404
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
fields_not_applied:
  description: The options that the write sent and the API's answer did not hold.
  returned: failed, when the platform ignored a field it was sent
  type: list
  version_added: 0.2.0
  elements: str
  sample: [is_websocket]
error_message:
  description: Losant's error message, or what went wrong with the connection.
  returned: failed
  type: str
  sample: Webhook was not found
"""

from typing import Any, Optional

from ansible_collections.losant.platform.plugins.module_utils._flows import WorkflowImpact
from ansible_collections.losant.platform.plugins.module_utils._resource_set import Change
from ansible_collections.losant.platform.plugins.module_utils._single_module import SingleModule
from ansible_collections.losant.platform.plugins.module_utils._webhook import (
    WEBHOOKS, WebhookApi, trigger_base, trigger_url, webhook_api,
)


class WebhookModule(SingleModule):
    resource = WEBHOOKS

    def __init__(self) -> None:
        super().__init__({'include_workflows': {'type': 'bool', 'default': False}})

    def api(self) -> WebhookApi:
        return webhook_api(self)

    def affected_workflows(self, api: WebhookApi, change: Optional[Change]) -> Optional[list[dict[str, Any]]]:
        if self.params['state'] != 'absent':
            return None
        if change is None:
            return []
        impact = WorkflowImpact(api.client, self.params['application_id'], self.module.warn)
        return impact.of([change.current], self.params['include_workflows'])

    def shown(self, item: dict[str, Any]) -> dict[str, Any]:
        return dict(super().shown(item), trigger_url=trigger_url(item, trigger_base(self.params)))


def main() -> None:
    WebhookModule().run()


if __name__ == '__main__':
    main()
