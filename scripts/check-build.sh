#!/usr/bin/env bash
# Check a built collection tarball: it holds what users need and no development, local or
# generated files, it installs with ansible-galaxy, and ansible-doc documents every module.
# Usage: scripts/check-build.sh BUILD_DIR VENV...   (one install and ansible-doc run per VENV)
set -euo pipefail
trap 'echo "$0: line $LINENO: failed: $BASH_COMMAND" >&2' ERR

root=$(cd "$(dirname "$0")/.." && pwd)
build_dir=$(cd "$1" && pwd)
shift

tarballs=("$build_dir"/losant-platform-*.tar.gz)
[ ${#tarballs[@]} -eq 1 ] && [ -f "${tarballs[0]}" ] \
    || { echo "expected exactly one losant-platform-*.tar.gz in $build_dir" >&2; exit 1; }
tarball=${tarballs[0]}

# The file list: only what users need (allowed by top-level entry), nothing generated or local, and
# every collection file from Git that users need is there (so build_ignore hides none of it). The README
# links docs/performance.md, which shows docs/performance.png: the two ship together.
contents=$(tar -tzf "$tarball" | sed 's|^\./||; s|/$||; /^$/d' | sort -u)
allowed='^(MANIFEST\.json|FILES\.json|README\.md|LICENSE|CHANGELOG\.md|requirements\.txt|(changelogs|docs|meta|playbooks|plugins|tests)(/.*)?)$'
unwanted='(^|/)(__pycache__|\.pytest_cache|\.ansible|\.git)(/|$)|\.pyc$|\.tar\.gz$|^tests/output(/|$)|integration_config\.yml$|^changelogs/\.plugin-cache\.yaml$'
not_allowed=$({ grep -vE "$allowed" <<<"$contents"; grep -E "$unwanted" <<<"$contents"; } || true)
if [ -n "$not_allowed" ]; then
    echo "$tarball contains files that must not ship (extend build_ignore in galaxy.yml):" >&2
    head -n 20 <<<"$not_allowed" | sed 's/^/  /' >&2
    exit 1
fi
required=$(cd "$root" && {
    printf '%s\n' README.md LICENSE CHANGELOG.md requirements.txt changelogs/changelog.yaml \
        docs/performance.md docs/performance.png
    git ls-files --cached --others --exclude-standard -- plugins meta playbooks docs/docsite tests
} | while IFS= read -r path; do if [ -e "$path" ]; then echo "$path"; fi; done | { grep -vE "$unwanted" || true; } | sort -u)
missing=$(comm -23 <(echo "$required") <(echo "$contents"))
if [ -n "$missing" ]; then
    echo "$tarball lacks files users need (check build_ignore in galaxy.yml):" >&2
    head -n 20 <<<"$missing" | sed 's/^/  /' >&2
    exit 1
fi
echo "$(basename "$tarball"): $(wc -l <<<"$contents") entries, only allowed ones, none missing"

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
