#!/usr/bin/env bash
# Check a built collection tarball: it holds no local or generated files, it installs with
# ansible-galaxy, and ansible-doc documents every module in plugins/modules/.
# Usage: scripts/check-build.sh BUILD_DIR VENV...   (one install and ansible-doc run per VENV)
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build_dir=$(cd "$1" && pwd)
shift

tarballs=("$build_dir"/losant-platform-*.tar.gz)
[ ${#tarballs[@]} -eq 1 ] && [ -f "${tarballs[0]}" ] \
    || { echo "expected exactly one losant-platform-*.tar.gz in $build_dir" >&2; exit 1; }
tarball=${tarballs[0]}

unwanted=$(tar -tzf "$tarball" \
    | grep -E '^(\.tmp|\.venv|\.cache|\.git|\.ansible|\.pytest_cache|tests/output)(/|$)|(^|/)__pycache__/|\.tar\.gz$|integration_config\.yml$' \
    || true)
if [ -n "$unwanted" ]; then
    echo "$tarball contains files that must not ship (extend build_ignore in galaxy.yml):" >&2
    echo "$unwanted" | sed 's/^/  /' | head -20 >&2
    exit 1
fi

modules=()
for path in "$root"/plugins/modules/*.py; do
    name=$(basename "$path" .py)
    [ -f "$path" ] && [ "$name" != __init__ ] && modules+=("$name")
done

for venv in "$@"; do
    venv=$(cd "$venv" && pwd)
    destination=$build_dir/install-$(basename "$venv")
    rm -rf "$destination"
    ANSIBLE_COLLECTIONS_PATH=$destination \
        "$venv/bin/ansible-galaxy" collection install --offline -p "$destination" "$tarball"
    for module in "${modules[@]}"; do
        # Run outside the work tree so ansible-doc can only find the installed copy.
        (cd "$destination" && ANSIBLE_COLLECTIONS_PATH=$destination \
            "$venv/bin/ansible-doc" -t module "losant.platform.$module" >/dev/null) \
            || { echo "ansible-doc losant.platform.$module failed with $(basename "$venv")" >&2; exit 1; }
    done
    echo "$(basename "$venv"): installed $(basename "$tarball"); ansible-doc works for ${#modules[@]} module(s): ${modules[*]}"
done
