#!/usr/bin/env bash
# Build the HTML documentation into docs/build/html: the module reference and the user guide
# (docs/docsite/rst), linted with antsibull-docs and rendered with Sphinx, warnings as errors.
# Nothing is downloaded but the pinned toolchain from PyPI (docs/requirements.txt) on first use:
# intersphinx inventories are not fetched, and the few Ansible docsite labels the generated
# pages use resolve to fixed URLs.
#
# Usage: scripts/build-docs.sh
# Environment:
#   DOCS_VENV       virtual environment of the toolchain (default: .venv/docs), created when missing
#   DOCS_PYTHON     interpreter for that environment (default: the first Python 3.12+ found)
#   COLLECTION_DIR  an existing copy of the collection at .../ansible_collections/losant/platform
#                   (default: a fresh copy made by scripts/sync-collection.sh)
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
venv=${DOCS_VENV:-$root/.venv/docs}
site=$root/.tmp/docs-site
output=$root/docs/build/html

find_python() {
    local candidate
    for candidate in "${DOCS_PYTHON:-}" python3.13 python3.12 "$HOME"/.pyenv/versions/3.1[3-9]*/bin/python3 \
        "$HOME"/.pyenv/versions/3.12*/bin/python3 python3; do
        [ -n "$candidate" ] || continue
        if "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then
            echo "$candidate"
            return
        fi
    done
    echo "no Python 3.12 or newer found: set DOCS_PYTHON" >&2
    return 1
}

# The toolchain: (re)installed whenever docs/requirements.txt differs from what was installed.
if ! cmp -s "$root/docs/requirements.txt" "$venv/.installed-requirements.txt"; then
    [ -x "$venv/bin/python" ] || "$(find_python)" -m venv "$venv"
    "$venv/bin/python" -m pip install --quiet --requirement "$root/docs/requirements.txt"
    cp "$root/docs/requirements.txt" "$venv/.installed-requirements.txt"
fi
export PATH=$venv/bin:$PATH

collection=${COLLECTION_DIR:-$("$root/scripts/sync-collection.sh" | tail -n 1)}
collection=$(cd "$collection" && pwd)
case $collection in
    */ansible_collections/losant/platform) ;;
    *) echo "COLLECTION_DIR must end in ansible_collections/losant/platform: $collection" >&2; exit 1 ;;
esac
# Only this copy of the collection is documented, never one installed elsewhere.
export ANSIBLE_COLLECTIONS_PATH=${collection%/ansible_collections/losant/platform}
export ANSIBLE_COLLECTIONS_SCAN_SYS_PATH=false

echo "Linting the module docs and the guide"
(cd "$collection" && antsibull-docs lint-collection-docs --plugin-docs --check-extra-docs-refs .)

echo "Rendering the site"
rm -rf "$site"
mkdir -p "$(dirname "$site")"
mkdir -m 700 "$site"  # antsibull-docs insists on a directory only its owner can write
antsibull-docs sphinx-init --use-current --squash-hierarchy --fail-on-error \
    --project losant.platform \
    --copyright 'Contributors to the losant.platform collection' \
    --title 'losant.platform: Ansible collection for the Losant IoT platform' \
    --html-short-title losant.platform \
    --dest-dir "$site" losant.platform >/dev/null
cat >>"$site/conf.py" <<'EOF'

# Offline build: no intersphinx inventory is downloaded. The labels of the Ansible docsite that
# the generated pages refer to resolve to fixed URLs instead, and so do plugin pages of other
# collections (ansible_collections.<namespace>.<name>.<plugin>_<type>).
import re

intersphinx_mapping = {}
ANSIBLE_DOCSITE = 'https://docs.ansible.com/projects/ansible/latest/'
ANSIBLE_DOCSITE_LABELS = {
    'action_plugins': ('plugins/action.html', 'Action plugins'),
    'ansible_configuration_settings': ('reference_appendices/config.html', 'Ansible Configuration Settings'),
    'callback_plugins': ('plugins/callback.html', 'Callback plugins'),
    'collections_keyword': ('collections_guide/collections_using_playbooks.html', 'Using collections in a playbook'),
    'common_return_values': ('reference_appendices/common_return_values.html', 'Return Values'),
    'list_of_callback_plugins': ('collections/index_callback.html', 'Index of all Callback Plugins'),
    'list_of_collections': ('collections/index.html', 'Collection Index'),
}
PLUGIN_LABEL = re.compile(r'^ansible_collections\.(\w+)\.(\w+)\.(\w+)_(\w+)$')


def ansible_docsite_page(target):
    if target in ANSIBLE_DOCSITE_LABELS:
        return ANSIBLE_DOCSITE_LABELS[target]
    match = PLUGIN_LABEL.match(target)
    if match and match.group(1, 2) != ('losant', 'platform'):
        namespace, name, plugin, plugin_type = match.groups()
        return ('collections/%s/%s/%s_%s.html' % (namespace, name, plugin, plugin_type),
                '%s.%s.%s' % (namespace, name, plugin))
    return None


def resolve_ansible_docsite_label(app, env, node, contnode):
    from docutils import nodes
    page = ansible_docsite_page(node.get('reftarget', '')) if node.get('refdomain') == 'std' else None
    if page is None:
        return None
    url, title = page
    reference = nodes.reference('', '', internal=False, refuri=ANSIBLE_DOCSITE + url)
    reference += contnode if node.get('refexplicit') else nodes.inline(title, title)
    return reference


def setup(app):
    app.connect('missing-reference', resolve_ansible_docsite_label)
EOF
"$site/build.sh"

rm -rf "$output"
mkdir -p "$(dirname "$output")"
cp -a "$site/build/html" "$output"
echo "HTML documentation: $output/index.html"
