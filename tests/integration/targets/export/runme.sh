#!/usr/bin/env bash
# The shipped playbook losant.platform.export, run as a user runs it (its own ansible-playbook process,
# connection from LOSANT_API_URL/LOSANT_API_TOKEN), then losant.platform.drift_check on what it wrote.
set -eu
export ANSIBLE_ROLES_PATH=..
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

ansible-playbook tests.yml -e @../../integration_config.yml -e "export_work=$work" "$@"
