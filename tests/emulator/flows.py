"""Workflows (Losant "flows"): the list action with its trigger filter, seeding, and what a
webhook delete with ``includeWorkflows=true`` removes. Stored in ``State.flows``:
application id (lower case) -> {flow id (lower case): flow}. Call these with ``State.lock`` held.
"""
from __future__ import annotations

import re
from typing import Any

from .errors import validation
from .listing import ListQuery
from .schema import load_schema, validate
from .settings import ConfigError
from .state import State, iso_now, is_object_id, new_object_id

FLOW_CLASSES = ("cloud", "edge", "embedded", "experience", "customNode")
# Query keys the list action knows besides paging/sort/filter; ``query`` (advanced queries) is not emulated.
_IGNORED_BOOLEANS = ("includeCustomNodes", "allVersions")
_TRIGGER_FILTER_KEY = re.compile(r"triggerFilter\[([0-9]{1,9})\]\[([^\[\]]*)\]", re.ASCII)

# The order in which the API lists a workflow's keys; unknown keys go last.
KEY_ORDER = ("id", "flowId", "applicationId", "creationDate", "lastUpdated", "name", "description",
             "enabled", "flowClass", "triggers", "nodes", "globals")


# -- the list action ------------------------------------------------------------------------
def parse_query(query: dict, settings: dict) -> tuple:
    """(ListQuery, flow class, trigger filter list) from a request's query, or 400 Validation."""
    if "query" in query:
        raise validation('"query" (an advanced workflow query) is not supported by the emulator')
    for name in _IGNORED_BOOLEANS:
        if query.get(name, "").lower() not in ("", "true", "false", "1", "0"):
            raise validation(f'"{name}" must be true or false, got {query[name]!r}')
    flow_class = query.get("flowClass") or "cloud"
    if flow_class not in FLOW_CLASSES:
        raise validation(f'"flowClass" must be one of: {", ".join(FLOW_CLASSES)}; got {flow_class!r}')
    return ListQuery.parse(query, settings), flow_class, trigger_filter(query)


def trigger_filter(query: dict) -> list | None:
    """The ``triggerFilter[N][type|key]`` entries in index order, or None when none is given."""
    entries: dict = {}
    for name, value in query.items():
        if name != "triggerFilter" and not name.startswith("triggerFilter["):
            continue
        found = _TRIGGER_FILTER_KEY.fullmatch(name)
        if not found:
            raise validation(f'"triggerFilter" must be sent as triggerFilter[N][type] and '
                             f'triggerFilter[N][key], got {name!r}')
        entries.setdefault(int(found.group(1)), {})[found.group(2)] = value
    if not entries:
        return None
    filters = [entries[index] for index in sorted(entries)]
    problems = validate(filters, load_schema("flowTriggerFilter"), "triggerFilter")  # at most 100
    if problems:
        raise validation("Invalid triggerFilter: " + "; ".join(problems))
    return filters


def matches_trigger_filter(flow: dict, filters: list | None) -> bool:
    """Whether one of the flow's triggers has every field that one filter entry gives."""
    if filters is None:
        return True
    triggers = [trigger for trigger in flow.get("triggers") or [] if isinstance(trigger, dict)]
    return any(all(trigger.get(key) == value for key, value in entry.items())
               for entry in filters for trigger in triggers)


def list_body(state: State, app_id: str, query: tuple, links: bool) -> dict:
    """The Flows body for a parsed query (see ``parse_query``)."""
    listing, flow_class, filters = query
    app_id = app_id.lower()
    selected = [flow for flow in state.flows.get(app_id, {}).values()
                if flow.get("flowClass", "cloud") == flow_class and matches_trigger_filter(flow, filters)]
    page, total = listing.apply(selected)
    body = {"items": [render(flow, links) for flow in page], "count": len(page), "totalCount": total,
            **listing.echo(), "applicationId": app_id, "flowClass": flow_class, "_type": "flows"}
    if links:
        body["_links"] = {"self": {"href": f"/applications/{app_id}/flows"}}
    return body


