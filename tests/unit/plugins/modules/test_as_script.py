# -*- coding: utf-8 -*-
# Copyright: Contributors to the losant.platform collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Each module runs when executed as a script, as in a module process of its own (losant_in_process: false,
or a task on another host); the other unit tests call main() themselves."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ansible_collections.losant.platform.plugins.modules import losant_webhook, losant_webhook_info, losant_webhooks
from ansible_collections.losant.platform.tests.unit.plugins.modules.conftest import patch_module_args


@pytest.mark.parametrize('module', [losant_webhook, losant_webhooks, losant_webhook_info],
                         ids=lambda module: module.__name__.rsplit('.', 1)[1])
def test_run_as_a_script_the_module_validates_its_arguments_and_prints_its_result(capsys, module):
    script = compile(Path(module.__file__).read_text(encoding='utf-8'), module.__file__, 'exec')
    with patch_module_args({}), pytest.raises(SystemExit) as exited:
        exec(script, {'__name__': '__main__', '__file__': module.__file__})  # pylint: disable=exec-used
    assert exited.value.code == 1
    assert json.loads(capsys.readouterr().out)['msg'] == 'missing required arguments: application_id'
