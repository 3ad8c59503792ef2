"""The five Losant webhook actions and the workflow list: routing, auth, validation and the actions."""
from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

from . import audit, flows
from .errors import ApiError, not_found, validation
from .listing import ListQuery
from .schema import load_schema, validate
from .state import State, Token, iso_after, is_object_id, ordered

SECRET_FIELDS = ("verificationCode", "basicAuthPassword")

_FULL = ("all.Application", "all.Application.bounded", "all.Organization",
         "all.Organization.bounded", "all.User", "all.User.bounded")
_READ = ("all.Application.read", "all.Organization.read", "all.User.read")
SCOPES = {
    "webhooks.get": _FULL + _READ + ("webhooks.*", "webhooks.get"),
    "webhooks.post": _FULL + ("webhooks.*", "webhooks.post"),
    "webhook.get": _FULL + _READ + ("webhook.*", "webhook.get"),
    "webhook.patch": _FULL + ("webhook.*", "webhook.patch"),
    "webhook.delete": _FULL + ("webhook.*", "webhook.delete"),
    "flows.get": _FULL + _READ + ("flows.*", "flows.get"),
    "application.get": _FULL + _READ + ("application.*", "application.get"),
    "auditLogs.get": ("all.Organization", "all.Organization.read", "all.Organization.bounded", "all.User",
                      "all.User.read", "all.User.bounded", "auditLogs.*", "auditLogs.get"),
}

_COLLECTION = re.compile(r"^/applications/([^/]+)/webhooks/?$")
_ITEM = re.compile(r"^/applications/([^/]+)/webhooks/([^/]+)/?$")
_FLOWS = re.compile(r"^/applications/([^/]+)/flows/?$")
_APPLICATION = re.compile(r"^/applications/([^/%]+)/?$")  # not an encoded sub-path
_AUDIT_LOGS = re.compile(r"^/orgs/([^/]+)/audit-logs/?$")
_ROUTES = {
    "collection": {"GET": "webhooks.get", "POST": "webhooks.post"},
    "item": {"GET": "webhook.get", "PATCH": "webhook.patch", "DELETE": "webhook.delete"},
    "flows": {"GET": "flows.get"},
    "application": {"GET": "application.get"},
    "audit": {"GET": "auditLogs.get"},
}
_BOOLEANS = {"true": True, "1": True, "false": False, "0": False}


@dataclass
class Request:
    method: str
    path: str
    query: dict = field(default_factory=dict)
    headers: Any = field(default_factory=dict)
    raw_body: bytes = b""
    body: Any = None
    body_error: str | None = None


@dataclass
class Route:
    action: str
    application_id: str  # the organization's id for auditLogs.get
    webhook_id: str | None = None


def route(method: str, path: str) -> Route:
    """Find the action for a request, or raise 404 (unknown path) / 405 (unknown method)."""
    for kind, pattern in (("collection", _COLLECTION), ("item", _ITEM), ("flows", _FLOWS),
                          ("application", _APPLICATION), ("audit", _AUDIT_LOGS)):
        found = pattern.match(path)
        if found:
            actions = _ROUTES[kind]
            if method not in actions:
                raise ApiError(405, "MethodNotAllowed", f"{method} is not supported on {path}",
                               {"Allow": ", ".join(actions)})
            ids = [unquote(part) for part in found.groups()]
            return Route(actions[method], *ids)
    raise not_found(f"Route {method} {path} was not found")


def handle(state: State, request: Request) -> tuple:
    """Answer one API request: returns (status, body, extra headers) or raises ApiError."""
    target = route(request.method, request.path)
    token = authenticate(state, request.headers)
    require_scope(token, target.action)
    _check_id("orgId" if target.action == "auditLogs.get" else "applicationId", target.application_id)
    if target.webhook_id is not None:
        _check_id("webhookId", target.webhook_id)
    links = _boolean(request.query, "_links", True)
    _boolean(request.query, "_actions", False)
    _boolean(request.query, "_embedded", True)
    return ACTIONS[target.action](state, request, token, target, links)


def authenticate(state: State, headers: Any) -> Token:
    words = str(headers.get("Authorization") or "").split(None, 1)
    with state.lock:
        token = state.tokens.get(words[1].strip()) if len(words) == 2 and words[0].lower() == "bearer" else None
    if token is None:
        raise ApiError(401, "Unauthorized", "Invalid access token")
    return token


def require_scope(token: Token, action: str) -> None:
    if not set(token.scopes) & set(SCOPES[action]):
        raise ApiError(403, "Forbidden",
                       f"Access token is not authorized for {action}; it needs one of the scopes: "
                       + ", ".join(SCOPES[action]))


def _check_id(name: str, value: str) -> None:
    if not is_object_id(value):
        raise validation(f'"{name}" must be 24 hexadecimal characters, got {value!r}')


def _boolean(query: dict, name: str, default: bool) -> bool:
    raw = query.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() not in _BOOLEANS:
        raise validation(f'"{name}" must be true or false, got {raw!r}')
    return _BOOLEANS[raw.lower()]


def _validated_body(request: Request, schema_name: str) -> dict:
    if request.body_error:
        raise validation(f"Request body is not valid JSON: {request.body_error}")
    body = {} if not request.raw_body.strip() else request.body
    problems = validate(body, load_schema(schema_name))
    if problems:
        raise validation("Invalid webhook: " + "; ".join(problems))
    return {key: int(value) if key == "responseCode" else value for key, value in body.items()}


