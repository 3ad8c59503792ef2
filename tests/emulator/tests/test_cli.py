"""The command line, run as a separate process the way tests and the demo start it."""
from __future__ import annotations

import json
import queue
import signal
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import requests

from .conftest import APP_ID, OTHER_APP_ID

ROOT = Path(__file__).resolve().parents[3]


class Process:
    def __init__(self, *args, python=sys.executable):
        self.proc = subprocess.Popen([python, "-m", "tests.emulator", *args], cwd=ROOT, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True)
        lines = queue.Queue()
        threading.Thread(target=lambda: lines.put(self.proc.stdout.readline()), daemon=True).start()
        try:
            self.first_line = lines.get(timeout=20)
        except queue.Empty:
            self.stop()
            raise AssertionError("the emulator did not print its LISTENING line in time") from None
        self.url = self.first_line.split()[-1] if self.first_line.startswith("LISTENING ") else None

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            out, err = self.proc.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            out, err = self.proc.communicate()
        return self.proc.returncode, out, err


def _run(*args):
    return subprocess.run([sys.executable, "-m", "tests.emulator", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=30, check=False)


def test_starts_on_a_free_port_serves_quietly_and_stops_on_sigterm():
    emu = Process("--port", "0", "--token", "cli-secret", "--application-id", APP_ID)
    try:
        assert emu.first_line.startswith("LISTENING http://127.0.0.1:")
        assert int(emu.url.rsplit(":", 1)[1]) > 0
        headers = {"Authorization": "Bearer cli-secret"}
        created = requests.post(f"{emu.url}/applications/{APP_ID}/webhooks", json={"name": "a"}, headers=headers,
                                timeout=10)
        assert created.status_code == 201
        assert requests.get(f"{emu.url}/applications/{APP_ID}/webhooks", headers=headers,
                            timeout=10).json()["totalCount"] == 1
    finally:
        code, out, err = emu.stop()
    assert code == 0
    assert out == ""  # nothing after the LISTENING line
    assert err == ""


def test_verbose_logs_requests_without_the_token():
    emu = Process("--port", "0", "--token", "cli-secret", "--application-id", APP_ID, "--verbose")
    try:
        requests.get(f"{emu.url}/applications/{APP_ID}/webhooks?page=0",
                     headers={"Authorization": "Bearer cli-secret"}, timeout=10)
    finally:
        err = emu.stop()[2]
    assert f"GET /applications/{APP_ID}/webhooks?page=0" in err and "200" in err
    assert "cli-secret" not in err


def test_config_file_and_reset(tmp_path):
    config = {
        "applications": [OTHER_APP_ID],
        "tokens": [{"token": "reader", "scopes": ["webhooks.get"], "applications": [APP_ID, OTHER_APP_ID]}],
        "webhooks": {APP_ID: [{"id": "7" * 24, "name": "seeded", "enabled": False}]},
        "return_secrets": False,
    }
    path = tmp_path / "emulator.json"
    path.write_text(json.dumps(config), encoding="utf-8")
    emu = Process("--port", "0", "--token", "main", "--application-id", APP_ID, "--config", str(path))
    try:
        reader = {"Authorization": "Bearer reader"}
        listed = requests.get(f"{emu.url}/applications/{APP_ID}/webhooks", headers=reader, timeout=10).json()
        assert [item["id"] for item in listed["items"]] == ["7" * 24]
        assert requests.get(f"{emu.url}/applications/{OTHER_APP_ID}/webhooks", headers=reader,
                            timeout=10).json()["totalCount"] == 0
        assert requests.post(f"{emu.url}/applications/{APP_ID}/webhooks", json={"name": "x"}, headers=reader,
                             timeout=10).status_code == 403
        main = {"Authorization": "Bearer main"}
        requests.delete(f"{emu.url}/applications/{APP_ID}/webhooks/{'7' * 24}", headers=main, timeout=10)
        requests.post(f"{emu.url}/_emulator/reset", timeout=10)
        again = requests.get(f"{emu.url}/applications/{APP_ID}/webhooks/{'7' * 24}", headers=main, timeout=10)
        assert again.status_code == 200 and again.json()["enabled"] is False
        assert requests.get(f"{emu.url}/_emulator/settings", timeout=10).json()["return_secrets"] is False
    finally:
        assert emu.stop()[0] == 0


@pytest.mark.parametrize("args,message", [
    (["--token", "t"], "--token and --application-id go together"),
    (["--token", "t", "--application-id", "xyz"], "24 hex"),
    (["--config", "/nonexistent/emulator.json"], "cannot read config file"),
])
def test_bad_arguments_exit_2(args, message):
    result = _run("--port", "0", *args)
    assert result.returncode == 2 and message in result.stderr and result.stdout == ""


def test_bad_config_exits_2(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text('{"tokens": [{"token": "t", "scope": []}]}', encoding="utf-8")
    result = _run("--port", "0", "--config", str(path))
    assert result.returncode == 2 and "unknown token keys: scope" in result.stderr
    path.write_text("{", encoding="utf-8")
    assert _run("--port", "0", "--config", str(path)).returncode == 2


def test_busy_port_exits_1():
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        result = _run("--port", str(busy.getsockname()[1]), "--token", "t", "--application-id", APP_ID)
    assert result.returncode == 1 and "cannot listen" in result.stderr


def test_personality_option_applies_after_the_config_file_and_survives_reset(tmp_path):
    path = tmp_path / "emulator.json"
    path.write_text(json.dumps({"filter_case": "sensitive", "token_length": 30}), encoding="utf-8")
    emu = Process("--port", "0", "--token", "t", "--application-id", APP_ID, "--config", str(path),
                  "--personality", "redirect-307")
    try:
        settings_url = f"{emu.url}/_emulator/settings"
        expected = (307, "insensitive", 40)
        settings = requests.get(settings_url, timeout=10).json()
        assert (settings["redirect_status"], settings["filter_case"], settings["token_length"]) == expected
        response = requests.get(f"{emu.url}/applications/{APP_ID}/webhooks", allow_redirects=False, timeout=10)
        assert response.status_code == 307
        assert response.headers["Location"] == f"{emu.url}/moved/applications/{APP_ID}/webhooks"
        requests.post(settings_url, json={"personality": "default"}, timeout=10)
        requests.post(f"{emu.url}/_emulator/reset", timeout=10)
        assert requests.get(settings_url, timeout=10).json() == settings
    finally:
        assert emu.stop()[0] == 0


@pytest.mark.parametrize("config,args,message", [
    ({}, ["--personality", "nope"], "invalid choice: 'nope'"),
    ({"personality": "nope"}, [], "unknown personality 'nope'"),
    ({"redirect_status": 200}, [], '"redirect_status" must be one of'),
    ({"filter_syntax": "like"}, [], '"filter_syntax" must be one of'),
])
def test_unknown_personality_or_setting_exits_2(tmp_path, config, args, message):
    path = tmp_path / "emulator.json"
    path.write_text(json.dumps(config), encoding="utf-8")
    result = _run("--port", "0", "--config", str(path), *args)
    assert result.returncode == 2 and message in result.stderr and result.stdout == ""
