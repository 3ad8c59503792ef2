#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: Contributors to the losant.platform collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: losant_webhooks
short_description: Make all webhooks of a Losant application match one list
version_added: 0.1.0
description:
  - Converges every webhook of a Losant application with one task, as a resource module in the style of
    Ansible's network collections. Webhooks are identified by their exact, case-sensitive name.
  - The module lists the application once (one request per 1000 webhooks, or per page the server serves if it
    serves fewer), compares in memory, and then
    sends exactly one request per webhook that must be created, updated or deleted. It never reads
    webhooks one by one.
  - Writes are sent in the order of O(config) (creates and updates), then the deletes. If one fails, the
    module stops and reports which writes were applied and which were not.
  - Check mode reports exactly what a real run would change, and writes nothing. Webhooks created by hand
    in the Losant UI are seen too, so a check-mode run with O(state=overridden) reports every drift.
author:
  - Losant Platform Collection Maintainers (@losant-platform)
extends_documentation_fragment:
  - losant.platform.losant
  - losant.platform.losant.attributes
  - losant.platform.losant.attribution
  - losant.platform.in_process
  - ansible.builtin.action_common_attributes
  - ansible.builtin.action_common_attributes.actiongroups
attributes:
  check_mode:
    support: full
    details:
      - Lists the application, then reports exactly what a real run would change, without writing.
  diff_mode:
    support: full
    details:
      - The diff has C(before) and C(after) keyed by webhook name, in option names as in O(config). A create
        shows the new webhook under C(after), a delete the old one under C(before), each as its C(id), its
        fields and its C(token); an update only the fields that change. Secrets and the trigger C(token) are masked.