def _application(state: State, token: Token, app_id: str) -> dict:
    """The application's webhooks; call with the lock held."""
    hooks = state.webhooks_of(app_id)
    if hooks is None:
        raise not_found("Application was not found")
    if not token.can_access(app_id):
        if state.settings["foreign_application_status"] == 404:
            raise not_found("Application was not found")
        raise ApiError(403, "Forbidden", "Access token is not authorized for this application")
    return hooks


def _webhook(hooks: dict, webhook_id: str) -> dict:
    webhook = hooks.get(webhook_id.lower())
    if webhook is None:
        raise not_found("Webhook was not found")
    return webhook


def render(state: State, webhook: dict, links: bool) -> dict:
    """A webhook as the API answers it; call with the lock held."""
    settings = state.settings
    hidden = () if settings["return_secrets"] else SECRET_FIELDS
    hidden += () if settings["webhook_id_key"] else ("webhookId",)
    body = {key: value for key, value in webhook.items() if key not in hidden}
    body["_type"] = "webhook"
    if settings["hal_etag"]:
        body["_etag"] = '"' + hashlib.sha1(json.dumps(webhook, sort_keys=True).encode("utf-8")).hexdigest() + '"'
    if links:
        application = f"/applications/{webhook.get('applicationId')}"
        body["_links"] = {"self": {"href": f"{application}/webhooks/{webhook.get('id')}"}}
        if settings["hal_etag"]:
            body["_links"].update(application={"href": application}, webhooks={"href": f"{application}/webhooks"})
    return body


def list_webhooks(state, request, token, target, links):
    with state.lock:
        query = ListQuery.parse(request.query, state.settings)
        hooks = _application(state, token, target.application_id)
        page, total = query.apply(list(hooks.values()))
        items = [render(state, webhook, links) for webhook in page]
    app_id = target.application_id.lower()
    body = {"items": items, "count": len(items), "totalCount": total, **query.echo(),
            "applicationId": app_id, "_type": "webhooks"}
    if links:
        body["_links"] = {"self": {"href": f"/applications/{app_id}/webhooks"}}
    return 200, body, {}


def create_webhook(state, request, token, target, links):
    fields = _validated_body(request, "webhookPost")
    with state.lock:
        _application(state, token, target.application_id)
        webhook = state.create_webhook(target.application_id, fields)
        body = render(state, webhook, links)
        audit.record_write(state, target.action, target.application_id, webhook, request, token, 201, body)
        return 201, body, {}


def get_webhook(state, request, token, target, links):
    with state.lock:
        hooks = _application(state, token, target.application_id)
        return 200, render(state, _webhook(hooks, target.webhook_id), links), {}


def patch_webhook(state, request, token, target, links):
    fields = _validated_body(request, "webhookPatch")
    with state.lock:
        hooks = _application(state, token, target.application_id)
        webhook = _webhook(hooks, target.webhook_id)
        fields = _websocket_rule(state.settings["is_websocket_patch"], webhook, fields)
        webhook.update(fields)
        webhook["lastUpdated"] = iso_after(webhook.get("lastUpdated"))
        webhook = hooks[target.webhook_id.lower()] = ordered(webhook)
        body = render(state, webhook, links)
        audit.record_write(state, target.action, target.application_id, webhook, request, token, 200, body)
        return 200, body, {}


def _websocket_rule(rule: str, webhook: dict, fields: dict) -> dict:
    """The PATCH fields to apply when ``isWebsocket`` would change: all, all but it, or none (400)."""
    if fields.get("isWebsocket", webhook.get("isWebsocket", False)) == webhook.get("isWebsocket", False):
        return fields
    if rule == "refused":
        raise validation('"isWebsocket" cannot be changed after creation; delete and recreate the webhook')
    if rule == "ignored":
        return {key: value for key, value in fields.items() if key != "isWebsocket"}
    return fields


def delete_webhook(state, request, token, target, links):
    include_workflows = _boolean(request.query, "includeWorkflows", False)
    with state.lock:
        hooks = _application(state, token, target.application_id)
        webhook = _webhook(hooks, target.webhook_id)
        del hooks[target.webhook_id.lower()]
        if include_workflows:
            flows.delete_triggered_by(state, target.application_id, webhook["id"])
        audit.record_write(state, target.action, target.application_id, webhook, request, token, 200,
                           {"success": True})
    return 200, {"success": True}, {}


def list_flows(state, request, token, target, links):
    with state.lock:
        query = flows.parse_query(request.query, state.settings)
        _application(state, token, target.application_id)
        return 200, flows.list_body(state, target.application_id, query, links), {}


def get_application(state, request, token, target, links):
    with state.lock:
        _application(state, token, target.application_id)
        return 200, audit.application_body(state, target.application_id), {}


def list_audit_logs(state, request, token, target, links):
    org_id = target.application_id.lower()
    with state.lock:
        owned = [app for app in state.applications if audit.owner(state, app)["ownerId"] == org_id
                 and audit.owner(state, app)["ownerType"] == "organization"]
        if not owned and org_id != audit.DEFAULT_ORG_ID:
            raise not_found("Organization was not found")
        if token.applications is not None and not set(owned) & token.applications:
            raise ApiError(403, "Forbidden", "Access token is not authorized for this organization")
        audit.forbidden_unless_available(state)
        return 200, audit.list_body(state, org_id, request.query), {}


ACTIONS = {
    "webhooks.get": list_webhooks,
    "webhooks.post": create_webhook,
    "webhook.get": get_webhook,
    "webhook.patch": patch_webhook,
    "webhook.delete": delete_webhook,
    "flows.get": list_flows,
    "application.get": get_application,
    "auditLogs.get": list_audit_logs,
}
