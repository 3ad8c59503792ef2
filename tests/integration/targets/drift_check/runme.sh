#!/usr/bin/env bash
# The shipped playbook losant.platform.drift_check, run as a pipeline runs it (its own
# ansible-playbook process, connection from LOSANT_API_URL/LOSANT_API_TOKEN): clean, drift, then an
# error right after the drift; its reports, summary, exit status and the requests it sent.
set -eu
export ANSIBLE_ROLES_PATH=..
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

ansible-playbook tests.yml -e @../../integration_config.yml -e "drift_work=$work" "$@"
