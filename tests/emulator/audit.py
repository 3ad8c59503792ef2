"""Who changed what: an application's owner and its organization's audit logs.

Losant keeps audit logs per organization, for the applications an organization owns. The emulator
records an entry for every webhook write its API accepts (the actor is the token, or the one named
by the ``X-Emulator-Actor`` header, which stands in for a person using the web interface), serves
``GET /applications/{id}`` (owner) and ``GET /orgs/{orgId}/audit-logs`` (paged, filtered), and lets
the admin API change an application's owner and add entries. Call these with ``State.lock`` held.
"""
from __future__ import annotations

import hashlib
import json
import re
from datetime import datetime, timezone
from typing import Any

from .errors import ApiError, not_found, validation
from .listing import _choice, _integer
from .schema import load_schema, validate
from .settings import ConfigError
from .state import State, iso_now, is_object_id, new_object_id

DEFAULT_ORG_ID = "5e1d0c0ffee0000000000001"
DEFAULT_ORG_NAME = "Emulated Organization"
ACTOR_HEADER = "X-Emulator-Actor"
SORT_FIELDS = ("creationDate", "responseStatus", "actorName")
MAX_PER_PAGE = 1000
_FILTER_KEY = re.compile(r"auditLogFilter\[([A-Za-z]+)\]\[([0-9]{1,9})\]\[([A-Za-z]+)\]", re.ASCII)
_FILTER_CODE = re.compile(r"auditLogFilter\[responseCode\]\[([0-9]{1,9})\]", re.ASCII)
_WRITE_ACTIONS = {"webhooks.post": ("webhooks", "post"), "webhook.patch": ("webhook", "patch"),
                  "webhook.delete": ("webhook", "delete")}


# -- owners ---------------------------------------------------------------------------------
def owner(state: State, app_id: str) -> dict:
    """``{"ownerType": ..., "ownerId": ...}``: a default organization unless set otherwise."""
    return dict(state.owners.get(app_id.lower(), {"ownerType": "organization", "ownerId": DEFAULT_ORG_ID}))


def set_owner(state: State, app_id: str, spec: Any) -> dict:
    if not isinstance(spec, dict) or set(spec) != {"ownerType", "ownerId"}:
        raise ConfigError('the owner must be {"ownerType": "user" or "organization", "ownerId": "<24 hex>"}')
    if spec["ownerType"] not in ("user", "organization") or not is_object_id(spec["ownerId"]):
        raise ConfigError('"ownerType" must be user or organization and "ownerId" 24 hex characters')
    state.owners[app_id.lower()] = {"ownerType": spec["ownerType"], "ownerId": spec["ownerId"].lower()}
    return owner(state, app_id)


def application_body(state: State, app_id: str) -> dict:
    """The Application object as far as the emulator knows it."""
    app_id = app_id.lower()
    body = {"id": app_id, "applicationId": app_id, "name": f"Application {app_id[-6:]}", **owner(state, app_id),
            "_type": "application"}
    if body["ownerType"] == "organization":
        body["organizationName"] = DEFAULT_ORG_NAME
    return body


# -- recording ------------------------------------------------------------------------------
def actor(token: Any, headers: Any) -> dict:
    """The actor of a request: the ``X-Emulator-Actor`` JSON object, or the API token itself."""
    raw = headers.get(ACTOR_HEADER) if headers is not None else None
    if raw:
        try:
            named = json.loads(raw)
        except ValueError:
            raise validation(f"{ACTOR_HEADER} must be a JSON object with type and name") from None
        if not isinstance(named, dict) or not isinstance(named.get("name"), str) \
                or named.get("type") not in ("Application", "Device", "Flow", "User", "ApiToken"):
            raise validation(f"{ACTOR_HEADER} must be a JSON object with type and name")
        return {"actorType": named["type"], "actorName": named["name"],
                "actorId": named.get("id") or _stable_id(named["name"])}
    return {"actorType": "ApiToken", "actorName": token.name, "actorId": _stable_id(token.value)}


def record_write(state: State, action: str, app_id: str, webhook: dict, request: Any, token: Any,
                 status: int, response: Any) -> None:
    """Log an accepted webhook write, as Losant does, when an organization owns the application."""
    ownership = owner(state, app_id)
    if ownership["ownerType"] != "organization":
        return
    resource, verb = _WRITE_ACTIONS[action]
    entry = {
        "id": new_object_id(), "creationDate": iso_now(), "orgId": ownership["ownerId"],
        "primaryTargetId": app_id.lower(), "primaryTargetType": "Application",
        "primaryTargetName": application_body(state, app_id)["name"],
        "secondaryTargetId": webhook["id"], "secondaryTargetType": "Webhook",
        "secondaryTargetName": webhook.get("name", ""),
        **actor(token, request.headers),
        "requestResource": resource, "requestAction": verb,
        "requestPathParams": {"applicationId": app_id, **({} if verb == "post" else {"webhookId": webhook["id"]})},
        "requestQueryParams": dict(request.query),
        "requestBody": request.body if isinstance(request.body, dict) else {},
        "responseStatus": status, "responseBody": response,
    }
    entry["auditLogId"] = entry["id"]
    state.audit_logs.append(entry)


