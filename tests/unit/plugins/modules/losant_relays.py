# -*- coding: utf-8 -*-
# Copyright: Contributors to the losant.platform collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The list module of the made-up relay resource (losant_relay.py): a ``ListModule`` given the relays' descriptor.
Test-only: it proves that ``_list_module`` and ``_resource_set`` carry a resource that is not a webhook.
``ListModule`` checks, refuses and plans but does not run, so ``run`` is losant_webhooks' without its webhook parts
(the workflows a delete affects, trigger URLs, the is_websocket hint)."""

from __future__ import annotations

from ansible_collections.losant.platform.plugins.module_utils._attribution import attribute
from ansible_collections.losant.platform.plugins.module_utils._client import LosantError
from ansible_collections.losant.platform.plugins.module_utils._fields import mask
from ansible_collections.losant.platform.plugins.module_utils._list_module import ListModule
from ansible_collections.losant.platform.plugins.module_utils._resource import ResourceApi
from ansible_collections.losant.platform.plugins.module_utils._resource_set import (
    PartialFailure,
    after_items,
    applied_changes,
    apply_changes,
    changes_diff,
    unapplied_changes,
    unapplied_message,
)
from ansible_collections.losant.platform.tests.unit.plugins.modules.losant_relay import RELAYS


class RelaysModule(ListModule):
    """Every relay of an application made to match ``config``."""

    resource = RELAYS
    rename_hint = 'Rename or delete all but one with losant_relay and relay_id.'

    def __init__(self) -> None:
        super().__init__({})

    def run(self) -> None:
        self.check_input(self.input_errors())
        app_id, everything = self.params['application_id'], self.params['return_all']
        api = ResourceApi(RELAYS, self.client(RELAYS.scrubbed_keys), app_id, check_mode=self.module.check_mode)
        try:
            listed, changes = self.plan(api, api.listing())
            described = [change.describe() for change in changes]
            attributed = attribute(self, api.client, app_id, RELAYS.fields, described, RELAYS.scrubbed_keys)
            answers = apply_changes(api, changes, self.params['concurrency'])
        except LosantError as error:
            self.fail(error)
        except PartialFailure as failure:
            self.fail(failure.error, changed=bool(failure.applied or failure.outcome_unknown), applied=failure.applied,
                      not_applied=failure.not_applied, outcome_unknown=failure.outcome_unknown, changes=described)
        after = after_items(listed.items, changes, answers, app_id, touched_only=not everything)
        result = dict(changed=bool(changes), relays=[mask(RELAYS.fields, item) for item in after], requests=api.writes,
                      changes=described, before=listed.gathered() if everything else listed.touched(changes),
                      **attributed)
        if self.module._diff:
            result['diff'] = changes_diff(changes, app_id)
        unapplied = unapplied_changes(changes, answers)
        if unapplied:
            result.update(changes=applied_changes(changes, unapplied))
            self.module.fail_json(msg=unapplied_message('Every write', unapplied), fields_not_applied=unapplied,
                                  **dict(result, changed=bool(result['changes'])))
        self.exit(**result)


def main() -> None:
    RelaysModule().run()
