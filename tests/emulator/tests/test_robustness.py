"""Concurrency and hostile input: the emulator keeps answering."""
from __future__ import annotations

import json
import socket
import threading

import requests

from tests.emulator import api

from .conftest import APP_ID, TOKEN


def _raw(emulator, payload: bytes) -> bytes:
    host, port = emulator.server.server_address[:2]
    with socket.create_connection((host, port), timeout=5) as sock:
        sock.sendall(payload)
        sock.shutdown(socket.SHUT_WR)
        chunks = []
        while True:
            try:
                chunk = sock.recv(65536)
            except socket.timeout:
                break
            if not chunk:
                break
            chunks.append(chunk)
    return b"".join(chunks)


def _status_and_body(raw: bytes):
    head, body = raw.split(b"\r\n\r\n", 1)
    return int(head.split()[1]), body


def _alive(emulator):
    assert emulator.call("GET", emulator.hooks_path()).status_code == 200


def test_concurrent_creates_are_all_kept(emulator):
    errors = []

    def worker(index):
        with requests.Session() as session:
            for number in range(25):
                response = session.post(f"{emulator.url}{emulator.hooks_path()}", json={"name": f"w{index}-{number}"},
                                        headers={"Authorization": f"Bearer {TOKEN}"}, timeout=10)
                if response.status_code != 201:
                    errors.append(response.text)
                session.get(f"{emulator.url}{emulator.hooks_path()}", params={"perPage": 5},
                            headers={"Authorization": f"Bearer {TOKEN}"}, timeout=10)

    threads = [threading.Thread(target=worker, args=(index,)) for index in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    body = emulator.call("GET", emulator.hooks_path(), params={"perPage": 1000}).json()
    assert body["totalCount"] == body["count"] == 200
    assert len({item["id"] for item in body["items"]}) == 200
    assert len({item["name"] for item in body["items"]}) == 200
    journal = emulator.journal()
    assert sum(1 for entry in journal if entry["method"] == "POST" and entry["status"] == 201) == 200
    assert len(journal) == 401


def test_concurrent_faults_are_consumed_exactly(emulator):
    emulator.admin("POST", "/faults", json={"status": 503, "count": 30})
    statuses = []
    lock = threading.Lock()

    def worker():
        with requests.Session() as session:
            for dummy in range(10):
                status = session.get(f"{emulator.url}{emulator.hooks_path()}",
                                     headers={"Authorization": f"Bearer {TOKEN}"}, timeout=10).status_code
                with lock:
                    statuses.append(status)

    threads = [threading.Thread(target=worker) for dummy in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert statuses.count(503) == 30 and statuses.count(200) == 30


def test_unknown_method_gets_a_json_error(emulator):
    status, body = _status_and_body(_raw(emulator, b"BREW /applications HTTP/1.1\r\nHost: x\r\n\r\n"))
    assert status == 501 and json.loads(body)["type"] == "NotImplemented"
    _alive(emulator)


def test_garbage_request_line(emulator):
    # A one-word request line is HTTP/0.9 style: the answer is a bare body without headers.
    assert json.loads(_raw(emulator, b"\x00\x01garbage\r\n\r\n"))["type"] == "Validation"
    assert json.loads(_raw(emulator, b"GET / HTTP/9.9\r\n\r\n"))["type"] == "HTTPVersionNotSupported"
    assert json.loads(_raw(emulator, b"GET / FTP/1.1\r\n\r\n"))["type"] == "Validation"
    headers = b"".join(b"X-%d: y\r\n" % index for index in range(150))
    status, body = _status_and_body(_raw(emulator, b"GET / HTTP/1.1\r\n" + headers + b"\r\n"))
    assert status == 431 and json.loads(body)["type"] == "RequestHeaderFieldsTooLarge"
    _raw(emulator, b"")
    _raw(emulator, b"GET")
    _alive(emulator)


def test_huge_path(emulator):
    status = _status_and_body(_raw(emulator, b"GET /" + b"a" * 70000 + b" HTTP/1.1\r\nHost: x\r\n\r\n"))[0]
    assert status == 414
    response = emulator.call("GET", "/applications/" + "b" * 20000 + "/webhooks")
    assert response.status_code == 400
    _alive(emulator)


def test_huge_body_is_413(emulator):
    request = (f"POST {emulator.hooks_path()} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {TOKEN}\r\n"
               "Content-Length: 999999999\r\n\r\n{").encode()
    status, body = _status_and_body(_raw(emulator, request))
    assert status == 413 and json.loads(body)["type"] == "PayloadTooLarge"
    _alive(emulator)


def test_bad_content_length(emulator):
    request = (f"POST {emulator.hooks_path()} HTTP/1.1\r\nHost: x\r\nContent-Length: ten\r\n\r\n").encode()
    status = _status_and_body(_raw(emulator, request))[0]
    assert status == 400
    _alive(emulator)


def test_chunked_body_is_read(emulator):
    payload = json.dumps({"name": "chunky"}).encode()
    request = (f"POST {emulator.hooks_path()} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {TOKEN}\r\n"
               "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n").encode()
    request += b"%x\r\n%s\r\n0\r\n\r\n" % (len(payload), payload)
    status, body = _status_and_body(_raw(emulator, request))
    assert status == 201 and json.loads(body)["name"] == "chunky"


def test_truncated_body_does_not_hang_the_server(emulator):
    host, port = emulator.server.server_address[:2]
    with socket.create_connection((host, port), timeout=5) as sock:
        sock.sendall(f"POST {emulator.hooks_path()} HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{{".encode())
        _alive(emulator)


def test_keep_alive_connection_survives_errors(emulator):
    for dummy in range(3):
        assert emulator.call("POST", emulator.hooks_path(), data=b"{").status_code == 400
        assert emulator.call("GET", "/applications/x/webhooks").status_code == 400
        assert emulator.call("GET", emulator.hooks_path(), token="bad").status_code == 401
        assert emulator.call("POST", emulator.hooks_path(), json={"name": "ok"}).status_code == 201


def test_internal_errors_are_500_json_and_journaled(emulator, monkeypatch, capsys):
    def explode(*args):
        raise RuntimeError("kaboom")

    monkeypatch.setitem(api.ACTIONS, "webhooks.get", explode)
    response = emulator.call("GET", emulator.hooks_path())
    assert response.status_code == 500
    assert response.json() == {"type": "InternalServerError", "message": "Internal server error"}
    assert "kaboom" in capsys.readouterr().err
    monkeypatch.undo()
    _alive(emulator)
    assert [entry["status"] for entry in emulator.journal()] == [500, 200]


def test_non_utf8_and_odd_queries(emulator):
    response = emulator.call("GET", emulator.hooks_path() + "?filterField=name&filter=%FF%FE&page=0&page=1")
    assert response.status_code == 200
    assert emulator.journal()[-1]["query"]["page"] == "0"
    response = emulator.call("GET", f"/applications/{APP_ID}%2Fwebhooks")
    assert response.status_code == 404
