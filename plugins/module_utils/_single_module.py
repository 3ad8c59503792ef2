# -*- coding: utf-8 -*-
# Copyright: Contributors to the losant.platform collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

# Private to the losant.platform collection: it changes without notice, so other collections and
# plugins of your own must not import it.

"""The module of one object of any resource: its options, the lookup by ID or exact name under a name lock, and the
one write, planned by the converge path the list module shares."""

from __future__ import annotations

import contextlib
from typing import Any, ContextManager, Optional

from ansible_collections.losant.platform.plugins.module_utils import _lock as lock
from ansible_collections.losant.platform.plugins.module_utils._attribution import (
    ATTRIBUTION_ARGUMENT_SPEC, attribute, attribution_errors,
)
from ansible_collections.losant.platform.plugins.module_utils._client import LosantError
from ansible_collections.losant.platform.plugins.module_utils._fields import (
    field_argument_spec, mask, validate_fields, validate_id,
)
from ansible_collections.losant.platform.plugins.module_utils._module import LosantModule, server_identity
from ansible_collections.losant.platform.plugins.module_utils._resource import Resource, ResourceApi, look_alike_filter
from ansible_collections.losant.platform.plugins.module_utils._resource_set import (
    Change, ResourceSet, applied_changes, converge, unapplied_message,
)

# The requests a task makes holding the name lock at most: two readings of the listing, a lookup before a delete
# and the write. The lock is waited for as long as its holder may take, each request retried to the limit.
LOCKED_REQUESTS = 4