options:
  application_id:
    description:
      - ID of the Losant application whose webhooks to manage, 24 hexadecimal characters.
    type: str
    required: true
  state:
    description:
      - V(merged) creates the webhooks of O(config) that are missing and updates the fields given that
        differ. Fields not given, and webhooks not listed, are left alone.
      - V(replaced) creates or updates each webhook of O(config) so that it has exactly the fields given;
        every field not given goes back to its platform default (text fields to empty). Secrets are the
        exception, as they cannot be read back for comparison; a secret not given is left as it is.
        Webhooks not listed are left alone.
      - V(overridden) does what V(replaced) does, and deletes every webhook of the application whose name
        is not in O(config).
      - V(deleted) deletes the webhooks named in O(config); only O(config[].name) is used. With an empty
        O(config) the module refuses unless O(delete_all=true), which deletes every webhook.
      - V(gathered) changes nothing and returns the application's webhooks as RV(gathered), in the shape
        of O(config), so that the list can be saved and fed back.
    type: str
    choices: [merged, replaced, overridden, deleted, gathered]
    default: merged
  config:
    description:
      - The webhooks, each identified by O(config[].name). A name may appear only once.
      - Must be empty or omitted with O(state=gathered).
      - If a listed name belongs to more than one webhook of the application, the module fails before
        any write, naming the webhooks; rename or delete one with M(losant.platform.losant_webhook) and
        its C(webhook_id). With O(state=overridden), webhooks with duplicate names that are not listed
        are simply all deleted.
      - In a webhook, an option that is not set (or set to V(null)) is not compared; with
        O(state=replaced) and O(state=overridden) it is reset to the platform default.
    type: list
    elements: dict
    suboptions:
      name:
        description:
          - Name of the webhook, 1 to 255 characters. The key that identifies the webhook.
          - A name YAML reads as another type (unquoted V(yes), V(007), V(1.10), V(null) or a date) fails before any
            request; quote it.
        type: str
        required: true
      description:
        description:
          - Description of the webhook, at most 32767 characters. The platform default is empty.
        type: str
      response_code:
        description:
          - HTTP status code the webhook answers with, from 100 to 599. The platform default is C(200).
        type: int
      verification_type:
        description:
          - How the platform answers the verification requests of a third-party service.
          - The platform default is V(none).
        type: str
        choices: [none, facebook, fitbit, twilio, alexa]
      verification_code:
        description:
          - Verification code for O(config[].verification_type), at most 32767 characters. A secret, never
            shown. See O(update_secrets).
        type: str
      wait_for_reply:
        description:
          - Whether the webhook waits for a workflow to reply before answering. The platform default is
            V(false).
        type: bool
      basic_auth_username:
        description:
          - Username callers must send with HTTP basic auth, at most 255 characters. Empty (the platform
            default) disables basic auth.
        type: str
      basic_auth_password:
        description:
          - Password for O(config[].basic_auth_username), at most 255 characters. A secret, never shown.
            See O(update_secrets).
        type: str
      is_websocket:
        description:
          - Whether the webhook accepts WebSocket connections. The platform default is V(false).
        type: bool
      cast_buffers_as:
        description:
          - How binary request bodies are passed to workflows. The platform default is V(array).
        type: str
        choices: [array, binary, utf8, base64, hex]
      annotate_multipart:
        description:
          - Whether multipart request bodies are annotated with their parts' headers. The platform default
            is V(false).
        type: bool
      enabled:
        description:
          - Whether the webhook accepts requests. The platform default is V(true).
        type: bool
  delete_all:
    description:
      - Confirms that an empty O(config) with O(state=deleted) or O(state=overridden) really means deleting
        every webhook of the application. Without it, those runs fail before any request.
      - May only be set with one of those states and an empty O(config).
    type: bool
    default: false
  update_secrets:
    description:
      - When to send O(config[].verification_code) and O(config[].basic_auth_password), with O(state=merged),
        O(state=replaced) and O(state=overridden).
      - V(always) compares a secret with the value the API returns and sends it when it differs. If the
        API does not return secrets, they cannot be compared, so every webhook with a secret in O(config)
        is updated on every run and the task always reports a change.
      - V(on_create) sends secrets only when a webhook is created and never compares them, so runs stay
        unchanged even if someone changed a secret in the Losant UI.
      - Secrets not given are never changed, whatever the state.
    type: str
    choices: [always, on_create]
    default: always
  include_workflows:
    description:
      - Also delete the workflows that use each deleted webhook (O(state=deleted) and O(state=overridden)).
    type: bool
    default: false
  concurrency:
    description:
      - The most writes (creates, updates and deletes) in flight at once, at least 1. Writes start in the order
        of the plan, and results and diffs keep that order whatever order they finish in.
      - The module starts with 4 writes in flight (or this many if fewer) and adapts, as TCP does. Each write
        answered without throttling allows one more, up to this ceiling; an HTTP 429 or 503 halves the number
        (down to 1). So the default is reached only while the API accepts every write; set a lower ceiling for an
        API that slows down under load instead of throttling.
      - V(1) sends each write only after the one before has succeeded.
      - After a write fails, no further write starts; those already in flight finish, and the failure
        lists each write as applied, not applied, or of unknown outcome.
      - An HTTP 429 from the API delays the next request of every write in flight, not only the one that
        met it.
    type: int
    version_added: 0.2.0
    default: 32
  return_all:
    description:
      - Return every webhook of the application in RV(webhooks), RV(before) and RV(after), not only those the run
        creates, updates or deletes (in check mode, would). Large applications make large results, which Ansible
        keeps in memory and may print.
    type: bool
    version_added: 0.3.0
    default: false
  max_deletions:
    description:
      - The most webhooks one run may delete. A plan that deletes more fails before any write, naming the
        webhooks, with RV(changes) holding the whole plan; check mode fails the same way.
      - Unset means no limit.
    type: int
    version_added: 0.2.0
  ignore_fields:
    description:
      - Options of O(config) that are never compared nor sent, on update and on create, for example V(enabled)
        when operations toggle it by hand. With O(state=replaced) and O(state=overridden) they are not reset either.
    type: list
    version_added: 0.2.0
    elements: str
    choices: [description, response_code, verification_type, verification_code, wait_for_reply, basic_auth_username,
              basic_auth_password, is_websocket, cast_buffers_as, annotate_multipart, enabled]
    default: []
  unmanaged:
    description:
      - Name globs, matched case-sensitively against whole webhook names. C(*) matches any run of characters and
        C(?) any single character; every other character, brackets included, means itself, so a name written as it
        is matches itself. O(state=overridden) and O(state=deleted) never delete a webhook whose name matches; a
        O(config) name that matches one fails before any request.
      - With O(state=gathered), matching webhooks are returned in RV(gathered_unmanaged) instead of RV(gathered).
      - A glob also matches without its surrounding whitespace, so V("ops-*, tmp-*") (a list written as one string,
        as on a command line) protects C(tmp-1), and V(" tmp-*") still protects a name that begins with a space.
      - A glob that matches no webhook of the application warns, naming it.
    type: list
    version_added: 0.2.0
    elements: str
    default: []
