"""Fixtures: an emulator served from a thread, with one application and a full-access token."""
from __future__ import annotations

import jsonschema
import pytest
import requests

from tests.emulator.schema import load_schema
from tests.emulator.server import make_server
from tests.emulator.state import State

APP_ID = "5b9297591fefb200072e554d"
OTHER_APP_ID = "5b9297591fefb200072e5500"
TOKEN = "test-token"


def check(body, schema_name):
    """``body`` after checking it against one of the official schemas with the jsonschema package."""
    jsonschema.Draft7Validator(load_schema(schema_name)).validate(body)
    return body


class Emulator:
    """A running emulator plus small helpers to call its API and admin endpoints."""

    def __init__(self, server):
        self.server = server
        self.state = server.state
        self.url = server.url
        self.app = APP_ID
        self.token = TOKEN
        self.session = requests.Session()

    def call(self, method, path, token=TOKEN, **kwargs):
        headers = kwargs.pop("headers", {})
        if token is not None:
            headers.setdefault("Authorization", f"Bearer {token}")
        return self.session.request(method, self.url + path, headers=headers, timeout=10, **kwargs)

    def hooks_path(self, app=APP_ID):
        return f"/applications/{app}/webhooks"

    def hook_path(self, webhook_id, app=APP_ID):
        return f"/applications/{app}/webhooks/{webhook_id}"

    def create(self, app=APP_ID, token=TOKEN, **fields):
        response = self.call("POST", self.hooks_path(app), token=token, json=fields)
        assert response.status_code == 201, response.text
        return response.json()

    def admin(self, method, path, **kwargs):
        return self.session.request(method, f"{self.url}/_emulator{path}", timeout=10, **kwargs)

    def journal(self):
        return self.admin("GET", "/journal").json()["requests"]

    def add_token(self, token, scopes, applications=None):
        body = {"token": token, "scopes": scopes}
        if applications is not None:
            body["applications"] = applications
        response = self.admin("POST", "/tokens", json=body)
        assert response.status_code == 201, response.text
        return token


def start_emulator(state, **server_options):
    return make_server(state, "127.0.0.1", 0, **server_options).start_thread(poll_interval=0.01)


@pytest.fixture
def emulator():
    state = State()
    state.add_application(APP_ID)
    state.add_token({"token": TOKEN, "scopes": ["all.Application"], "applications": [APP_ID]})
    state.mark_initial()
    server = start_emulator(state)
    emu = Emulator(server)
    try:
        yield emu
    finally:
        emu.session.close()
        server.stop()
