#!/usr/bin/env bash
# Runs tls.yml against an emulator of its own that serves HTTPS with a certificate made at its start, so
# that ca_path, validate_certs and the CA-bundle environment variables meet a real TLS handshake. Its config
# replaces the test run's, which passes on only losant_in_process: false (integration-X.Y-module), so that the
# modules meet the handshake and the task's environment as module processes there; the -vvv output shows
# which way they ran.
set -eu
export ANSIBLE_ROLES_PATH=..
# shellcheck source=../setup_losant/files/secret_check.sh
. ../setup_losant/files/secret_check.sh
collection=${ANSIBLE_COLLECTIONS_PATH%%:*}/ansible_collections/losant/platform
config=$(mktemp)
log=$(mktemp)
trap 'rm -f "$config" "$log"' EXIT
way=()
! grep -q '^losant_in_process: *false' ../../integration_config.yml || way=(-e '{"losant_in_process": false}')
EMULATOR_TLS=1 EMULATOR_PYTHON=python "$collection/scripts/with-emulator.sh" --integration-config "$config" \
    ansible-playbook tls.yml -e "@$config" "${way[@]}" -vvv "$@" >"$log" 2>&1 || { cat "$log"; exit 1; }
sed -n '/^PLAY RECAP/,$p' "$log"
check_execution_path "$log"
