# -*- coding: utf-8 -*-
# Copyright: Contributors to the losant.platform collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""A made-up second resource, "relays", as CONTRIBUTING.md's "Adding a resource" builds one: a field table and
a small module on ``ResourceApi`` and the shared converge path, nothing else. Test-only: it proves that the
shared layers (``_module``, ``_client``, ``_fields``, ``_resource``, ``_resource_set``) carry a resource that is
not a webhook. The emulator has no relays,
so the descriptor points at a collection it serves: ``RELAYS.collection`` is the one line a real resource
changes."""

from __future__ import annotations

from typing import Any, Optional

from ansible_collections.losant.platform.plugins.module_utils._client import LosantError
from ansible_collections.losant.platform.plugins.module_utils._fields import Field, field_argument_spec, mask, validate_fields
from ansible_collections.losant.platform.plugins.module_utils._module import LosantModule
from ansible_collections.losant.platform.plugins.module_utils._resource import Resource, ResourceApi
from ansible_collections.losant.platform.plugins.module_utils._resource_set import Change, converge

FIELDS = (
    Field('name', 'name', 'str', max_length=255, non_empty=True),
    Field('description', 'description', 'str', '', max_length=32767),
    Field('enabled', 'enabled', 'bool', True),
    Field('shared_secret', 'basicAuthPassword', 'str', secret=True, max_length=255),
)
RELAYS = Resource('relay', 'webhooks', FIELDS)


class RelayModule(LosantModule):
    """One relay, found by its exact name: present with the fields given, or absent."""

    def __init__(self) -> None:
        argument_spec = field_argument_spec(FIELDS)
        argument_spec['name']['required'] = True
        argument_spec.update(
            application_id={'type': 'str', 'required': True},
            state={'type': 'str', 'default': 'present', 'choices': ['present', 'absent']},
        )
        super().__init__(argument_spec)

    def run(self) -> None:
        self.check_input(validate_fields(FIELDS, self.params))
        api = ResourceApi(RELAYS, self.client(RELAYS.secret_keys), self.params['application_id'],
                          check_mode=self.module.check_mode)
        try:
            result = self.apply(api, self.find(api))
        except LosantError as error:
            self.fail(error, requests=api.writes)
        if not self.module._diff:
            result.pop('diff')
        self.exit(requests=api.writes, **result)

    def find(self, api: ResourceApi) -> Optional[dict[str, Any]]:
        found = api.find_by_name(self.params['name'])
        if found.problem:
            self.module.fail_json(msg='Nothing was changed: the relay listing stayed inconsistent (%s).' % found.problem)
        if len(found.items) > 1:
            self.module.fail_json(msg='%d relays are named %r.' % (len(found.items), self.params['name']))
        return found.items[0] if found.items else None

    def apply(self, api: ResourceApi, current: Optional[dict[str, Any]]) -> dict[str, Any]:
        if self.params['state'] == 'present':
            change = converge(RELAYS, current, self.params)
        else:
            change = Change('delete', current.get('name'), current, resource=RELAYS) if current else None
        if change is None:
            return self.outcome(False, current or {}, {})
        return self.outcome(True, *change.report(change.send(api), self.params['application_id']))

    @staticmethod
    def outcome(changed: bool, relay: dict[str, Any], diff: dict[str, Any]) -> dict[str, Any]:
        return {'changed': changed, 'relay': mask(FIELDS, relay), 'diff': diff or {'before': {}, 'after': {}}}


def main() -> None:
    RelayModule().run()
