#!/usr/bin/env bash
# Runs tls.yml against an emulator of its own that serves HTTPS with a certificate made at its start, so
# that ca_path, validate_certs and the CA-bundle environment variables meet a real TLS handshake.
set -eu
export ANSIBLE_ROLES_PATH=..
collection=${ANSIBLE_COLLECTIONS_PATH%%:*}/ansible_collections/losant/platform
config=$(mktemp)
trap 'rm -f "$config"' EXIT
EMULATOR_TLS=1 EMULATOR_PYTHON=python "$collection/scripts/with-emulator.sh" --integration-config "$config" \
    ansible-playbook tls.yml -e "@$config" "$@"
