#!/usr/bin/env bash
# Run make steps one after another, even after a failure, so one run reports everything: one line
# per step (name, result, seconds), each step's full output in .tmp/logs/STEP.log, then a summary.
#
# Usage: scripts/run-steps.sh STEP...   (make test calls it with TEST_STEPS)
# Environment:
#   MAKE    the make to run (default: make)
#   STRICT  1: a step stopped by a missing Python (the Makefile's "missing Python: ..." message)
#           fails; otherwise it is skipped, and the summary says what to install
#   CI      true: a failed step's log is printed too (its last lines if long), so CI output shows it
# Exits 1 when a step failed.
set -uo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
logs=$root/.tmp/logs
ci_log_lines=300
mkdir -p "$logs"

passed=0
failed=()
skipped_reasons=()   # each distinct reason once, in order of appearance,
skipped_steps=()     # and the steps it skipped, at the same index

# Record a skipped step under its reason.
skip() {
    local step=$1 reason=$2 i
    for i in "${!skipped_reasons[@]}"; do
        if [ "${skipped_reasons[$i]}" = "$reason" ]; then
            skipped_steps[i]+=" $step"
            return
        fi
    done
    skipped_reasons+=("$reason")
    skipped_steps+=(" $step")
}

# The reason a step was stopped by a missing Python, from make's "*** missing Python: ... Stop." line.
missing_python() {
    sed -n 's/^.*\*\*\* missing Python: \(.*\)\.  Stop\.$/\1/p' "$1" | head -n 1
}

show_log() {
    local log=$1 lines
    lines=$(wc -l <"$log" | tr -d ' ')
    if [ "$lines" -gt "$ci_log_lines" ]; then
        echo "    --- last $ci_log_lines of $lines lines of $log"
        tail -n "$ci_log_lines" "$log" | sed 's/^/    /'
    else
        echo "    --- $log"
        sed 's/^/    /' "$log"
    fi
    echo "    ---"
}

for step in "$@"; do
    log=$logs/$step.log
    start=$SECONDS
    if "${MAKE:-make}" --no-print-directory -C "$root" "$step" >"$log" 2>&1; then
        result=ok
        passed=$((passed + 1))
    else
        reason=$(missing_python "$log")
        if [ -n "$reason" ] && [ "${STRICT:-}" != 1 ]; then
            result=skipped
            skip "$step" "$reason"
        else
            result=FAILED
            failed+=("$step")
        fi
    fi
    printf '%-28s %-8s %5d s\n' "$step" "$result" $((SECONDS - start))
    if [ "$result" = FAILED ]; then
        [ -z "$reason" ] || echo "    $reason"
        echo "    log: $log"
        [ "${CI:-}" != true ] || show_log "$log"
    fi
done

[ ${#failed[@]} -eq 0 ] || echo "failed: ${failed[*]}"
for i in "${!skipped_reasons[@]}"; do
    echo "skipped${skipped_steps[i]}: ${skipped_reasons[i]}"
done
summary="${passed} passed, ${#failed[@]} failed"
skipped_count=$(($# - passed - ${#failed[@]}))
[ "$skipped_count" -eq 0 ] || summary+=", $skipped_count skipped"
echo "summary: $summary"
[ ${#failed[@]} -eq 0 ]
