"""A realistic network: HTTPS with a certificate made at start-up, and a latency before every API answer."""
from __future__ import annotations

import json
import os
import socket
import ssl
import subprocess
import sys
import threading
import urllib.request

import pytest
import requests

from tests.emulator import server as server_module
from tests.emulator.cli import build_parser, build_state
from tests.emulator.settings import ConfigError
from tests.emulator.state import State
from tests.emulator.tls import self_signed_certificate

from .conftest import APP_ID, TOKEN, start_emulator
from .test_cli import ROOT, Process

HEADERS = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture
def tls_emulator():
    state = State()
    state.add_application(APP_ID)
    state.add_token({"token": TOKEN, "scopes": ["all.Application"], "applications": [APP_ID]})
    with self_signed_certificate() as certificate:
        server = start_emulator(state, tls=certificate.server_context())
        try:
            yield server, certificate
        finally:
            server.stop()


def test_https_is_verified_with_the_printed_bundle_and_only_with_it(tls_emulator):
    server, certificate = tls_emulator
    assert server.url.startswith("https://127.0.0.1:")
    hooks = f"{server.url}/applications/{APP_ID}/webhooks"
    assert requests.post(hooks, json={"name": "a"}, headers=HEADERS, verify=str(certificate.cert_path),
                         timeout=10).status_code == 201
    with pytest.raises(requests.exceptions.SSLError):
        requests.get(hooks, headers=HEADERS, timeout=10)  # the public CAs do not know it

    strict = ssl.create_default_context(cafile=str(certificate.cert_path))
    strict.verify_flags |= ssl.VERIFY_X509_STRICT  # the default from Python 3.13 on
    for host in ("127.0.0.1", "localhost"):
        request = urllib.request.Request(f"https://{host}:{server.server_address[1]}/applications/{APP_ID}/webhooks",
                                         headers=HEADERS)
        with urllib.request.urlopen(request, context=strict, timeout=10) as answer:
            assert json.load(answer)["totalCount"] == 1


def test_the_certificate_directory_goes_away_with_the_context():
    with self_signed_certificate() as certificate:
        directory = certificate.cert_path.parent
        assert certificate.cert_path.read_text(encoding="ascii").startswith("-----BEGIN CERTIFICATE-----")
        assert oct(directory.stat().st_mode & 0o777) == "0o700"
    assert not directory.exists()


def test_a_plain_http_client_or_a_failed_handshake_does_not_disturb_the_server(tls_emulator, capsys):
    server, certificate = tls_emulator
    with pytest.raises(requests.exceptions.ConnectionError):
        requests.get(server.url.replace("https:", "http:") + "/_emulator/health", timeout=10)
    with socket.create_connection(server.server_address[:2], timeout=10) as raw:
        raw.sendall(b"\x16\x03\x01\x00\x05hello")  # a broken ClientHello
        raw.recv(100)
    health = requests.get(server.url + "/_emulator/health", verify=str(certificate.cert_path), timeout=10)
    assert health.json() == {"ok": True}
    assert capsys.readouterr().err == ""


def test_cli_tls_prints_the_bundle_after_the_listening_line_and_removes_it_on_exit():
    emu = Process("--tls", "--token", TOKEN, "--application-id", APP_ID)
    try:
        assert emu.first_line.startswith("LISTENING https://127.0.0.1:")
        second = emu.proc.stdout.readline()
        assert second.startswith("CA_BUNDLE /")
        bundle = second.split(" ", 1)[1].rstrip("\n")
        answer = requests.get(f"{emu.url}/applications/{APP_ID}/webhooks", headers=HEADERS, verify=bundle,
                              timeout=10)
        assert answer.status_code == 200
    finally:
        code, out, err = emu.stop()
    assert (code, out, err) == (0, "", "")
    assert not os.path.exists(os.path.dirname(bundle))


def test_cli_tls_without_openssl_exits_1_with_a_message(tmp_path):
    result = subprocess.run([sys.executable, "-m", "tests.emulator", "--tls"], cwd=ROOT, capture_output=True,
                            text=True, timeout=30, check=False, env={**os.environ, "PATH": str(tmp_path)})
    assert result.returncode == 1 and result.stdout == ""
    assert "openssl" in result.stderr


# -- latency ----------------------------------------------------------------------------------
def test_latency_delays_every_api_answer_but_no_admin_one(emulator, monkeypatch):
    slept = []
    monkeypatch.setattr(server_module, "_sleep", slept.append)
    emulator.call("GET", emulator.hooks_path())
    assert slept == []
    assert emulator.admin("POST", "/settings", json={"latency_ms": 50}).json()["latency_ms"] == 50
    assert emulator.call("GET", emulator.hooks_path()).status_code == 200
    assert emulator.call("GET", emulator.hooks_path(), token="wrong").status_code == 401
    assert emulator.call("GET", "/nowhere").status_code == 404
    emulator.admin("GET", "/journal")
    assert slept == [0.05, 0.05, 0.05]


def test_cli_latency_is_a_start_up_setting_that_reset_and_personalities_keep():
    state = build_state(build_parser().parse_args(["--latency-ms", "25", "--personality", "regex-filter"]))
    assert state.settings["latency_ms"] == 25 and state.settings["filter_syntax"] == "regex"
    state.update_settings({"personality": "no-secrets"})
    assert state.settings["latency_ms"] == 25
    state.update_settings({"latency_ms": 0})
    state.reset()
    assert state.settings["latency_ms"] == 25


@pytest.mark.parametrize("value", ["-1", "60001"])
def test_cli_refuses_a_latency_out_of_range(value):
    with pytest.raises(ConfigError):
        build_state(build_parser().parse_args(["--latency-ms", value]))