def add_entries(state: State, items: Any) -> list:
    """Store entries given by the admin API (at least orgId and creationDate are filled in); their ids."""
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        raise ConfigError('"entries" must be a list of objects')
    added = []
    for item in items:
        entry = {"id": new_object_id(), "creationDate": iso_now(), "orgId": DEFAULT_ORG_ID, **item}
        entry.setdefault("auditLogId", entry["id"])
        problems = validate(entry, load_schema("auditLog"), "entry")
        if problems:
            raise ConfigError("invalid audit log entry: " + "; ".join(problems))
        added.append(entry)
    state.audit_logs.extend(added)
    return [entry["id"] for entry in added]


# -- the list action ------------------------------------------------------------------------
def list_body(state: State, org_id: str, query: dict) -> dict:
    """The AuditLogs body for ``GET /orgs/{orgId}/audit-logs``; 400 for a bad query."""
    page = _integer(query, "page", 0, minimum=0)
    per_page = _integer(query, "perPage", 100, minimum=1, maximum=MAX_PER_PAGE)
    sort_field = _choice(query, "sortField", SORT_FIELDS, "creationDate")
    direction = _choice(query, "sortDirection", ("asc", "desc"), "desc", fold_case=True)
    start, end = _moment(query, "start"), _moment(query, "end")
    filters = audit_log_filter(query)
    matching = [entry for entry in state.audit_logs
                if entry.get("orgId", "").lower() == org_id.lower()
                and (start is None or _epoch_ms(entry) >= start) and (end is None or _epoch_ms(entry) <= end)
                and matches(entry, filters)]
    if state.settings["audit_logs"] == "empty":
        matching = []
    matching.sort(key=lambda entry: (str(entry.get(sort_field, "")), entry["id"]), reverse=direction == "desc")
    items = matching[page * per_page:(page + 1) * per_page]
    return {"items": items, "count": len(items), "totalCount": len(matching), "perPage": per_page, "page": page,
            "sortField": sort_field, "sortDirection": direction, "orgId": org_id.lower(), "_type": "auditLogs"}


def audit_log_filter(query: dict) -> dict:
    """``auditLogFilter[KIND][N][KEY]`` and ``auditLogFilter[responseCode][N]`` as the filter object, checked."""
    lists: dict = {}
    codes: dict = {}
    for name, value in query.items():
        if not name.startswith("auditLogFilter"):
            continue
        found = _FILTER_KEY.fullmatch(name)
        code = _FILTER_CODE.fullmatch(name)
        if found:
            kind, index, key = found.group(1), int(found.group(2)), found.group(3)
            lists.setdefault(kind, {}).setdefault(index, {})[key] = value
        elif code:
            codes[int(code.group(1))] = int(value) if value.isdigit() else value
        else:
            raise validation(f'"auditLogFilter" must be sent as auditLogFilter[KIND][N][KEY], got {name!r}')
    result = {kind: [items[index] for index in sorted(items)] for kind, items in lists.items()}
    if codes:
        result["responseCode"] = [codes[index] for index in sorted(codes)]
    problems = validate(result, load_schema("auditLogFilter"), "auditLogFilter")
    if problems:
        raise validation("Invalid auditLogFilter: " + "; ".join(problems))
    return result


def matches(entry: dict, filters: dict) -> bool:
    """Each given kind must match: an entry matches a kind when one of its items matches every key it gives."""
    for kind, items in filters.items():
        if kind == "responseCode":
            if entry.get("responseStatus") not in items:
                return False
            continue
        if not any(all(str(entry.get(kind + key[0].upper() + key[1:], "")).lower() == str(value).lower()
                       for key, value in item.items()) for item in items):
            return False
    return True


def _moment(query: dict, name: str) -> int | None:
    raw = query.get(name, "")
    if raw == "":
        return None
    if not raw.isdigit():
        raise validation(f'"{name}" must be milliseconds since the epoch, got {raw!r}')
    return int(raw)


def _epoch_ms(entry: dict) -> int:
    moment = datetime.fromisoformat(str(entry["creationDate"]).replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return int(moment.timestamp() * 1000)


def _stable_id(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:24]


def forbidden_unless_available(state: State) -> None:
    """The organization's plan may lack audit logs: answer as the setting ``audit_logs`` says."""
    setting = state.settings["audit_logs"]
    if setting == "forbidden":
        raise ApiError(403, "Forbidden", "Audit logs are not available on this organization's plan")
    if setting == "missing":
        raise not_found("Audit logs were not found")