notes:
  - RV(gathered) never contains secrets, so feeding it to O(state=replaced) leaves every secret as it is. To write
    an application's webhooks to a variables file, run the C(losant.platform.export) playbook.
  - Names are not unique on the platform. V(gathered) still returns every webhook when names repeat, with a
    warning naming them, because such a list cannot be fed back as it is.
  - If webhooks are created or deleted while the application is listed, O(state=overridden) and O(state=deleted)
    fail before any write, and so do O(state=merged) and O(state=replaced) when a name of O(config) is not listed
    (it may exist, and creating it could make a duplicate); otherwise they warn and go on.
  - Losant fixes O(config[].is_websocket) when it creates a webhook. Changing it fails naming the option in
    RV(fields_not_applied) and the way out, instead of reporting a change on every run.
  - An optional text field (O(config[].description), O(config[].basic_auth_username)) given as an empty string
    matches a webhook that lacks the field.
  - Only Losant's own 404 (type C(NotFound)) means that a webhook to delete is already gone; another 404 fails it.
  - Concurrent runs of this module on one application are not serialized; run it once per application.
seealso:
  - module: losant.platform.losant_webhook
  - module: losant.platform.losant_webhook_info
"""

EXAMPLES = r"""
# The API token comes from the environment variable LOSANT_API_TOKEN (or api_token in module_defaults).
- name: Read losant_webhooks, the declared list, from webhooks.yml (the losant.platform.export playbook writes one)
  ansible.builtin.include_vars:
    file: webhooks.yml

- name: Make sure these webhooks exist with these settings, leaving everything else alone
  losant.platform.losant_webhooks:
    application_id: 575ec8687ae143cd83dc4a97
    state: merged
    config:
      - name: orders
        description: Order events from the shop
        response_code: 201
      - name: partner-feed
        basic_auth_username: partner
        basic_auth_password: "{{ vault_partner_feed_password }}"
    update_secrets: on_create

- name: Give these webhooks exactly these settings; unset fields go back to platform defaults
  losant.platform.losant_webhooks:
    application_id: 575ec8687ae143cd83dc4a97
    state: replaced
    config:
      - name: orders
        response_code: 201
      - name: alerts
        wait_for_reply: true

- name: Make the application have exactly these webhooks, deleting every other one
  losant.platform.losant_webhooks:
    application_id: 575ec8687ae143cd83dc4a97
    state: overridden
    config: "{{ losant_webhooks }}"

- name: Report every drift, including webhooks created by hand (run with --check --diff)
  losant.platform.losant_webhooks:
    application_id: 575ec8687ae143cd83dc4a97
    state: overridden
    config: "{{ losant_webhooks }}"
  check_mode: true
  register: drift

