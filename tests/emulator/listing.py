"""Query parsing, filtering, sorting and paging for the webhook list action."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

from .errors import validation
from .settings import DEFAULT_SETTINGS

SORT_FIELDS = ("name", "id", "creationDate", "lastUpdated")
SORT_DIRECTIONS = ("asc", "desc")
FILTER_FIELDS = ("name",)
DEFAULT_PER_PAGE = 100
_DIGITS = re.compile(r"[0-9]+", re.ASCII)


@dataclass
class ListQuery:
    page: int = 0
    per_page: int = DEFAULT_PER_PAGE
    sort_field: str = "name"
    sort_direction: str = "asc"
    filter_field: str = ""
    filter: str = ""
    filter_case: str = "insensitive"
    filter_syntax: str = "glob"

    @classmethod
    def parse(cls, query: dict, settings: dict | None = None) -> "ListQuery":
        """Check the query (400 Validation when wrong) under the emulator's settings."""
        settings = settings or DEFAULT_SETTINGS
        most = settings["max_per_page"]
        clamp = settings["per_page_over_max"] == "clamp"
        per_page = _integer(query, "perPage", min(DEFAULT_PER_PAGE, most), minimum=1,
                            maximum=None if clamp else most)
        parsed = cls(
            page=_integer(query, "page", 0, minimum=0),
            per_page=min(per_page, most),
            sort_field=_choice(query, "sortField", SORT_FIELDS, "name"),
            sort_direction=_choice(query, "sortDirection", SORT_DIRECTIONS, "asc", fold_case=True),
            filter_field=_choice(query, "filterField", FILTER_FIELDS, ""),
            filter=query.get("filter", ""),
            filter_case=settings["filter_case"],
            filter_syntax=settings["filter_syntax"],
        )
        parsed.matcher()  # an invalid regular expression is a 400 before any lookup
        return parsed

    def matcher(self) -> Callable[[dict], bool]:
        """Whether a webhook passes the filter; everything passes without filterField+filter."""
        if not (self.filter_field and self.filter):
            return lambda webhook: True
        pattern = filter_pattern(self.filter, self.filter_syntax, self.filter_case)
        field = self.filter_field
        return lambda webhook: bool(pattern.fullmatch(str(webhook.get(field, ""))))

    def apply(self, webhooks: list) -> tuple:
        """Return (the requested page, the number of matching webhooks)."""
        matches = self.matcher()
        matching = [webhook for webhook in webhooks if matches(webhook)]
        matching.sort(key=self._sort_key, reverse=self.sort_direction == "desc")
        start = self.page * self.per_page
        return matching[start:start + self.per_page], len(matching)

    def _sort_key(self, webhook: dict) -> tuple:
        value = webhook.get(self.sort_field)
        return ("" if value is None else str(value), str(webhook.get("id", "")))

    def echo(self) -> dict:
        """The query keys a Losant list body repeats back."""
        body = {"perPage": self.per_page, "page": self.page, "sortField": self.sort_field,
                "sortDirection": self.sort_direction}
        if self.filter_field:
            body["filterField"] = self.filter_field
        if self.filter:
            body["filter"] = self.filter
        return body


def filter_pattern(text: str, syntax: str = "glob", case: str = "insensitive") -> "re.Pattern[str]":
    """``*`` matches any run of characters; every other character is literal ("glob") or keeps
    its regular expression meaning ("regex"). The pattern must match the whole name."""
    flags = re.DOTALL | (re.IGNORECASE if case == "insensitive" else 0)
    if syntax == "glob":
        return re.compile("".join(".*" if char == "*" else re.escape(char) for char in text), flags)
    try:
        return re.compile(text.replace("*", ".*"), flags)
    except re.error as error:
        raise validation(f'"filter" is not a valid regular expression: {error}') from None


def _integer(query: dict, name: str, default: int, minimum: int, maximum: int | None = None) -> int:
    raw = query.get(name, "")
    if raw == "":
        return default
    if not _DIGITS.fullmatch(raw):
        raise validation(f'"{name}" must be an integer >= {minimum}, got {raw!r}')
    value = int(raw)
    if value < minimum:
        raise validation(f'"{name}" must be >= {minimum}, got {value}')
    if maximum is not None and value > maximum:
        raise validation(f'"{name}" must be <= {maximum}, got {value}')
    return value


def _choice(query: dict, name: str, choices: tuple, default: str, fold_case: bool = False) -> str:
    raw = query.get(name, "")
    if raw == "":
        return default
    value = raw.lower() if fold_case else raw
    if value not in choices:
        raise validation(f'"{name}" must be one of: {", ".join(choices)}; got {raw!r}')
    return value
