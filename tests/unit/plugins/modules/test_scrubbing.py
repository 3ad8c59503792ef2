# -*- coding: utf-8 -*-
# Copyright: Contributors to the losant.platform collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Every text that leaves a module goes through one scrubber: messages, error messages, input errors,
warnings and deprecations (tests/unit/plugins/action/test_in_process_scrubbing.py: in the controller's
process, where warnings go straight to the display)."""

from __future__ import annotations

import json
from typing import Any, Callable

import pytest

from ansible.module_utils.ansible_release import __version__ as ANSIBLE_CORE_VERSION
from ansible.module_utils.common import warnings as module_warnings
from ansible_collections.losant.platform.plugins.module_utils._fields import MASK
from ansible_collections.losant.platform.plugins.module_utils._scrubbing import ScrubbingModule, scrub_text
from ansible_collections.losant.platform.plugins.modules import losant_webhook, losant_webhook_info, losant_webhooks
from ansible_collections.losant.platform.tests.emulator.audit import DEFAULT_ORG_ID
from ansible_collections.losant.platform.tests.unit.conftest import COLLECTION, FLOWS, Emulator
from ansible_collections.losant.platform.tests.unit.plugins.modules.conftest import kept_result, patch_module_args

try:
    from ansible.module_utils import _internal as module_utils_internal
except ImportError:  # ansible-core < 2.19
    module_utils_internal = None

PASSWORD = 'listed-password'
SECRET = 'a-secret-value'


def echoing_webhook(emulator: Emulator, **fields: Any) -> dict[str, Any]:
    """The webhook 'old', whose password and trigger token the next error of ``path`` (the workflow lookup's)
    echoes with ``status`` and ``error_type``."""
    path, status, error_type = fields.pop('path', FLOWS), fields.pop('status', 403), fields.pop('type', 'Forbidden')
    hook = emulator.seed(dict({'name': 'old', 'basicAuthPassword': PASSWORD}, **fields))[0]
    emulator.fail('GET', path, status, error_type, 'no flows.get for %s (%s)' % (hook['token'], PASSWORD))
    return hook


@pytest.fixture(autouse=True)
def no_earlier_warnings(monkeypatch: pytest.MonkeyPatch) -> None:
    """Warnings and deprecations start empty, as in a module process: earlier tests leave theirs behind."""
    for name in ('_global_warnings', '_global_deprecations'):
        monkeypatch.setattr(module_warnings, name, type(getattr(module_warnings, name))())


WORKFLOW_LOOKUPS = [
    pytest.param(losant_webhook, {'name': 'old', 'state': 'absent'}, id='losant_webhook'),
    pytest.param(losant_webhooks, {'state': 'deleted', 'config': [{'name': 'old'}]}, id='losant_webhooks'),
    pytest.param(losant_webhook_info, {'with_workflows': True}, id='losant_webhook_info'),
]


@pytest.mark.parametrize('module, args', WORKFLOW_LOOKUPS)
def test_a_workflow_lookup_403_echoing_secrets_warns_without_them(run_module, emulator, module, args):
    hook = echoing_webhook(emulator)
    run = run_module(module.main, emulator.args(**args))
    assert run.exit_code == 0 and [call.status for call in emulator.calls if call.path == FLOWS] == [403]
    assert 'may not list workflows' in json.dumps(run.result['warnings'])
    assert 'no flows.get for ******** (********)' in json.dumps(run.result['warnings'])
    assert PASSWORD not in run.output and hook['token'] not in json.dumps(run.result['warnings'])


def test_an_audit_log_error_echoing_secrets_is_no_reason_to_show_them(run_module, emulator):
    audit_logs = '/orgs/%s/audit-logs' % DEFAULT_ORG_ID
    echoing_webhook(emulator, responseCode=500, path=audit_logs, status=500, type='Error')
    converged = emulator.args(state='merged', config=[{'name': 'old'}], attribution=True)
    drifted = dict(converged, config=[{'name': 'old', 'response_code': 200}])
    run = run_module(losant_webhooks.main, converged, check_mode=True)
    assert run.exit_code == 0 and run.result['changed'] is False
    assert [call.path for call in emulator.calls] == [COLLECTION], 'nothing drifted: no audit request'
    run = run_module(losant_webhooks.main, drifted, check_mode=True)
    assert [call.status for call in emulator.calls if call.path == audit_logs] == [500]
    assert run.exit_code == 0 and run.result['changes'][0]['attribution'] is None
    assert 'no flows.get for ******** (********)' in run.result['attribution_unavailable']
    assert PASSWORD not in run.output  # the trigger token is returned on purpose, in webhooks


def exit_with_secrets(exit_: Callable[[ScrubbingModule], None]) -> None:
    """``exit_`` of a ScrubbingModule that has seen ``SECRET`` in an API answer and has ``PASSWORD`` as a no_log
    option."""
    with patch_module_args({'password': PASSWORD}), pytest.raises(SystemExit):
        module = ScrubbingModule(argument_spec={'password': {'type': 'str', 'no_log': True}})
        module.add_secrets([SECRET])
        exit_(module)


def echo(kind: str) -> str:
    return '%s echoes %s and %s' % (kind, SECRET, PASSWORD)


SCRUBBED = 'echoes ******** and ********'
EXITS = {
    'exit msg': lambda module: module.exit_json(msg=echo('msg')),
    'fail msg': lambda module: module.fail_json(msg=echo('msg')),
    'error_message': lambda module: module.fail_json(msg='failed', error_message=echo('error_message')),
    'input errors': lambda module: module.fail_json(msg='invalid', errors=[echo('errors')]),
    'attribution_unavailable': lambda module: module.exit_json(attribution_unavailable=echo('attribution')),
    'warning': lambda module: (module.warn(echo('warning')), module.exit_json())[1],
    'deprecation': lambda module: (module.deprecate(echo('deprecation'), version='9.0.0',
                                                    collection_name='losant.platform'), module.exit_json())[1],
}


@pytest.mark.parametrize('exit_', list(EXITS.values()), ids=list(EXITS))
def test_every_exit_scrubs_api_and_no_log_secrets(capsys, monkeypatch, exit_):
    if hasattr(module_utils_internal, 'is_controller'):
        monkeypatch.setattr(module_utils_internal, 'is_controller', False)
    capsys.readouterr()
    exit_with_secrets(exit_)
    output = json.dumps(kept_result(capsys.readouterr().out))
    assert SECRET not in output and PASSWORD not in output
    assert SCRUBBED in output


# -- the rule: unrelated text stays readable, the mask tells nothing about the secret ------------------

MESSAGE = 'The webhook description is not accepted'


@pytest.mark.parametrize('text, secrets, scrubbed', [
    pytest.param(MESSAGE, {'e'}, MESSAGE, id='a short secret inside words'),
    pytest.param('no answer within 30 seconds', {'e', 's', '3'}, 'no answer within 30 seconds', id='own message'),
    pytest.param('basicAuthPassword hunter2 is too short', {'hunter2'}, 'basicAuthPassword ******** is too short',
                 id='a short secret as a word'),
    pytest.param('pw=hunter2&x (hunter2)', {'hunter2'}, 'pw=********&x (********)', id='a short secret between signs'),
    pytest.param('hunter2x_hunter2', {'hunter2'}, 'hunter2x_hunter2', id='a short secret inside a word'),
    pytest.param('e', {'e'}, MASK, id='a short secret as the whole text'),
    pytest.param('{"basicAuthPassword":"e","enabled":true}', {'e'}, '{"basicAuthPassword":"********","enabled":true}',
                 id='a short secret whole in JSON'),
    pytest.param("password 'e' refused", {'e'}, "password '********' refused", id='a short secret quoted'),
    pytest.param('token: tok-3f9a1c77e0b54d2e.', {'tok-3f9a1c77e0b54d2e'}, 'token: ********.', id='a long secret'),
    pytest.param('idhunter22x', {'hunter22'}, 'id********x', id='a secret of 8 characters inside a word'),
    pytest.param('%22tok-3f9a1c77e0b54d2e%22', {'tok-3f9a1c77e0b54d2e'}, '%22********%22',
                 id='a long secret glued to an encoding'),
    pytest.param(json.dumps({'m': 'pw "quoted" long'}), {'pw "quoted" long'}, '{"m": "********"}',
                 id='a long secret escaped in JSON'),
    pytest.param(json.dumps({'m': 'pässwort "x"'}, ensure_ascii=False), {'pässwort "x"'}, '{"m": "********"}',
                 id='a secret with other letters than ASCII escaped in JSON'),
    pytest.param('x abc-defgh-ijk y', {'abc-defgh', 'defgh-ijk'}, 'x ******** y', id='overlapping secrets'),
    pytest.param('pin 000000000 ok', {'00000000'}, 'pin ******** ok', id='a secret overlapping itself'),
    pytest.param('pw hunter22hunter22 x', {'hunter22'}, 'pw ******** x', id='a secret twice back to back'),
    pytest.param('pw hunter22secret', {'hunter22', 'hunter22secret'}, 'pw ********', id='a secret inside another'),
    pytest.param('a 12345678901234567890123456789012 b', {'12345678901234567890123456789012'}, 'a ******** b',
                 id='one mask whatever the length'),
])
def test_scrubbing_masks_secrets_without_garbling_the_rest(text, secrets, scrubbed):
    assert scrub_text(text, secrets) == scrubbed


def returned_with_password(capsys: pytest.CaptureFixture[str], password: str, **result: Any) -> dict[str, Any]:
    """What a ScrubbingModule whose no_log option is ``password`` returns of ``result``."""
    capsys.readouterr()
    with patch_module_args({'password': password}), pytest.raises(SystemExit):
        ScrubbingModule(argument_spec={'password': {'type': 'str', 'no_log': True}}).exit_json(**result)
    return kept_result(capsys.readouterr().out)


@pytest.mark.parametrize('password, shown', [
    ('hunter22', 'https://x.test/?pw=********x'),
    ('a-much-longer-password', 'https://x.test/?pw=********x'),
    ('hunter2', 'https://x.test/?pw=hunter2x'),
])
def test_a_no_log_value_of_8_characters_or_more_is_masked_wherever_it_stands_in_the_result(capsys, password, shown):
    """As Ansible masks every no_log value; only a shorter one is left where it does not stand whole."""
    if len(password) >= 8 and tuple(map(int, ANSIBLE_CORE_VERSION.split('.')[:2])) >= (2, 22):
        pytest.skip('ansible-core 2.22 hands a module result on without taking no_log values out of it')
    assert returned_with_password(capsys, password, url='https://x.test/?pw=%sx' % password)['url'] == shown


def test_a_short_no_log_value_is_masked_where_it_is_a_whole_value_in_the_result(capsys):
    returned = returned_with_password(capsys, 'hunter2', data={'password': 'hunter2', 'list': [' hunter2 ', 'hunter2x']})
    assert returned['data'] == {'password': MASK, 'list': [MASK, 'hunter2x']}


def test_a_short_no_log_value_does_not_garble_a_message(run_module, emulator):
    hook = emulator.seed({'name': 'orders'})[0]
    emulator.fail('PATCH', '%s/%s' % (COLLECTION, hook['id']), 400, 'Validation', MESSAGE)
    run = run_module(losant_webhook.main, emulator.args(name='orders', basic_auth_password='e'))
    assert run.result['msg'].endswith(MESSAGE) and run.result['error_message'] == MESSAGE
    assert '"e"' not in run.output


def test_a_short_secret_the_api_returned_does_not_garble_a_message(run_module, emulator):
    hook = emulator.seed({'name': 'orders', 'basicAuthPassword': 'e'})[0]
    emulator.fail('PATCH', '%s/%s' % (COLLECTION, hook['id']), 400, 'Validation', MESSAGE)
    run = run_module(losant_webhook.main, emulator.args(name='orders', description='new'))
    assert run.result['error_message'] == MESSAGE and '"e"' not in run.output


def test_the_bulk_modules_own_messages_stay_readable(run_module, emulator):
    emulator.fault(method='POST', path=COLLECTION, drop=True)
    run = run_module(losant_webhooks.main, emulator.args(config=[{'name': 'a', 'basic_auth_password': 'e'}]))
    assert 'cannot connect to %s: ' % emulator.url in run.result['msg'] and '"e"' not in run.output
    assert run.result['outcome_unknown'][0]['body']['basicAuthPassword'] == MASK
