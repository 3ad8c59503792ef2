# -*- coding: utf-8 -*-
# Copyright: Contributors to the losant.platform collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

# Private to the losant.platform collection: it changes without notice, so other collections and
# plugins of your own must not import it.

"""All webhooks of an application at once: the ``config`` shape, the plan of writes and its execution.

One listing of the application is compared with the wanted list in memory (by name, in linear time),
which gives the writes to make; each write is one request through ``WebhookApi``, up to ``concurrency``
of them at once.
"""

from __future__ import annotations

import datetime
import functools
import re
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Iterable, Literal, Optional, get_args

from ansible_collections.losant.platform.plugins.module_utils._client import LosantError
from ansible_collections.losant.platform.plugins.module_utils._concurrency import AdaptiveLimit
from ansible_collections.losant.platform.plugins.module_utils._fields import desired_fields, field_argument_spec, update_diff
from ansible_collections.losant.platform.plugins.module_utils._flows import delete_diff
from ansible_collections.losant.platform.plugins.module_utils._webhook import (
    FIELDS,
    WebhookApi,
    diff_view,
    predicted_webhook,
    look_alike_key,
    unapplied_options,
    webhook_changes,
    with_trigger_url,
)

STATES = ('merged', 'replaced', 'overridden', 'deleted', 'gathered')
# Plain strings, not an enum: the action is also the ``action`` of each entry of the ``changes`` result.
Action = Literal['create', 'update', 'delete']
ACTIONS: tuple[str, ...] = get_args(Action)
# Fields that ``replaced`` puts back to the platform default when not given. Secrets cannot be read
# back reliably, so they are never reset.
RESETTABLE_FIELDS = tuple(field for field in FIELDS if field.platform_default is not None and not field.secret)


def config_argument_spec() -> dict[str, dict[str, Any]]:
    """Suboptions of one ``config`` item: the webhook field options, with ``name`` as the required key."""
    spec = field_argument_spec(FIELDS)
    spec['name']['required'] = True
    return spec


def config_entry(webhook: dict[str, Any]) -> dict[str, Any]:
    """A webhook as one ``config`` item: option names, no secrets, no read-only or hypermedia keys.

    Fields the webhook lacks (older webhooks predate some) or holds as null are left out, so that
    ``replaced`` fed with the entry finds nothing to change.
    """
    return {
        field.option: webhook[field.api_key]
        for field in FIELDS
        if not field.secret and webhook.get(field.api_key) is not None
    }


def repeated(names: Iterable[str]) -> list[str]:
    """Names that occur more than once, sorted."""
    seen: set[str] = set()
    twice: set[str] = set()
    for name in names:
        (twice if name in seen else seen).add(name)
    return sorted(twice)


def replaced_changes(desired: dict[str, Any], current: dict[str, Any],
                     ignored: Iterable[str] = ()) -> dict[str, Any]:
    """The fields to send so that ``current`` has ``desired`` and the platform default everywhere else.

    A field not desired that the webhook lacks or holds as null already behaves as its default.
    Fields whose option is in ``ignored`` are never reset.
    """
    changes = webhook_changes(desired, current)
    for field in RESETTABLE_FIELDS:
        value = current.get(field.api_key)
        if field.option in ignored:
            continue
        if field.api_key not in desired and value is not None and value != field.platform_default:
            changes[field.api_key] = field.platform_default
    return changes


@functools.lru_cache(maxsize=256)
def glob_pattern(glob: str) -> re.Pattern[str]:
    """``*`` matches any run of characters and ``?`` any one; every other character means itself, brackets
    included, so that a name written as it is always matches itself (fnmatch would read ``[v1]`` as a class)."""
    return re.compile('.'.join('.*'.join(map(re.escape, part.split('*'))) for part in glob.split('?')), re.DOTALL)


def matches_any(name: Optional[str], globs: Iterable[str]) -> bool:
    """Whether ``name`` matches one of ``globs`` (see ``glob_pattern``), case-sensitively."""
    return name is not None and any(glob_pattern(glob).fullmatch(name) for glob in globs)


RETYPED_NAME_HINT = ('YAML reads an unquoted yes, no, on, off, true, false, null, number or date as another type, '
                     'which would name another webhook: quote the name')


