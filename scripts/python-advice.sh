#!/usr/bin/env bash
# How to install Python X.Y... on this machine, as one command line: with pyenv when it is here,
# else with uv when it is here, else uv's own one-line install first. uv installs prebuilt
# Pythons; distributions lag behind (Debian 12 has no python3.13 package), so none is advised.
# The Makefile finds what either installs (PYENV_VERSIONS, UV_PYTHONS).
#
# Usage: scripts/python-advice.sh X.Y...    e.g. scripts/python-advice.sh 3.13 3.12
set -euo pipefail

pyenv_root=${PYENV_ROOT:-$HOME/.pyenv}
if command -v pyenv >/dev/null; then
    echo "pyenv install $*"
elif [ -x "$pyenv_root/bin/pyenv" ]; then  # installed, but not on the PATH
    echo "$pyenv_root/bin/pyenv install $*"
elif command -v uv >/dev/null; then
    echo "uv python install $*"
else
    echo "curl -LsSf https://astral.sh/uv/install.sh | sh && ~/.local/bin/uv python install $*"
fi
