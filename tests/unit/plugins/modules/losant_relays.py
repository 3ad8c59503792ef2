# -*- coding: utf-8 -*-
# Copyright: Contributors to the losant.platform collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The list module of the made-up relay resource (losant_relay.py): a ``ListModule`` given the relays' descriptor.
Test-only: it proves that ``_list_module`` and ``_resource_set`` carry a resource that is not a webhook."""

from __future__ import annotations

from ansible_collections.losant.platform.plugins.module_utils._list_module import ListModule
from ansible_collections.losant.platform.tests.unit.plugins.modules.losant_relay import RELAYS


class RelaysModule(ListModule):
    """Every relay of an application made to match ``config``."""

    resource = RELAYS
    rename_hint = 'Rename or delete all but one with losant_relay and relay_id.'

    def __init__(self) -> None:
        super().__init__({})


def main() -> None:
    RelaysModule().run()
