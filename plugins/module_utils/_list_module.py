# -*- coding: utf-8 -*-
# Copyright: Contributors to the losant.platform collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

# Private to the losant.platform collection: it changes without notice, so other collections and
# plugins of your own must not import it.

"""The list module of any resource, in the style of Ansible's network resource modules: its options, the checks of
its input, the refusals before any write, and the run."""

from __future__ import annotations

from typing import Any, Optional

from ansible_collections.losant.platform.plugins.module_utils._attribution import (
    ATTRIBUTION_ARGUMENT_SPEC, attribute, attribution_errors,
)
from ansible_collections.losant.platform.plugins.module_utils._client import LosantError
from ansible_collections.losant.platform.plugins.module_utils._fields import mask, validate_fields
from ansible_collections.losant.platform.plugins.module_utils._module import LosantModule
from ansible_collections.losant.platform.plugins.module_utils._resource import Listing, Resource, ResourceApi
from ansible_collections.losant.platform.plugins.module_utils._resource_set import (
    STATES, Change, PartialFailure, ResourceSet, after_items, applied_changes, apply_changes, changes_diff,
    matches_any, repeated, unapplied_changes, unapplied_message, unmanaged_globs,
)

DELETING_STATES = ('deleted', 'overridden')


class ListModule(LosantModule):
    """Makes every object of ``resource`` of an application match ``config``; ``rename_hint`` says how to mend a
    name that several objects share. Subclasses may add what deletes affect (``affected_workflows``) and what the
    result shows of an object (``shown``)."""

    resource: Resource
    rename_hint: str

    def __init__(self, own_options: dict[str, Any]) -> None:
        """``own_options``: the argument spec of the options only this resource's module has."""
        ignorable = [field.option for field in self.resource.fields if field.option != 'name']
        super().__init__({
            'application_id': {'type': 'str', 'required': True},
            'state': {'type': 'str', 'default': 'merged', 'choices': list(STATES)},
            'config': {'type': 'list', 'elements': 'dict', 'options': self.resource.config_argument_spec()},
            'delete_all': {'type': 'bool', 'default': False},
            'update_secrets': {'type': 'str', 'default': 'always', 'choices': ['always', 'on_create']},
            **own_options,
            'concurrency': {'type': 'int', 'default': 32},
            'max_deletions': {'type': 'int'},
            'return_all': {'type': 'bool', 'default': False},
            'ignore_fields': {'type': 'list', 'elements': 'str', 'default': [], 'choices': ignorable},
            'unmanaged': {'type': 'list', 'elements': 'str', 'default': []},
            **ATTRIBUTION_ARGUMENT_SPEC,
        })
        self.entries: list[dict[str, Any]] = self.params['config'] or []
        self.state: str = self.params['state']
        self.unmanaged = unmanaged_globs(self.params['unmanaged'])

    def api(self) -> ResourceApi:
        return ResourceApi(self.resource, self.client(self.resource.scrubbed_keys), self.params['application_id'],
                           check_mode=self.module.check_mode)

    def affected_workflows(self, api: ResourceApi, changes: list[Change]) -> Optional[list[dict[str, Any]]]:
        """The workflows the deletes affect, looked up before any write (None: the resource triggers none)."""
        return None

    def shown(self, item: dict[str, Any]) -> dict[str, Any]:
        return mask(self.resource.fields, item)

    def run(self) -> None:
        self.check_input(self.input_errors())
        app_id, everything = self.params['application_id'], self.params['return_all']
        api = self.api()
        try:
            listed, changes = self.plan(api, api.listing())
        except LosantError as error:
            self.fail(error)
        described = [change.describe() for change in changes]
        affected = self.affected_workflows(api, changes)
        workflows = {} if affected is None else {'affected_workflows': affected}
        attributed = attribute(self, api, app_id, described)
        try:
            answers = apply_changes(api, changes, self.params['concurrency'])
        except PartialFailure as failure:
            self.fail(failure.error, changed=bool(failure.applied or failure.outcome_unknown), applied=failure.applied,
                      not_applied=failure.not_applied, outcome_unknown=failure.outcome_unknown, changes=described,
                      **workflows)
        after = after_items(listed.items, changes, answers, app_id, touched_only=not everything)
        result: dict[str, Any] = dict(changed=bool(changes), requests=api.writes, changes=described,
                                      before=listed.gathered() if everything else listed.touched(changes),
                                      **workflows, **attributed)
        result[self.resource.plural] = [self.shown(item) for item in after]
        if changes:
            result['after'] = [self.resource.config_entry(item) for item in after]
        if self.module._diff:
            result['diff'] = changes_diff(changes, app_id, affected or [])
        unapplied = unapplied_changes(changes, answers)
        if unapplied:
            result.update(changes=applied_changes(changes, unapplied))
            self.module.fail_json(msg=unapplied_message('Every write', unapplied, self.resource),
                                  fields_not_applied=unapplied, **dict(result, changed=bool(result['changes'])))
        self.exit(**result)

    def plan(self, api: ResourceApi, listing: Listing) -> tuple[ResourceSet, list[Change]]:
        """The listed objects and the writes that make them match, after every refusal (``gathered`` exits here)."""
        listed = ResourceSet(self.resource, listing.items)
        self.refuse_incomplete(listing, listed)
        self.warn_unmatched_globs(listed)
        if self.state == 'gathered':
            self.gather(listed)
        self.refuse_duplicates(listed)
        self.refuse_look_alikes(listed)
        changes = listed.plan(self.state, self.entries, self.params['update_secrets'], self.params['ignore_fields'],
                              self.unmanaged)
        self.refuse_deletions(changes)
        return listed, changes

    def refuse_deletions(self, changes: list[Change]) -> None:
        limit = self.params['max_deletions']
        doomed = [change.name for change in changes if change.action == 'delete']
        if limit is not None and len(doomed) > limit:
            self.module.fail_json(
                msg='Nothing was changed: the plan deletes %d %s, more than max_deletions=%d: %s.'
                    % (len(doomed), self.resource.singular if len(doomed) == 1 else self.resource.plural, limit,
                       ', '.join(repr(name) for name in doomed)),
                changes=[change.describe() for change in changes])

    def input_errors(self) -> list[str]:
        errors = attribution_errors(self.params)
        for index, entry in enumerate(self.entries):
            errors.extend(validate_fields(self.resource.fields, entry, where='config[%d].' % index))
        names = [entry['name'] for entry in self.entries]
        for name in repeated(names):
            places = ', '.join('config[%d]' % index for index, other in enumerate(names) if other == name)
            errors.append('config names must be unique, %r is at %s' % (name, places))
        if self.params['concurrency'] < 1:
            errors.append('concurrency must be 1 or more, got %d' % self.params['concurrency'])
        if self.params['max_deletions'] is not None and self.params['max_deletions'] < 0:
            errors.append('max_deletions must be 0 or more, got %d' % self.params['max_deletions'])
        if self.state in DELETING_STATES:
            errors.extend('config[%d].name %r matches unmanaged, which %s never touches'
                          % (index, name, self.state)
                          for index, name in enumerate(names) if matches_any(name, self.unmanaged))
        if self.state == 'gathered' and self.entries:
            errors.append('config must be empty with state=gathered')
        if self.params['delete_all'] and (self.state not in DELETING_STATES or self.entries):
            errors.append('delete_all is only allowed with state=deleted or state=overridden and an empty config')
        if self.state in DELETING_STATES and not self.entries and not self.params['delete_all']:
            errors.append('an empty config with state=%s would delete every %s of the application; '
                          'set delete_all=true if that is what you want' % (self.state, self.resource.singular))
        return errors

    def gather(self, listed: ResourceSet) -> None:
        duplicates = listed.duplicates()
        if duplicates:
            self.module.warn('%s names used more than once: %s; rename or delete all but one before feeding '
                             'the gathered list back.' % (self.resource.singular.capitalize(),
                                                          ', '.join(repr(name) for name in duplicates)))
        self.exit(changed=False, gathered=listed.gathered(self.unmanaged),
                  gathered_unmanaged=listed.gathered(self.unmanaged, unmanaged_only=True))

    def warn_unmatched_globs(self, listed: ResourceSet) -> None:
        """A glob that matches nothing protects nothing: most likely a typo, which must not go unnoticed."""
        for glob in self.params['unmanaged']:
            if not any(matches_any(item.get('name'), unmanaged_globs([glob])) for item in listed.items):
                self.module.warn('unmanaged glob %r matches no %s of the application: check its spelling'
                                 % (glob, self.resource.singular))

    def refuse_incomplete(self, listing: Listing, listed: ResourceSet) -> None:
        """Deleting by the listing, or creating what it lacks, needs a complete listing."""
        if not listing.problem:
            return
        if self.state in DELETING_STATES:
            self.module.fail_json(msg='Nothing was changed, as state=%s deletes %s by the listing. %s Run the '
                                      'task again.' % (self.state, self.resource.plural,
                                                       self.resource.incomplete_listing(listing.problem)))
        unlisted = [entry['name'] for entry in self.entries if entry['name'] not in listed.by_name]
        if unlisted:
            self.module.fail_json(msg=self.resource.unconfirmed_absence(listing.problem, unlisted,
                                                                        'creating %s could make duplicates'
                                                                        % ('it' if len(unlisted) == 1 else 'them')))
        self.module.warn(self.resource.incomplete_listing(listing.problem))

    def refuse_look_alikes(self, listed: ResourceSet) -> None:
        if self.state == 'deleted':
            return
        look_alikes = listed.look_alikes(entry['name'] for entry in self.entries)
        if look_alikes:
            described = '; '.join('%r (the application has %s)' % (name, ', '.join(repr(other) for other in others))
                                  for name, others in look_alikes.items())
            self.module.fail_json(
                msg='Nothing was changed: config names differ from %s of the application only by white space '
                    'around them, invisible characters or Unicode spelling: %s. Names are matched exactly, so the run '
                    'would make a second %s%s; write each name as the %s has it.'
                    % (self.resource.plural, described, self.resource.singular,
                       ' and delete the first' if self.state == 'overridden' else '', self.resource.singular))

    def refuse_duplicates(self, listed: ResourceSet) -> None:
        if self.state == 'deleted' and not self.entries:
            return
        duplicates = listed.duplicates(entry['name'] for entry in self.entries)
        if duplicates:
            described = '; '.join('%r (IDs %s)' % (name, ', '.join(ids)) for name, ids in duplicates.items())
            self.module.fail_json(
                msg='Nothing was changed: several %s of the application share a name listed in config: %s. %s'
                    % (self.resource.plural, described, self.rename_hint),
                duplicates=duplicates)
