"""Where the contract suite runs: a real Losant application, or one emulator under each personality.

Live when LOSANT_API_URL, LOSANT_API_TOKEN and LOSANT_APPLICATION_ID are all set (see README.md);
otherwise one emulator process is started and every test runs once per personality.
"""
from __future__ import annotations

import json
import os
import queue
import secrets
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import requests

from tests.emulator.settings import DEFAULT_SETTINGS, PERSONALITIES

from .api import Api, Contract
from .detect import expected_answers, personality_matching

ROOT = Path(__file__).resolve().parents[2]
EMULATOR_TOKEN = "contract-token"
EMULATOR_APP = "5c0000000000000000000001"
EMULATOR_FOREIGN_APP = "5c0000000000000000000002"
LIVE_VARIABLES = ("LOSANT_API_URL", "LOSANT_API_TOKEN", "LOSANT_APPLICATION_ID")

QUESTIONS = list(expected_answers(DEFAULT_SETTINGS))
# personality (or "live") -> {question: detected answer}, printed at the end of the run
OBSERVED: dict = {}


def live_settings() -> dict | None:
    values = {name: os.environ.get(name, "").strip() for name in LIVE_VARIABLES}
    if not any(values.values()):
        return None
    missing = [name for name, value in values.items() if not value]
    if missing:
        raise pytest.UsageError(f"a live run needs all of {', '.join(LIVE_VARIABLES)}; missing: "
                                + ", ".join(missing) + ". Unset the others to run against the emulator.")
    return values


def pytest_configure():
    live_settings()  # a partial set of variables stops the run before anything starts


def pytest_generate_tests(metafunc):
    if "personality" in metafunc.fixturenames:
        names = ["live"] if live_settings() is not None else list(PERSONALITIES)
        metafunc.parametrize("personality", names, indirect=True, scope="session")


class EmulatorProcess:
    """``python3 -m tests.emulator`` with one application the token may use and one it may not."""

    def __init__(self) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tests.emulator", "--port", "0", "--token", EMULATOR_TOKEN,
             "--application-id", EMULATOR_APP, "--config", "/dev/stdin"],
            cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        self.proc.stdin.write(json.dumps({"applications": [EMULATOR_FOREIGN_APP]}))
        self.proc.stdin.close()
        lines: queue.Queue = queue.Queue()
        threading.Thread(target=lambda: lines.put(self.proc.stdout.readline()), daemon=True).start()
        try:
            first = lines.get(timeout=30)
        except queue.Empty:
            first = ""
        if not first.startswith("LISTENING "):
            self.stop()
            raise RuntimeError(f"the emulator did not start: {first!r}")
        self.url = first.split()[-1]

    def use(self, personality: str) -> dict:
        """Switch to a personality; answers the emulator's settings."""
        response = requests.post(f"{self.url}/_emulator/settings", json={"personality": personality}, timeout=10)
        response.raise_for_status()
        return response.json()

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


@pytest.fixture(scope="session")
def emulator():
    process = EmulatorProcess()
    try:
        yield process
    finally:
        process.stop()


@pytest.fixture(scope="session")
def personality(request):
    return request.param


@pytest.fixture(scope="session")
def contract(request, personality):
    """The API under test for one personality; deletes every webhook it created when done."""
    prefix = f"contract-{secrets.token_hex(4)}-"
    if personality == "live":
        values = live_settings()
        api = Api(values["LOSANT_API_URL"], values["LOSANT_API_TOKEN"], values["LOSANT_APPLICATION_ID"],
                  os.environ.get("LOSANT_FOREIGN_APPLICATION_ID", "").strip() or None)
        settings = None
    else:
        emulator = request.getfixturevalue("emulator")
        settings = emulator.use(personality)
        api = Api(emulator.url, EMULATOR_TOKEN, EMULATOR_APP, EMULATOR_FOREIGN_APP)
    checked = Contract(api, prefix, settings)
    OBSERVED[personality] = checked.observed
    try:
        yield checked
    finally:
        checked.clean_up()


def pytest_terminal_summary(terminalreporter):
    for personality, observed in OBSERVED.items():
        if personality == "live":
            terminalreporter.write_sep("=", "personality of the live API")
            for question in QUESTIONS:
                terminalreporter.write_line(f"{question}: {observed.get(question, 'not detected (see above)')}")
            answered = f"{len(observed)} of {len(QUESTIONS)} questions answered"
            terminalreporter.write_line(f"matching emulator personality: {personality_matching(observed) or 'none'}"
                                        f" ({answered})")
        else:
            answers = ", ".join(f"{question}={answer}" for question, answer in observed.items())
            terminalreporter.write_line(f"contract {personality}: {answers}")
