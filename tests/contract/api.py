"""HTTP access to the API under test, and the bookkeeping of one contract run.

Nothing here follows a redirect, prints a request's headers or keeps a webhook it did not create.
"""
from __future__ import annotations

from urllib.parse import urlsplit

import pytest
import requests

from .detect import expected_answers

TIMEOUT = 30


class Api:
    """One Losant API base URL, token and application; the token is never part of any text."""

    def __init__(self, url: str, token: str, application_id: str, foreign_application_id: str | None = None):
        self.url = url.rstrip("/")
        self.application_id = application_id
        self.foreign_application_id = foreign_application_id
        self.session = requests.Session()
        self.session.headers.update({"Authorization": f"Bearer {token}", "Accept": "application/json"})

    def __repr__(self) -> str:
        return f"Api({self.url!r}, application {self.application_id})"

    def request(self, method: str, url: str, **kwargs) -> requests.Response:
        return self.session.request(method, url, allow_redirects=False, timeout=TIMEOUT, **kwargs)


def implausible(question: str, what: str) -> None:
    pytest.fail(f"{question}: the API shows a behaviour outside the plausible set: {what}", pytrace=False)


class Contract:
    """One run against one API: the base URL after any redirect, the webhooks created, the answers."""

    def __init__(self, api: Api, prefix: str, settings: dict | None):
        self.api = api
        self.prefix = prefix
        self.expected = None if settings is None else expected_answers(settings)
        self.observed: dict = {}
        self.created: list = []
        self.base = api.url
        self.first_answer = api.request("GET", self.base + self.hooks_path(), params={"perPage": 1})
        location = self.first_answer.headers.get("Location", "")
        if self.first_answer.is_redirect and self._same_host(location):
            suffix = self.hooks_path() + "?perPage=1"
            if location.endswith(suffix):
                self.base = location[: -len(suffix)]

    def _same_host(self, location: str) -> bool:
        """A redirect to another host must not receive the token."""
        return urlsplit(location).hostname == urlsplit(self.api.url).hostname

    # -- answers --------------------------------------------------------------------------
    def record(self, question: str, answer) -> None:
        """Keep a detected answer; against the emulator it must be what its settings say."""
        self.observed[question] = answer
        if self.expected is not None:
            expected = self.expected[question]
            assert answer == expected, f"{question}: detected {answer}, configured {expected}"

    # -- requests -------------------------------------------------------------------------
    def hooks_path(self, application_id: str | None = None) -> str:
        return f"/applications/{application_id or self.api.application_id}/webhooks"

    def call(self, method: str, path: str, **kwargs) -> requests.Response:
        return self.api.request(method, self.base + path, **kwargs)

    def create(self, suffix: str, **fields) -> dict:
        """Create a webhook named with this run's prefix; it is deleted by clean_up."""
        response = self.call("POST", self.hooks_path(), json={"name": self.prefix + suffix, **fields})
        body = self.answer(response, 201, f"create webhook {self.prefix + suffix}")
        if isinstance(body, dict) and isinstance(body.get("id"), str):
            self.created.append(body["id"])
        return body

    def answer(self, response: requests.Response, status: int, action: str):
        """The JSON body of an expected answer; anything else stops the test with what came back."""
        if response.status_code != status:
            pytest.fail(f"{action}: expected HTTP {status}, got {response.status_code}: {response.text[:300]}",
                        pytrace=False)
        try:
            return response.json()
        except ValueError:
            pytest.fail(f"{action}: the answer is not JSON: {response.text[:300]}", pytrace=False)
        return None

    def names(self, pattern: str) -> list:
        """Names of this run's webhooks the name filter finds (other webhooks are ignored)."""
        params = {"filterField": "name", "filter": pattern, "perPage": 100}
        response = self.call("GET", self.hooks_path(), params=params)
        body = self.answer(response, 200, f"list webhooks with filter {pattern!r}")
        return sorted(item["name"] for item in body["items"] if item.get("name", "").startswith(self.prefix))

    # -- clean-up -------------------------------------------------------------------------
    def clean_up(self) -> None:
        """Delete every webhook of this run: those recorded, then any listed under the prefix.
        Fails naming those still there, so that a maintainer can delete them by hand."""
        try:
            for webhook_id in dict.fromkeys(self.created + list(self._left_over())):
                try:
                    self.call("DELETE", f"{self.hooks_path()}/{webhook_id}")
                except requests.RequestException:
                    pass
            left = self._left_over()
        finally:
            self.api.session.close()
        if left:
            raise RuntimeError(f"could not delete these webhooks of the contract run: {sorted(left.values())}")

    def _left_over(self) -> dict:
        """id -> name of the webhooks listed under this run's prefix."""
        found, page = {}, 0
        while True:
            response = self.call("GET", self.hooks_path(), params={
                "filterField": "name", "filter": self.prefix + "*", "perPage": 100, "page": page})
            if response.status_code != 200:
                return found
            items = response.json().get("items") or []
            found.update((item["id"], item["name"]) for item in items
                         if str(item.get("name", "")).startswith(self.prefix))
            if len(items) < 100:
                return found
            page += 1
