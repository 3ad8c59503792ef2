#!/usr/bin/env bash
# Copy the collection's tracked and untracked-but-not-ignored files to
# .tmp/ansible_collections/losant/platform, the layout ansible-test and ansible-doc need.
# Usage: scripts/sync-collection.sh   (prints the destination)
set -euo pipefail

root=$(git -C "$(dirname "$0")/.." rev-parse --show-toplevel)
dest=$root/.tmp/ansible_collections/losant/platform

rm -rf "$dest"
mkdir -p "$dest"
cd "$root"
# --cached also lists files deleted from the work tree but not yet from the index: skip those.
git ls-files -z --cached --others --exclude-standard \
    | while IFS= read -r -d '' path; do { [ -e "$path" ] || [ -L "$path" ]; } && printf '%s\0' "$path"; done \
    | sort -zu \
    | tar --null --files-from=- -cf - \
    | tar -xf - -C "$dest"
# ansible-test lists content with git from the nearest .git upwards; without a repository of its
# own the copy would be seen through this repository, which ignores .tmp/, and look empty.
git -C "$dest" init -q
echo "$dest"
