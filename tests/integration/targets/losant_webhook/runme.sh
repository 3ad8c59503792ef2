#!/usr/bin/env bash
# Runs the behaviour tests, then the secret tests at the highest verbosity with --diff and checks
# that no secret value, whether given by the user or only returned by the API, appears in that output.
set -eu

export ANSIBLE_ROLES_PATH=..
config=(-e @../../integration_config.yml)

ansible-playbook tests.yml "${config[@]}" "$@"

LOSANT_TEST_API_PASSWORD="api-pw-$$-${RANDOM}${RANDOM}"
LOSANT_TEST_API_CODE="api-code-$$-${RANDOM}${RANDOM}"
LOSANT_TEST_USER_PASSWORD="user-pw-$$-${RANDOM}${RANDOM}"
LOSANT_TEST_USER_PASSWORD_2="user-pw2-$$-${RANDOM}${RANDOM}"
LOSANT_TEST_USER_CODE="user-code-$$-${RANDOM}${RANDOM}"
export LOSANT_TEST_API_PASSWORD LOSANT_TEST_API_CODE LOSANT_TEST_USER_PASSWORD LOSANT_TEST_USER_PASSWORD_2 \
    LOSANT_TEST_USER_CODE

log=$(mktemp)
trap 'rm -f "$log"' EXIT
if ! ansible-playbook secrets.yml "${config[@]}" -vvvv --diff >"$log" 2>&1; then
    cat "$log"
    exit 1
fi

token=$(sed -n 's/^losant_api_token: *//p' ../../integration_config.yml | tr -d "'\"")
[ -n "$token" ] || { echo "no losant_api_token in integration_config.yml" >&2; exit 1; }
leaked=0
for secret in "$LOSANT_TEST_API_PASSWORD" "$LOSANT_TEST_API_CODE" "$LOSANT_TEST_USER_PASSWORD" \
    "$LOSANT_TEST_USER_PASSWORD_2" "$LOSANT_TEST_USER_CODE" "$token"; do
    if grep -n -F -- "$secret" "$log"; then
        echo "FAIL: a secret appears in the -vvvv --diff output (lines above)" >&2
        leaked=1
    fi
done
[ "$leaked" -eq 0 ] || exit 1
grep -q -F 'secret masking checked' "$log" || { cat "$log"; echo "FAIL: the masking checks did not run" >&2; exit 1; }
grep -q -F -- '******** (changed)' "$log" || { echo "FAIL: no masked diff in the output" >&2; exit 1; }
echo "OK: no secret in $(wc -l <"$log") lines of -vvvv --diff output"