def render(flow: dict, links: bool) -> dict:
    body = dict(flow, _type="flow")
    if links:
        body["_links"] = {"self": {"href": f"/applications/{flow.get('applicationId')}/flows/{flow.get('id')}"}}
    return body


# -- effects of other actions ---------------------------------------------------------------
def delete_triggered_by(state: State, app_id: str, webhook_id: str) -> list:
    """Delete the application's flows with a webhook trigger on ``webhook_id``; their ids."""
    flows = state.flows.get(app_id.lower(), {})
    doomed = [key for key, flow in flows.items()
              if matches_trigger_filter(flow, [{"type": "webhook", "key": webhook_id}])]
    return [flows.pop(key)["id"] for key in doomed]


# -- seeding (admin API and config file) ----------------------------------------------------
def seed(state: State, app_id: str, items: Any) -> list:
    """Store flows with the identity keys and defaults filled in; their ids. ConfigError when unusable."""
    if state.webhooks_of(app_id) is None:
        raise ConfigError(f"application {app_id} does not exist")
    if not isinstance(items, list):
        raise ConfigError('"flows" must be a list of objects')
    stored = state.flows.setdefault(app_id.lower(), {})
    prepared: dict = {}
    for item in items:
        flow = _prepared(app_id, item)
        if flow["id"].lower() in stored or flow["id"].lower() in prepared:
            raise ConfigError(f"flow id {flow['id']!r} already exists or is given twice")
        prepared[flow["id"].lower()] = flow
    stored.update(prepared)
    return [flow["id"] for flow in prepared.values()]


def seed_config(state: State, config: Any) -> None:
    """The config file's ``flows``: application id -> list of flows (the application is created)."""
    if not isinstance(config, dict):
        raise ConfigError('"flows" must map application ids to lists of flows')
    for app_id, items in config.items():
        state.add_application(app_id)
        seed(state, app_id, items)


def stored(state: State, app_id: str) -> list:
    return [dict(flow) for flow in state.flows.get(app_id.lower(), {}).values()]


def _prepared(app_id: str, item: Any) -> dict:
    if not isinstance(item, dict):
        raise ConfigError("each seeded flow must be a JSON object")
    name = item.get("name")
    if not isinstance(name, str) or not 1 <= len(name) <= 255:
        raise ConfigError(f"a flow needs a name of 1 to 255 characters, got {name!r}")
    if not isinstance(item.get("enabled", True), bool):
        raise ConfigError(f'flow {name!r}: "enabled" must be true or false')
    if item.get("flowClass", "cloud") not in FLOW_CLASSES:
        raise ConfigError(f'flow {name!r}: "flowClass" must be one of: {", ".join(FLOW_CLASSES)}')
    triggers = item.get("triggers", [])
    if not isinstance(triggers, list) or not all(_is_trigger(trigger) for trigger in triggers):
        raise ConfigError(f'flow {name!r}: "triggers" must be a list of {{"type": ..., "key": ...}} objects')
    flow_id = item.get("id") or item.get("flowId") or new_object_id()
    if not is_object_id(flow_id):
        raise ConfigError(f"flow id must be 24 hex characters, got {flow_id!r}")
    now = iso_now()
    flow = {"id": flow_id, "flowId": flow_id, "applicationId": app_id.lower(), "creationDate": now,
            "lastUpdated": now, "enabled": True, "flowClass": "cloud", "triggers": [], "nodes": [],
            "globals": [], **item}
    known = {key: flow[key] for key in KEY_ORDER if key in flow}
    return {**known, **flow}


def _is_trigger(trigger: Any) -> bool:
    return (isinstance(trigger, dict) and isinstance(trigger.get("type"), str)
            and isinstance(trigger.get("key", ""), str))