def retyped_names(args: dict[str, Any]) -> list[str]:
    """One message per name among a task's arguments (``name``, ``config[].name``, ``unmanaged``) that is not a
    string, as YAML read it.

    The argument spec would silently make ``yes`` the name "True", ``007`` "7" and ``1.10`` "1.1", and
    ``overridden`` would then create that name and delete the webhook meant. Only the controller sees what YAML
    read: a module gets a date as text.
    """
    named = [('name', args['name'])] if 'name' in args else []
    config = args.get('config')
    if isinstance(config, list):
        named.extend(('config[%d].name' % index, entry['name']) for index, entry in enumerate(config)
                     if isinstance(entry, dict) and 'name' in entry)
    unmanaged = args.get('unmanaged', [])
    if isinstance(unmanaged, list):
        named.extend(('unmanaged[%d]' % index, glob) for index, glob in enumerate(unmanaged))
    else:
        named.append(('unmanaged', unmanaged))
    return ['%s is %s, not a string: %s' % (label, yaml_reading(value), RETYPED_NAME_HINT)
            for label, value in named if not is_text(value)]


def is_text(value: Any) -> bool:
    """A string, or a vaulted one, which ansible-core < 2.19 hands to action plugins as an object of its own."""
    return isinstance(value, str) or type(value).__name__ == 'AnsibleVaultEncryptedUnicode'


def yaml_reading(value: Any) -> str:
    """What YAML made of an unquoted scalar, in words."""
    if value is None:
        return 'null'
    if isinstance(value, bool):
        return 'the boolean %s' % str(value).lower()
    if isinstance(value, (int, float)):
        return 'the number %s' % value
    if isinstance(value, (datetime.date, datetime.time)):
        return 'the date %s' % value.isoformat()
    return 'a list' if isinstance(value, list) else 'a mapping' if isinstance(value, dict) else 'a %s' % type(value).__name__


def unmanaged_globs(globs: Iterable[str]) -> list[str]:
    """Each glob as written and stripped of surrounding whitespace, so that spelling never weakens the guard:
    ``"ops-*, tmp-*"`` (a list written as a string on a command line) protects ``tmp-1``, and a glob written
    with whitespace still protects a name that has it."""
    return list(dict.fromkeys(form for glob in globs for form in (glob, glob.strip())))


@dataclass
class Change:
    """One write: create from ``body``, update ``current`` with ``body``, or delete ``current``."""

    action: Action
    name: str
    current: Optional[dict[str, Any]] = None
    body: Optional[dict[str, Any]] = None
    include_workflows: bool = False

    def __post_init__(self) -> None:
        if self.action not in ACTIONS:
            raise ValueError('unknown change action %r, expected one of %s' % (self.action, ', '.join(ACTIONS)))

    def send(self, api: WebhookApi) -> Optional[dict[str, Any]]:
        """Send the write (or, with a check-mode ``api``, only record it); returns the API's answer."""
        if self.action == 'create':
            return api.create(self.body or {})
        if self.action == 'update':
            return api.update(self.current['id'], self.body or {})
        return api.delete(self.current['id'], include_workflows=self.include_workflows)

    def describe(self, left_out: Iterable[str] = ()) -> dict[str, Any]:
        """The change as one entry of the ``changes`` result: action, name, ID and the options it sends
        (but those ``left_out``)."""
        sent = self.body or {}
        fields = [field.option for field in FIELDS if field.api_key in sent and field.option not in left_out]
        return {'action': self.action, 'name': self.name, 'id': (self.current or {}).get('id'), 'fields': fields}

    def after(self, answer: Optional[dict[str, Any]], application_id: str) -> Optional[dict[str, Any]]:
        """The object after the change, None once deleted: the API's ``answer``, or without one (check mode) as
        predicted, an update by overlaying the body and a create from the platform defaults."""
        if self.action == 'create':
            return answer or predicted_webhook(self.body or {}, application_id)
        if self.action == 'update':
            return answer or dict(self.current or {}, **(self.body or {}))
        return None

    def diff(self, application_id: str, affected_workflows: Iterable[dict[str, Any]] = ()
             ) -> tuple[Optional[dict[str, Any]], Optional[dict[str, Any]]]:
        """Before and after of this change: whole webhooks for create and delete, changed fields for update.

        A delete also shows the workflows the webhook triggers, and what becomes of them.
        """
        if self.action == 'create':
            return None, diff_view(predicted_webhook(self.body or {}, application_id))
        if self.action == 'update':
            fields = update_diff(FIELDS, self.body or {}, self.current or {})
            return fields['before'], fields['after']
        workflows_before, workflows_after = delete_diff(self.current or {}, list(affected_workflows))
        return dict(diff_view(self.current or {}), **workflows_before), workflows_after or None


