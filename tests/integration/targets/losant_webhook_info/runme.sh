#!/usr/bin/env bash
# Runs the behaviour tests, then the secret masking tests at the highest verbosity and checks
# that neither the secrets the API returns nor the API token appear anywhere in that output.
set -eu
export ANSIBLE_ROLES_PATH=..
# shellcheck source=../setup_losant/files/secret_check.sh
. ../setup_losant/files/secret_check.sh

ansible-playbook tests.yml -e @../../integration_config.yml "$@"

new_secrets LOSANT_TEST_PASSWORD LOSANT_TEST_CODE
check_no_secret_leaks secrets.yml -vvvv
