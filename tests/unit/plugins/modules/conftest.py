# -*- coding: utf-8 -*-
# Copyright: Contributors to the losant.platform collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Run a module's main() in-process, and read its result as Ansible does (its API: the ``emulator`` fixture)."""

from __future__ import annotations

import contextlib
import json
from typing import Any, Callable, Iterator

import pytest

from ansible.module_utils import basic
from ansible.module_utils.common import warnings as module_warnings
from ansible_collections.losant.platform.plugins.module_utils import _client as client
from ansible.module_utils.common.text.converters import to_bytes

try:
    from ansible.module_utils import _internal as module_utils_internal
except ImportError:  # ansible-core < 2.19
    module_utils_internal = None

try:
    from ansible.module_utils.testing import patch_module_args
except ImportError:  # ansible-core < 2.19
    @contextlib.contextmanager
    def patch_module_args(args: dict[str, Any]) -> Iterator[None]:
        saved = basic._ANSIBLE_ARGS
        basic._ANSIBLE_ARGS = to_bytes(json.dumps({'ANSIBLE_MODULE_ARGS': args}))
        try:
            yield
        finally:
            basic._ANSIBLE_ARGS = saved


def kept_result(printed: str) -> dict[str, Any]:
    """A module's printed JSON result as the controller keeps it, without the ``_ansible_*`` keys.

    The controller takes those out of every module result (ansible-core 2.22, for one, adds
    ``_ansible_new_secrets``, the secrets the controller masks), so no user sees them.
    """
    return {key: value for key, value in json.loads(printed).items() if not key.startswith('_ansible_')}


class ModuleRun:
    """A module's exit code and its result as the controller keeps it (``kept_result``); ``output`` is
    that result as text, everything a user can see of it, for the secret checks."""

    def __init__(self, printed: str, exit_code: int) -> None:
        self.exit_code = exit_code
        self.result = kept_result(printed)
        self.output = json.dumps(self.result)


@pytest.fixture
def run_module(capsys: pytest.CaptureFixture, monkeypatch: pytest.MonkeyPatch) -> Callable[..., ModuleRun]:
    """``run_module(main, args, check_mode=False, diff=False)``: the module's result and exit code.

    The real exit_json/fail_json run, so the output is scrubbed of no_log values exactly as in a play.
    Retries do not wait. Since ansible-core 2.19, importing any controller code (the action plugins'
    tests do) sends module warnings to the controller's display instead of the result; a module
    process never has that code, so it is switched off here whatever ran before in this process.
    """
    monkeypatch.setattr(client, 'backoff_delay', lambda attempt, retry_after=None: 0)
    if hasattr(module_utils_internal, 'is_controller'):
        monkeypatch.setattr(module_utils_internal, 'is_controller', False)

    def run(main: Callable[[], None], args: dict[str, Any], check_mode: bool = False,
            diff: bool = False) -> ModuleRun:
        args = dict(args, _ansible_check_mode=check_mode, _ansible_diff=diff)
        # A module process starts with no warnings; earlier runs in this process leave theirs behind.
        for name in ('_global_warnings', '_global_deprecations'):
            monkeypatch.setattr(module_warnings, name, type(getattr(module_warnings, name))())
        capsys.readouterr()
        with patch_module_args(args), pytest.raises(SystemExit) as exited:
            main()
        return ModuleRun(capsys.readouterr().out, exited.value.code)

    return run
