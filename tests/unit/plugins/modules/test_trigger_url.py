# -*- coding: utf-8 -*-
# Copyright: Contributors to the losant.platform collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""``trigger_url`` is Losant's public trigger host only for Losant's public API; otherwise ``trigger_base_url``
(or LOSANT_TRIGGER_BASE_URL) names it, and without it every module returns a null one. A webhook that check mode
would create has a null one too, in both modules that create."""

from __future__ import annotations

from typing import Any

import pytest

from ansible_collections.losant.platform.plugins.module_utils._webhook import is_public_api
from ansible_collections.losant.platform.plugins.modules import losant_webhook, losant_webhook_info, losant_webhooks
from ansible_collections.losant.platform.tests.unit.conftest import PUBLIC_API, TRIGGER_BASE, Emulator, webhook

PUBLIC_TRIGGER = 'https://triggers.losant.com/webhooks/'


@pytest.mark.parametrize('api_url', [PUBLIC_API, 'HTTPS://API.Losant.com/', 'https://api.losant.com:443',
                                     ' https://api.losant.com\n', 'https://api.losant.com./'])
def test_losants_public_api_however_spelled(api_url):
    assert is_public_api(api_url)


@pytest.mark.parametrize('api_url', ['http://api.losant.com', 'https://api.losant.com:8443', 'http://127.0.0.1:8080',
                                     'https://api.losant.com.example.test', 'https://api.losant.com/proxy',
                                     'https://[::1', 'https://api.losant.com:0'])
def test_other_api_urls_are_not_losants_public_api(api_url):
    assert not is_public_api(api_url)


def run(run_module: Any, emulator: Emulator, module: Any, api_url: str = '', **args: Any) -> dict[str, Any]:
    """``module`` run on the webhook ``orders`` at ``api_url`` (the emulator's own address by default); its result,
    and the webhook's trigger token as ``token``."""
    hook = emulator.seed(webhook('orders'))[0]
    result = run_module(module.main, emulator.args(api_url=api_url or emulator.url, **args))
    assert result.exit_code == 0, result.result
    assert emulator.calls and all(call.status == 200 for call in emulator.calls)
    return dict(result.result, token=hook['token'])


def trigger_urls(result: dict[str, Any]) -> list[Any]:
    """``trigger_url`` of every webhook a module returned (losant_webhook's key, or each listed webhook's)."""
    if 'webhooks' in result:
        return [hook['trigger_url'] for hook in result['webhooks']]
    return [result['trigger_url']]


MODULES = [
    pytest.param(losant_webhook, {'name': 'orders'}, id='losant_webhook'),
    pytest.param(losant_webhooks, {'config': [{'name': 'orders'}], 'return_all': True}, id='losant_webhooks'),
    pytest.param(losant_webhook_info, {}, id='losant_webhook_info'),
]


@pytest.mark.parametrize('module, args', MODULES)
def test_the_public_api_gives_the_public_trigger_url(run_module, public_api, module, args):
    result = run(run_module, public_api, module, PUBLIC_API, **args)
    assert trigger_urls(result) == [PUBLIC_TRIGGER + result['token']]


@pytest.mark.parametrize('module, args', MODULES)
def test_another_api_without_trigger_base_url_gives_a_null_trigger_url(run_module, emulator, module, args):
    result = run(run_module, emulator, module, **args)
    assert trigger_urls(result) == [None]
    assert 'triggers.losant.com' not in str(result)


@pytest.mark.parametrize('module, args', MODULES)
def test_trigger_base_url_names_the_trigger_host(run_module, emulator, module, args):
    result = run(run_module, emulator, module, trigger_base_url=TRIGGER_BASE + '/', **args)
    assert trigger_urls(result) == [TRIGGER_BASE + '/' + result['token']]


@pytest.mark.parametrize('module, args', MODULES)
def test_trigger_base_url_comes_from_the_environment_too(run_module, public_api, monkeypatch, module, args):
    monkeypatch.setenv('LOSANT_TRIGGER_BASE_URL', TRIGGER_BASE)
    result = run(run_module, public_api, module, PUBLIC_API, **args)
    assert trigger_urls(result) == [TRIGGER_BASE + '/' + result['token']]


@pytest.mark.parametrize('module, args', [(losant_webhook, {'name': 'new'}),
                                          (losant_webhooks, {'config': [{'name': 'new'}]})])
def test_a_webhook_check_mode_would_create_has_a_null_trigger_url_in_both_modules(run_module, emulator, module, args):
    result = run_module(module.main, emulator.args(trigger_base_url=TRIGGER_BASE, **args), check_mode=True)
    assert result.exit_code == 0 and result.result['changed'] is True
    assert [call.method for call in emulator.calls] == ['GET']
    assert trigger_urls(result.result) == [None]


@pytest.mark.parametrize('value', ['triggers.example.test/webhooks', 'ftp://triggers.example.test', ''])
def test_a_trigger_base_url_that_is_no_http_url_fails_before_any_request(run_module, emulator, value):
    result = run_module(losant_webhook_info.main, emulator.args(trigger_base_url=value))
    assert result.exit_code == 1 and emulator.calls == []
    assert 'trigger_base_url must be an http:// or https:// URL with a host name' in result.result['msg']


def test_a_bad_trigger_base_url_from_the_environment_names_the_variable(run_module, emulator, monkeypatch):
    monkeypatch.setenv('LOSANT_TRIGGER_BASE_URL', 'triggers.example.test')
    result = run_module(losant_webhook_info.main, emulator.args())
    assert result.exit_code == 1 and emulator.calls == []
    assert '(from the environment variable LOSANT_TRIGGER_BASE_URL)' in result.result['msg']
