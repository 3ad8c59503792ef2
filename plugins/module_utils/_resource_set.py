# -*- coding: utf-8 -*-
# Copyright: Contributors to the losant.platform collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

# Private to the losant.platform collection: it changes without notice, so other collections and
# plugins of your own must not import it.

"""All objects of one ``Resource`` of an application at once: one listing compared in memory with the wanted list
gives the writes (``Change``), sent up to ``concurrency`` at once; ``converge`` is the path the single module shares."""

from __future__ import annotations

import collections
import functools
import re
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Iterable, Literal, Optional, get_args

from ansible_collections.losant.platform.plugins.module_utils._client import LosantError
from ansible_collections.losant.platform.plugins.module_utils._concurrency import AdaptiveLimit
from ansible_collections.losant.platform.plugins.module_utils._fields import desired_fields, update_diff
from ansible_collections.losant.platform.plugins.module_utils._flows import delete_diff
from ansible_collections.losant.platform.plugins.module_utils._resource import Resource, ResourceApi, look_alike_key

STATES = ('merged', 'replaced', 'overridden', 'deleted', 'gathered')
# Plain strings, not an enum: the action is also the ``action`` of each entry of the ``changes`` result.
Action = Literal['create', 'update', 'delete']
ACTIONS: tuple[str, ...] = get_args(Action)


def repeated(names: Iterable[str]) -> list[str]:
    """Names that occur more than once, sorted."""
    return sorted(name for name, count in collections.Counter(names).items() if count > 1)


@functools.lru_cache(maxsize=256)
def glob_pattern(glob: str) -> re.Pattern[str]:
    """``*`` matches any run of characters and ``?`` any one; every other character means itself, brackets
    included, so that a name written as it is always matches itself (fnmatch would read ``[v1]`` as a class)."""
    return re.compile('.'.join('.*'.join(map(re.escape, part.split('*'))) for part in glob.split('?')), re.DOTALL)


def matches_any(name: Optional[str], globs: Iterable[str]) -> bool:
    """Whether ``name`` matches one of ``globs`` (see ``glob_pattern``), case-sensitively."""
    return name is not None and any(glob_pattern(glob).fullmatch(name) for glob in globs)


def unmanaged_globs(globs: Iterable[str]) -> list[str]:
    """Each glob as written and stripped, so that spelling never weakens the guard: ``"ops-*, tmp-*"`` (a list
    written as one string) protects ``tmp-1``, and a glob written with white space protects a name that has it."""
    return list(dict.fromkeys(form for glob in globs for form in (glob, glob.strip())))


@dataclass
class Change:
    """One write of an object of ``resource``: create from ``body``, update ``current`` with ``body``, or
    delete ``current``."""

    resource: Resource
    action: Action
    name: str
    current: Optional[dict[str, Any]] = None
    body: Optional[dict[str, Any]] = None

    def __post_init__(self) -> None:
        if self.action not in ACTIONS:
            raise ValueError('unknown change action %r, expected one of %s' % (self.action, ', '.join(ACTIONS)))

    def send(self, api: ResourceApi) -> Optional[dict[str, Any]]:
        """Send the write (or, with a check-mode ``api``, only record it); returns the API's answer."""
        if self.action == 'create':
            return api.create(self.body or {})
        if self.action == 'update':
            return api.update(self.current['id'], self.body or {})
        return api.delete(self.current['id'])

    def describe(self, left_out: Iterable[str] = ()) -> dict[str, Any]:
        """The change as one entry of the ``changes`` result, with the options it sends but those ``left_out``."""
        sent = self.body or {}
        fields = [field.option for field in self.resource.fields if field.api_key in sent and field.option not in left_out]
        return {'action': self.action, 'name': self.name, 'id': (self.current or {}).get('id'), 'fields': fields}

    def after(self, answer: Optional[dict[str, Any]], application_id: str) -> Optional[dict[str, Any]]:
        """The object after the change (None once deleted): the API's ``answer``, or in check mode as predicted."""
        if self.action == 'create':
            return answer or self.resource.predicted(self.body or {}, application_id)
        if self.action == 'update':
            return answer or dict(self.current or {}, **(self.body or {}))
        return None

    def diff(self, application_id: str, affected_workflows: Iterable[dict[str, Any]] = ()
             ) -> tuple[Optional[dict[str, Any]], Optional[dict[str, Any]]]:
        """Before and after: whole objects for create and delete (with the ``affected_workflows`` it triggers and what
        becomes of them), the changed fields for update."""
        if self.action == 'create':
            return None, self.resource.diff_view(self.resource.predicted(self.body or {}, application_id))
        if self.action == 'update':
            fields = update_diff(self.resource.fields, self.body or {}, self.current or {})
            return fields['before'], fields['after']
        workflows_before, workflows_after = delete_diff(self.current or {}, list(affected_workflows))
        return dict(self.resource.diff_view(self.current or {}), **workflows_before), workflows_after or None


