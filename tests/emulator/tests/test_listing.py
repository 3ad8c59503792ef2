"""Listing: paging, sorting, glob filtering and the keys of the list body."""
from __future__ import annotations

import pytest

from .conftest import APP_ID


def _seed(emulator, names):
    response = emulator.admin("POST", f"/applications/{APP_ID}/webhooks",
                              json={"webhooks": [{"name": name} for name in names], "apply_defaults": True})
    assert response.status_code == 201, response.text
    return response.json()["created"]


def _list(emulator, **params):
    response = emulator.call("GET", emulator.hooks_path(), params=params)
    assert response.status_code == 200, response.text
    return response.json()


def _names(body):
    return [item["name"] for item in body["items"]]


def test_empty_list_body(emulator):
    body = _list(emulator)
    assert body == {
        "items": [], "count": 0, "totalCount": 0, "perPage": 100, "page": 0, "sortField": "name",
        "sortDirection": "asc", "applicationId": APP_ID, "_type": "webhooks",
        "_links": {"self": {"href": f"/applications/{APP_ID}/webhooks"}},
    }


def test_items_carry_hal_keys(emulator):
    created = emulator.create(name="a")
    item = _list(emulator)["items"][0]
    assert item == created


def test_default_page_size_is_100(emulator):
    emulator.admin("POST", f"/applications/{APP_ID}/webhooks", json={"count": 250})
    body = _list(emulator)
    assert (body["count"], body["totalCount"], body["perPage"], body["page"]) == (100, 250, 100, 0)
    assert body["items"][0]["name"] == "hook-00000" and body["items"][-1]["name"] == "hook-00099"


def test_paging_walks_every_item_once(emulator):
    emulator.admin("POST", f"/applications/{APP_ID}/webhooks", json={"count": 25})
    seen = []
    for page in range(4):
        body = _list(emulator, page=page, perPage=7)
        assert body["page"] == page and body["perPage"] == 7 and body["totalCount"] == 25
        assert body["count"] == len(body["items"]) == (7 if page < 3 else 4)
        seen += _names(body)
    assert seen == [f"hook-{index:05d}" for index in range(25)]
    beyond = _list(emulator, page=99, perPage=7)
    assert (beyond["items"], beyond["count"], beyond["totalCount"]) == ([], 0, 25)


def test_per_page_bounds(emulator):
    emulator.admin("POST", f"/applications/{APP_ID}/webhooks", json={"count": 1001})
    assert _list(emulator, perPage=1000)["count"] == 1000
    assert _list(emulator, perPage=1000, page=1)["count"] == 1
    assert _list(emulator, perPage=1)["count"] == 1
    assert emulator.call("GET", emulator.hooks_path(), params={"perPage": 1001}).status_code == 400


def test_sort_by_name_in_both_directions(emulator):
    _seed(emulator, ["b", "a", "C", "c"])
    assert _names(_list(emulator)) == ["C", "a", "b", "c"]  # binary order, like MongoDB
    for direction in ("desc", "DESC", "Desc"):
        body = _list(emulator, sortDirection=direction)
        assert _names(body) == ["c", "b", "a", "C"] and body["sortDirection"] == "desc"
    assert _list(emulator, sortDirection="ASC")["sortDirection"] == "asc"


def test_sort_by_id_creation_date_and_last_updated(emulator):
    seeded = [
        {"id": "1" * 24, "name": "c", "creationDate": "2024-01-02T00:00:00.000Z", "lastUpdated": "2024-03-01T00:00:00.000Z"},
        {"id": "2" * 24, "name": "a", "creationDate": "2024-01-03T00:00:00.000Z", "lastUpdated": "2024-02-01T00:00:00.000Z"},
        {"id": "3" * 24, "name": "b", "creationDate": "2024-01-01T00:00:00.000Z", "lastUpdated": "2024-04-01T00:00:00.000Z"},
    ]
    emulator.admin("POST", f"/applications/{APP_ID}/webhooks", json={"webhooks": seeded})
    expected = {"id": "cab", "name": "abc", "creationDate": "bca", "lastUpdated": "acb"}
    for field, order in expected.items():
        body = _list(emulator, sortField=field)
        assert "".join(_names(body)) == order and body["sortField"] == field
        assert "".join(_names(_list(emulator, sortField=field, sortDirection="desc"))) == order[::-1]


