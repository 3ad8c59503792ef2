# -*- coding: utf-8 -*-
# Copyright: Contributors to the losant.platform collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

# Private to the losant.platform collection: it changes without notice, so other collections and
# plugins of your own must not import it.

"""Any Losant collection resource of an application: its descriptor ``Resource`` and ``ResourceApi``, whose every
write goes through one guarded ``_write``, which check mode skips."""

from __future__ import annotations

import copy
import re
import unicodedata
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Optional

from ansible_collections.losant.platform.plugins.module_utils._client import LosantClient, LosantError, Shape, page_of
from ansible_collections.losant.platform.plugins.module_utils._fields import (
    MASK, Field, changed_fields, field_argument_spec, mask, option_view, secret_keys,
)

NOT_LETTER_OR_DIGIT = re.compile(r'[^A-Za-z0-9]+')
INVISIBLE = dict.fromkeys(map(ord, '\u200b\u200c\u200d\u2060\ufeff'))
FOREIGN_NOT_FOUND = ("not Losant's NotFound error, so the %s is not taken to be absent: check that api_url "
                     "is the API's address, and whether a proxy answers in its place")
DELETED = Shape('{"success": true}', lambda body: isinstance(body, dict) and body.get('success') is True)


def is_named_object(body: Any) -> bool:
    """An object with a string ``id``, and a string ``name`` or none: what the modules index and match by."""
    return isinstance(body, dict) and isinstance(body.get('id'), str) and (
        body.get('name') is None or isinstance(body['name'], str))


@dataclass(frozen=True)
class Resource:
    """A collection of an application, ``/applications/{id}/<collection>``: its objects are ``singular`` (a word
    for messages), have the writable ``fields``, and answer as ``matches`` says; listings ask for ``page_size`` per
    page. ``credentials`` are read-only keys that diffs show masked, as secrets; ``fixed_hint`` says how to change
    a ``fixed`` field, for the messages of a write that could not."""

    singular: str
    collection: str
    fields: tuple[Field, ...] = ()
    matches: Callable[[Any], bool] = is_named_object
    page_size: int = 1000
    credentials: tuple[str, ...] = ()
    fixed_hint: Optional[str] = None

    @property
    def plural(self) -> str:
        return self.singular + 's'

    @property
    def one(self) -> Shape:
        return Shape('a %s object' % self.singular, self.matches)

    @property
    def page(self) -> Shape:
        return page_of('%s objects' % self.singular, self.matches)

    @property
    def scrubbed_keys(self) -> frozenset[str]:
        """Keys whose values never appear in messages: the secrets and the credentials."""
        return secret_keys(self.fields) | frozenset(self.credentials)

    def path(self, application_id: str) -> str:
        return '/applications/%s/%s' % (application_id, self.collection)

    def changes(self, desired: dict[str, Any], current: dict[str, Any]) -> dict[str, Any]:
        """The fields of ``desired`` that ``current`` lacks. A text field whose platform default is "" counts as ""
        when missing or null: a server may store it either way when it was never set."""
        empty = {field.api_key: '' for field in self.fields
                 if field.platform_default == '' and current.get(field.api_key) is None}
        return changed_fields(desired, dict(current, **empty))

    def replaced_changes(self, desired: dict[str, Any], current: dict[str, Any],
                         ignored: Iterable[str] = ()) -> dict[str, Any]:
        """The fields to send so that ``current`` has ``desired`` and the platform default elsewhere. A field it lacks
        or holds as null already behaves as its default; secrets (unreadable) and ``ignored`` options are never reset."""
        changes = self.changes(desired, current)
        for field in self.fields:
            value = current.get(field.api_key)
            if field.platform_default is None or field.secret or field.option in ignored:
                continue
            if field.api_key not in desired and value is not None and value != field.platform_default:
                changes[field.api_key] = field.platform_default
        return changes

    def unapplied_options(self, sent: dict[str, Any], answer: Optional[dict[str, Any]]) -> list[str]:
        """Options whose value a write sent but its answer does not hold (a secret only if the answer has it)."""
        if answer is None:
            return []
        differing = self.changes(sent, answer)
        return [field.option for field in self.fields
                if field.api_key in differing and (not field.secret or field.api_key in answer)]

    def predicted(self, body: dict[str, Any], application_id: str) -> dict[str, Any]:
        """What a create would return, for check mode: platform defaults overlaid with the body."""
        item = {field.api_key: field.platform_default for field in self.fields
                if field.platform_default not in (None, '')}
        item.update(body)
        item['applicationId'] = application_id
        return item

    def config_argument_spec(self) -> dict[str, dict[str, Any]]:
        """Suboptions of one ``config`` item of a list module, ``name`` required."""
        spec = field_argument_spec(self.fields)
        spec['name']['required'] = True
        return spec

    def config_entry(self, item: dict[str, Any]) -> dict[str, Any]:
        """An object as one ``config`` item, in option names, without secrets, read-only keys, and fields it lacks or
        holds as null (so that ``replaced`` fed with the entry finds nothing to change)."""
        return {field.option: item[field.api_key] for field in self.fields
                if not field.secret and item.get(field.api_key) is not None}

    def incomplete_listing(self, problem: str) -> str:
        return ('The %s listing stayed inconsistent when read a second time (%s): %s changed while it was '
                'read, so it may lack some.' % (self.singular, problem, self.plural))

    def unconfirmed_absence(self, problem: str, names: list[str], consequence: str) -> str:
        """Why nothing was written for ``names``, which an inconsistent listing did not show: they may exist."""
        return ('Nothing was changed: %s %s not listed, but the %s listing stayed inconsistent when read a second '
                'time (%s), so %s may exist all the same and %s. Run the task again when the %s stop changing.'
                % (', '.join(repr(name) for name in names), 'was' if len(names) == 1 else 'were', self.singular,
                   problem, 'it' if len(names) == 1 else 'they', consequence, self.plural))

    def diff_view(self, item: dict[str, Any]) -> dict[str, Any]:
        """A whole object for a diff: its ID, its fields in option names and its ``credentials``, all secrets masked."""
        view = {'id': item['id']} if 'id' in item else {}
        view.update(option_view(self.fields, item))
        view.update({key: MASK if item[key] else item[key] for key in self.credentials if key in item})
        return view


