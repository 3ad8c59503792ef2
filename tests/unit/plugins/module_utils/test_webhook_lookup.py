# -*- coding: utf-8 -*-
# Copyright: Contributors to the losant.platform collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Name lookup, paging and deletion under every plausible reading of what Losant leaves undocumented: the
emulator's settings for the filter and the page size, and its faults for listings that change while read."""

from __future__ import annotations

from typing import Any

import pytest

from ansible_collections.losant.platform.plugins.module_utils._client import LosantClient, LosantError
from ansible_collections.losant.platform.plugins.module_utils._resource import look_alike_filter, name_filter
from ansible_collections.losant.platform.plugins.module_utils._webhook import WebhookApi
from ansible_collections.losant.platform.tests.unit.conftest import COLLECTION, TOKEN, Emulator

ODD_NAMES = ['orders (v2)', 'c++', 'a?b', '[a]', '^x', 'y$', 'back\\slash', 'a*b', 'a.b', 'x|y', '(', '\\',
             'naïve café', 'ÉTÉ', '日本語', '++', ' padded ', 'Orders', 'orders']


def seed(emulator: Emulator, *names: str) -> list[dict[str, Any]]:
    return emulator.seed(*({'name': name} for name in names))


def list_queries(emulator: Emulator) -> list[dict[str, str]]:
    return [call.query for call in emulator.calls if call.method == 'GET' and call.path == COLLECTION]


def pages_of_100(emulator: Emulator, count: int) -> list[dict[str, Any]]:
    """``count`` webhooks ``h000``, ``h001`` ..., listed 100 a page whatever page size is asked."""
    emulator.settings(max_per_page=100, per_page_over_max='clamp')
    return seed(emulator, *('h%03d' % index for index in range(count)))


def page(hooks: list[dict[str, Any]], number: int, total: int) -> dict[str, Any]:
    """Page ``number`` of 100 of ``hooks`` as a list answer that says there are ``total``."""
    items = hooks[number * 100:(number + 1) * 100]
    return {'items': items, 'count': len(items), 'totalCount': total, 'perPage': 100, 'page': number}


def answer_listing(emulator: Emulator, body: dict[str, Any], after: int = 0) -> None:
    """Answer the listing request after the next ``after`` ones with ``body``."""
    emulator.fault(method='GET', path=COLLECTION, status=200, body=body, after=after)


# item 4: the filter finds every name under every plausible rule

@pytest.mark.parametrize('syntax', ['glob', 'regex'])
@pytest.mark.parametrize('case', ['insensitive', 'sensitive'])
@pytest.mark.parametrize('name', ODD_NAMES)
def test_find_by_name_finds_the_exact_name_under_every_filter_rule(emulator, api, name, syntax, case):
    emulator.settings(filter_syntax=syntax, filter_case=case)
    seed(emulator, *ODD_NAMES, 'decoy-' + name)
    found = api.find_by_name(name)
    assert [hook['name'] for hook in found.items] == [name]
    assert found.problem is None
    assert len(emulator.calls) == 1


LOOK_ALIKES = [('orders', [' orders', 'orders ', 'or\u200bders', '\ufefforders']), ('caf\u00e9', ['cafe\u0301']),
               ('cafe\u0301', ['caf\u00e9']), ('Kelvin', ['\u212aelvin']),
               ('naïve café', [' nai\u0308ve cafe\u0301']), ('日本語', [' 日本語']), ('c++', ['c++ '])]


@pytest.mark.parametrize('syntax', ['glob', 'regex'])
@pytest.mark.parametrize('case', ['insensitive', 'sensitive'])
@pytest.mark.parametrize('name, look_alikes', LOOK_ALIKES)
def test_the_look_alike_filter_finds_the_name_and_its_look_alikes_under_every_rule(emulator, api, name, look_alikes,
                                                                                   syntax, case):
    emulator.settings(filter_syntax=syntax, filter_case=case)
    seed(emulator, name, *look_alikes)
    found = api.listing(look_alike_filter(name))
    assert sorted(hook['name'] for hook in found.items) == sorted([name] + look_alikes)


