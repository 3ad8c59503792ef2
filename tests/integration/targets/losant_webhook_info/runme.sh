#!/usr/bin/env bash
# Runs the behaviour tests, then the secret masking tests at the highest verbosity and checks
# that neither the secrets the API returns nor the API token appear anywhere in that output.
set -eu

export ANSIBLE_ROLES_PATH=..
config=(-e @../../integration_config.yml)

ansible-playbook tests.yml "${config[@]}" "$@"

LOSANT_TEST_PASSWORD="pw-$$-${RANDOM}${RANDOM}-password"
LOSANT_TEST_CODE="code-$$-${RANDOM}${RANDOM}-verification"
export LOSANT_TEST_PASSWORD LOSANT_TEST_CODE

log=$(mktemp)
trap 'rm -f "$log"' EXIT
if ! ansible-playbook secrets.yml "${config[@]}" -vvvv >"$log" 2>&1; then
    cat "$log"
    exit 1
fi
tail -n 30 "$log"

token=$(sed -n 's/^losant_api_token: *//p' ../../integration_config.yml | tr -d "'\"")
[ -n "$token" ] || { echo "no losant_api_token in integration_config.yml" >&2; exit 1; }
leaked=0
for secret in "$LOSANT_TEST_PASSWORD" "$LOSANT_TEST_CODE" "$token"; do
    if grep -n -F -- "$secret" "$log"; then
        echo "FAIL: a secret appears in the -vvvv output (lines above)" >&2
        leaked=1
    fi
done
[ "$leaked" -eq 0 ] || exit 1
grep -q -F 'masked secrets checked' "$log" || { echo "FAIL: the masking checks did not run" >&2; exit 1; }
echo "OK: no secret in $(wc -l <"$log") lines of -vvvv output"
