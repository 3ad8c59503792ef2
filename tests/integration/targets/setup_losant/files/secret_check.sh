# shellcheck shell=bash
# Sourced by the runme.sh of targets that prove no secret leaks. Usage, from a target directory:
#   . ../setup_losant/files/secret_check.sh
#   new_secrets LOSANT_TEST_PASSWORD LOSANT_TEST_CODE    # exported, for secrets.yml to use
#   check_no_secret_leaks secrets.yml -vvvv --diff       # fails on any secret in the output
# secrets.yml must end with an assert whose success_msg is 'secret masking checked', which proves
# the checks ran. The API token from integration_config.yml is always one of the secrets.

integration_config=../../integration_config.yml
secret_names=()

new_secrets() {
    local name
    for name in "$@"; do
        printf -v "$name" '%s-%s-%s%s' "${name,,}" "$$" "$RANDOM" "$RANDOM"
        export "${name?}"
        secret_names+=("$name")
    done
}

check_no_secret_leaks() {
    local playbook=$1 log name value token leaked=0
    shift
    token=$(sed -n 's/^losant_api_token: *//p' "$integration_config" | tr -d "'\"")
    [ -n "$token" ] || { echo "FAIL: no losant_api_token in $integration_config" >&2; return 1; }
    log=$(mktemp)
    if ! ansible-playbook "$playbook" -e "@$integration_config" "$@" >"$log" 2>&1; then
        cat "$log"
        rm -f "$log"
        return 1
    fi
    for name in "${secret_names[@]}" token; do
        value=${!name}
        if grep -n -F -- "$value" "$log"; then
            echo "FAIL: the value of $name appears in the output of $playbook $* (lines above)" >&2
            leaked=1
        fi
    done
    if ! grep -q -F 'secret masking checked' "$log"; then
        cat "$log"
        echo "FAIL: the masking checks of $playbook did not run" >&2
        leaked=1
    fi
    [ "$leaked" -eq 1 ] || echo "OK: no secret in $(wc -l <"$log") lines of output of $playbook $*"
    rm -f "$log"
    return "$leaked"
}
