# -*- coding: utf-8 -*-
# Copyright: Contributors to the losant.platform collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Name lookup, paging and deletion under every plausible reading of what Losant leaves undocumented."""

from __future__ import annotations

import re
from typing import Any, Optional

import pytest

from ansible_collections.losant.platform.plugins.module_utils._client import LosantError
from ansible_collections.losant.platform.plugins.module_utils._resource import name_filter
from ansible_collections.losant.platform.plugins.module_utils._webhook import WebhookApi, look_alike_filter

APP = '5b3a0c1e9f1d2c0012345678'
PATH = '/applications/%s/webhooks' % APP
ODD_NAMES = ['orders (v2)', 'c++', 'a?b', '[a]', '^x', 'y$', 'back\\slash', 'a*b', 'a.b', 'x|y', '(', '\\',
             'naïve café', 'ÉTÉ', '日本語', '++', ' padded ', 'Orders', 'orders']


class RuleServer:
    """The list, delete and get actions of one application, under a chosen filter syntax, case rule and page limit.

    ``syntax`` is ``glob`` (``*`` is the only wildcard) or ``regex`` (``*`` becomes ``.*``, every other character
    is live, an invalid pattern answers 400). ``max_per_page`` with ``over_max`` ``clamp`` or ``error`` limits pages.
    """

    def __init__(self, names: list[str], syntax: str = 'glob', case: str = 'insensitive', max_per_page: int = 1000,
                 over_max: str = 'error', default_per_page: int = 100) -> None:
        self.webhooks = [{'id': '%024x' % (index + 1), 'name': name} for index, name in enumerate(names)]
        self.syntax, self.case = syntax, case
        self.max_per_page, self.over_max, self.default_per_page = max_per_page, over_max, default_per_page
        self.calls: list[tuple[str, str, Optional[dict]]] = []
        self.before_page: dict[int, Any] = {}  # page number -> callable run before answering it

    def request(self, method: str, path: str, body: Optional[dict] = None, params: Optional[dict] = None,
                expect: Any = None) -> Any:
        self.calls.append((method, path, dict(params) if params else params))
        if method == 'GET' and path == PATH:
            return self.list(params or {})
        webhook_id = path.rsplit('/', 1)[1]
        found = [hook for hook in self.webhooks if hook['id'] == webhook_id]
        if not found:
            raise LosantError(method, path, 'Webhook was not found', 404, 'NotFound')
        if method == 'DELETE':
            self.webhooks.remove(found[0])
            return {'success': True}
        return dict(found[0])

    def matches(self, pattern: str, name: str) -> bool:
        flags = re.IGNORECASE if self.case == 'insensitive' else 0
        if self.syntax == 'glob':
            regex = '.*'.join(re.escape(part) for part in pattern.split('*'))
        else:
            regex = pattern.replace('*', '.*')
        try:
            return re.fullmatch(regex, name, flags) is not None
        except re.error:
            raise LosantError('GET', PATH, 'Invalid filter', 400, 'Validation')

    def list(self, params: dict) -> dict[str, Any]:
        per_page = params.get('perPage', self.default_per_page)
        if per_page > self.max_per_page:
            if self.over_max == 'error':
                raise LosantError('GET', PATH, '"perPage" must be <= %d' % self.max_per_page, 400, 'Validation')
            per_page = self.max_per_page
        page = params.get('page', 0)
        if page in self.before_page:
            self.before_page.pop(page)()
        hooks = sorted(self.webhooks, key=lambda hook: (hook['name'], hook['id']))
        if params.get('filter'):
            hooks = [hook for hook in hooks if self.matches(params['filter'], hook['name'])]
        items = hooks[page * per_page:(page + 1) * per_page]
        return {'items': [dict(hook) for hook in items], 'count': len(items), 'totalCount': len(hooks),
                'perPage': per_page, 'page': page}

    @property
    def list_calls(self) -> list[dict]:
        return [params for method, path, params in self.calls if method == 'GET' and path == PATH]


# item 4: the filter finds every name under every plausible rule

@pytest.mark.parametrize('syntax', ['glob', 'regex'])
@pytest.mark.parametrize('case', ['insensitive', 'sensitive'])
@pytest.mark.parametrize('name', ODD_NAMES)
def test_find_by_name_finds_the_exact_name_under_every_filter_rule(name, syntax, case):
    server = RuleServer(ODD_NAMES + ['decoy-' + name], syntax=syntax, case=case)
    found = WebhookApi(server, APP).find_by_name(name)
    assert [hook['name'] for hook in found.items] == [name]
    assert found.problem is None
    assert len(server.calls) == 1


LOOK_ALIKES = [('orders', [' orders', 'orders ', 'or\u200bders', '\ufefforders']), ('caf\u00e9', ['cafe\u0301']),
               ('cafe\u0301', ['caf\u00e9']), ('Kelvin', ['\u212aelvin']),
               ('naïve café', [' nai\u0308ve cafe\u0301']), ('日本語', [' 日本語']), ('c++', ['c++ '])]


@pytest.mark.parametrize('syntax', ['glob', 'regex'])
@pytest.mark.parametrize('case', ['insensitive', 'sensitive'])
@pytest.mark.parametrize('name, look_alikes', LOOK_ALIKES)
def test_the_look_alike_filter_finds_the_name_and_its_look_alikes_under_every_rule(name, look_alikes, syntax, case):
    server = RuleServer([name] + look_alikes, syntax=syntax, case=case)
    found = WebhookApi(server, APP).listing(look_alike_filter(name))
    assert sorted(hook['name'] for hook in found.items) == sorted([name] + look_alikes)


