"""In-memory state of the emulator: applications, webhooks, tokens, settings, journal, faults.

Every read and write of the state happens while holding ``State.lock``.
"""
from __future__ import annotations

import copy
import os
import re
import secrets
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

from .settings import DEFAULT_SETTINGS, SETTINGS, TOKEN_LENGTHS, ConfigError, checked_changes

# Losant's pattern is a JavaScript regex, where ``$`` never matches before a trailing newline.
ID_PATTERN = re.compile(r"[A-Fa-f\d]{24}", re.ASCII)

CREATE_DEFAULTS = {
    "responseCode": 200,
    "verificationType": "none",
    "waitForReply": False,
    "isWebsocket": False,
    "castBuffersAs": "array",
    "annotateMultipart": False,
    "enabled": True,
}

# The order in which Losant lists a webhook's keys; unknown keys go last.
KEY_ORDER = (
    "id", "webhookId", "applicationId", "creationDate", "lastUpdated", "name", "description",
    "token", "responseCode", "verificationType", "verificationCode", "waitForReply",
    "basicAuthUsername", "basicAuthPassword", "isWebsocket", "castBuffersAs",
    "annotateMultipart", "enabled",
)

MAX_JOURNAL = 100_000


def is_object_id(value: Any) -> bool:
    return isinstance(value, str) and bool(ID_PATTERN.fullmatch(value))