def converge(resource: Resource, current: Optional[dict[str, Any]], entry: dict[str, Any], state: str = 'merged',
             update_secrets: str = 'always', ignored: Iterable[str] = ()) -> Optional[Change]:
    """The one write that makes ``current`` (None when missing) match ``entry`` under ``state``, if any; options in
    ``ignored`` are never reset."""
    if current is None:
        body = desired_fields(resource.fields, entry)
        return Change(resource, 'create', body.get('name'), body=body)
    desired = desired_fields(resource.fields, entry, include_secrets=update_secrets == 'always')
    if state == 'merged':
        changes = resource.changes(desired, current)
    else:
        changes = resource.replaced_changes(desired, current, ignored)
    return Change(resource, 'update', current.get('name'), current, changes) if changes else None


class ResourceSet:
    """The objects of one resource of one application as listed, indexed by name."""

    def __init__(self, resource: Resource, items: list[dict[str, Any]]) -> None:
        self.resource = resource
        self.items = items
        self.by_name: dict[str, list[dict[str, Any]]] = {}
        for item in items:
            self.by_name.setdefault(item.get('name'), []).append(item)

    def duplicates(self, names: Optional[Iterable[str]] = None) -> dict[str, list[str]]:
        """IDs of the objects sharing a name, for ``names`` (default: every name), keyed by name."""
        wanted = self.by_name if names is None else names
        return {name: [item['id'] for item in self.by_name[name]] for name in sorted(set(wanted))
                if len(self.by_name.get(name, ())) > 1}

    def look_alikes(self, names: Iterable[str]) -> dict[str, list[str]]:
        """For each of ``names`` no object has, the names of objects that look the same (``look_alike_key``)."""
        keyed: dict[str, list[str]] = {}
        for name in self.by_name:
            if isinstance(name, str):
                keyed.setdefault(look_alike_key(name), []).append(name)
        return {name: sorted(keyed[look_alike_key(name)]) for name in names
                if name not in self.by_name and look_alike_key(name) in keyed}

    def gathered(self, unmanaged: Iterable[str] = (), unmanaged_only: bool = False) -> list[dict[str, Any]]:
        """The objects in ``config`` shape whose name matches no ``unmanaged`` glob (``unmanaged_only``: one)."""
        unmanaged = list(unmanaged)
        return [self.resource.config_entry(item) for item in self.items
                if matches_any(item.get('name'), unmanaged) == unmanaged_only]

    def touched(self, changes: Iterable[Change]) -> list[dict[str, Any]]:
        """The objects that ``changes`` update or delete, in listing order and ``config`` shape."""
        ids = {change.current['id'] for change in changes if change.current}
        return [self.resource.config_entry(item) for item in self.items if item['id'] in ids]

    def plan(self, state: str, entries: list[dict[str, Any]], update_secrets: str = 'always',
             ignore_fields: Iterable[str] = (), unmanaged: Iterable[str] = ()) -> list[Change]:
        """The writes that make the application match ``entries`` under ``state``: creates and updates in the order of
        ``entries``, then deletes in listing order, never of an ``unmanaged`` name; ``ignore_fields`` are neither
        compared nor sent. Names must have been checked for duplicates first."""
        unmanaged = list(unmanaged)
        if state == 'deleted':
            doomed = self.items if not entries else [
                item for entry in entries for item in self.by_name.get(entry['name'], ())]
        elif state == 'overridden':
            listed = {entry['name'] for entry in entries}
            doomed = [item for item in self.items if item.get('name') not in listed]
        else:
            doomed = []
        ignored = frozenset(ignore_fields)
        changes = [converge(self.resource, self.by_name.get(entry['name'], [None])[0],
                            {option: value for option, value in entry.items() if option not in ignored},
                            state, update_secrets, ignored) for entry in entries if state != 'deleted']
        return [change for change in changes if change] + [
            Change(self.resource, 'delete', item.get('name'), item) for item in doomed
            if not matches_any(item.get('name'), unmanaged)]


class PartialFailure(Exception):
    """A write failed: ``applied`` succeeded, ``not_applied`` were refused or never sent, and ``outcome_unknown``
    failed in a way that may have left them applied (each in plan order)."""

    def __init__(self, error: LosantError, applied: list[dict[str, Any]], not_applied: list[dict[str, Any]],
                 outcome_unknown: Optional[list[dict[str, Any]]] = None) -> None:
        super().__init__(str(error))
        self.error = error
        self.applied = applied
        self.not_applied = not_applied
        self.outcome_unknown = outcome_unknown or []


@dataclass
class Outcome:
    """What became of one write: its answer and request, or its error; ``sent`` false if never started."""

    sent: bool = False
    answer: Optional[dict[str, Any]] = None
    writes: Optional[list[dict[str, Any]]] = None
    error: Optional[LosantError] = None


