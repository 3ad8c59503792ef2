# -*- coding: utf-8 -*-
# Copyright: Contributors to the losant.platform collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Every spelling of one server's api_url gives one identity, and other servers other identities."""

from __future__ import annotations

import pytest

from ansible_collections.losant.platform.plugins.module_utils._module import server_identity

SAME_SERVER = [
    ('http://localhost:8080', ['http://LOCALHOST:8080', 'HTTP://localhost:8080/', 'Http://LocalHost:8080//',
                               'http://user:secret@localhost:8080', 'http://localhost.:8080/',
                               ' http://localhost:8080\n', 'http://localhost:8080/?x=1#top']),
    ('https://api.losant.com', ['https://api.losant.com/', 'https://API.Losant.com:443', 'HTTPS://api.losant.com:443/']),
    ('http://127.0.0.1', ['http://127.0.0.1:80/', 'http://127.0.0.1/']),
    ('http://[::1]:8080', ['http://[0:0:0:0:0:0:0:1]:8080', 'http://[::0001]:8080/', 'http://u@[::1]:8080']),
    ('https://[2001:db8::1]', ['https://[2001:DB8:0::1]:443/']),
    ('https://xn--bcher-kva.example/api', ['https://BÜCHER.example/api/', 'https://xn--bcher-kva.example:443/api']),
]


@pytest.mark.parametrize('identity, spelling', [(identity, spelling) for identity, spellings in SAME_SERVER
                                                for spelling in [identity] + spellings])
def test_every_spelling_of_a_server_has_its_identity(identity, spelling):
    assert server_identity(spelling) == identity


@pytest.mark.parametrize('one, other', [
    ('http://localhost:8080', 'https://localhost:8080'),
    ('http://localhost:8080', 'http://localhost:8081'),
    ('http://localhost', 'http://localhost:443'),
    ('https://api.losant.com', 'https://api.losant.com/v2'),
    ('http://[::1]:8080', 'http://[::2]:8080'),
])
def test_other_servers_have_other_identities(one, other):
    assert server_identity(one) != server_identity(other)
