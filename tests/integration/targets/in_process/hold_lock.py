# -*- coding: utf-8 -*-
# Copyright: Contributors to the losant.platform collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Hold the name lock of one webhook as a stuck task would, until terminated; print the lock's path once held.

Usage: python hold_lock.py API_URL APPLICATION_ID NAME (the collection is found on ANSIBLE_COLLECTIONS_PATH).
"""

from __future__ import annotations

import os
import signal
import sys

for variable in ('ANSIBLE_COLLECTIONS_PATH', 'ANSIBLE_COLLECTIONS_PATHS'):
    sys.path[:0] = [path for path in os.environ.get(variable, '').split(os.pathsep) if path]

# pylint: disable=wrong-import-position
from ansible_collections.losant.platform.plugins.module_utils import _lock as lock  # noqa: E402
from ansible_collections.losant.platform.plugins.module_utils._module import server_identity  # noqa: E402


def main() -> None:
    api_url, application_id, name = sys.argv[1:]
    key = (server_identity(api_url), application_id.lower(), name)
    signal.signal(signal.SIGTERM, lambda number, frame: sys.exit(0))  # so that the lock file is removed
    with lock.held(*key, wait=0):
        print(lock.lock_path(*key), flush=True)
        signal.pause()


if __name__ == '__main__':
    main()