def converge(current: Optional[dict[str, Any]], entry: dict[str, Any], state: str = 'merged',
             update_secrets: str = 'always', ignored: Iterable[str] = ()) -> Optional[Change]:
    """The one write that makes ``current`` (None when missing) match the options of ``entry`` under ``state``
    (merged, replaced or overridden), or None when it already does; options in ``ignored`` are never reset."""
    if current is None:
        body = desired_fields(FIELDS, entry)
        return Change('create', body.get('name'), body=body)
    desired = desired_fields(FIELDS, entry, include_secrets=update_secrets == 'always')
    if state == 'merged':
        changes = webhook_changes(desired, current)
    else:
        changes = replaced_changes(desired, current, ignored)
    return Change('update', current.get('name'), current, changes) if changes else None


class WebhookSet:
    """The webhooks of one application as listed, indexed by name."""

    def __init__(self, webhooks: list[dict[str, Any]]) -> None:
        self.webhooks = webhooks
        self.by_name: dict[str, list[dict[str, Any]]] = {}
        for webhook in webhooks:
            self.by_name.setdefault(webhook.get('name'), []).append(webhook)

    def duplicates(self, names: Optional[Iterable[str]] = None) -> dict[str, list[str]]:
        """IDs of the webhooks sharing a name, for ``names`` (default: every name), keyed by name."""
        wanted = self.by_name if names is None else names
        return {
            name: [webhook['id'] for webhook in self.by_name[name]]
            for name in sorted(set(wanted))
            if len(self.by_name.get(name, ())) > 1
        }

    def look_alikes(self, names: Iterable[str]) -> dict[str, list[str]]:
        """For each of ``names`` no webhook has, the names of webhooks that look the same (``look_alike_key``):
        matched exactly, such a name would create a second webhook (and overridden delete the first)."""
        keyed: dict[str, list[str]] = {}
        for name in self.by_name:
            if isinstance(name, str):
                keyed.setdefault(look_alike_key(name), []).append(name)
        return {name: sorted(keyed[look_alike_key(name)]) for name in names
                if name not in self.by_name and look_alike_key(name) in keyed}

    def gathered(self, unmanaged: Iterable[str] = ()) -> list[dict[str, Any]]:
        """The webhooks in ``config`` shape, without those whose name matches an ``unmanaged`` glob."""
        return [config_entry(webhook) for webhook in self.webhooks if not matches_any(webhook.get('name'), unmanaged)]

    def touched(self, changes: Iterable[Change]) -> list[dict[str, Any]]:
        """The webhooks that ``changes`` update or delete, in listing order and ``config`` shape."""
        ids = {change.current['id'] for change in changes if change.current}
        return [config_entry(webhook) for webhook in self.webhooks if webhook['id'] in ids]

    def unmanaged(self, globs: Iterable[str]) -> list[dict[str, Any]]:
        """The webhooks whose name matches one of ``globs``, in ``config`` shape."""
        globs = list(globs)
        return [config_entry(webhook) for webhook in self.webhooks if matches_any(webhook.get('name'), globs)]

    def plan(self, state: str, entries: list[dict[str, Any]], update_secrets: str = 'always',
             include_workflows: bool = False, ignore_fields: Iterable[str] = (),
             unmanaged: Iterable[str] = ()) -> list[Change]:
        """The writes that make the application match ``entries`` under ``state``, in the order to send them.

        Creates and updates follow the order of ``entries``; deletes come last, in listing order.
        Options in ``ignore_fields`` are neither compared nor sent; webhooks whose name matches an
        ``unmanaged`` glob are never deleted. Names must have been checked for duplicates first.
        """
        unmanaged = list(unmanaged)
        if state == 'deleted':
            doomed = self.webhooks if not entries else [
                webhook for entry in entries for webhook in self.by_name.get(entry['name'], ())
            ]
            return [self._delete(webhook, include_workflows) for webhook in doomed
                    if not matches_any(webhook.get('name'), unmanaged)]
        ignored = frozenset(ignore_fields)
        entries = [{option: value for option, value in entry.items() if option not in ignored} for entry in entries]
        changes = [
            change for change in (self._converge(state, entry, update_secrets, ignored) for entry in entries) if change
        ]
        if state == 'overridden':
            listed = {entry['name'] for entry in entries}
            changes.extend(self._delete(webhook, include_workflows) for webhook in self.webhooks
                           if webhook.get('name') not in listed and not matches_any(webhook.get('name'), unmanaged))
        return changes

    def _converge(self, state: str, entry: dict[str, Any], update_secrets: str,
                  ignored: frozenset[str]) -> Optional[Change]:
        matches = self.by_name.get(entry['name'])
        return converge(matches[0] if matches else None, entry, state, update_secrets, ignored)

    @staticmethod
    def _delete(webhook: dict[str, Any], include_workflows: bool) -> Change:
        return Change('delete', webhook.get('name'), webhook, include_workflows=include_workflows)


