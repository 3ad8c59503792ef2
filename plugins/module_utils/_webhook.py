# -*- coding: utf-8 -*-
# Copyright: Contributors to the losant.platform collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

# Private to the losant.platform collection: it changes without notice, so other collections and
# plugins of your own must not import it.

"""The Losant webhook resource: its field table and its API calls."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any, Optional

from ansible_collections.losant.platform.plugins.module_utils._module import LosantModule, server_identity
from ansible_collections.losant.platform.plugins.module_utils._client import LosantClient, LosantError, Shape, page_of
from ansible_collections.losant.platform.plugins.module_utils._fields import (
    MASK,
    Field,
    changed_fields,
    mask,
    option_view,
    secret_keys,
)

# Losant's public cloud: its API, and where its webhooks are triggered. A private installation has its own
# trigger host, which cannot be derived from its API URL (option trigger_base_url).
PUBLIC_API = 'https://api.losant.com'
PUBLIC_TRIGGER_BASE = 'https://triggers.losant.com/webhooks'
PAGE_SIZE = 1000
NOT_LETTER_OR_DIGIT = re.compile(r'[^A-Za-z0-9]+')
INVISIBLE = dict.fromkeys(map(ord, '\u200b\u200c\u200d\u2060\ufeff'))

FIELDS = (
    Field('name', 'name', 'str', max_length=255, non_empty=True),
    Field('description', 'description', 'str', '', max_length=32767),
    Field('response_code', 'responseCode', 'int', 200, minimum=100, maximum=599),
    Field('verification_type', 'verificationType', 'str', 'none',
          choices=('none', 'facebook', 'fitbit', 'twilio', 'alexa')),
    Field('verification_code', 'verificationCode', 'str', secret=True, max_length=32767),
    Field('wait_for_reply', 'waitForReply', 'bool', False),
    Field('basic_auth_username', 'basicAuthUsername', 'str', '', max_length=255),
    Field('basic_auth_password', 'basicAuthPassword', 'str', secret=True, max_length=255),
    Field('is_websocket', 'isWebsocket', 'bool', False),
    Field('cast_buffers_as', 'castBuffersAs', 'str', 'array', choices=('array', 'binary', 'utf8', 'base64', 'hex')),
    Field('annotate_multipart', 'annotateMultipart', 'bool', False),
    Field('enabled', 'enabled', 'bool', True),
)
FIELDS_BY_OPTION = {field.option: field for field in FIELDS}
SECRET_KEYS = secret_keys(FIELDS)
# Scrubbed from error messages as well: the trigger token, as whoever holds it can trigger the webhook.
SCRUBBED_KEYS = SECRET_KEYS | {'token'}


def is_webhook(body: Any) -> bool:
    """An object with a string ``id``, and a string ``name`` or none: what the modules index and match by."""
    return isinstance(body, dict) and isinstance(body.get('id'), str) and (
        body.get('name') is None or isinstance(body['name'], str))


WEBHOOK = Shape('a webhook object', is_webhook)
WEBHOOK_PAGE = page_of('webhook objects', is_webhook)
DELETED = Shape('{"success": true}', lambda body: isinstance(body, dict) and body.get('success') is True)
# Optional text fields that a server may store as "" or leave out when they were never set: both mean empty.
EMPTY_TEXT_KEYS = tuple(field.api_key for field in FIELDS if field.platform_default == '')
FOREIGN_NOT_FOUND = ("not Losant's NotFound error, so the webhook is not taken to be absent: check that api_url "
                     "is the API's address, and whether a proxy answers in its place")
RECREATE_HINT = ('Losant fixes is_websocket when a webhook is created: to change it, delete the webhook and create it '
                 'again (state=absent, then present), which gives it a new token and so a new trigger URL; or set '
                 'is_websocket to the value the webhook has')


def comparable(webhook: dict[str, Any]) -> dict[str, Any]:
    """``webhook`` with its missing or null optional text fields as "", the way they are compared."""
    return dict(webhook, **{key: '' for key in EMPTY_TEXT_KEYS if webhook.get(key) is None})


def webhook_changes(desired: dict[str, Any], current: dict[str, Any]) -> dict[str, Any]:
    """The fields of ``desired`` that ``current`` lacks; an optional text field left out equals ""."""
    return changed_fields(desired, comparable(current))


def unapplied_options(sent: dict[str, Any], answer: Optional[dict[str, Any]]) -> list[str]:
    """Options whose value a write sent but its answer does not hold (a secret only if the answer has it)."""
    if answer is None:
        return []
    differing = webhook_changes(sent, answer)
    return [field.option for field in FIELDS
            if field.api_key in differing and (not field.secret or field.api_key in answer)]


def unapplied_message(request: str, unapplied: dict[str, list[str]]) -> str:
    """Why a write that succeeded still fails the task; ``unapplied`` lists the options not taken per webhook name."""
    described = '; '.join('%s: %s' % (name, ', '.join(options)) for name, options in unapplied.items())
    message = '%s succeeded, but the platform did not apply every field sent (%s)' % (request, described)
    if any('is_websocket' in options for options in unapplied.values()):
        return '%s. %s.' % (message, RECREATE_HINT)
    return '%s: it ignored those values, so every run would send them again.' % message


def diff_view(webhook: dict[str, Any]) -> dict[str, Any]:
    """A whole webhook for a diff, in option names: its ID, its fields with secrets masked, and its trigger token
    masked too, the only credential of many webhooks. Other read-only keys (dates, application) are left out."""
    view = {'id': webhook['id']} if 'id' in webhook else {}
    view.update(option_view(FIELDS, webhook))
    if 'token' in webhook:
        view['token'] = MASK if webhook['token'] else webhook['token']
    return view


def is_public_api(api_url: str) -> bool:
    """Whether ``api_url`` is Losant's public API, however it is spelled (case, default port, final slash)."""
    try:
        return server_identity(api_url) == PUBLIC_API
    except ValueError:  # not a URL: check_input refuses it
        return False