class SingleModule(LosantModule):
    """Makes one object of ``resource`` match the options given, found by ``<singular>_id`` or its exact name. Subclasses
    give ``api`` and may add what a delete looks up (``affected_workflows``) and what the result shows (``shown``)."""

    resource: Resource

    def __init__(self, own_options: dict[str, Any]) -> None:
        """``own_options``: the argument spec of the options only this resource's module has."""
        self.id_option = '%s_id' % self.resource.singular
        argument_spec = field_argument_spec(self.resource.fields)
        argument_spec.update({
            'application_id': {'type': 'str', 'required': True},
            self.id_option: {'type': 'str'},
            'state': {'type': 'str', 'default': 'present', 'choices': ['present', 'absent']},
            'update_secrets': {'type': 'str', 'default': 'always', 'choices': ['always', 'on_create']},
            **own_options,
            **ATTRIBUTION_ARGUMENT_SPEC,
        })
        super().__init__(argument_spec, required_one_of=[(self.id_option, 'name')])

    def api(self) -> ResourceApi:
        raise NotImplementedError

    def affected_workflows(self, api: ResourceApi, change: Optional[Change]) -> Optional[list[dict[str, Any]]]:
        """The workflows a delete affects, looked up before it (None: the resource triggers none)."""
        return None

    def shown(self, item: dict[str, Any]) -> dict[str, Any]:
        return {self.resource.singular: mask(self.resource.fields, item)}

    def run(self) -> None:
        self.check_input(validate_id(self.id_option, self.params[self.id_option])
                         + validate_fields(self.resource.fields, self.params) + attribution_errors(self.params))
        api = self.api()
        try:
            with self.name_lock():
                result = self.apply(api)
        except lock.LockError as error:
            self.module.fail_json(msg='Nothing was changed: %s' % error)
        result.update(attribute(self, api, self.params['application_id'], result['changes']))
        if not self.module._diff:
            result.pop('diff')
        self.exit(**result)

    def apply(self, api: ResourceApi) -> dict[str, Any]:
        try:
            current = self.find(api)
            change = self.plan(current)
            affected = self.affected_workflows(api, change)
            answer = change.send(api) if change else None
            if change:
                self.refuse_unapplied(api, change, answer)
        except LosantError as error:
            self.fail(error)
        result = self.outcome(change, current, answer, affected or [])
        if affected is not None:
            result['affected_workflows'] = affected
        return result

    def plan(self, current: Optional[dict[str, Any]]) -> Optional[Change]:
        if self.params['state'] == 'present':
            return converge(self.resource, current, self.params, update_secrets=self.params['update_secrets'])
        if current is not None:
            return Change(self.resource, 'delete', current.get('name'), current)
        return None

    def name_lock(self) -> ContextManager[None]:
        """Tasks on one machine for one name (parallel hosts delegating to it) look up and create one at a time."""
        if self.params[self.id_option] or self.module.check_mode:
            return contextlib.nullcontext()
        params = self.params
        wait = LOCKED_REQUESTS * (params['api_retries'] + 1) * params['timeout'] + params['api_retry_max_wait']
        return lock.held(server_identity(params['api_url']), params['application_id'].lower(), params['name'], wait=wait)

    def find(self, api: ResourceApi) -> Optional[dict[str, Any]]:
        item_id, name, word = self.params[self.id_option], self.params['name'], self.resource.singular
        if item_id:
            item = api.get(item_id)
            if item is None and self.params['state'] == 'present':
                self.module.fail_json(msg='%s %s was not found in application %s; a %s cannot be created with a given '
                                          'ID, remove %s to create one by name.'
                                      % (word.capitalize(), item_id, self.params['application_id'], word,
                                         self.id_option))
            return item
        found = api.listing(look_alike_filter(name))
        listed = ResourceSet(self.resource, found.items)
        matches = listed.by_name.get(name, [])
        if len(matches) > 1:
            ids = ', '.join(item['id'] for item in matches)
            self.module.fail_json(msg='%d %s are named %r (IDs %s); set %s to choose one.'
                                  % (len(matches), self.resource.plural, name, ids, self.id_option),
                                  **{'%s_ids' % word: [item['id'] for item in matches]})
        if found.problem and not matches:
            consequence = ('creating it could make a second %s of that name' % word
                           if self.params['state'] == 'present' else 'reporting it absent could be wrong')
            self.module.fail_json(msg=self.resource.unconfirmed_absence(found.problem, [name], consequence))
        if found.problem:
            self.module.warn(self.resource.incomplete_listing(found.problem))
        look_alikes = listed.look_alikes([name]) if self.params['state'] == 'present' else {}
        if look_alikes:
            self.module.fail_json(msg='Nothing was changed: name %r differs from %s %r only by white space around '
                                      'it, invisible characters or Unicode spelling. Names are matched exactly, so this '
                                      'would make a second %s; write the name as the %s has it.'
                                  % (name, word, look_alikes[name][0], word, word))
        return matches[0] if matches else None

    def refuse_unapplied(self, api: ResourceApi, change: Change, answer: Optional[dict[str, Any]]) -> None:
        """Fail when the API answered a write without applying all of it, which would change again every run."""
        options = self.resource.unapplied_options(change.body or {}, answer)
        if options:
            applied = applied_changes([change], {change.name: options})
            request = '%(method)s %(path)s' % api.writes[-1]
            self.module.fail_json(msg=unapplied_message(request, {answer.get('name'): options}, self.resource),
                                  fields_not_applied=options, changed=bool(applied), changes=applied,
                                  **self.shown(answer))

    def outcome(self, change: Optional[Change], current: Optional[dict[str, Any]], answer: Optional[dict[str, Any]],
                affected: list[dict[str, Any]]) -> dict[str, Any]:
        if change is None:
            return dict(changed=False, diff={'before': {}, 'after': {}}, changes=[], **self.shown(current or {}))
        item = change.after(answer, self.params['application_id']) or {}
        before, after = change.diff(self.params['application_id'], affected)
        if change.action == 'create':  # as answered, with its ID
            after = self.resource.diff_view(item)
        return dict(changed=True, diff={'before': before or {}, 'after': after or {}}, changes=[change.describe()],
                    **self.shown(item))
