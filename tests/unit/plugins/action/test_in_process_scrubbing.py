# -*- coding: utf-8 -*-
# Copyright: Contributors to the losant.platform collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""In the controller's process (ansible-core 2.19+) a module's warnings and deprecations go straight to the
display, not into the result that Ansible scrubs of no_log values: the modules scrub them when they are made."""

from __future__ import annotations

from typing import Any

import pytest

from ansible_collections.losant.platform.tests.unit.plugins.modules import test_scrubbing
from ansible_collections.losant.platform.tests.unit.plugins.modules.conftest import patch_module_args
from ansible_collections.losant.platform.tests.unit.plugins.modules.test_scrubbing import (
    EXITS,
    PASSWORD,
    SCRUBBED,
    WORKFLOW_LOOKUPS,
    echoing_webhook,
    exit_with_secrets,
)

module_utils_internal = pytest.importorskip('ansible.module_utils._internal')
if not hasattr(module_utils_internal, 'is_controller'):
    pytest.skip('before ansible-core 2.19 warnings are returned with the result in every process',
                allow_module_level=True)

from ansible.utils.display import Display  # noqa: E402 (after the skip: 2.19+ only)


@pytest.fixture
def displayed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What a module displays as warnings and deprecations in the controller's process."""
    shown: list[str] = []
    monkeypatch.setattr(Display, 'warning', lambda self, msg, *args, **kwargs: shown.append(msg))
    monkeypatch.setattr(Display, 'deprecated', lambda self, msg, *args, **kwargs: shown.append(msg))
    monkeypatch.setattr(module_utils_internal, 'is_controller', True)
    return shown


@pytest.mark.parametrize('module, args', WORKFLOW_LOOKUPS)
def test_a_workflow_lookup_403_echoing_secrets_is_displayed_without_them(displayed, emulator, module, args):
    hook = echoing_webhook(emulator)
    with patch_module_args(emulator.args(**args)), pytest.raises(SystemExit) as exited:
        module.main()
    assert exited.value.code == 0 and len(displayed) == 1
    assert 'no flows.get for ******** (********)' in displayed[0]
    assert PASSWORD not in displayed[0] and hook['token'] not in displayed[0]


@pytest.mark.parametrize('exit_', [EXITS['warning'], EXITS['deprecation']], ids=['warning', 'deprecation'])
def test_warnings_and_deprecations_are_displayed_scrubbed(displayed: list[Any], exit_):
    exit_with_secrets(exit_)
    assert len(displayed) == 1 and SCRUBBED in displayed[0]
    assert test_scrubbing.SECRET not in displayed[0]
