# shellcheck shell=bash
# Sourced by the runme.sh of targets that prove no secret leaks. Usage, from a target directory:
#   . ../setup_losant/files/secret_check.sh
#   new_secrets LOSANT_TEST_PASSWORD LOSANT_TEST_CODE    # exported, for secrets.yml to use
#   check_no_secret_leaks secrets.yml -vvvv --diff       # fails on any secret in the output
# secrets.yml must end with an assert whose success_msg is 'secret masking checked', which proves
# the checks ran. The API token from integration_config.yml is always one of the secrets.
# The same output also proves which way the modules ran (check_execution_path, below).

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
    check_execution_path "$log" || leaked=1
    rm -f "$log"
    return "$leaked"
}

# The modules run in the controller's process unless integration_config.yml sets
# losant_in_process: false. LOG is -vvv output or more: the action plugin names the way it took
# for every task, and a module process shows as the AnsiballZ payload Ansible ran.
check_execution_path() {
    local log=$1 expected=in-process taken payloads
    grep -q '^losant_in_process: *false' "$integration_config" && expected=module
    taken=$(grep -a -o 'losant\.platform: running [a-z_]* \(in the controller process\|as a module\)' "$log" \
        | sed 's/.* in the controller process$/in-process/; s/.* as a module$/module/' | sort -u)
    payloads=$(grep -a -c 'AnsiballZ_losant_webhook' "$log" || true)
    if [ "$taken" != "$expected" ] || { [ "$expected" = module ] && [ "$payloads" -eq 0 ]; } \
        || { [ "$expected" = in-process ] && [ "$payloads" -ne 0 ]; }; then
        echo "FAIL: expected every module to run $expected; the action plugin reported: ${taken:-nothing}," \
            "and $payloads lines name an AnsiballZ payload of the collection" >&2
        return 1
    fi
    echo "OK: every module ran $expected"
}
