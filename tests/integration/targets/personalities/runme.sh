#!/usr/bin/env bash
# Reruns existing cases of the other targets under each emulator personality (matrix.yml), then the
# secret-leak check of losant_webhook under each of them.
set -eu
export ANSIBLE_ROLES_PATH=..
# shellcheck source=../setup_losant/files/secret_check.sh
. ../setup_losant/files/secret_check.sh

ansible-playbook matrix.yml -e @../../integration_config.yml "$@"

personalities=$(python -c 'import sys, yaml; print(*yaml.safe_load(sys.stdin)[0]["vars"]["matrix"])' <matrix.yml)
cd ../losant_webhook
new_secrets LOSANT_TEST_API_PASSWORD LOSANT_TEST_API_CODE LOSANT_TEST_USER_PASSWORD LOSANT_TEST_USER_PASSWORD_2 \
    LOSANT_TEST_USER_CODE
leaked=0
for personality in $personalities; do
    check_no_secret_leaks secrets.yml -vvvv --diff -e "losant_personality=$personality" || leaked=1
done
exit "$leaked"