- name: Fail when the application drifted, listing the requests that would fix it
  ansible.builtin.assert:
    that: not drift.changed
    fail_msg: "{{ drift.requests | map(attribute='method') | zip(drift.requests | map(attribute='path')) | map('join', ' ') | list }}"

- name: Delete two webhooks and the workflows that use them
  losant.platform.losant_webhooks:
    application_id: 575ec8687ae143cd83dc4a97
    state: deleted
    include_workflows: true
    config:
      - name: legacy-import
      - name: legacy-export

- name: Delete every webhook of a scratch application
  losant.platform.losant_webhooks:
    application_id: 575ec8687ae143cd83dc4a98
    state: deleted
    delete_all: true

- name: Override unattended - at most 2 deletions, enabled is toggled by operations, ops-* webhooks are theirs
  losant.platform.losant_webhooks:
    application_id: 575ec8687ae143cd83dc4a97
    state: overridden
    config: "{{ losant_webhooks }}"
    max_deletions: 2
    ignore_fields: [enabled]
    unmanaged: ["ops-*"]
  register: deploy

- name: Show the workflows the deletes left without a trigger
  ansible.builtin.debug:
    msg: "{{ deploy.affected_workflows | map(attribute='name') | list }}"

- name: Read the webhooks of an application in the config shape
  losant.platform.losant_webhooks:
    application_id: 575ec8687ae143cd83dc4a97
    state: gathered
  register: current

- name: Save them as a variables file like webhooks.yml (secrets are never gathered)
  ansible.builtin.copy:
    dest: webhooks-backup.yml
    content: "{{ {'losant_application_id': '575ec8687ae143cd83dc4a97', 'losant_webhooks': current.gathered} | to_nice_yaml }}"
    mode: "0644"

- name: Later, restore the application to the saved list (secrets are left as they are)
  losant.platform.losant_webhooks:
    application_id: 575ec8687ae143cd83dc4a97
    state: overridden
    config: "{{ (lookup('ansible.builtin.file', 'webhooks-backup.yml') | from_yaml).losant_webhooks }}"

- name: Set the connection once for every Losant task of a block (or a play)
  module_defaults:
    group/losant.platform.losant:
      application_id: 575ec8687ae143cd83dc4a97
      api_retries: 6
  block:
    - name: Ensure the alerts webhook exists
      losant.platform.losant_webhooks:
        config:
          - name: alerts
"""

RETURN = r"""
changes:
  description:
    - One entry per write, in the order of RV(requests) (in check mode, those a real run would send).
    - C(action) is V(create), V(update) or V(delete); C(id) is V(null) for a create; C(fields) lists the option
      names a create or update sends (secrets by name only).
    - With O(attribution) in check mode, C(attribution) is the newest audit log entry about the webhook (by ID, or
      by name for a create), or V(null) when there is none or RV(attribution_unavailable) says why. Its keys are
      C(actor), C(actor_type) (V(User), V(ApiToken), V(Flow), ...), C(time) (ISO 8601), C(action) (the request's,
      such as V(patch), V(post) or V(delete)) and C(fields) (for an update, the options it touched).
    - When the platform did not apply every field sent (RV(fields_not_applied)), C(fields) lists only the
      options it applied, and an update that applied none is left out.
  returned: success, unless O(state=gathered); when O(max_deletions) refused the plan; and when the platform
    did not apply every field sent
  type: list
  version_added: 0.2.0
  elements: dict
  sample:
    - {action: update, name: hook-07, id: 575ed78e7ae143cd83dc4aab, fields: [response_code, enabled]}
    - {action: create, name: rogue, id: null, fields: [name]}
    - {action: delete, name: old, id: 575ed78e7ae143cd83dc4aac, fields: []}
    - {action: update, name: orders, id: 575ed78e7ae143cd83dc4aab, fields: [response_code],
       attribution: {actor: Jane Doe, actor_type: User, time: "2026-12-05T14:02:31.000Z", action: patch,
                     fields: [response_code]}}
