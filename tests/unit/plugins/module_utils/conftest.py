# -*- coding: utf-8 -*-
# Copyright: Contributors to the losant.platform collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The webhook API against the emulator, and a clock for the client's retry waits: sleeping advances it at
once, so tests never wait."""

from __future__ import annotations

import threading

import pytest

from ansible_collections.losant.platform.plugins.module_utils._client import LosantClient
from ansible_collections.losant.platform.plugins.module_utils._webhook import WebhookApi
from ansible_collections.losant.platform.tests.unit.conftest import APP_ID, TOKEN, Emulator


@pytest.fixture
def api(emulator: Emulator) -> WebhookApi:
    """The webhook API of the emulator's application, through the real client, which does not retry."""
    return WebhookApi(LosantClient(emulator.url, TOKEN, retries=0), APP_ID)


class FakeTime:
    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []
        self.lock = threading.Lock()

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        with self.lock:
            self.sleeps.append(seconds)
            self.now += seconds


@pytest.fixture
def fake_time() -> FakeTime:
    return FakeTime()