def look_alike_key(name: str) -> str:
    """What a person reading ``name`` sees: no white space around it, no invisible characters, and one Unicode
    spelling of each character (NFC)."""
    return unicodedata.normalize('NFC', name.translate(INVISIBLE)).strip()


def look_alike_filter(name: str) -> str:
    """A name filter that every plausible server matches to ``name`` and to every name with its ``look_alike_key``:
    the ASCII letters and digits of that key in order, with anything before, between and after them. ``K`` is left
    out, as the Kelvin sign reads as one."""
    letters_and_digits = NOT_LETTER_OR_DIGIT.sub('', look_alike_key(name).replace('K', ''))
    return '*%s*' % '*'.join(letters_and_digits) if letters_and_digits else '*'


def name_filter(name: str) -> str:
    """A name filter that every plausible server matches to ``name`` (and maybe to others: callers compare exactly).
    Losant does not document it (a glob, or a regular expression from ``*`` to ``.*``, with or without case), and
    ASCII letters and digits mean themselves under each rule; every run of other characters becomes one ``*``."""
    return NOT_LETTER_OR_DIGIT.sub('*', name)


@dataclass
class Listing:
    """Objects as listed; ``problem`` says why the listing may be incomplete (pages that disagreed)."""

    items: list[dict[str, Any]]
    problem: Optional[str] = None


