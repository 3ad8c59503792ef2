#!/usr/bin/env bash
# Runs the behaviour tests, then the secret tests at the highest verbosity with --diff and checks
# that no secret value, whether given by the user or only returned by the API, appears in that output.
set -eu
export ANSIBLE_ROLES_PATH=..
# shellcheck source=../setup_losant/files/secret_check.sh
. ../setup_losant/files/secret_check.sh

ansible-playbook tests.yml -e @../../integration_config.yml "$@"
ansible-playbook parallel.yml -i parallel_inventory.yml --forks 8 -e @../../integration_config.yml "$@"

new_secrets LOSANT_TEST_API_PASSWORD LOSANT_TEST_API_CODE LOSANT_TEST_USER_PASSWORD LOSANT_TEST_USER_PASSWORD_2 \
    LOSANT_TEST_USER_CODE
check_no_secret_leaks secrets.yml -vvvv --diff