def test_patch_moves_a_webhook_to_the_end_of_the_last_updated_order(emulator):
    first = emulator.create(name="first")
    emulator.admin("POST", f"/applications/{APP_ID}/webhooks",
                   json={"webhooks": [{"name": "future", "lastUpdated": "2999-01-01T00:00:00.000Z"}]})
    patched = emulator.call("PATCH", emulator.hook_path(first["id"]), json={"name": "patched"}).json()
    assert patched["lastUpdated"] > first["lastUpdated"]
    assert _names(_list(emulator, sortField="lastUpdated")) == ["patched", "future"]


def test_equal_names_sort_by_id_so_pages_are_stable(emulator):
    ids = _seed(emulator, ["same"] * 5)
    walked = [_list(emulator, page=page, perPage=2)["items"] for page in range(3)]
    assert [item["id"] for page in walked for item in page] == sorted(ids)


NAMES = ["Orders", "orders", "ORDERS-eu", "my orders", "a*b", "a?b", "a[b]", "a.b", "axb", "", "%", "_"]


@pytest.mark.parametrize("pattern,expected", [
    ("orders", ["Orders", "orders"]),
    ("ORDERS", ["Orders", "orders"]),
    ("orders*", ["ORDERS-eu", "Orders", "orders"]),
    ("*orders", ["Orders", "my orders", "orders"]),
    ("*ORD*", ["ORDERS-eu", "Orders", "my orders", "orders"]),
    ("a*b", ["a*b", "a.b", "a?b", "axb"]),
    ("a*", ["a*b", "a.b", "a?b", "a[b]", "axb"]),
    ("a?b", ["a?b"]),
    ("a[b]", ["a[b]"]),
    ("a.b", ["a.b"]),
    ("%", ["%"]),
    ("_", ["_"]),
    ("nothing", []),
    ("*s*-*", ["ORDERS-eu"]),
])
def test_name_filter_is_a_case_insensitive_star_glob(emulator, pattern, expected):
    _seed(emulator, [name for name in NAMES if name])
    body = _list(emulator, filterField="name", filter=pattern)
    assert sorted(_names(body)) == sorted(expected)
    assert body["totalCount"] == len(expected)
    assert body["filter"] == pattern and body["filterField"] == "name"


def test_star_alone_matches_everything(emulator):
    _seed(emulator, [name for name in NAMES if name])
    assert _list(emulator, filterField="name", filter="*")["totalCount"] == len(NAMES) - 1


def test_filter_is_applied_only_with_filter_field(emulator):
    _seed(emulator, ["a", "b"])
    body = _list(emulator, filter="a")
    assert body["totalCount"] == 2 and body["filter"] == "a" and "filterField" not in body
    body = _list(emulator, filterField="name")
    assert body["totalCount"] == 2 and body["filterField"] == "name" and "filter" not in body
    body = _list(emulator, filterField="name", filter="")
    assert body["totalCount"] == 2


def test_filter_combines_with_paging_and_sorting(emulator):
    emulator.admin("POST", f"/applications/{APP_ID}/webhooks", json={"count": 30, "name_prefix": "keep-"})
    emulator.admin("POST", f"/applications/{APP_ID}/webhooks", json={"count": 30, "name_prefix": "drop-"})
    body = _list(emulator, filterField="name", filter="KEEP-*", perPage=10, page=2, sortDirection="desc")
    assert body["totalCount"] == 30 and body["count"] == 10
    assert _names(body) == [f"keep-{index:05d}" for index in range(9, -1, -1)]


def test_lists_are_per_application(emulator):
    other = "5b9297591fefb200072e5501"
    emulator.admin("POST", "/applications", json={"id": other})
    emulator.admin("POST", f"/applications/{other}/webhooks", json={"count": 3})
    emulator.create(name="mine")
    assert _names(_list(emulator)) == ["mine"]
    token = emulator.add_token("both", ["all.User"])
    body = emulator.call("GET", emulator.hooks_path(other), token=token).json()
    assert body["totalCount"] == 3 and body["applicationId"] == other