attribution_unavailable:
  description:
    - With O(attribution) in check mode, why some or all changes have no attribution (a user's application, a
      token without organization scopes, a plan without audit logs, no entry in the window, an error), once;
      V(null) when every change has one.
  returned: with O(attribution) in check mode
  type: str
  version_added: 0.3.0
  sample: the application is owned by a user, and Losant keeps audit logs only for the applications of an organization
before:
  description:
    - The webhooks the run updates or deletes (in check mode, would), before the run, in the shape of O(config)
      (as RV(gathered)), sorted by name. With O(return_all), every webhook of the application.
  returned: success, unless O(state=gathered)
  type: list
  version_added: 0.2.0
  elements: dict
  sample:
    - {name: orders, response_code: 200, enabled: true}
after:
  description:
    - The webhooks the run creates or updates, after the run (in check mode, as they would be), in the shape of
      O(config), sorted by name. With O(return_all), every webhook of the application.
  returned: when changed
  type: list
  version_added: 0.2.0
  elements: dict
  sample:
    - {name: orders, response_code: 201, enabled: true}
affected_workflows:
  description:
    - The workflows whose webhook trigger uses a webhook that is (or in check mode would be) deleted, looked up
      before any write. One entry per workflow and webhook. C(deleted) is true with O(include_workflows);
      otherwise the workflow is left without that trigger. The diff shows them under the webhook's name.
    - Empty when the token may not list workflows; the module then warns.
  returned: success, unless O(state=gathered)
  type: list
  version_added: 0.2.0
  elements: dict
  sample:
    - {id: 575ed78e7ae143cd83dc4ab0, name: order router, enabled: true, webhook: old,
       webhook_id: 575ed78e7ae143cd83dc4aac, deleted: false}
gathered_unmanaged:
  description: With O(state=gathered), the webhooks whose name matches O(unmanaged), in the shape of O(config).
  returned: when O(state=gathered)
  type: list
  version_added: 0.2.0
  elements: dict
  sample:
    - {name: ops-pager, enabled: false}
webhooks:
  description:
    - The webhooks the run creates or updates, after the run, sorted by name, as the API returns them without
      its hypermedia keys, each with its C(trigger_url). With O(return_all), every webhook of the application.
    - Before version 0.3.0, every webhook of the application, also without O(return_all).
    - In check mode, the webhooks as they would be; a webhook that would be created has no ID or token yet,
      and its C(trigger_url) is V(null).
    - C(trigger_url) is V(null) too when the trigger host is unknown (an O(api_url) other than Losant's public
      API, without O(trigger_base_url)).
    - V(verificationCode) and V(basicAuthPassword) are masked as C(********) when present.
  returned: success, unless O(state=gathered)
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
      basicAuthUsername: ""
      isWebsocket: false
      castBuffersAs: array
      annotateMultipart: false
      enabled: true
      creationDate: "2026-01-01T12:00:00.000Z"
      lastUpdated: "2026-01-02T08:30:00.000Z"
      trigger_url: https://triggers.losant.com/webhooks/7f6b2c0e-1d58-4a4e-9a1f-2a0c3c8d9b11
gathered:
  description:
    - The application's webhooks in the shape of O(config), sorted by name, to be saved and fed back.
    - Option names in snake_case; secrets, read-only fields and fields the webhook lacks are left out.
  returned: when O(state=gathered)
  type: list
  elements: dict
  sample:
    - name: orders
      description: Order events from the shop
      response_code: 201
      verification_type: none
      wait_for_reply: false
      basic_auth_username: ""
      is_websocket: false
      cast_buffers_as: array
      annotate_multipart: false
      enabled: true