def trigger_base(params: dict[str, Any]) -> Optional[str]:
    """Where trigger URLs start: ``trigger_base_url`` if given, else the public trigger host for the public API."""
    if params.get('trigger_base_url'):
        return params['trigger_base_url'].strip().rstrip('/')
    return PUBLIC_TRIGGER_BASE if is_public_api(params['api_url']) else None


def trigger_url(webhook: dict[str, Any], base: Optional[str]) -> Optional[str]:
    """The URL that triggers ``webhook``: None until it has a token, or when the trigger host is unknown."""
    token = webhook.get('token')
    return '%s/%s' % (base, token) if token and base else None


def with_trigger_url(webhook: dict[str, Any], base: Optional[str]) -> dict[str, Any]:
    """A webhook for a list in a module result: masked, with ``trigger_url`` (see ``trigger_url``)."""
    return dict(mask(FIELDS, webhook), trigger_url=trigger_url(webhook, base))


def predicted_webhook(body: dict[str, Any], application_id: str) -> dict[str, Any]:
    """What a create would return, for check mode: platform defaults overlaid with the body."""
    webhook = {field.api_key: field.platform_default for field in FIELDS if field.platform_default not in (None, '')}
    webhook.update(body)
    webhook['applicationId'] = application_id
    return webhook


def webhook_api(module: LosantModule) -> WebhookApi:
    """The webhook API of the module's application, through a client that hides the webhooks' secrets."""
    return WebhookApi(module.client(SCRUBBED_KEYS), module.params['application_id'], check_mode=module.module.check_mode)


def name_filter(name: str) -> str:
    """A name filter that every plausible server matches to ``name`` (and maybe to other names).

    Losant does not document its filter: a glob, or a regular expression made by turning ``*`` into ``.*``,
    matched with or without case. ASCII letters and digits mean themselves under each of these rules, so
    they are kept with their case; every run of other characters becomes one ``*``. The caller compares
    names exactly.
    """
    return NOT_LETTER_OR_DIGIT.sub('*', name)


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


def webhook_not_found(error: LosantError) -> bool:
    """Whether the API said the webhook does not exist: Losant's own JSON error of type NotFound, not about the
    application. Any other 404 (a proxy's HTML page, another JSON shape) gets a note saying why it is not."""
    if error.status != 404:
        return False
    if error.error_type == 'NotFound':
        return 'application' not in error.error_message.lower()
    error.notes.append(FOREIGN_NOT_FOUND)
    return False


@dataclass
class Listing:
    """Webhooks as listed; ``problem`` says why the listing may be incomplete (pages that disagreed)."""

    webhooks: list[dict[str, Any]]
    problem: Optional[str] = None


def incomplete_listing(problem: str) -> str:
    return ('The webhook listing stayed inconsistent when read a second time (%s): webhooks changed while it was '
            'read, so it may lack some.' % problem)


def unconfirmed_absence(problem: str, names: list[str], consequence: str) -> str:
    """Why nothing was written for ``names``, which an inconsistent listing did not show: they may exist."""
    return ('Nothing was changed: %s %s not listed, but the webhook listing stayed inconsistent when read a second '
            'time (%s), so %s may exist all the same and %s. Run the task again when the webhooks stop changing.'
            % (', '.join(repr(name) for name in names), 'was' if len(names) == 1 else 'were', problem,
               'it' if len(names) == 1 else 'they', consequence))


