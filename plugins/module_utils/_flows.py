# -*- coding: utf-8 -*-
# Copyright: Contributors to the losant.platform collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

# Private to the losant.platform collection: it changes without notice, so other collections and
# plugins of your own must not import it.

"""The workflows (flows) that a webhook triggers: what deleting the webhook does to them."""

from __future__ import annotations

from typing import Any, Callable, Optional, Sequence

from ansible_collections.losant.platform.plugins.module_utils._client import LosantClient, LosantError
from ansible_collections.losant.platform.plugins.module_utils._resource import Listing, Resource, ResourceApi

# The API takes at most 100 trigger filters per request.
TRIGGER_FILTER_MAX = 100
NO_FLOWS_SCOPE = ('The API token may not list workflows (that needs a scope such as flows.get or '
                  'all.Application.read), so %s: %s')
LEFT_WITHOUT_TRIGGER = 'left without a trigger: its webhook is deleted'
DELETED_WITH_WEBHOOK = 'deleted with its webhook (include_workflows)'
INCOMPLETE = ('The workflow listing stayed inconsistent when read a second time (%s): the workflows listed for the '
              'webhooks may be incomplete.')


def is_flow(body: Any) -> bool:
    """An object with a string ``id`` whose ``triggers``, if any, are a list of objects."""
    triggers = body.get('triggers') if isinstance(body, dict) else None
    return isinstance(body, dict) and isinstance(body.get('id'), str) and (
        triggers is None or (isinstance(triggers, list) and all(isinstance(one, dict) for one in triggers)))


WORKFLOWS = Resource('workflow', 'flows', matches=is_flow, page_size=100)


class FlowApi:
    """The workflows of one application, read-only."""

    def __init__(self, client: LosantClient, application_id: str) -> None:
        self.api = ResourceApi(WORKFLOWS, client, application_id)

    def triggered_by(self, webhook_ids: Sequence[str]) -> Listing:
        """Every workflow with a webhook trigger on one of ``webhook_ids``, one listing per 100 webhooks."""
        found: dict[str, dict[str, Any]] = {}
        problems = []
        for start in range(0, len(webhook_ids), TRIGGER_FILTER_MAX):
            listing = self.api.listing(query=trigger_filter(webhook_ids[start:start + TRIGGER_FILTER_MAX]))
            if listing.problem:
                problems.append(listing.problem)
            for flow in listing.items:
                found.setdefault(flow['id'], flow)
        return Listing(list(found.values()), '; '.join(problems) or None)


def trigger_filter(webhook_ids: Sequence[str]) -> dict[str, str]:
    """The flattened ``triggerFilter`` query for webhook triggers on ``webhook_ids``."""
    params = {}
    for index, webhook_id in enumerate(webhook_ids):
        params.update({'triggerFilter[%d][type]' % index: 'webhook', 'triggerFilter[%d][key]' % index: webhook_id})
    return params


def affected_workflows(flows: list[dict[str, Any]], webhooks: list[dict[str, Any]],
                       deleted: bool) -> list[dict[str, Any]]:
    """One entry per workflow and deleted webhook that triggers it, in the order of ``webhooks``."""
    affected = []
    for webhook in webhooks:
        for flow in flows:
            if any(trigger.get('type') == 'webhook' and trigger.get('key') == webhook['id']
                   for trigger in flow.get('triggers') or []):
                affected.append({'id': flow.get('id'), 'name': flow.get('name'), 'enabled': flow.get('enabled'),
                                 'webhook': webhook.get('name'), 'webhook_id': webhook['id'], 'deleted': deleted})
    return affected


def delete_diff(webhook: dict[str, Any], affected: list[dict[str, Any]]) -> tuple[dict[str, Any], dict[str, Any]]:
    """What the diff of deleting ``webhook`` adds: its workflows before, and after what becomes of each."""
    before = [{'id': flow['id'], 'name': flow['name'], 'enabled': flow['enabled']}
              for flow in affected if flow['webhook_id'] == webhook['id']]
    if not before:
        return {}, {}
    fate = DELETED_WITH_WEBHOOK if affected[0]['deleted'] else LEFT_WITHOUT_TRIGGER
    return {'workflows': before}, {'workflows': [dict(flow, fate=fate) for flow in before]}


class WorkflowImpact:
    """Looks up the workflows that webhooks trigger; a token without access to workflows only warns."""

    def __init__(self, client: LosantClient, application_id: str, warn: Callable[[str], None]) -> None:
        self.api = FlowApi(client, application_id)
        self.warn = warn

    def of(self, webhooks: list[dict[str, Any]], include_workflows: bool) -> list[dict[str, Any]]:
        """The workflows that deleting ``webhooks`` affects (none known when the token may not list them)."""
        flows = self._flows(webhooks, 'the workflows that use the deleted webhooks are unknown')
        return affected_workflows(flows or [], webhooks, include_workflows)

    def by_webhook(self, webhooks: list[dict[str, Any]]) -> Optional[dict[str, list[dict[str, Any]]]]:
        """Each webhook's workflows (``id``, ``name``, ``enabled``) by webhook ID; None if unknown."""
        flows = self._flows(webhooks, 'the webhooks are returned without their workflows')
        if flows is None:
            return None
        listed: dict[str, list[dict[str, Any]]] = {webhook['id']: [] for webhook in webhooks}
        for flow in affected_workflows(flows, webhooks, deleted=False):
            listed[flow['webhook_id']].append({key: flow[key] for key in ('id', 'name', 'enabled')})
        return listed

    def _flows(self, webhooks: list[dict[str, Any]], consequence: str) -> Optional[list[dict[str, Any]]]:
        """Raises LosantError on errors other than a 403, which only warns and gives None."""
        if not webhooks:
            return []
        try:
            listing = self.api.triggered_by([webhook['id'] for webhook in webhooks])
        except LosantError as error:
            if error.status != 403:
                raise
            self.warn(NO_FLOWS_SCOPE % (consequence, error))
            return None
        if listing.problem:
            self.warn(INCOMPLETE % listing.problem)
        return listing.items
