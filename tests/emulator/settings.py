"""Settings that choose how the emulator answers where Losant's documentation is silent.

Each open question of the shared API notes is one setting; a personality is a named set of them
(see README.md). ``SETTINGS`` maps each name to its default and a check that raises ConfigError.
"""
from __future__ import annotations

from typing import Any, Callable

REDIRECT_STATUSES = (301, 302, 303, 307, 308)
TOKEN_LENGTHS = range(27, 45)
MAX_PER_PAGE_LIMIT = 100_000
MAX_LATENCY_MS = 60_000
MAX_WRITES_IN_FLIGHT_LIMIT = 1000


class ConfigError(ValueError):
    """A token, application, webhook seed or setting given to the emulator is not usable."""


def _one_of(name: str, choices: tuple) -> Callable[[Any], None]:
    def check(value: Any) -> None:
        # type() too, so that true does not pass for 1 nor 1 for true
        if not any(value == choice and type(value) is type(choice) for choice in choices):
            allowed = ", ".join("null" if choice is None else repr(choice) for choice in choices)
            raise ConfigError(f'"{name}" must be one of: {allowed}; got {value!r}')
    return check


def _int_between(name: str, low: int, high: int) -> Callable[[Any], None]:
    def check(value: Any) -> None:
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise ConfigError(f'"{name}" must be an integer from {low} to {high}; got {value!r}')
    return check


def _optional_int_between(name: str, low: int, high: int) -> Callable[[Any], None]:
    def check(value: Any) -> None:
        if value is not None:
            _int_between(name, low, high)(value)
    return check


def _token_length(value: Any) -> None:
    if value != "varying":
        _int_between("token_length", TOKEN_LENGTHS[0], TOKEN_LENGTHS[-1])(value)


# name -> (default, check)
SETTINGS: dict = {
    "filter_case": ("insensitive", _one_of("filter_case", ("insensitive", "sensitive"))),
    "filter_syntax": ("glob", _one_of("filter_syntax", ("glob", "regex"))),
    "empty_strings": (False, _one_of("empty_strings", (False, True))),
    "return_secrets": (True, _one_of("return_secrets", (True, False))),
    "is_websocket_patch": ("applied", _one_of("is_websocket_patch", ("applied", "ignored", "refused"))),
    "max_per_page": (1000, _int_between("max_per_page", 1, MAX_PER_PAGE_LIMIT)),
    "per_page_over_max": ("error", _one_of("per_page_over_max", ("error", "clamp"))),
    "foreign_application_status": (403, _one_of("foreign_application_status", (403, 404))),
    "webhook_id_key": (True, _one_of("webhook_id_key", (True, False))),
    "hal_etag": (False, _one_of("hal_etag", (False, True))),
    "token_length": (40, _token_length),
    "redirect_status": (None, _one_of("redirect_status", (None, *REDIRECT_STATUSES))),
    "latency_ms": (0, _int_between("latency_ms", 0, MAX_LATENCY_MS)),
    # Whether an organization's plan has audit logs: served, 403, 404, or kept empty.
    "audit_logs": ("available", _one_of("audit_logs", ("available", "forbidden", "missing", "empty"))),
    "connect_latency_ms": (0, _int_between("connect_latency_ms", 0, MAX_LATENCY_MS)),
    "max_writes_in_flight": (None, _optional_int_between("max_writes_in_flight", 1, MAX_WRITES_IN_FLIGHT_LIMIT)),
}

DEFAULT_SETTINGS = {name: default for name, (default, _check) in SETTINGS.items()}

# Each personality changes only the settings it names; every other one keeps its default.
PERSONALITIES = {
    "default": {},
    "case-sensitive-filter": {"filter_case": "sensitive"},
    "regex-filter": {"filter_syntax": "regex"},
    "empty-strings": {"empty_strings": True},
    "no-secrets": {"return_secrets": False},
    "websocket-ignored": {"is_websocket_patch": "ignored"},
    "websocket-refused": {"is_websocket_patch": "refused"},
    "per-page-clamp-100": {"max_per_page": 100, "per_page_over_max": "clamp"},
    "per-page-error-100": {"max_per_page": 100, "per_page_over_max": "error"},
    "foreign-404": {"foreign_application_status": 404},
    "no-webhook-id": {"webhook_id_key": False},
    "hal-etag": {"hal_etag": True},
    "varying-token-length": {"token_length": "varying"},
    "redirect-301": {"redirect_status": 301},
    "redirect-307": {"redirect_status": 307},
}


# What a personality resets: settings outside every preset (network ones) are left alone.
PERSONALITY_SETTINGS = sorted({name for preset in PERSONALITIES.values() for name in preset})


def checked_changes(current: dict, changes: Any) -> dict:
    """The settings after ``changes``; ``{"personality": NAME}`` first restores the defaults of
    the personality settings and applies the preset, then the other given keys apply."""
    if not isinstance(changes, dict):
        raise ConfigError("settings must be a JSON object")
    changes = dict(changes)
    result = dict(current)
    if "personality" in changes:
        name = changes.pop("personality")
        if not isinstance(name, str) or name not in PERSONALITIES:
            raise ConfigError(f'unknown personality {name!r}; known: {", ".join(PERSONALITIES)}')
        result.update({key: DEFAULT_SETTINGS[key] for key in PERSONALITY_SETTINGS})
        result.update(PERSONALITIES[name])
    unknown = sorted(set(changes) - set(SETTINGS))
    if unknown:
        raise ConfigError(f"unknown settings: {', '.join(unknown)}")
    for name, value in changes.items():
        SETTINGS[name][1](value)
    result.update(changes)
    return result
