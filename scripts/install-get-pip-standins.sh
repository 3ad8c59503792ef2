#!/usr/bin/env bash
# Save the offline get-pip stand-in under every name the given ansible-test may look for.
# Usage: scripts/install-get-pip-standins.sh VENV
set -euo pipefail

venv=$1
standin=$(dirname "$0")/get-pip-standin.py
cache=${HOME}/.ansible/test/cache
requirements_py=$("$venv/bin/python" -c 'import ansible_test, os; print(os.path.join(os.path.dirname(ansible_test.__file__), "_internal", "python_requirements.py"))')

versions=$(grep -oE "pip='[0-9.]+'" "$requirements_py" | grep -oE '[0-9.]+' | sort -u)
[ -n "$versions" ] || { echo "no pip version found in $requirements_py" >&2; exit 1; }

mkdir -p "$cache"
for version in $versions; do
    cp "$standin" "$cache/get_pip_${version//./_}.py"
    echo "pip bootstrap stand-in: $cache/get_pip_${version//./_}.py"
done