@pytest.mark.parametrize('name, expected', [
    ('orders', 'orders'), ('Orders-EU', 'Orders*EU'), ('orders (v2)', 'orders*v2*'), ('c++', 'c*'),
    ('a?b', 'a*b'), ('[a]', '*a*'), ('^x', '*x'), ('y$', 'y*'), ('back\\slash', 'back*slash'),
    ('naïve café', 'na*ve*caf*'), ('日本語', '*'), ('a*b', 'a*b'), ('b-*', 'b*'),
])
def test_name_filter_keeps_ascii_letters_and_digits_and_turns_each_run_of_others_into_one_star(name, expected):
    assert name_filter(name) == expected


def test_the_filter_sent_is_the_safe_one(emulator, api):
    seed(emulator, 'orders (v2)')
    api.find_by_name('orders (v2)')
    assert (list_queries(emulator)[0]['filter'], list_queries(emulator)[0]['filterField']) == ('orders*v2*', 'name')


# item 5: paging by what the server returned

@pytest.mark.parametrize('over_max', ['clamp', 'error'])
def test_a_server_with_pages_of_100_is_listed_completely(emulator, api, over_max):
    names = ['hook-%03d' % index for index in range(250)]
    seed(emulator, *names)
    emulator.settings(max_per_page=100, per_page_over_max=over_max)
    listing = api.listing()
    assert [hook['name'] for hook in listing.items] == names
    assert listing.problem is None
    pages = [(query.get('perPage'), query['page']) for query in list_queries(emulator)]
    if over_max == 'clamp':
        assert pages == [('1000', '0'), ('100', '1'), ('100', '2')]
    else:
        assert pages == [('1000', '0'), (None, '0'), (None, '1'), (None, '2')]


def test_after_a_refused_page_size_later_listings_of_the_run_do_not_ask_for_it_again(emulator, api):
    seed(emulator, 'a', 'b')
    emulator.settings(max_per_page=100, per_page_over_max='error')
    api.find_by_name('a')
    api.find_by_name('b')
    assert [query.get('perPage') for query in list_queries(emulator)] == ['1000', None, None]


def test_a_400_that_is_not_about_the_page_size_still_fails(emulator, api):
    emulator.fail('GET', COLLECTION, 400, 'Validation', 'bad', count=2)
    with pytest.raises(LosantError, match='bad'):
        api.listing()
    assert len(emulator.calls) == 2, 'one try with perPage, one without'


def test_a_400_on_a_later_page_fails_rather_than_read_it_at_another_page_size(emulator, api):
    seed(emulator, *('h%04d' % index for index in range(1500)))
    emulator.fail('GET', COLLECTION, 400, 'Validation', 'bad', after=1)
    with pytest.raises(LosantError, match='bad'):
        api.listing()
    assert [(query['page'], query.get('perPage')) for query in list_queries(emulator)] == [('0', '1000'), ('1', '1000')]


def test_a_listing_that_changed_while_read_is_read_again_once(emulator, api):
    hooks = pages_of_100(emulator, 250)
    api.delete(hooks[0]['id'])  # h000, deleted by someone once page 0 was read: that page still shows it
    answer_listing(emulator, page(hooks, 0, 250))
    listing = api.listing()
    assert listing.problem is None
    assert [hook['name'] for hook in listing.items] == ['h%03d' % index for index in range(1, 250)]
    assert [query['page'] for query in list_queries(emulator)] == ['0', '1', '2', '0', '1', '2']


