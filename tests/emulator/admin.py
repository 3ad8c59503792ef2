"""The admin API under ``/_emulator`` (no auth, never journaled); see README.md."""
from __future__ import annotations

from typing import Any
from urllib.parse import unquote

from . import audit, flows
from .errors import ApiError, not_found, validation
from .settings import PERSONALITIES
from .state import ConfigError, Fault, State

PREFIX = "/_emulator"
MAX_SEED = 100_000


def handle_admin(state: State, method: str, path: str, body: Any) -> tuple:
    """Answer an admin request: returns (status, body) or raises ApiError."""
    parts = [unquote(part) for part in path[len(PREFIX):].strip("/").split("/") if part]
    key = "/".join(parts[:1])
    handlers = {
        "health": {"GET": lambda: (200, {"ok": True})},
        "journal": {"GET": lambda: _journal(state), "DELETE": lambda: _clear_journal(state)},
        "reset": {"POST": lambda: _reset(state)},
        "faults": {"GET": lambda: _faults(state), "POST": lambda: _add_fault(state, body),
                   "DELETE": lambda: _clear_faults(state)},
        "settings": {"GET": lambda: _settings(state), "POST": lambda: _update_settings(state, body)},
        "personalities": {"GET": lambda: (200, {"personalities": PERSONALITIES})},
        "audit-logs": {"GET": lambda: _audit_logs(state), "POST": lambda: _add_audit_logs(state, body)},
    }
    try:
        if len(parts) == 1 and key in handlers:
            return _dispatch(handlers[key], method, path)
        if key == "tokens":
            return _tokens(state, method, path, parts[1:], body)
        if key == "applications":
            return _applications(state, method, path, parts[1:], body)
    except ConfigError as error:
        raise validation(str(error)) from error
    raise not_found(f"Admin route {method} {path} was not found")


def _dispatch(handlers: dict, method: str, path: str) -> tuple:
    if method not in handlers:
        raise ApiError(405, "MethodNotAllowed", f"{method} is not supported on {path}",
                       {"Allow": ", ".join(handlers)})
    return handlers[method]()


def _journal(state: State) -> tuple:
    with state.lock:
        return 200, {"requests": list(state.journal)}


def _clear_journal(state: State) -> tuple:
    with state.lock:
        cleared = len(state.journal)
        state.journal.clear()
    return 200, {"cleared": cleared}


def _reset(state: State) -> tuple:
    state.reset()
    return 200, {"reset": True}


def _faults(state: State) -> tuple:
    with state.lock:
        return 200, {"faults": [fault.describe() for fault in state.faults]}


def _clear_faults(state: State) -> tuple:
    with state.lock:
        state.faults.clear()
    return 200, {"faults": []}


def _add_fault(state: State, body: Any) -> tuple:
    state.add_fault(parse_fault(body))
    return _faults(state)


def parse_fault(body: Any) -> Fault:
    if not isinstance(body, dict):
        raise validation("a fault must be a JSON object")
    unknown = sorted(set(body) - {"status", "count", "retry_after", "delay", "body", "content_type", "method", "path",
                                  "after", "drop"})
    if unknown:
        raise validation(f"unknown fault keys: {', '.join(unknown)}")
    status = body.get("status")
    if status is not None and (not _is_int(status) or not 100 <= status <= 599):
        raise validation('"status" must be an integer from 100 to 599')
    count = body.get("count", 1)
    if not _is_int(count) or count < 1:
        raise validation('"count" must be an integer >= 1')
    delay = body.get("delay", 0)
    if not _is_number(delay) or not 0 <= delay <= 300:
        raise validation('"delay" must be a number of seconds from 0 to 300')
    retry_after = body.get("retry_after")
    if retry_after is not None and not (_is_number(retry_after) or isinstance(retry_after, str)):
        raise validation('"retry_after" must be a number of seconds or a string')
    content_type = body.get("content_type")
    if content_type is not None and not isinstance(content_type, str):
        raise validation('"content_type" must be a string')
    method, path, after, drop = body.get("method"), body.get("path"), body.get("after", 0), body.get("drop", False)
    if method is not None and not (isinstance(method, str) and method.isalpha()):
        raise validation('"method" must be an HTTP method such as "GET"')
    if path is not None and not (isinstance(path, str) and path.startswith("/")):
        raise validation('"path" must be a path starting with "/"')
    if not _is_int(after) or after < 0:
        raise validation('"after" must be an integer >= 0')
    if not isinstance(drop, bool):
        raise validation('"drop" must be a boolean')
    if drop and status is not None:
        raise validation('a fault either drops the connection or answers a "status"')
    if status is None and not delay and not drop:
        raise validation('a fault needs a "status", "drop" or a "delay"')
    return Fault(status, count, float(delay), retry_after, body.get("body"), content_type,
                 method and method.upper(), path, after, drop)


def _settings(state: State) -> tuple:
    with state.lock:
        return 200, dict(state.settings)


def _update_settings(state: State, body: Any) -> tuple:
    return 200, state.update_settings(body)