@pytest.mark.parametrize('name, expected', [
    ('orders', 'orders'), ('Orders-EU', 'Orders*EU'), ('orders (v2)', 'orders*v2*'), ('c++', 'c*'),
    ('a?b', 'a*b'), ('[a]', '*a*'), ('^x', '*x'), ('y$', 'y*'), ('back\\slash', 'back*slash'),
    ('naïve café', 'na*ve*caf*'), ('日本語', '*'), ('a*b', 'a*b'), ('b-*', 'b*'),
])
def test_name_filter_keeps_ascii_letters_and_digits_and_turns_each_run_of_others_into_one_star(name, expected):
    assert name_filter(name) == expected


def test_the_filter_sent_is_the_safe_one():
    server = RuleServer(['orders (v2)'])
    WebhookApi(server, APP).find_by_name('orders (v2)')
    assert server.list_calls[0]['filter'] == 'orders*v2*'
    assert server.list_calls[0]['filterField'] == 'name'


# item 5: paging by what the server returned

@pytest.mark.parametrize('over_max', ['clamp', 'error'])
def test_a_server_with_pages_of_100_is_listed_completely(over_max):
    names = ['hook-%03d' % index for index in range(250)]
    server = RuleServer(names, max_per_page=100, over_max=over_max)
    listing = WebhookApi(server, APP).listing()
    assert [hook['name'] for hook in listing.items] == names
    assert listing.problem is None
    pages = [(params.get('perPage'), params['page']) for params in server.list_calls]
    if over_max == 'clamp':
        assert pages == [(1000, 0), (100, 1), (100, 2)]
    else:
        assert pages == [(1000, 0), (None, 0), (None, 1), (None, 2)]


def test_after_a_refused_page_size_later_listings_of_the_run_do_not_ask_for_it_again():
    server = RuleServer(['a', 'b'], max_per_page=100, over_max='error')
    api = WebhookApi(server, APP)
    api.find_by_name('a')
    api.find_by_name('b')
    assert [params.get('perPage') for params in server.list_calls] == [1000, None, None]


def test_a_400_that_is_not_about_the_page_size_still_fails():
    server = RuleServer(['a'], syntax='regex')

    def refuse(params):
        raise LosantError('GET', PATH, 'bad', 400, 'Validation')
    server.list = refuse
    with pytest.raises(LosantError, match='bad'):
        WebhookApi(server, APP).listing()
    assert len(server.calls) == 2, 'one try with perPage, one without'


def test_a_first_page_of_1000_stops_without_asking_for_more():
    server = RuleServer(['h%04d' % index for index in range(1000)])
    assert len(WebhookApi(server, APP).listing().items) == 1000
    assert len(server.calls) == 1


def test_a_listing_that_changed_while_read_is_read_again_once():
    server = RuleServer(['h%03d' % index for index in range(250)], max_per_page=100, over_max='clamp')
    server.before_page[1] = lambda: server.webhooks.pop(0)  # h000 deleted by someone while page 1 is asked
    listing = WebhookApi(server, APP).listing()
    assert listing.problem is None
    assert [hook['name'] for hook in listing.items] == ['h%03d' % index for index in range(1, 250)]
    assert [params['page'] for params in server.list_calls] == [0, 1, 2, 0, 1, 2]


def test_a_listing_that_stays_inconsistent_says_why():
    server = RuleServer(['h%03d' % index for index in range(250)], max_per_page=100, over_max='clamp')
    original = server.list

    def shifting(params):
        if params.get('page') == 1:
            server.webhooks.append({'id': '%024x' % (1000 + len(server.calls)), 'name': 'zz-%d' % len(server.calls)})
        return original(params)
    server.list = shifting
    listing = WebhookApi(server, APP).listing()
    assert listing.problem is not None
    assert 'totalCount' in listing.problem
    assert len(server.list_calls) == 6, 'read twice, not more'


def test_a_server_that_ignores_the_page_number_is_caught_by_the_repeated_ids():
    server = RuleServer(['h%03d' % index for index in range(250)], max_per_page=100, over_max='clamp')
    original = server.list
    server.list = lambda params: original(dict(params, page=0))
    listing = WebhookApi(server, APP).listing()
    assert 'repeated' in listing.problem
    assert len(server.list_calls) == 4, 'two pages per reading, then stop'


def test_a_listing_without_total_count_reads_until_an_empty_page():
    server = RuleServer(['a', 'b'])
    original = server.list

    def no_total(params):
        body = original(params)
        del body['totalCount']
        return body
    server.list = no_total
    listing = WebhookApi(server, APP).listing()
    assert [hook['name'] for hook in listing.items] == ['a', 'b']
    assert [params['page'] for params in server.list_calls] == [0, 1]


# item 6: a DELETE answered 404 means already absent

def test_deleting_a_webhook_that_is_already_gone_is_not_an_error():
    server = RuleServer([])
    api = WebhookApi(server, APP)
    assert api.delete('%024x' % 7) is None
    assert api.writes == [{'method': 'DELETE', 'path': '%s/%024x' % (PATH, 7)}]


def test_deleting_in_an_application_that_is_not_found_still_fails():
    class MissingApplication(RuleServer):
        def request(self, method, path, body=None, params=None, expect=None):
            raise LosantError(method, path, 'Application was not found', 404, 'NotFound')
    api = WebhookApi(MissingApplication([]), APP)
    with pytest.raises(LosantError, match='Application was not found'):
        api.delete('%024x' % 7)
    assert api.writes == []
