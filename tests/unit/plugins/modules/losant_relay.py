# -*- coding: utf-8 -*-
# Copyright: Contributors to the losant.platform collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""A made-up second resource, "relays", as CONTRIBUTING.md's "Adding a resource" builds one: a field table and
a ``SingleModule`` given its descriptor and API, nothing else. Test-only: it proves that the shared layers
(``_module``, ``_client``, ``_fields``, ``_resource``, ``_resource_set``, ``_single_module``) carry a resource that
is not a webhook. The emulator has no relays, so the descriptor points at a collection it serves:
``RELAYS.collection`` is the one line a real resource changes."""

from __future__ import annotations

from typing import Any

from ansible_collections.losant.platform.plugins.module_utils._fields import Field
from ansible_collections.losant.platform.plugins.module_utils._resource import Resource, ResourceApi
from ansible_collections.losant.platform.plugins.module_utils._single_module import SingleModule

FIELDS = (
    Field('name', 'name', 'str', max_length=255, non_empty=True),
    Field('description', 'description', 'str', '', max_length=32767),
    Field('enabled', 'enabled', 'bool', True),
    Field('shared_secret', 'basicAuthPassword', 'str', secret=True, max_length=255),
)
RELAYS = Resource('relay', 'webhooks', FIELDS)


class RelayModule(SingleModule):
    """One relay, found by ``relay_id`` or its exact name: present with the fields given, or absent."""

    resource = RELAYS

    def __init__(self) -> None:
        super().__init__({})

    def api(self) -> ResourceApi:
        return ResourceApi(RELAYS, self.client(RELAYS.scrubbed_keys), self.params['application_id'],
                           check_mode=self.module.check_mode)

    def apply(self, api: ResourceApi) -> dict[str, Any]:
        """The result lists the requests made, as losant_webhooks' does."""
        return dict(super().apply(api), requests=api.writes)


def main() -> None:
    RelayModule().run()