def _tokens(state: State, method: str, path: str, rest: list, body: Any) -> tuple:
    if not rest:
        return _dispatch({
            "GET": lambda: _list_tokens(state),
            "POST": lambda: (201, state.add_token(body).describe()),
        }, method, path)
    if len(rest) == 1:
        return _dispatch({"DELETE": lambda: _delete_token(state, rest[0])}, method, path)
    raise not_found(f"Admin route {method} {path} was not found")


def _list_tokens(state: State) -> tuple:
    with state.lock:
        return 200, {"tokens": [token.describe() for token in state.tokens.values()]}


def _delete_token(state: State, value: str) -> tuple:
    with state.lock:
        if state.tokens.pop(value, None) is None:
            raise not_found("Token was not found")
    return 200, {"success": True}


def _applications(state: State, method: str, path: str, rest: list, body: Any) -> tuple:
    if not rest:
        return _dispatch({
            "GET": lambda: _list_applications(state),
            "POST": lambda: _add_application(state, body),
        }, method, path)
    if len(rest) == 1:
        return _dispatch({"DELETE": lambda: _delete_application(state, rest[0])}, method, path)
    if len(rest) == 2 and rest[1] == "webhooks":
        return _dispatch({
            "GET": lambda: _stored_webhooks(state, rest[0]),
            "POST": lambda: _seed(state, rest[0], body),
        }, method, path)
    if len(rest) == 2 and rest[1] == "owner":
        return _dispatch({"POST": lambda: _set_owner(state, rest[0], body)}, method, path)
    if len(rest) == 2 and rest[1] == "flows":
        return _dispatch({
            "GET": lambda: _stored_flows(state, rest[0]),
            "POST": lambda: _seed_flows(state, rest[0], body),
        }, method, path)
    raise not_found(f"Admin route {method} {path} was not found")


def _audit_logs(state: State) -> tuple:
    with state.lock:
        return 200, {"entries": list(state.audit_logs)}


def _add_audit_logs(state: State, body: Any) -> tuple:
    if not isinstance(body, dict) or set(body) != {"entries"}:
        raise validation('the body must be {"entries": [...]}')
    with state.lock:
        return 201, {"created": audit.add_entries(state, body["entries"])}


def _set_owner(state: State, app_id: str, body: Any) -> tuple:
    with state.lock:
        if state.webhooks_of(app_id) is None:
            raise not_found("Application was not found")
        return 200, audit.set_owner(state, app_id, body)


def _list_applications(state: State) -> tuple:
    with state.lock:
        return 200, {"applications": list(state.applications)}


def _add_application(state: State, body: Any) -> tuple:
    if not isinstance(body, dict) or set(body) != {"id"}:
        raise validation('the body must be {"id": "<24 hex characters>"}')
    created = state.add_application(body["id"])
    return (201 if created else 200), {"id": body["id"].lower(), "created": created}


def _delete_application(state: State, app_id: str) -> tuple:
    if not state.remove_application(app_id):
        raise not_found("Application was not found")
    return 200, {"success": True}


def _stored_webhooks(state: State, app_id: str) -> tuple:
    with state.lock:
        hooks = state.webhooks_of(app_id)
        if hooks is None:
            raise not_found("Application was not found")
        return 200, {"webhooks": [dict(webhook) for webhook in hooks.values()]}


def _stored_flows(state: State, app_id: str) -> tuple:
    with state.lock:
        if state.webhooks_of(app_id) is None:
            raise not_found("Application was not found")
        return 200, {"flows": flows.stored(state, app_id)}


def _seed_flows(state: State, app_id: str, body: Any) -> tuple:
    with state.lock:
        if state.webhooks_of(app_id) is None:
            raise not_found("Application was not found")
        if not isinstance(body, dict) or set(body) != {"flows"}:
            raise validation('the body must be {"flows": [...]}')
        return 201, {"created": flows.seed(state, app_id, body["flows"])}


def _seed(state: State, app_id: str, body: Any) -> tuple:
    if state.webhooks_of(app_id) is None:
        raise not_found("Application was not found")
    if not isinstance(body, dict):
        raise validation('the body must be {"webhooks": [...]} or {"count": N, "name_prefix": "..."}')
    unknown = sorted(set(body) - {"webhooks", "count", "name_prefix", "fields", "apply_defaults"})
    if unknown:
        raise validation(f"unknown seed keys: {', '.join(unknown)}")
    if "webhooks" in body:
        items = body["webhooks"]
        if not isinstance(items, list):
            raise validation('"webhooks" must be a list of objects')
        created = state.seed_webhooks(app_id, items, bool(body.get("apply_defaults", False)))
        return 201, {"created": created}
    count, prefix, fields = body.get("count"), body.get("name_prefix", "hook-"), body.get("fields", {})
    if not _is_int(count) or not 0 <= count <= MAX_SEED:
        raise validation(f'"count" must be an integer from 0 to {MAX_SEED}')
    if not isinstance(prefix, str) or not isinstance(fields, dict):
        raise validation('"name_prefix" must be a string and "fields" an object')
    items = [{**fields, "name": f"{prefix}{index:05d}"} for index in range(count)]
    return 201, {"created": state.seed_webhooks(app_id, items, bool(body.get("apply_defaults", True)))}


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)
