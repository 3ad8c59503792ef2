"""The answers each open question can have, and the answers an emulator personality implies."""
from __future__ import annotations

from tests.emulator.settings import DEFAULT_SETTINGS, PERSONALITIES

# The perPage that Losant's CLI and this collection ask for.
PER_PAGE = 1000


def expected_answers(settings: dict) -> dict:
    """What the contract suite must detect on an emulator with these settings."""
    max_per_page = settings["max_per_page"]
    if max_per_page >= PER_PAGE:
        per_page = "honoured"
    elif settings["per_page_over_max"] == "clamp":
        per_page = f"clamped to {max_per_page}"
    else:
        per_page = "400"
    return {
        "redirect": "none" if settings["redirect_status"] is None else str(settings["redirect_status"]),
        "filter_case": settings["filter_case"],
        "filter_syntax": settings["filter_syntax"],
        "optional_strings": "empty strings" if settings["empty_strings"] else "absent",
        "secrets": "returned" if settings["return_secrets"] else "not returned",
        "is_websocket_patch": settings["is_websocket_patch"],
        "per_page_1000": per_page,
        "foreign_application": str(settings["foreign_application_status"]),
        "webhook_id_key": "present" if settings["webhook_id_key"] else "absent",
        "hal_keys": "with _etag" if settings["hal_etag"] else "without _etag",
        "token_length": str(settings["token_length"]),
    }


def personality_matching(observed: dict) -> str | None:
    """The emulator personality that answers every observed question the same way, if any."""
    for name, preset in PERSONALITIES.items():
        expected = expected_answers({**DEFAULT_SETTINGS, **preset})
        if all(expected[question] == answer for question, answer in observed.items()):
            return name
    return None
