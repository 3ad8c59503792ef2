#!/usr/bin/env bash
# make mutation: mutation testing of plugins/ against the unit suite (cosmic-ray), on the collection
# copy made by scripts/sync-collection.sh, which it mutates in place (the work tree is never touched).
# Usage: tests/mutation/run.sh VENV [PATH...]   PATH: files or folders under plugins/ (default plugins)
set -euo pipefail
trap 'echo "$0: line $LINENO: failed: $BASH_COMMAND" >&2' ERR

root=$(cd "$(dirname "$0")/../.." && pwd)
venv=$(cd "$1" && pwd)
shift
collection=$root/.tmp/ansible_collections/losant/platform
work=$root/.tmp/mutation
[ -d "$collection" ] || { echo "no collection copy at $collection: run make sync" >&2; exit 1; }
mkdir -p "$work"
rm -f "$work"/session*.sqlite

# Plain pytest is ten times quicker than ansible-test units and runs the same tests. No bytecode:
# a mutant of the same size written within the same second would otherwise run the cached original.
export PYTHONPATH=$root/.tmp PYTHONDONTWRITEBYTECODE=1
cd "$collection"
modules=("${@:-plugins}")
for index in "${!modules[@]}"; do
    config=$work/config-$index.toml session=$work/session-$index.sqlite
    cat >"$config" <<CONFIG
[cosmic-ray]
module-path = "${modules[$index]}"
timeout = 120.0
excluded-modules = []
test-command = "$venv/bin/python -m pytest -x -q -p no:cacheprovider tests/unit"

[cosmic-ray.distributor]
name = "local"
CONFIG
    "$venv/bin/cosmic-ray" init "$config" "$session"
    "$venv/bin/cosmic-ray" baseline "$config" >/dev/null || { echo "the unit suite fails unmutated" >&2; exit 1; }
    "$venv/bin/cosmic-ray" exec "$config" "$session"
done
exec "$venv/bin/python" "$root/tests/mutation/report.py" "$root/tests/mutation/equivalent.yml" "$work"/session-*.sqlite