class WebhookApi:
    """The five webhook actions of one application. Every write goes through ``_write``."""

    def __init__(self, client: LosantClient, application_id: str, check_mode: bool = False) -> None:
        self.client = client
        self.check_mode = check_mode
        self.path = '/applications/%s/webhooks' % application_id
        self.writes: list[dict[str, Any]] = []
        self.per_page: Optional[int] = PAGE_SIZE

    def listing(self, name_pattern: Optional[str] = None) -> Listing:
        """Every webhook, sorted by name, following all pages; ``name_pattern`` is sent as the API's name filter.

        A listing whose pages disagree (with ``totalCount``, or repeating an ID: webhooks changed while it was
        read) is read again once; ``Listing.problem`` says what stayed wrong.
        """
        query: dict[str, Any] = {'sortField': 'name', 'sortDirection': 'asc'}
        if name_pattern is not None:
            query.update(filterField='name', filter=name_pattern)
        webhooks, problem = self._read_pages(query)
        if problem:
            webhooks, problem = self._read_pages(query)
        return Listing(webhooks, problem)

    def find_by_name(self, name: str) -> Listing:
        """Webhooks whose name is exactly ``name``, found through a filter that every plausible server matches."""
        listing = self.listing(name_filter(name))
        return Listing([webhook for webhook in listing.webhooks if webhook.get('name') == name], listing.problem)

    def _read_pages(self, query: dict[str, Any]) -> tuple[list[dict[str, Any]], Optional[str]]:
        """One reading of every page, paged by what the server returns; the webhooks and what disagreed, if anything."""
        webhooks: list[dict[str, Any]] = []
        ids: set = set()
        totals: list = []
        page = 0
        while True:
            body = self._page(query, page)
            items = body.get('items') or []
            totals.append(body.get('totalCount'))
            new = [item for item in items if item.get('id') not in ids]
            webhooks.extend(new)
            ids.update(item.get('id') for item in new)
            if len(new) < len(items):
                return webhooks, 'page %d repeated %d webhooks of earlier pages' % (page, len(items) - len(new))
            if not items or (isinstance(totals[-1], int) and len(webhooks) >= totals[-1]):
                break
            if page == 0 and self.per_page and len(items) < self.per_page:
                self.per_page = len(items)  # the server serves fewer per page than asked: ask for what it serves
            page += 1
        if len(set(totals)) > 1:
            return webhooks, 'totalCount changed from %s to %s while the pages were read' % (totals[0], totals[-1])
        if isinstance(totals[0], int) and len(webhooks) != totals[0]:
            return webhooks, 'the pages held %d webhooks, totalCount says %d' % (len(webhooks), totals[0])
        return webhooks, None

    def _page(self, query: dict[str, Any], page: int) -> dict[str, Any]:
        """One page; a server that refuses our page size (400) is asked again with its default page size."""
        try:
            return self.client.request('GET', self.path, params=self._page_params(query, page), expect=WEBHOOK_PAGE)
        except LosantError as error:
            if error.status != 400 or page or self.per_page != PAGE_SIZE:
                raise
        self.per_page = None
        return self.client.request('GET', self.path, params=self._page_params(query, page), expect=WEBHOOK_PAGE)

    def _page_params(self, query: dict[str, Any], page: int) -> dict[str, Any]:
        params: dict[str, Any] = {'perPage': self.per_page} if self.per_page else {}
        params.update(query, page=page)
        return params

    def get(self, webhook_id: str) -> Optional[dict[str, Any]]:
        """The webhook, or None when the application has no webhook with that ID."""
        try:
            return self.client.request('GET', '%s/%s' % (self.path, webhook_id), expect=WEBHOOK)
        except LosantError as error:
            if webhook_not_found(error):
                return None
            raise

    def create(self, body: dict[str, Any]) -> Optional[dict[str, Any]]:
        return self._write('POST', self.path, WEBHOOK, body)

    def update(self, webhook_id: str, body: dict[str, Any]) -> Optional[dict[str, Any]]:
        try:
            return self._write('PATCH', '%s/%s' % (self.path, webhook_id), WEBHOOK, body)
        except LosantError as error:
            if error.status == 400 and 'isWebsocket' in body:
                error.notes.append(RECREATE_HINT)
            raise

    def delete(self, webhook_id: str, include_workflows: bool = False) -> Optional[dict[str, Any]]:
        params = {'includeWorkflows': 'true'} if include_workflows else None
        return self._write('DELETE', '%s/%s' % (self.path, webhook_id), DELETED, params=params)

    def _write(self, method: str, path: str, expect: Shape, body: Optional[dict[str, Any]] = None,
               params: Optional[dict[str, Any]] = None) -> Optional[dict[str, Any]]:
        """Send one write, or in check mode only plan it. ``writes`` lists those done (or planned)."""
        response = None
        if not self.check_mode:
            try:
                response = self.client.request(method, path, body=body, params=params, expect=expect)
            except LosantError as error:
                if method != 'DELETE' or not webhook_not_found(error):
                    raise
        self.writes.append(describe_write(method, path, body, params))
        return response


def describe_write(method: str, path: str, body: Optional[dict[str, Any]] = None,
                   params: Optional[dict[str, Any]] = None) -> dict[str, Any]:
    """A readable record of one write request, secrets masked."""
    write: dict[str, Any] = {'method': method, 'path': path}
    if body is not None:
        write['body'] = mask(FIELDS, body)
    if params:
        write['params'] = params
    return write
