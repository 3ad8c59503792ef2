"""HTTP plumbing: a ThreadingHTTPServer whose handler journals, injects faults and dispatches."""
from __future__ import annotations

import dataclasses
import json
import socket
import ssl
import sys
import threading
import time
import traceback
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from . import admin, api
from .errors import ApiError, status_phrase, status_type
from .state import Fault, State

MAX_BODY = 8 * 1024 * 1024
_HIDDEN_HEADERS = ("authorization", "proxy-authorization", "cookie")
MOVED = "/moved"  # where the setting redirect_status sends API requests; served as the API
WRITE_METHODS = ("POST", "PATCH", "PUT", "DELETE")
_sleep = time.sleep  # replaced in the emulator's own tests


class EmulatorServer(ThreadingHTTPServer):
    """Serves one ``State``; each connection gets its own thread."""

    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(self, address: tuple, state: State, verbose: bool = False, tls: ssl.SSLContext | None = None):
        self.state = state
        self.verbose = verbose
        self.tls = tls
        super().__init__(address, EmulatorHandler)

    def start_thread(self, poll_interval: float = 0.05) -> EmulatorServer:
        """Serve from a daemon thread of this process (tests, the docs examples) until ``stop``."""
        self._thread = threading.Thread(target=self.serve_forever, kwargs={"poll_interval": poll_interval},
                                        daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self.shutdown()
        self.server_close()
        self._thread.join(5)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"{'https' if self.tls else 'http'}://{host}:{port}"

    def finish_request(self, request: Any, client_address: Any) -> None:
        connection_id = self.state.open_connection()
        connect_latency_ms = self.state.settings["connect_latency_ms"]
        if connect_latency_ms:  # the round trip of a TLS handshake over a real network
            _sleep(connect_latency_ms / 1000)
        if self.tls is None:
            EmulatorHandler(request, client_address, self, connection_id)
            return
        request.settimeout(EmulatorHandler.timeout)
        try:  # the handshake runs here, in the connection's own thread
            with self.tls.wrap_socket(request, server_side=True) as connection:
                EmulatorHandler(connection, client_address, self, connection_id)
        except (ssl.SSLError, ConnectionError, TimeoutError):
            pass  # a client that does not speak TLS, distrusts the certificate or hangs up

    def handle_error(self, request: Any, client_address: Any) -> None:
        error = sys.exc_info()[1]
        if isinstance(error, (ConnectionError, TimeoutError)):
            return
        print(f"emulator: unexpected error from {client_address}:", file=sys.stderr)
        traceback.print_exc()


class EmulatorHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "LosantEmulator/1.0"
    sys_version = ""
    timeout = 60
    server: EmulatorServer
    counted_write = False  # whether the request being served counts in State.writes_in_flight

    def __init__(self, request: Any, client_address: Any, server: EmulatorServer, connection_id: int = 0) -> None:
        self.connection_id = connection_id
        super().__init__(request, client_address, server)

    def do_GET(self) -> None:
        self._serve()

    def do_POST(self) -> None:
        self._serve()

    def do_PATCH(self) -> None:
        self._serve()

    def do_DELETE(self) -> None:
        self._serve()

    def do_PUT(self) -> None:
        self._serve()

    def do_OPTIONS(self) -> None:
        self._serve()

    def setup(self) -> None:
        super().setup()
        # Headers and body go out in separate writes; without this, Nagle's algorithm and the
        # client's delayed ACK add ~40 ms to every response.
        try:
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        except OSError:
            pass

    def version_string(self) -> str:
        return self.server_version

    # -- one request ----------------------------------------------------------------------
    def _serve(self) -> None:
        state = self.server.state
        if _is_admin(urlsplit(self.path).path):
            self._answer()
            return
        writing = self.command in WRITE_METHODS
        self.counted_write = writing and state.start_write()
        state.start_request()
        try:
            latency_ms = state.settings["latency_ms"]
            if latency_ms:
                _sleep(latency_ms / 1000)
            self._answer(throttled=writing and not self.counted_write)
        finally:
            state.end_request()
            self._end_write()  # a write that got no answer (a dropped connection, an error)

    def _end_write(self) -> None:
        """Stop counting this request's write in flight, once."""
        if self.counted_write:
            self.counted_write = False
            self.server.state.end_write()

    def _answer(self, throttled: bool = False) -> None:
        request = None
        try:
            request = self._read_request()
            if throttled:  # max_writes_in_flight: Losant's fair-use 429, without rate headers
                raise ApiError(429, status_type(429), status_phrase(429))
            if _is_admin(request.path):
                self._serve_admin(request)
            else:
                self._serve_api(request)
        except ApiError as error:
            if request is not None and not _is_admin(request.path):
                self._journal(request, error.status)
            self._send_json(error.status, error.body(), error.headers)
        except Exception:  # a bad request must never take the server down
            print(f"emulator: internal error on {self.command} {self.path[:200]}", file=sys.stderr)
            traceback.print_exc()
            self.close_connection = True
            if request is not None and not _is_admin(request.path):
                self._journal(request, 500)
            self._send_json(500, {"type": "InternalServerError", "message": "Internal server error"})

    def _read_request(self) -> api.Request:
        parts = urlsplit(self.path)
        query = {key: values[0] for key, values in parse_qs(parts.query, keep_blank_values=True).items()}
        request = api.Request(self.command, parts.path or "/", query, self.headers)
        request.raw_body = self._read_body()
        if request.raw_body.strip():
            try:
                request.body = json.loads(request.raw_body.decode("utf-8"))
            except (UnicodeDecodeError, ValueError) as error:
                request.body_error = str(error)
        return request

    def _read_body(self) -> bytes:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            return self._read_chunked()
        length = self.headers.get("Content-Length")
        if length is None:
            return b""
        if not length.strip().isdigit():
            self.close_connection = True
            raise ApiError(400, "Validation", "Content-Length must be a non-negative integer")
        if int(length) > MAX_BODY:
            self.close_connection = True
            raise ApiError(413, "PayloadTooLarge", f"Request bodies are limited to {MAX_BODY} bytes")
        return self.rfile.read(int(length))

    def _read_chunked(self) -> bytes:
        body = b""
        while True:
            line = self.rfile.readline(1024).split(b";")[0].strip()
            try:
                size = int(line, 16)
            except ValueError:
                self.close_connection = True
                raise ApiError(400, "Validation", "Malformed chunked request body") from None
            if size == 0:
                while self.rfile.readline(1024).strip():
                    pass
                return body
            if len(body) + size > MAX_BODY:
                self.close_connection = True
                raise ApiError(413, "PayloadTooLarge", f"Request bodies are limited to {MAX_BODY} bytes")
            body += self.rfile.read(size)
            self.rfile.readline(1024)

    def _serve_admin(self, request: api.Request) -> None:
        if request.body_error:
            raise ApiError(400, "Validation", f"Request body is not valid JSON: {request.body_error}")
        status, body = admin.handle_admin(self.server.state, request.method, request.path, request.body)
        self._send_json(status, body)

    def _serve_api(self, request: api.Request) -> None:
        fault = self.server.state.take_fault(request.method, request.path)
        if fault is not None:
            if fault.delay:
                _sleep(fault.delay)
            if fault.drop:  # a connection that breaks before the answer: no status line at all
                self.close_connection = True
                self._journal(request, None, fault=True)
                return
            if fault.status is not None:
                self._journal(request, fault.status, fault=True)
                self._send_fault(fault)
                return
        if request.path.startswith(MOVED + "/"):
            status, body, headers = api.handle(self.server.state,
                                               dataclasses.replace(request, path=request.path[len(MOVED):]))
        else:
            redirect = self.server.state.settings["redirect_status"]
            if redirect is not None:
                self._journal(request, redirect)
                self._send_redirect(redirect)
                return
            status, body, headers = api.handle(self.server.state, request)
        self._journal(request, status)
        self._send_json(status, body, headers)

    def _send_redirect(self, status: int) -> None:
        """What a front server that moved the API answers (e.g. http to https): HTML, not JSON."""
        location = self.server.url + MOVED + self.path
        phrase = status_phrase(status)
        page = f"<html><head><title>{status} {phrase}</title></head><body><h1>{phrase}</h1></body></html>\n"
        self._send(status, page.encode("utf-8"), "text/html; charset=utf-8", {"Location": location})

    def _send_fault(self, fault: Fault) -> None:
        headers = {}
        if fault.retry_after is not None:
            headers["Retry-After"] = _header_value(fault.retry_after)
        body = fault.body
        if body is None:
            body = {"type": status_type(fault.status), "message": status_phrase(fault.status)}
        if isinstance(body, str):
            self._send(fault.status, body.encode("utf-8"), fault.content_type or "text/plain; charset=utf-8",
                       headers)
        else:
            self._send(fault.status, json.dumps(body).encode("utf-8"),
                       fault.content_type or "application/json; charset=utf-8", headers)

    def _journal(self, request: api.Request, status: int | None, fault: bool = False) -> None:
        headers = {key: value for key, value in request.headers.items()
                   if key.lower() not in _HIDDEN_HEADERS}
        entry = {
            "method": request.method, "path": request.path, "query": request.query,
            "body": None if request.body_error else request.body, "status": status,
            "headers": headers, "time": time.time(), "connection": self.connection_id,
        }
        if request.body_error:
            entry["raw_body"] = request.raw_body[:4096].decode("utf-8", "replace")
        if fault:
            entry["fault"] = True
        self.server.state.record(entry)

    # -- responses ------------------------------------------------------------------------
    def _send_json(self, status: int, body: Any, headers: dict | None = None) -> None:
        self._send(status, json.dumps(body).encode("utf-8"), "application/json; charset=utf-8", headers)

    def _send(self, status: int, payload: bytes, content_type: str, headers: dict | None = None) -> None:
        # As a real server does: a client that has its answer may send its next write at once, and must find
        # this one no longer counted, even though this thread has yet to finish the request.
        self._end_write()
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(payload)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            if self.close_connection:
                self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(payload)
        except (ConnectionError, TimeoutError):
            self.close_connection = True

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """Protocol-level errors (bad request line, unknown method, huge path) as JSON too."""
        self.close_connection = True
        body = json.dumps({"type": status_type(code), "message": message or status_phrase(code)})
        try:
            self.send_response(code)
            self.send_header("Connection", "close")
            payload = body.encode("utf-8")
            if self.command != "HEAD" and code >= 200 and code not in (204, 304):
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)
            else:
                self.end_headers()
        except (ConnectionError, TimeoutError):
            pass

    def log_message(self, format: str, *args: Any) -> None:  # pylint: disable=redefined-builtin
        if self.server.verbose:
            sys.stderr.write(f"{self.address_string()} - {format % args}\n")


def _is_admin(path: str) -> bool:
    return path == admin.PREFIX or path.startswith(admin.PREFIX + "/")


def _header_value(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


def make_server(state: State, host: str = "127.0.0.1", port: int = 0, verbose: bool = False,
                tls: ssl.SSLContext | None = None) -> EmulatorServer:
    return EmulatorServer((host, port), state, verbose, tls)