class PartialFailure(Exception):
    """A write failed: ``applied`` succeeded, ``not_applied`` were refused or never sent, and
    ``outcome_unknown`` failed in a way that may have left them applied (each in plan order)."""

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


def apply_changes(api: WebhookApi, changes: list[Change], application_id: str,
                  concurrency: int = 1) -> list[Optional[dict[str, Any]]]:
    """Send the writes, at most ``concurrency`` at once, and return the API's answers (None in check mode).

    Writes start in plan order, as many at once as ``AdaptiveLimit`` allows under ``concurrency``: more
    while answers come back clean, fewer after the API throttles. With ``concurrency`` 1 each starts when
    the one before has succeeded. After a failure no further write starts, those in flight finish, and
    ``PartialFailure`` is raised. ``api.writes`` gets the requests in plan order, whatever order they
    finished in.
    """
    outcomes = [Outcome() for unused in changes]
    failed = threading.Event()
    limit = AdaptiveLimit(concurrency)
    api.client.on_throttled = limit.throttled

    def send(index: int, round_: int) -> None:
        limit.started(round_)
        alone = WebhookApi(api.client, application_id, check_mode=api.check_mode)
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
        raise partial_failure(api, changes, outcomes, application_id)
    for outcome in outcomes:
        api.writes.extend(outcome.writes or [])
    return [outcome.answer for outcome in outcomes]


def partial_failure(api: WebhookApi, changes: list[Change], outcomes: list[Outcome],
                    application_id: str) -> PartialFailure:
    """The first failure in plan order, and every write sorted by what became of it."""
    planner = WebhookApi(api.client, application_id, check_mode=True)
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
    """Options that a create or update sent and its answer does not hold, keyed by webhook name."""
    unapplied = {}
    for change, answer in zip(changes, answers):
        options = unapplied_options(change.body or {}, answer) if change.action != 'delete' else []
        if options:
            unapplied[change.name] = options
    return unapplied


def applied_changes(changes: list[Change], unapplied: dict[str, list[str]]) -> list[dict[str, Any]]:
    """Entries of the ``changes`` result for writes the platform answered without applying every field
    (``unapplied``, as from ``unapplied_changes``): each lists only the options applied, and an update
    that applied none is left out."""
    described = [change.describe(left_out=unapplied.get(change.name, ())) for change in changes]
    return [entry for entry in described if entry['action'] != 'update' or entry['fields']]


def after_state(webhooks: list[dict[str, Any]], changes: list[Change], answers: list[Optional[dict[str, Any]]],
                application_id: str, trigger_base: Optional[str], touched_only: bool = False) -> list[dict[str, Any]]:
    """The application's webhooks after the changes (``touched_only``: those created or updated), sorted by
    name, masked, each with its trigger URL (starting with ``trigger_base``, None when that is unknown).

    In check mode (no answers) updates are predicted by overlaying the body, and creates from the
    platform defaults.
    """
    updated: dict[str, dict[str, Any]] = {}
    deleted: set[str] = set()
    created = []
    for change, answer in zip(changes, answers):
        if change.action == 'create':
            created.append(change.after(answer, application_id))
        elif change.action == 'update':
            updated[change.current['id']] = change.after(answer, application_id)
        else:
            deleted.add(change.current['id'])
    kept = [webhook for webhook in webhooks if webhook['id'] not in deleted]
    if touched_only:
        kept = [webhook for webhook in kept if webhook['id'] in updated]
    after = [updated.get(webhook['id'], webhook) for webhook in kept] + created
    after.sort(key=lambda webhook: (webhook.get('name') or '', webhook.get('id') or ''))
    return [with_trigger_url(webhook, trigger_base) for webhook in after]


def changes_diff(changes: list[Change], application_id: str,
                 affected_workflows: Iterable[dict[str, Any]] = ()) -> dict[str, dict[str, Any]]:
    """Ansible diff of the changes: ``before`` and ``after`` keyed by webhook name.

    A name that appears twice (duplicates being deleted) is keyed ``name (id)`` the second time.
    A deleted webhook's entry lists the workflows it triggers (see ``Change.diff``).
    """
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
