"""Command line: ``python3 -m tests.emulator --port PORT --token TOKEN --application-id APP_ID``."""
from __future__ import annotations

import argparse
import contextlib
import json
import signal
import sys

from . import flows
from .server import make_server
from .settings import PERSONALITIES
from .state import ConfigError, State
from .tls import CertificateError, self_signed_certificate


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python3 -m tests.emulator",
        description="Serve an emulation of the Losant webhook REST API on 127.0.0.1.",
    )
    parser.add_argument("--port", type=int, default=0, help="TCP port; 0 (default) picks a free one")
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--token", help="an API token with all.Application access to --application-id")
    parser.add_argument("--application-id", help="an application (24 hex characters) to create")
    parser.add_argument("--config", help="JSON file with tokens, applications, webhooks, flows and settings")
    parser.add_argument("--personality", choices=list(PERSONALITIES), metavar="NAME",
                        help="answer like this named set of settings (after --config): "
                        + ", ".join(PERSONALITIES))
    parser.add_argument("--latency-ms", type=int, metavar="N",
                        help="wait N milliseconds before every API answer (setting latency_ms)")
    parser.add_argument("--tls", action="store_true",
                        help="serve HTTPS with a certificate made at start; its path follows on a CA_BUNDLE line")
    parser.add_argument("--verbose", action="store_true", help="log one line per request to stderr")
    return parser


def build_state(args: argparse.Namespace) -> State:
    state = State()
    if args.config:
        try:
            with open(args.config, encoding="utf-8") as handle:
                config = json.load(handle)
        except (OSError, ValueError) as error:
            raise ConfigError(f"cannot read config file {args.config}: {error}") from error
        flow_config = config.pop("flows", {}) if isinstance(config, dict) else {}
        state.load_config(config)
        flows.seed_config(state, flow_config)
    if args.personality:
        state.update_settings({"personality": args.personality})
    if args.latency_ms is not None:
        state.update_settings({"latency_ms": args.latency_ms})
    if bool(args.token) != bool(args.application_id):
        raise ConfigError("--token and --application-id go together")
    if args.token:
        state.add_application(args.application_id)
        state.add_token({"token": args.token, "scopes": ["all.Application"],
                         "applications": [args.application_id]})
    state.mark_initial()
    return state


def _stop(signum: int, frame: object) -> None:
    raise SystemExit(0)


def main(argv: list | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        state = build_state(args)
    except ConfigError as error:
        print(f"emulator: {error}", file=sys.stderr)
        return 2
    signal.signal(signal.SIGTERM, _stop)  # from here on SIGTERM unwinds, so the certificate is removed
    with contextlib.ExitStack() as cleanup:
        try:
            certificate = cleanup.enter_context(self_signed_certificate()) if args.tls else None
        except CertificateError as error:
            print(f"emulator: {error}", file=sys.stderr)
            return 1
        try:
            server = make_server(state, args.host, args.port, args.verbose,
                                 certificate.server_context() if certificate else None)
        except OSError as error:
            print(f"emulator: cannot listen on {args.host}:{args.port}: {error}", file=sys.stderr)
            return 1
        cleanup.callback(server.server_close)
        ready = f"LISTENING {server.url}\n"
        if certificate:
            ready += f"CA_BUNDLE {certificate.cert_path}\n"
        sys.stdout.write(ready)  # one write: a reader that sees LISTENING sees CA_BUNDLE too
        sys.stdout.flush()
        try:
            server.serve_forever(poll_interval=0.2)
        except KeyboardInterrupt:
            pass
    return 0
