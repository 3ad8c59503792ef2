#!/usr/bin/env bash
# Run ansible-test from a virtual environment on the copy made by scripts/sync-collection.sh.
# Usage: scripts/ansible-test.sh VENV ARG...   e.g. scripts/ansible-test.sh .venv/core-2.16 units --python 3.11
set -euo pipefail
trap 'echo "$0: line $LINENO: failed: $BASH_COMMAND" >&2' ERR

root=$(cd "$(dirname "$0")/.." && pwd)
venv=$(cd "$1" && pwd)
shift
collection=$root/.tmp/ansible_collections/losant/platform
[ -d "$collection" ] || { echo "no collection copy at $collection: run scripts/sync-collection.sh" >&2; exit 1; }

# The stand-ins live in the home directory, outside the venv: refresh them on every run.
"$root/scripts/install-get-pip-standins.sh" "$venv" >/dev/null
cd "$collection"
# Other Pythons (from pyenv or uv, when present; the Makefile exports where) let ansible-test check
# modules on target versions; otherwise ansible-test looks for pythonX.Y on the PATH.
pyenv_versions=${PYENV_VERSIONS:-${PYENV_ROOT:-$HOME/.pyenv}/versions}
uv_pythons=${UV_PYTHONS:-${XDG_DATA_HOME:-$HOME/.local/share}/uv/python}
pythons=$(find "$pyenv_versions" "$uv_pythons" -maxdepth 2 \( -path '*/3.*/bin' -o -path '*/cpython-3.*/bin' \) \
    -not -path '*+freethreaded*' 2>/dev/null | sort | paste -sd: -) || true
export PATH=$venv/bin:${pythons:+$pythons:}$PATH
# ansible-test keeps the sanity tests' environments in ~/.ansible/test/venv, shared by every
# checkout: two sanity runs at once corrupt them, so they take turns.
if [ "${1:-}" = sanity ] && command -v flock >/dev/null; then
    lock=${ANSIBLE_TEST_SANITY_LOCK:-$HOME/.ansible/test/sanity.lock}
    mkdir -p "$(dirname "$lock")"
    exec flock "$lock" ansible-test "$@"
fi
exec ansible-test "$@"