requests:
  description:
    - The write requests sent, in order, or in check mode those a real run would send. Bodies have
      secrets masked.
    - Empty when nothing changes.
  returned: success, unless O(state=gathered)
  type: list
  elements: dict
  sample:
    - method: PATCH
      path: /applications/575ec8687ae143cd83dc4a97/webhooks/575ed78e7ae143cd83dc4aab
      body:
        responseCode: 201
    - method: DELETE
      path: /applications/575ec8687ae143cd83dc4a97/webhooks/575ed78e7ae143cd83dc4aac
      params:
        includeWorkflows: "true"
applied:
  description:
    - When a write fails, the writes that succeeded, as in RV(requests), in plan order. With O(concurrency)
      above 1, writes planned after the failed one may have succeeded while it was in flight.
  returned: failed, after a write failed
  type: list
  elements: dict
  sample:
    - method: POST
      path: /applications/575ec8687ae143cd83dc4a97/webhooks
      body:
        name: alerts
not_applied:
  description:
    - When a write fails, the writes that were not applied, as in RV(requests), in plan order.
    - That is the failed write unless its outcome is unknown, and every write that had not started. With
      O(concurrency=1), that write and every write planned after it.
  returned: failed, after a write failed
  type: list
  elements: dict
  sample:
    - method: PATCH
      path: /applications/575ec8687ae143cd83dc4a97/webhooks/575ed78e7ae143cd83dc4aab
      body:
        enabled: false
outcome_unknown:
  description:
    - When a write fails, the writes that failed in a way that may have left them applied (a timeout, a
      broken connection, or a gateway error), as in RV(requests), in plan order. Check them before running
      again. The task then reports C(changed), as it may have changed the application.
  returned: failed, after a write failed
  type: list
  version_added: 0.2.0
  elements: dict
  sample:
    - method: DELETE
      path: /applications/575ec8687ae143cd83dc4a97/webhooks/575ed78e7ae143cd83dc4aac
duplicates:
  description: The names that identify more than one webhook, each with the IDs of those webhooks.
  returned: failed because of duplicate names in the application
  type: dict
  sample:
    orders: [575ed78e7ae143cd83dc4aab, 575ed78e7ae143cd83dc4aac]
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
  description:
    - The options that a create or update sent and the API's answer did not hold, keyed by webhook name.
  returned: failed, when the platform ignored a field it was sent
  type: dict
  version_added: 0.2.0
  sample:
    orders: [is_websocket]
error_message:
  description: Losant's error message, or what went wrong with the connection.
  returned: failed, when an API call failed
  type: str
  sample: Application was not found
"""

from typing import Any

from ansible_collections.losant.platform.plugins.module_utils._client import LosantError
from ansible_collections.losant.platform.plugins.module_utils._flows import WorkflowImpact
from ansible_collections.losant.platform.plugins.module_utils._list_module import ListModule
from ansible_collections.losant.platform.plugins.module_utils._resource_set import Change
from ansible_collections.losant.platform.plugins.module_utils._webhook import (
    WEBHOOKS, WebhookApi, trigger_base, webhook_api, with_trigger_url,
)


class WebhooksModule(ListModule):
    resource = WEBHOOKS
    rename_hint = 'Rename or delete all but one with losant.platform.losant_webhook and webhook_id.'

    def __init__(self) -> None:
        super().__init__({'include_workflows': {'type': 'bool', 'default': False}})

    def api(self) -> WebhookApi:
        return webhook_api(self)

    def shown(self, item: dict[str, Any]) -> dict[str, Any]:
        return with_trigger_url(item, trigger_base(self.params))

    def affected_workflows(self, api: WebhookApi, changes: list[Change]) -> list[dict[str, Any]]:
        doomed = [change.current for change in changes if change.action == 'delete' and change.current]
        impact = WorkflowImpact(api.client, self.params['application_id'], self.module.warn)
        try:
            return impact.of(doomed, self.params['include_workflows'])
        except LosantError as error:
            self.fail(error, changes=[change.describe() for change in changes])


def main() -> None:
    WebhooksModule().run()


if __name__ == '__main__':
    main()