class ResourceApi:
    """The calls on one resource of one application. Every write goes through ``_write``."""

    def __init__(self, resource: Resource, client: LosantClient, application_id: str, check_mode: bool = False) -> None:
        self.resource = resource
        self.client = client
        self.check_mode = check_mode
        self.path = resource.path(application_id)
        self.writes: list[dict[str, Any]] = []
        self.per_page: Optional[int] = resource.page_size
        self.delete_params: Optional[dict[str, Any]] = None  # the query of every delete

    def alone(self, check_mode: Optional[bool] = None) -> ResourceApi:
        """The same calls (check mode unless told otherwise) with a record of ``writes`` of their own, for one thread."""
        api = copy.copy(self)
        api.writes = []
        api.check_mode = self.check_mode if check_mode is None else check_mode
        return api

    def listing(self, name_pattern: Optional[str] = None, query: Optional[dict[str, Any]] = None) -> Listing:
        """Every object, sorted by name, filtered by ``name_pattern`` and ``query``. A listing whose pages disagree
        (on ``totalCount``, or repeating an ID: objects changed meanwhile) is read again once; ``problem`` says what
        stayed wrong."""
        params: dict[str, Any] = dict(query or {}, sortField='name', sortDirection='asc')
        if name_pattern is not None:
            params.update(filterField='name', filter=name_pattern)
        items, problem = self._read_pages(params)
        if problem:
            items, problem = self._read_pages(params)
        return Listing(items, problem)

    def find_by_name(self, name: str) -> Listing:
        """Objects whose name is exactly ``name``, found through a filter that every plausible server matches."""
        listing = self.listing(name_filter(name))
        return Listing([item for item in listing.items if item.get('name') == name], listing.problem)

    def _read_pages(self, query: dict[str, Any]) -> tuple[list[dict[str, Any]], Optional[str]]:
        """One reading of every page, paged by what the server returns; the objects and what disagreed, if anything."""
        found: list[dict[str, Any]] = []
        ids: set = set()
        totals: list = []
        page = 0
        plural = self.resource.plural
        while True:
            body = self._page(query, page)
            items = body.get('items') or []
            totals.append(body.get('totalCount'))
            new = [item for item in items if item.get('id') not in ids]
            found.extend(new)
            ids.update(item.get('id') for item in new)
            if len(new) < len(items):
                return found, 'page %d repeated %d %s of earlier pages' % (page, len(items) - len(new), plural)
            if not items or (isinstance(totals[-1], int) and len(found) >= totals[-1]):
                break
            if page == 0 and self.per_page and len(items) < self.per_page:
                self.per_page = len(items)  # the server serves fewer per page than asked: ask for what it serves
            page += 1
        if len(set(totals)) > 1:
            return found, 'totalCount changed from %s to %s while the pages were read' % (totals[0], totals[-1])
        if isinstance(totals[0], int) and len(found) != totals[0]:
            return found, 'the pages held %d %s, totalCount says %d' % (len(found), plural, totals[0])
        return found, None

    def _page(self, query: dict[str, Any], page: int) -> dict[str, Any]:
        """One page; a server that refuses our page size (400) is asked again with its default page size."""
        def get() -> dict[str, Any]:
            params = dict({'perPage': self.per_page} if self.per_page else {}, **query, page=page)
            return self.client.request('GET', self.path, params=params, expect=self.resource.page)
        try:
            return get()
        except LosantError as error:
            if error.status != 400 or page or self.per_page != self.resource.page_size:
                raise
        self.per_page = None
        return get()

    def get(self, item_id: str) -> Optional[dict[str, Any]]:
        """The object, or None when the application has none with that ID."""
        try:
            return self.client.request('GET', '%s/%s' % (self.path, item_id), expect=self.resource.one)
        except LosantError as error:
            if self.not_found(error):
                return None
            raise

    def create(self, body: dict[str, Any]) -> Optional[dict[str, Any]]:
        return self._write('POST', self.path, self.resource.one, body)

    def update(self, item_id: str, body: dict[str, Any]) -> Optional[dict[str, Any]]:
        try:
            return self._write('PATCH', '%s/%s' % (self.path, item_id), self.resource.one, body)
        except LosantError as error:
            if error.status == 400 and any(field.fixed and field.api_key in body for field in self.resource.fields):
                error.notes.append(self.resource.fixed_hint)
            raise

    def delete(self, item_id: str) -> Optional[dict[str, Any]]:
        return self._write('DELETE', '%s/%s' % (self.path, item_id), DELETED, params=self.delete_params)

    def _write(self, method: str, path: str, expect: Shape, body: Optional[dict[str, Any]] = None,
               params: Optional[dict[str, Any]] = None) -> Optional[dict[str, Any]]:
        """Send one write, or in check mode only plan it. ``writes`` lists those done (or planned)."""
        response = None
        if not self.check_mode:
            try:
                response = self.client.request(method, path, body=body, params=params, expect=expect)
            except LosantError as error:
                error.resource = self.resource.singular
                if method != 'DELETE' or not self.not_found(error):
                    raise
        self.writes.append(describe_write(self.resource.fields, method, path, body, params))
        return response

    def not_found(self, error: LosantError) -> bool:
        """Whether the API said the object does not exist: Losant's own NotFound, not about the application. Any
        other 404 (a proxy's page) gets a note saying why it is not."""
        if error.status != 404:
            return False
        if error.error_type == 'NotFound':
            return 'application' not in error.error_message.lower()
        error.notes.append(FOREIGN_NOT_FOUND % self.resource.singular)
        return False


def describe_write(fields: tuple[Field, ...], method: str, path: str, body: Optional[dict[str, Any]] = None,
                   params: Optional[dict[str, Any]] = None) -> dict[str, Any]:
    """A readable record of one write request, secrets masked."""
    write: dict[str, Any] = {'method': method, 'path': path}
    if body is not None:
        write['body'] = mask(fields, body)
    if params:
        write['params'] = params
    return write