def apply_changes(api: ResourceApi, changes: list[Change], concurrency: int = 1) -> list[Optional[dict[str, Any]]]:
    """Send the writes in plan order, as many at once as ``AdaptiveLimit`` allows under ``concurrency``, and return
    the API's answers (None in check mode). After a failure no further write starts, those in flight finish, and
    ``PartialFailure`` is raised. ``api.writes`` gets the requests in plan order, whatever order they finished in."""
    outcomes = [Outcome() for unused in changes]
    failed = threading.Event()
    limit = AdaptiveLimit(concurrency)
    api.client.on_throttled = limit.throttled

    def send(index: int, round_: int) -> None:
        limit.started(round_)
        alone = api.alone()
        outcome = outcomes[index]
        outcome.sent = True
        succeeded = False
        try:
            outcome.answer = changes[index].send(alone)
            succeeded = True
        except LosantError as error:
            outcome.error = error
            failed.set()
        finally:
            limit.release(succeeded)
        outcome.writes = alone.writes

    with ThreadPoolExecutor(max_workers=max(1, concurrency)) as pool:
        sent = []
        for index in range(len(changes)):
            round_ = limit.acquire()
            if failed.is_set():
                limit.release(succeeded=False)
                break
            sent.append(pool.submit(send, index, round_))
        for write in sent:
            write.result()  # re-raises what a write raised other than a LosantError
    if failed.is_set():
        raise partial_failure(api, changes, outcomes)
    for outcome in outcomes:
        api.writes.extend(outcome.writes or [])
    return [outcome.answer for outcome in outcomes]


def partial_failure(api: ResourceApi, changes: list[Change], outcomes: list[Outcome]) -> PartialFailure:
    """The first failure in plan order, and every write sorted by what became of it."""
    planner = api.alone(check_mode=True)
    applied, not_applied, unknown = [], [], []
    for change, outcome in zip(changes, outcomes):
        if outcome.sent and outcome.error is None:
            applied.extend(outcome.writes or [])
            continue
        change.send(planner)
        unknown_outcome = outcome.error is not None and outcome.error.outcome_unknown
        (unknown if unknown_outcome else not_applied).append(planner.writes[-1])
    error = next(outcome.error for outcome in outcomes if outcome.error is not None)
    return PartialFailure(error, applied, not_applied, unknown)


def unapplied_changes(changes: list[Change], answers: list[Optional[dict[str, Any]]]) -> dict[str, list[str]]:
    """Options that a create or update sent and its answer does not hold, keyed by object name."""
    unapplied = {}
    for change, answer in zip(changes, answers):
        options = change.resource.unapplied_options(change.body or {}, answer) if change.action != 'delete' else []
        if options:
            unapplied[change.name] = options
    return unapplied


def unapplied_message(request: str, unapplied: dict[str, list[str]], resource: Resource) -> str:
    """Why a write that succeeded still fails the task: the options not taken per object name, and the way out when
    one is a ``fixed`` field of ``resource``."""
    described = '; '.join('%s: %s' % (name, ', '.join(options)) for name, options in unapplied.items())
    message = '%s succeeded, but the platform did not apply every field sent (%s)' % (request, described)
    fixed = {field.option for field in resource.fields if field.fixed}
    if any(fixed.intersection(options) for options in unapplied.values()):
        return '%s. %s.' % (message, resource.fixed_hint)
    return '%s: it ignored those values, so every run would send them again.' % message


def applied_changes(changes: list[Change], unapplied: dict[str, list[str]]) -> list[dict[str, Any]]:
    """The ``changes`` result when the platform did not apply every field (``unapplied_changes``): each entry lists
    the options applied, and an update that applied none is left out."""
    described = [change.describe(left_out=unapplied.get(change.name, ())) for change in changes]
    return [entry for entry in described if entry['action'] != 'update' or entry['fields']]


def after_items(items: list[dict[str, Any]], changes: list[Change], answers: list[Optional[dict[str, Any]]],
                application_id: str, touched_only: bool = False) -> list[dict[str, Any]]:
    """The listed ``items`` after the changes (``touched_only``: those created or updated), sorted by name, unmasked."""
    touched: dict[str, Optional[dict[str, Any]]] = {}
    created: list[dict[str, Any]] = []
    for change, answer in zip(changes, answers):
        if change.action == 'create':
            created.append(change.after(answer, application_id))
        else:
            touched[change.current['id']] = change.after(answer, application_id)  # None once deleted
    kept = [touched.get(item['id'], item) for item in items if item['id'] in touched or not touched_only]
    return sorted([item for item in kept if item is not None] + created,
                  key=lambda item: (item.get('name') or '', item.get('id') or ''))


def changes_diff(changes: list[Change], application_id: str,
                 affected_workflows: Iterable[dict[str, Any]] = ()) -> dict[str, dict[str, Any]]:
    """Ansible diff of the changes, keyed by object name; a name that appears twice (duplicates being deleted) is
    keyed ``name (id)`` the second time."""
    affected_workflows = list(affected_workflows)
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    for change in changes:
        key = change.name
        if key in before or key in after:
            key = '%s (%s)' % (change.name, (change.current or {}).get('id'))
        old, new = change.diff(application_id, affected_workflows)
        if old is not None:
            before[key] = old
        if new is not None:
            after[key] = new
    return {'before': before, 'after': after}
