#!/usr/bin/env bash
# Run a command while the Losant API emulator (tests/emulator) listens on a free local port.
#
# Usage: scripts/with-emulator.sh [--integration-config FILE] COMMAND [ARG...]
#
# The command gets LOSANT_API_URL, LOSANT_API_TOKEN, LOSANT_APPLICATION_ID and
# LOSANT_EMULATOR_ADMIN in its environment. With --integration-config, the same values are also
# written to FILE as losant_api_url, losant_api_token, losant_application_id and
# losant_emulator_admin, which ansible-test passes as variables to every integration target.
# The emulator is stopped when the command ends, whatever its outcome; its log is kept in
# .tmp/emulator-*.log. EMULATOR_PYTHON chooses the interpreter (default: python3).
# EMULATOR_TLS=1 serves HTTPS with a certificate made at start: LOSANT_API_URL is then https and
# LOSANT_CA_BUNDLE (losant_ca_path in FILE) is the CA bundle to verify it with.
# EMULATOR_LATENCY_MS=N waits N ms before every API answer (kept across emulator resets).
set -euo pipefail

integration_config=
if [ "${1:-}" = --integration-config ]; then
    integration_config=$2
    shift 2
fi
[ $# -gt 0 ] || { echo "usage: $0 [--integration-config FILE] COMMAND [ARG...]" >&2; exit 2; }

root=$(cd "$(dirname "$0")/.." && pwd)
token=emulator-token-0123456789abcdef
application_id=5f3e1c2a9b8d7e6f5a4b3c2d
mkdir -p "$root/.tmp"
log=$(mktemp "$root/.tmp/emulator-XXXXXX.log")

emulator_args=(--port 0 --token "$token" --application-id "$application_id")
[ "${EMULATOR_TLS:-0}" = 1 ] && emulator_args+=(--tls)
[ -n "${EMULATOR_LATENCY_MS:-}" ] && emulator_args+=(--latency-ms "$EMULATOR_LATENCY_MS")
(cd "$root" && exec "${EMULATOR_PYTHON:-python3}" -m tests.emulator "${emulator_args[@]}") >"$log" 2>&1 &
emulator_pid=$!
trap 'kill "$emulator_pid" 2>/dev/null || true; wait "$emulator_pid" 2>/dev/null || true' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

url=
for _ in $(seq 100); do
    url=$(sed -n 's/^LISTENING \(https\{0,1\}:[^ ]*\)$/\1/p' "$log")
    [ -n "$url" ] && break
    kill -0 "$emulator_pid" 2>/dev/null || break
    sleep 0.1
done
if [ -z "$url" ]; then
    echo "the emulator did not start; its output:" >&2
    cat "$log" >&2
    exit 1
fi
echo "emulator listening at $url (log: $log)"

export LOSANT_API_URL=$url
export LOSANT_API_TOKEN=$token
export LOSANT_APPLICATION_ID=$application_id
export LOSANT_EMULATOR_ADMIN=$url/_emulator
ca_bundle=$(sed -n 's/^CA_BUNDLE \(.*\)$/\1/p' "$log")  # printed with LISTENING, in one write
if [ -n "$ca_bundle" ]; then
    export LOSANT_CA_BUNDLE=$ca_bundle
else
    unset LOSANT_CA_BUNDLE
fi

if [ -n "$integration_config" ]; then
    cat >"$integration_config" <<YAML
---
losant_api_url: $LOSANT_API_URL
losant_api_token: $LOSANT_API_TOKEN
losant_application_id: '$LOSANT_APPLICATION_ID'
losant_emulator_admin: $LOSANT_EMULATOR_ADMIN
YAML
    if [ -n "$ca_bundle" ]; then
        echo "losant_ca_path: $ca_bundle" >>"$integration_config"
    fi
fi

"$@"
