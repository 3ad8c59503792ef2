#!/usr/bin/env bash
# Run the benchmarks: prepare the ansible-core virtualenvs of `make test` (.venv/core-X.Y for each of
# $BENCH_CORES, which `make bench` sets to the Makefile's CORES) and .venv/bench (rebuilt when benchmarks/requirements.txt changes), then `python -m benchmarks`, which
# starts the emulator over TLS on 127.0.0.1, measures at 0 and 50 ms per request, and writes
# docs/performance.md and docs/performance.png. Arguments go to `python -m benchmarks` (try --help).
# Exit status 1 when a floor or goal does not hold. Takes about 15 minutes on 2 idle cores.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

python=${BENCH_PYTHON:-python3}
venv=.venv/bench
requirements=benchmarks/requirements.txt

"$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
    || { echo "benchmarks need Python 3.11 or later; set BENCH_PYTHON" >&2; exit 2; }
read -r -a cores <<< "${BENCH_CORES:-$(sed -n 's/^CORES := //p' Makefile)}"
targets=()
for core in "${cores[@]}"; do targets+=(".venv/core-$core/.installed"); done
make --no-print-directory "${targets[@]}"

if ! cmp -s "$requirements" "$venv/requirements.txt" 2>/dev/null; then
    rm -rf "$venv"
    "$python" -m venv "$venv"
    "$venv/bin/pip" install --quiet --quiet --disable-pip-version-check -r "$requirements"
    cp "$requirements" "$venv/requirements.txt"
fi

exec "$venv/bin/python" -m benchmarks "$@"
