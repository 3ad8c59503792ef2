#!/usr/bin/env bash
# Which way the modules run (in the controller's process, or as a module process) for each kind of
# host and switch, and that both ways give the same results. This target sets losant_in_process
# itself, so it drops that key of integration_config.yml and runs the same in every test step.
set -eu
export ANSIBLE_ROLES_PATH=..
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
grep -v '^losant_in_process:' ../../integration_config.yml >"$work/config.yml"

ansible-playbook same_results.yml -i inventory.ini -e "@$work/config.yml" "$@"

# expect_way LOG TASK WAY: the task ran WAY (In-process or Module, as task names begin), as the log shows it.
expect_way() {
    local section
    section=$(awk -v title="TASK [$2]" 'index($0, title) == 1 {on = 1; next} /^(TASK|PLAY) \[/ {on = 0} on' "$1")
    case $3 in
        In-process) grep -q 'in the controller process' <<<"$section" && ! grep -q 'AnsiballZ_' <<<"$section" ;;
        Module) grep -q 'as a module:' <<<"$section" && grep -q 'AnsiballZ_losant_webhook' <<<"$section" ;;
    esac || { echo "FAIL: task '$2' did not run $3:" >&2; echo "$section" >&2; return 1; }
}

ansible-playbook paths.yml -i inventory.ini -e "@$work/config.yml" -vvv >"$work/paths.log" 2>&1 \
    || { cat "$work/paths.log"; exit 1; }
grep -o '^TASK \[\(In-process\|Module\), [^]]*' "$work/paths.log" | sed 's/^TASK \[//' >"$work/tasks"
[ "$(wc -l <"$work/tasks")" -eq 6 ] || { cat "$work/paths.log"; echo "FAIL: not every task ran" >&2; exit 1; }
while read -r task; do
    expect_way "$work/paths.log" "$task" "${task%%,*}"
done <"$work/tasks"
echo "OK: each task ran the way its name says"

LOSANT_IN_PROCESS=false ansible-playbook paths.yml -i inventory.ini -e "@$work/config.yml" -vvv \
    --limit controller >"$work/environment.log" 2>&1 || { cat "$work/environment.log"; exit 1; }
expect_way "$work/environment.log" 'In-process, local connection' Module
expect_way "$work/environment.log" 'In-process, losant_in_process templated to true' In-process
echo "OK: LOSANT_IN_PROCESS=false turns the in-process path off unless the variable says otherwise"

# On an ansible-core minor the in-process path was not tested on, every task runs a module process,
# which -v says once, and each case asked to run in-process gives what a module process gives, which
# the first run showed is what the in-process path gives on this minor.
python untested_core.py paths.yml -i inventory.ini -e "@$work/config.yml" -vvv >"$work/untested.log" 2>&1 \
    || { cat "$work/untested.log"; exit 1; }
while read -r task; do
    expect_way "$work/untested.log" "$task" Module
done <"$work/tasks"
[ "$(grep -c '^losant.platform: modules run as module processes' "$work/untested.log")" -eq 1 ] \
    || { cat "$work/untested.log"; echo "FAIL: not said once with -v" >&2; exit 1; }
python untested_core.py same_results.yml -i inventory.ini -e "@$work/config.yml" -e untested_core=true "$@"
echo "OK: on an untested ansible-core minor every module runs as a module process, with the same results"

# Both ways wait for one name lock, whatever TMPDIR says, and give up naming it (lock.yml): hold_lock.py holds
# it as a stuck task would.
api_url=$(sed -n 's/^losant_api_url: *//p' "$work/config.yml")
application_id=$(sed -n "s/^losant_application_id: *'\{0,1\}\([0-9a-fA-F]*\)'\{0,1\}$/\1/p" "$work/config.yml")
python hold_lock.py "$api_url" "$application_id" locked >"$work/held" &
holder=$!
trap 'kill "$holder" 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 100); do [ -s "$work/held" ] && break; sleep 0.1; done
[ -s "$work/held" ] || { echo "FAIL: hold_lock.py did not take the lock" >&2; exit 1; }
ansible-playbook lock.yml -i inventory.ini -e "@$work/config.yml" -e "lock_path=$(cat "$work/held")" -vvv \
    >"$work/lock.log" 2>&1 || { cat "$work/lock.log"; exit 1; }
expect_way "$work/lock.log" 'In-process, lock held elsewhere' In-process
expect_way "$work/lock.log" 'Module, lock held elsewhere' Module
echo "OK: both ways waited for the one lock, whatever their TMPDIR, and failed naming it"
