#!/usr/bin/env bash
# make mutation: mutation testing of plugins/ against the unit suite (cosmic-ray), on the collection
# copy made by scripts/sync-collection.sh, copied again for each worker and mutated there (the work
# tree is never touched).
# Usage: tests/mutation/run.sh VENV [PATH...]   PATH: files or folders under plugins/ (default plugins)
# MUTATION_JOBS: how many workers (default: the number of CPUs); tests/mutation/run.py says how it runs.
set -euo pipefail
trap 'echo "$0: line $LINENO: failed: $BASH_COMMAND" >&2' ERR

root=$(cd "$(dirname "$0")/../.." && pwd)
venv=$(cd "$1" && pwd)
shift
collection=$root/.tmp/ansible_collections/losant/platform
work=$root/.tmp/mutation
[ -d "$collection" ] || { echo "no collection copy at $collection: run make sync" >&2; exit 1; }
mkdir -p "$work"
rm -rf "$work"/session*.sqlite "$work"/worker-* "$work"/coverage-*

# Plain pytest is ten times quicker than ansible-test units and runs the same tests. No bytecode:
# a mutant of the same size written within the same second would otherwise run the cached original.
export PYTHONPATH=$root/.tmp PYTHONDONTWRITEBYTECODE=1
cd "$collection"
"$venv/bin/python" "$root/tests/mutation/run.py" "$root/tests/mutation/equivalent.yml" "$work" "${MUTATION_JOBS:-$(nproc)}" "$@"
cd "$work/worker-0/ansible_collections/losant/platform"
exec "$venv/bin/python" "$root/tests/mutation/report.py" "$root/tests/mutation/equivalent.yml" "$work"/session-*.sqlite