class _ObjectIds:
    """MongoDB-style ids: 4 bytes of seconds, 5 random bytes, a 3-byte counter."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._random = os.urandom(5).hex()
        self._counter = int.from_bytes(os.urandom(2), "big")

    def next(self) -> str:
        with self._lock:
            self._counter = (self._counter + 1) % 0x1000000
            counter = self._counter
        return f"{int(time.time()) & 0xFFFFFFFF:08x}{self._random}{counter:06x}"


new_object_id = _ObjectIds().next


# The optional strings a webhook stores as "" under the setting empty_strings.
OPTIONAL_STRINGS = ("description", "verificationCode", "basicAuthUsername", "basicAuthPassword")
_TOKEN_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"


def new_webhook_token(length: Any = 40) -> str:
    """A random url-safe trigger token of ``length`` characters, or 27-44 for "varying"."""
    if length == "varying":
        length = secrets.choice(TOKEN_LENGTHS)
    return "".join(secrets.SystemRandom().choices(_TOKEN_ALPHABET, k=length))


def iso_now() -> str:
    return _iso(datetime.now(timezone.utc))


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def iso_after(previous: str | None) -> str:
    """Now, but always strictly later than ``previous`` (an ISO time from this module)."""
    now = datetime.now(timezone.utc)
    now = now.replace(microsecond=now.microsecond // 1000 * 1000)  # the precision we print
    if isinstance(previous, str):
        try:
            earlier = datetime.fromisoformat(previous.replace("Z", "+00:00"))
        except ValueError:
            earlier = None
        if earlier is not None and earlier.tzinfo is not None and now <= earlier:
            now = earlier + timedelta(milliseconds=1)
    return _iso(now)


def ordered(webhook: dict) -> dict:
    known = {key: webhook[key] for key in KEY_ORDER if key in webhook}
    known.update((key, value) for key, value in webhook.items() if key not in known)
    return known


@dataclass
class Token:
    value: str
    scopes: tuple
    applications: frozenset | None  # None: every application
    name: str = "API token"  # the actor name of its writes in audit logs

    def can_access(self, application_id: str) -> bool:
        return self.applications is None or application_id.lower() in self.applications

    def describe(self) -> dict:
        apps = None if self.applications is None else sorted(self.applications)
        return {"token": self.value, "scopes": list(self.scopes), "applications": apps, "name": self.name}


@dataclass
class Fault:
    status: int | None
    count: int
    delay: float = 0.0
    retry_after: Any = None
    body: Any = None
    content_type: str | None = None
    method: str | None = None  # None: any method
    path: str | None = None  # None: any path
    after: int = 0  # matching requests still to let through
    drop: bool = False  # close the connection without an answer

    def matches(self, method: str, path: str) -> bool:
        return self.method in (None, method) and self.path in (None, path)

    def describe(self) -> dict:
        return {
            "status": self.status, "count": self.count, "delay": self.delay,
            "retry_after": self.retry_after, "body": self.body, "content_type": self.content_type,
            "method": self.method, "path": self.path, "after": self.after, "drop": self.drop,
        }


@dataclass
class State:
    lock: threading.RLock = field(default_factory=threading.RLock)
    applications: dict = field(default_factory=dict)  # app id (lower case) -> {webhook id: webhook}
    flows: dict = field(default_factory=dict)  # app id (lower case) -> {flow id: flow}, see flows.py
    tokens: dict = field(default_factory=dict)  # token value -> Token
    owners: dict = field(default_factory=dict)  # app id (lower case) -> owner, see audit.py
    audit_logs: list = field(default_factory=list)  # organizations' audit log entries, see audit.py
    settings: dict = field(default_factory=lambda: dict(DEFAULT_SETTINGS))
    journal: list = field(default_factory=list)
    faults: deque = field(default_factory=deque)
    connections: int = 0  # connections accepted since start-up; each request's journal entry names its own
    writes_in_flight: int = 0
    requests_in_flight: int = 0  # API requests being handled, e.g. still in a fault's delay
    _initial: tuple | None = None

    # -- start-up state and reset -------------------------------------------------------
    def mark_initial(self) -> None:
        """Remember the current applications, flows, tokens and settings as the reset target."""
        with self.lock:
            self._initial = copy.deepcopy((self.applications, self.flows, self.tokens, self.settings, self.owners))

    def reset(self) -> None:
        with self.lock:
            applications, flows, tokens, settings, owners = copy.deepcopy(
                self._initial or ({}, {}, {}, DEFAULT_SETTINGS, {}))
            self.applications = applications
            self.flows = flows
            self.tokens = tokens
            self.settings = dict(settings)
            self.owners = owners
            self.audit_logs.clear()
            self.journal.clear()
            self.faults.clear()

    def load_config(self, config: Any) -> None:
        """Apply a config file's content (see README.md)."""
        if not isinstance(config, dict):
            raise ConfigError("the config must be a JSON object")
        unknown = sorted(set(config) - {"tokens", "applications", "webhooks", "personality", *SETTINGS})
        if unknown:
            raise ConfigError(f"unknown config keys: {', '.join(unknown)}")
        with self.lock:
            for app_id in _list_of(config.get("applications", []), "applications"):
                self.add_application(app_id)
            webhooks = config.get("webhooks", {})
            if not isinstance(webhooks, dict):
                raise ConfigError('"webhooks" must map application ids to lists of webhooks')
            for app_id, items in webhooks.items():
                self.add_application(app_id)
                self.seed_webhooks(app_id, _list_of(items, f"webhooks.{app_id}"))
            for spec in _list_of(config.get("tokens", []), "tokens"):
                self.add_token(spec)
            self.update_settings({key: value for key, value in config.items()
                                  if key == "personality" or key in SETTINGS})

    # -- applications, tokens, settings ---------------------------------------------------
    def add_application(self, app_id: Any) -> bool:
        """Add an application; False when it already exists."""
        if not is_object_id(app_id):
            raise ConfigError(f"application id must be 24 hex characters, got {app_id!r}")
        with self.lock:
            if app_id.lower() in self.applications:
                return False
            self.applications[app_id.lower()] = {}
            return True

    def remove_application(self, app_id: str) -> bool:
        with self.lock:
            self.flows.pop(app_id.lower(), None)
            self.owners.pop(app_id.lower(), None)
            return self.applications.pop(app_id.lower(), None) is not None

    def webhooks_of(self, app_id: str) -> dict | None:
        return self.applications.get(app_id.lower())

    def add_token(self, spec: Any) -> Token:
        if not isinstance(spec, dict):
            raise ConfigError("a token must be an object with token, scopes and applications")
        unknown = sorted(set(spec) - {"token", "scopes", "applications", "name"})
        if unknown:
            raise ConfigError(f"unknown token keys: {', '.join(unknown)}")
        value = spec.get("token")
        if not isinstance(value, str) or not value:
            raise ConfigError('"token" must be a non-empty string')
        scopes = _list_of(spec.get("scopes", ["all.Application"]), "scopes")
        if not all(isinstance(scope, str) for scope in scopes):
            raise ConfigError('"scopes" must be a list of strings')
        applications = spec.get("applications")
        if applications is not None:
            applications = _list_of(applications, "applications")
            bad = [app for app in applications if not is_object_id(app)]
            if bad:
                raise ConfigError(f"token applications must be 24-hex ids, got {bad!r}")
            applications = frozenset(app.lower() for app in applications)
        name = spec.get("name", "API token")
        if not isinstance(name, str) or not name:
            raise ConfigError('"name" must be a non-empty string')
        token = Token(value, tuple(scopes), applications, name)
        with self.lock:
            self.tokens[value] = token
        return token

    def update_settings(self, changes: Any) -> dict:
        with self.lock:
            self.settings = checked_changes(self.settings, changes)
            return dict(self.settings)

    # -- webhooks -------------------------------------------------------------------------
    def seed_webhooks(self, app_id: str, items: list, apply_defaults: bool = False) -> list:
        """Store webhooks as given (no schema validation), filling in only the identity keys."""
        with self.lock:
            hooks = self.webhooks_of(app_id)
            if hooks is None:
                raise ConfigError(f"application {app_id} does not exist")
            prepared = []
            new_ids = set()
            for item in items:
                if not isinstance(item, dict):
                    raise ConfigError("each seeded webhook must be a JSON object")
                webhook = dict(CREATE_DEFAULTS) if apply_defaults else {}
                webhook.update(item)
                webhook_id = webhook.get("id") or webhook.get("webhookId") or new_object_id()
                if not isinstance(webhook_id, str) or webhook_id.lower() in hooks:
                    raise ConfigError(f"webhook id {webhook_id!r} is not a string or already exists")
                if webhook_id.lower() in new_ids:
                    raise ConfigError(f"webhook id {webhook_id!r} is given twice")
                new_ids.add(webhook_id.lower())
                now = iso_now()
                webhook.setdefault("id", webhook_id)
                webhook.setdefault("webhookId", webhook_id)
                webhook.setdefault("applicationId", app_id.lower())
                webhook.setdefault("token", new_webhook_token(self.settings["token_length"]))
                webhook.setdefault("creationDate", now)
                webhook.setdefault("lastUpdated", webhook["creationDate"])
                prepared.append(ordered(webhook))
            for webhook in prepared:
                hooks[webhook["id"].lower()] = webhook
            return [webhook["id"] for webhook in prepared]

    def create_webhook(self, app_id: str, fields: dict) -> dict:
        """Create a webhook from validated API fields, applying Losant's defaults."""
        with self.lock:
            webhook_id = new_object_id()
            now = iso_now()
            webhook = {"id": webhook_id, "webhookId": webhook_id, "applicationId": app_id.lower(),
                       "creationDate": now, "lastUpdated": now,
                       "token": new_webhook_token(self.settings["token_length"])}
            webhook.update(CREATE_DEFAULTS)
            if self.settings["empty_strings"]:
                webhook.update(dict.fromkeys(OPTIONAL_STRINGS, ""))
            webhook.update(fields)
            webhook = ordered(webhook)
            self.applications[app_id.lower()][webhook_id] = webhook
            return webhook

    # -- connections and writes in flight ----------------------------------------------------
    def open_connection(self) -> int:
        """Count a new connection; returns its number, from 1."""
        with self.lock:
            self.connections += 1
            return self.connections

    def start_write(self) -> bool:
        """Count a write in flight, or return False when ``max_writes_in_flight`` are already."""
        with self.lock:
            limit = self.settings["max_writes_in_flight"]
            if limit is not None and self.writes_in_flight >= limit:
                return False
            self.writes_in_flight += 1
            return True

    def end_write(self) -> None:
        with self.lock:
            self.writes_in_flight -= 1

    def start_request(self) -> None:
        with self.lock:
            self.requests_in_flight += 1

    def end_request(self) -> None:
        with self.lock:
            self.requests_in_flight -= 1

    def wait_until_idle(self, timeout: float) -> bool:
        """Wait until no API request is being handled (one a client gave up on may still be, and would
        touch what follows, such as the next test's state); False after ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        while self.requests_in_flight:
            if time.monotonic() > deadline:
                return False
            time.sleep(0.005)
        return True

    # -- journal and faults ---------------------------------------------------------------
    def record(self, entry: dict) -> None:
        with self.lock:
            self.journal.append(entry)
            if len(self.journal) > MAX_JOURNAL:
                del self.journal[: len(self.journal) - MAX_JOURNAL]

    def add_fault(self, fault: Fault) -> None:
        with self.lock:
            self.faults.append(fault)

    def take_fault(self, method: str, path: str) -> Fault | None:
        """Use up one request of the oldest queued fault that matches it and lets no more through.

        Each matching fault before it that still lets requests through counts this one."""
        with self.lock:
            for fault in self.faults:
                if not fault.matches(method, path):
                    continue
                if fault.after:
                    fault.after -= 1
                    continue
                fault.count -= 1
                if fault.count <= 0:
                    self.faults.remove(fault)
                return copy.copy(fault)
            return None


def _list_of(value: Any, name: str) -> list:
    if not isinstance(value, list):
        raise ConfigError(f'"{name}" must be a list')
    return value
