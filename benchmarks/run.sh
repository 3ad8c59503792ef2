#!/usr/bin/env bash
# Run the benchmarks: prepare .venv/bench (rebuilt when benchmarks/requirements.txt changes), then
# `python -m benchmarks`, which starts the emulator on 127.0.0.1, measures, and writes
# docs/performance.md and docs/performance.png. Arguments go to `python -m benchmarks` (try --help).
# Exit status 1 when a floor does not hold. Takes about 15 minutes on 2 cores.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

python=${BENCH_PYTHON:-python3}
venv=.venv/bench
requirements=benchmarks/requirements.txt

"$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
    || { echo "benchmarks need Python 3.11 or later (ansible-core 2.19); set BENCH_PYTHON" >&2; exit 2; }

if ! cmp -s "$requirements" "$venv/requirements.txt" 2>/dev/null; then
    rm -rf "$venv"
    "$python" -m venv "$venv"
    "$venv/bin/pip" install --quiet --quiet --disable-pip-version-check -r "$requirements"
    cp "$requirements" "$venv/requirements.txt"
fi

exec "$venv/bin/python" -m benchmarks "$@"