# -- connections ----------------------------------------------------------------------------
def test_each_journal_entry_names_its_connection(emulator):
    emulator.call("GET", emulator.hooks_path())
    emulator.call("GET", emulator.hooks_path())
    requests.get(emulator.url + emulator.hooks_path(), headers=HEADERS, timeout=10)
    first, reused, fresh = (entry["connection"] for entry in emulator.journal())
    assert first == reused and fresh > first


def test_connect_latency_delays_each_new_connection_once(emulator, monkeypatch):
    emulator.admin("POST", "/settings", json={"connect_latency_ms": 40})
    slept = []
    monkeypatch.setattr(server_module, "_sleep", slept.append)
    emulator.session.close()  # the next request opens a connection
    emulator.call("GET", emulator.hooks_path())
    emulator.call("GET", emulator.hooks_path())
    assert slept == [0.04]


def test_connect_latency_is_waited_once_per_connection_over_tls(tls_emulator, monkeypatch):
    server, certificate = tls_emulator
    server.state.update_settings({"connect_latency_ms": 30})
    slept = []
    monkeypatch.setattr(server_module, "_sleep", slept.append)
    with requests.Session() as session:
        for dummy in range(2):
            response = session.get(server.url + f"/applications/{APP_ID}/webhooks", headers=HEADERS, timeout=10,
                                   verify=certificate.cert_path)
            assert response.status_code == 200
    assert slept == [0.03]


# -- writes in flight -------------------------------------------------------------------------
def test_writes_above_max_writes_in_flight_are_answered_429_and_change_nothing(emulator, monkeypatch):
    emulator.admin("POST", "/settings", json={"max_writes_in_flight": 1})
    inside = []

    def write_while_one_is_in_flight(seconds):
        if not inside:  # the first write, held by its latency: a second one arrives meanwhile
            inside.append(None)
            inside[0] = requests.post(emulator.url + emulator.hooks_path(), headers=HEADERS,
                                      json={"name": "second"}, timeout=10)

    emulator.admin("POST", "/settings", json={"latency_ms": 1})
    monkeypatch.setattr(server_module, "_sleep", write_while_one_is_in_flight)
    assert emulator.call("POST", emulator.hooks_path(), json={"name": "first"}).status_code == 201
    throttled = inside[0]
    assert throttled.status_code == 429 and "Retry-After" not in throttled.headers
    assert throttled.json() == {"type": "TooManyRequests", "message": "Too Many Requests"}
    assert [hook["name"] for hook in emulator.call("GET", emulator.hooks_path()).json()["items"]] == ["first"]
    assert [(entry["method"], entry["status"]) for entry in emulator.journal()] == [
        ("POST", 429), ("POST", 201), ("GET", 200)]
    assert emulator.state.writes_in_flight == 0
    assert emulator.call("POST", emulator.hooks_path(), json={"name": "third"}).status_code == 201


def test_a_write_answered_is_no_longer_in_flight_while_its_thread_finishes(emulator, monkeypatch):
    """A client that has read a write's answer sends the next write at once, on another connection, while the
    thread that answered is held after sending: the next write must be admitted, never answered 429."""
    emulator.admin("POST", "/settings", json={"max_writes_in_flight": 1})
    writes = 10
    next_write_answered = [threading.Event() for dummy in range(writes)]
    sent = iter(range(writes))
    send = server_module.EmulatorHandler._send

    def send_then_hold(handler, *args, **kwargs):
        send(handler, *args, **kwargs)
        if handler.command == "POST":  # the writes come one after another: the n-th answer sent is write n's
            next_write_answered[next(sent)].wait(10)

    monkeypatch.setattr(server_module.EmulatorHandler, "_send", send_then_hold)
    connections = [requests.Session(), requests.Session()]
    statuses = []
    try:
        for index in range(writes):
            statuses.append(connections[index % 2].post(emulator.url + emulator.hooks_path(), headers=HEADERS,
                                                        json={"name": f"write-{index}"}, timeout=10).status_code)
            if index:
                next_write_answered[index - 1].set()
    finally:
        for event in next_write_answered:
            event.set()
        for connection in connections:
            connection.close()
    assert statuses == [201] * writes
    assert emulator.state.wait_until_idle(10) and emulator.state.writes_in_flight == 0


def test_a_write_that_gets_no_answer_is_no_longer_in_flight(emulator):
    emulator.admin("POST", "/settings", json={"max_writes_in_flight": 1})
    emulator.admin("POST", "/faults", json={"drop": True})
    with pytest.raises(requests.ConnectionError):
        requests.post(emulator.url + emulator.hooks_path(), headers=HEADERS, json={"name": "dropped"}, timeout=10)
    assert emulator.state.wait_until_idle(10) and emulator.state.writes_in_flight == 0
    assert emulator.call("POST", emulator.hooks_path(), json={"name": "next"}).status_code == 201


def test_reads_are_never_throttled(emulator, monkeypatch):
    emulator.admin("POST", "/settings", json={"max_writes_in_flight": 1, "latency_ms": 1})
    reads = []

    def read_while_a_write_is_in_flight(seconds):
        if not reads:
            reads.append(None)
            reads[0] = requests.get(emulator.url + emulator.hooks_path(), headers=HEADERS, timeout=10)

    monkeypatch.setattr(server_module, "_sleep", read_while_a_write_is_in_flight)
    assert emulator.call("POST", emulator.hooks_path(), json={"name": "first"}).status_code == 201
    assert reads[0].status_code == 200


@pytest.mark.parametrize("value", [0, 1001, True, "2"])
def test_max_writes_in_flight_refuses_values_out_of_range(emulator, value):
    assert emulator.admin("POST", "/settings", json={"max_writes_in_flight": value}).status_code == 400