def test_a_listing_that_stays_inconsistent_says_why(emulator, api):
    hooks = pages_of_100(emulator, 250)
    # in each reading a webhook is created while page 1 is asked, and two are deleted before page 2 is
    for body in [page(hooks, 0, 250), page(hooks, 1, 251), page(hooks, 2, 249)] * 2:
        answer_listing(emulator, body)
    listing = api.listing()
    assert listing.problem == 'totalCount changed from 250 to 249 while the pages were read'
    assert [query['page'] for query in list_queries(emulator)] == ['0', '1', '2', '0', '1', '2']


def test_a_server_that_ignores_the_page_number_is_caught_by_the_repeated_ids(emulator, api):
    hooks = pages_of_100(emulator, 250)
    overlap = {'items': hooks[50:150], 'count': 100, 'totalCount': 250, 'perPage': 100, 'page': 1}
    answer_listing(emulator, overlap, after=1)  # page 1 of each reading overlaps page 0 by half
    answer_listing(emulator, overlap, after=2)
    listing = api.listing()
    assert listing.problem == 'page 1 repeated 50 webhooks of earlier pages'
    assert len(list_queries(emulator)) == 4, 'two pages per reading, then stop'


def test_a_listing_that_holds_more_than_its_total_count_says_so(emulator, api):
    hooks = seed(emulator, 'a', 'b', 'c')
    answer_listing(emulator, {'items': hooks, 'count': 3, 'totalCount': 2})
    answer_listing(emulator, {'items': hooks, 'count': 3, 'totalCount': 2})
    listing = api.listing()
    assert [hook['name'] for hook in listing.items] == ['a', 'b', 'c']
    assert listing.problem == 'the pages held 3 webhooks, totalCount says 2'


def test_a_listing_whose_total_count_goes_missing_is_read_to_an_empty_page_and_called_inconsistent(emulator, api):
    hooks = pages_of_100(emulator, 150)
    for _reading in range(2):
        answer_listing(emulator, page(hooks, 0, 150))
        answer_listing(emulator, {'items': hooks[100:], 'count': 50})
        answer_listing(emulator, {'items': [], 'count': 0})
    listing = api.listing()
    assert len(listing.items) == 150
    assert listing.problem == 'totalCount changed from 150 to None while the pages were read'
    assert [(query['page'], query['perPage']) for query in list_queries(emulator)] == [
        ('0', '1000'), ('1', '100'), ('2', '100'), ('0', '100'), ('1', '100'), ('2', '100')], 'asks what it serves'


def test_a_listing_without_total_count_reads_until_an_empty_page(emulator, api):
    hooks = seed(emulator, 'a', 'b')
    answer_listing(emulator, {'items': hooks, 'count': 2})
    answer_listing(emulator, {'items': [], 'count': 0})
    listing = api.listing()
    assert [hook['name'] for hook in listing.items] == ['a', 'b']
    assert [query['page'] for query in list_queries(emulator)] == ['0', '1']


# item 6: a DELETE answered 404 means already absent

def test_deleting_a_webhook_that_is_already_gone_is_not_an_error(emulator, api):
    assert api.delete('%024x' % 7) is None
    assert api.writes == [{'method': 'DELETE', 'path': '%s/%024x' % (COLLECTION, 7)}]
    assert [(call.method, call.status) for call in emulator.calls] == [('DELETE', 404)]


def test_a_delete_answered_500_fails_without_a_note_about_not_found(emulator, api):
    hook_id = seed(emulator, 'a')[0]['id']
    emulator.fail('DELETE', '%s/%s' % (COLLECTION, hook_id), 500, 'InternalError', 'boom')
    with pytest.raises(LosantError) as raised:
        api.delete(hook_id)
    assert 'boom' in str(raised.value) and 'NotFound' not in str(raised.value)
    assert api.writes == []


def test_deleting_in_an_application_that_is_not_found_still_fails(emulator):
    api = WebhookApi(LosantClient(emulator.url, TOKEN, retries=0), '%024x' % 9)
    with pytest.raises(LosantError, match='Application was not found'):
        api.delete('%024x' % 7)
    assert api.writes == []
