#!/usr/bin/env bash
# Run make steps one after another, even after a failure, so one run reports everything: one line
# per step (name, result, seconds; a skipped or failed step's reason on the next line), each step's
# full output in .tmp/logs/STEP.log, then a summary, which says when steps were skipped that this
# was not a full test, and how to install what they missed.
#
# Usage: scripts/run-steps.sh STEP...   (make test calls it with TEST_STEPS)
# Environment:
#   MAKE    the make to run (default: make)
#   STRICT  1: a step stopped by a missing Python (the Makefile's "missing Python: ..." message)
#           fails; otherwise it is skipped, and the summary says how to install it
#   CI      true: a failed step's log is printed too (its last lines if long), so CI output shows it
# Exits 1 when a step failed.
set -uo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
logs=$root/.tmp/logs
ci_log_lines=300
mkdir -p "$logs"

passed=0
failed=()
skipped=()
missing_pythons=()   # X.Y each skipped step needed first, each once

# The reason a step was stopped by a missing Python, from make's "*** missing Python: ... Stop." line.
missing_python() {
    sed -n 's/^.*\*\*\* \(missing Python: .*\)\.  Stop\.$/\1/p' "$1" | head -n 1
}

# Record the Python X.Y a skip reason ("missing Python: Python X.Y ...") names first.
note_missing_python() {
    local version
    version=$(sed -n 's/^missing Python: Python \([0-9.]*\).*/\1/p' <<<"$1")
    [[ " ${missing_pythons[*]} " == *" $version "* ]] || missing_pythons+=("$version")
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
    reason=
    log=$logs/$step.log
    start=$SECONDS
    if "${MAKE:-make}" --no-print-directory -C "$root" "$step" >"$log" 2>&1; then
        result=ok
        passed=$((passed + 1))
    else
        reason=$(missing_python "$log")
        if [ -n "$reason" ] && [ "${STRICT:-}" != 1 ]; then
            result=skipped
            skipped+=("$step")
            note_missing_python "$reason"
        else
            result=FAILED
            failed+=("$step")
        fi
    fi
    printf '%-28s %-8s %5d s\n' "$step" "$result" $((SECONDS - start))
    [ -z "$reason" ] || [ "$result" = ok ] || echo "    $reason"
    if [ "$result" = FAILED ]; then
        echo "    log: $log"
        [ "${CI:-}" != true ] || show_log "$log"
    fi
done

[ ${#failed[@]} -eq 0 ] || echo "failed: ${failed[*]}"
[ ${#skipped[@]} -eq 0 ] || echo "skipped: ${skipped[*]}"
summary="${passed} passed, ${#failed[@]} failed"
[ ${#skipped[@]} -eq 0 ] || summary+=", ${#skipped[@]} skipped"
echo "summary: $summary"
if [ ${#skipped[@]} -gt 0 ]; then
    echo "${#skipped[@]} of $# steps skipped: not a full test"
    echo "To run them, install the Pythons they need with: $("$root/scripts/python-advice.sh" "${missing_pythons[@]}")"
    echo "then run make test again (make help lists the Pythons found for each step)."
fi
[ ${#failed[@]} -eq 0 ]
