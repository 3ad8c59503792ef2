# -*- coding: utf-8 -*-
# Copyright: Contributors to the losant.platform collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Run a module of this collection inside the controller's worker process when the task runs there.

A module task costs a Python process of its own: start-up, ``ansible.module_utils.basic`` and
``requests`` imports, a temporary directory and a file transfer, for one API call of a few
milliseconds. When the task would run on the controller anyway (a ``local`` connection, as with
``delegate_to: localhost``), the action plugin runs the module's own ``main()`` in the worker
process instead: the arguments are encoded as Ansible encodes them for the module, the module
prints its result as it always does, and that output goes through the same parsing as a module's.
Validation, ``no_log`` masking, check mode, diff, warnings and deprecations are therefore the
module's own. Anything else (another connection, ``become``, ``async``, no ``requests`` in the
controller's Python, ``losant_in_process: false``, or an ansible-core minor not in ``TESTED_CORES``)
runs the module as usual.

This relies on private ansible-core internals, which change between minors (CONTRIBUTING.md,
"Adding an ansible-core version", lists them): hence the in-process path only on the minors tested.
"""

from __future__ import annotations

import contextlib
import datetime
import importlib
import io
import json
import os
import sys
import traceback
from typing import Any, Iterator, Optional

from ansible import release
from ansible.module_utils import basic
from ansible.module_utils.common import json as module_json
from ansible.module_utils.common import warnings as module_warnings
from ansible.module_utils.parsing.convert_bool import boolean
from ansible.plugins.action import ActionBase
from ansible.utils.display import Display
from ansible.utils.vars import merge_hash

from ansible_collections.losant.platform.plugins.module_utils._module import FAILURE_DEFAULTS

try:
    from ansible.vars.clean import remove_internal_keys
except ImportError:  # ansible-core 2.21: the task result object removes them itself
    remove_internal_keys = None

try:
    # Since ansible-core 2.19 the AnsiballZ wrapper turns a module's exception into a JSON failure result.
    from ansible.module_utils._internal._ansiballz._loader import _handle_exception as report_crash
except ImportError:  # before 2.19 the traceback on stderr is the report
    report_crash = None

display = Display()

# The ansible-core minors whose internals the in-process path was tested with, as `make test` runs
# them (the Makefile's CORES). On any other the modules run as module processes.
TESTED_CORES = ('2.16', '2.19', '2.21', '2.22')

SWITCH = 'losant_in_process'
SWITCH_ENVIRONMENT = 'LOSANT_IN_PROCESS'
MODULES_PACKAGE = 'ansible_collections.losant.platform.plugins.modules.'
# Since ansible-core 2.19, arguments and results are encoded with a serialization profile.
PROFILES = hasattr(module_json, 'get_module_encoder')
# The modules declare no serialization profile, so Ansible uses this one for them (ansible-core 2.19+).
SERIALIZATION_PROFILE = 'legacy'


class InProcessModuleAction(ActionBase):
    """The action plugin of a module of the same name; subclasses set ``module_name``."""

    module_name = ''
    _supports_check_mode = True
    _supports_async = True

    def __init_subclass__(cls, **kwargs: Any) -> None:
        """Import the module along with its action plugin.

        Ansible's strategy loads action plugins in the controller's main process, which forks a worker
        process for every task: imported here, the module, its module_utils and ``requests`` are already
        in every worker, instead of being imported again by each task. Any import problem shows when the
        task runs the module (``run_in_process``), or makes it run as a module process.
        """
        super().__init_subclass__(**kwargs)
        announce_an_untested_core()
        try:
            importlib.import_module(MODULES_PACKAGE + cls.module_name)
        except Exception:  # pylint: disable=broad-exception-caught
            pass

    def run(self, tmp: Any = None, task_vars: Optional[dict[str, Any]] = None) -> dict[str, Any]:
        result = super().run(tmp, task_vars)
        del tmp  # no longer has any effect
        task_vars = task_vars or {}
        retyped = retyped_names(self._task.args)
        if retyped:  # checked here, where the values are as YAML read them, whichever way the module then runs
            return merge_hash(result, dict(FAILURE_DEFAULTS, failed=True, msg='Invalid input: %s.' % '; '.join(retyped),
                                           errors=retyped))
        reason = self.reason_for_a_module_process(task_vars)
        if reason:
            display.vvv('losant.platform: running %s as a module: %s' % (self.module_name, reason),
                        host=self._play_context.remote_addr)
            return merge_hash(result, self.run_module_process(task_vars))
        display.vvv('losant.platform: running %s in the controller process' % self.module_name,
                    host=self._play_context.remote_addr)
        return merge_hash(result, self.run_in_process(task_vars))

    def reason_for_a_module_process(self, task_vars: dict[str, Any]) -> str:
        """Why the module must run as its own process here, or '' when it can run in this one."""
        if not core_is_tested():
            return untested_core()
        switch = task_vars.get(SWITCH, os.environ.get(SWITCH_ENVIRONMENT, True))
        if not boolean(self._templar.template(switch), strict=False):
            return '%s is false' % SWITCH
        if self._connection.transport not in ('local', 'ansible.builtin.local'):
            return 'the %s connection runs it on another host' % self._connection.transport
        if self._play_context.become:
            return 'become runs it as another user'
        if self._task.async_val:
            return 'async runs it in the background'
        try:
            importlib.import_module('requests')
        except ImportError:
            return "the controller's Python (%s) cannot import requests" % sys.executable
        return ''

    def run_module_process(self, task_vars: dict[str, Any]) -> dict[str, Any]:
        """What ``ansible.builtin.normal`` does for a module without an action plugin."""
        result = self._execute_module(task_vars=task_vars, wrap_async=self._task.async_val)
        if not self._task.async_val:
            self._remove_tmp_path(self._connection._shell.tmpdir)
        return result

    def run_in_process(self, task_vars: dict[str, Any]) -> dict[str, Any]:
        module = importlib.import_module(MODULES_PACKAGE + self.module_name)
        arguments = dict(self._task.args)
        self._update_module_args(self._task.action, arguments, task_vars)
        environment: dict[str, Any] = {}
        self._compute_environment_string(environment)
        output, errors, status = io.StringIO(), io.StringIO(), 0
        with task_environment(environment), module_globals(encoded_arguments(arguments)):
            # What the module prints, Python warnings and log records included, stays out of the
            # controller's console, as it does from a module process.
            with contextlib.redirect_stdout(output), contextlib.redirect_stderr(errors):
                try:
                    module.main()
                except SystemExit as exit_:
                    status = exit_code(exit_)
                except Exception as crash:  # pylint: disable=broad-exception-caught
                    status = report_module_crash(crash)
        return self.module_result({'rc': status, 'stdout': output.getvalue(), 'stderr': errors.getvalue()})

    def module_result(self, raw: dict[str, Any]) -> dict[str, Any]:
        """The module's printed result, parsed and cleaned as ``ActionBase._execute_module`` does."""
        parsed = self._parse_returned_data(raw, SERIALIZATION_PROFILE) if PROFILES else self._parse_returned_data(raw)
        if isinstance(parsed, dict):  # before the task result object of ansible-core 2.21
            parsed.pop('_ansible_suppress_tmpdir_delete', None)
            remove_internal_keys(parsed)
            return parsed
        parsed.remove_internal_keys()
        return parsed.as_result_dict(for_round_trip=True)


def core_minor() -> str:
    return '.'.join(release.__version__.split('.')[:2])


def core_is_tested() -> bool:
    return core_minor() in TESTED_CORES


def untested_core() -> str:
    return 'ansible-core %s is not one it was tested on (%s)' % (core_minor(), ', '.join(TESTED_CORES))


_announced = []


def announce_an_untested_core() -> None:
    """Say once with -v that no module runs in-process here (the action plugins load in Ansible's main process)."""
    if not core_is_tested() and not _announced:
        _announced.append(True)
        display.v('losant.platform: modules run as module processes, not in the controller process: %s'
                  % untested_core())


def exit_code(exit_: SystemExit) -> int:
    return exit_.code if isinstance(exit_.code, int) else 1


def report_module_crash(crash: Exception) -> int:
    """Print what a module process prints when its module raises, and return its exit status."""
    if report_crash is not None:
        try:
            report_crash(crash, SERIALIZATION_PROFILE)
        except SystemExit as exit_:
            return exit_code(exit_)
        except Exception:  # pylint: disable=broad-exception-caught
            pass  # it failed too (an exception without a text): a module process then prints the traceback
    traceback.print_exception(type(crash), crash, crash.__traceback__)  # to stderr, as before 2.19
    return 1


def encoded_arguments(arguments: dict[str, Any]) -> bytes:
    """The arguments as Ansible hands them to a module's ``AnsibleModule``."""
    params = {'ANSIBLE_MODULE_ARGS': arguments}
    if not PROFILES:
        return json.dumps(params, cls=module_json.AnsibleJSONEncoder, vault_to_text=True).encode('utf-8')
    encoder = module_json.get_module_encoder(SERIALIZATION_PROFILE, module_json.Direction.CONTROLLER_TO_MODULE)
    return json.dumps(params, cls=encoder).encode('utf-8')


@contextlib.contextmanager
def module_globals(arguments: bytes) -> Iterator[None]:
    """The module-side globals a module process starts with, restored afterwards.

    ``AnsibleModule`` reads its arguments from ``basic._ANSIBLE_ARGS`` (and, since ansible-core
    2.19, the profile from ``basic._ANSIBLE_PROFILE``), as the AnsiballZ wrapper sets them.
    Before 2.19, warnings and deprecations collect in module-wide lists, fresh in every module
    process: a loop runs its items in one worker, so each run starts them empty. (Since 2.19,
    module_utils in a controller hand them to the display, which adds them to the task's result.)
    """
    saved = {name: getattr(basic, name) for name in ('_ANSIBLE_ARGS', '_ANSIBLE_PROFILE') if hasattr(basic, name)}
    collected = {name: getattr(module_warnings, name) for name in ('_global_warnings', '_global_deprecations')}
    basic._ANSIBLE_ARGS = arguments
    if '_ANSIBLE_PROFILE' in saved:
        basic._ANSIBLE_PROFILE = SERIALIZATION_PROFILE
    for name, value in collected.items():
        setattr(module_warnings, name, type(value)())
    try:
        yield
    finally:
        for name, value in collected.items():
            setattr(module_warnings, name, value)
        for name, value in saved.items():
            setattr(basic, name, value)


@contextlib.contextmanager
def task_environment(environment: dict[str, Any]) -> Iterator[None]:
    """The task's ``environment`` on top of the worker's, as a module process on the controller gets it."""
    saved = {name: os.environ.get(name) for name in environment}
    os.environ.update({name: str(value) for name, value in environment.items()})
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


RETYPED_NAME_HINT = ('YAML reads an unquoted yes, no, on, off, true, false, null, number or date as another type, '
                     'which would name another webhook: quote the name')


def retyped_names(args: dict[str, Any]) -> list[str]:
    """One message per name among a task's arguments (``name``, ``config[].name``, ``unmanaged``) that YAML did not
    read as a string. The argument spec would silently make ``yes`` the name "True", ``007`` "7" and ``1.10`` "1.1"
    (and ``overridden`` create it and delete the webhook meant); only the controller sees what YAML read."""
    named = [('name', args['name'])] if 'name' in args else []
    config = args.get('config')
    if isinstance(config, list):
        named.extend(('config[%d].name' % index, entry['name']) for index, entry in enumerate(config)
                     if isinstance(entry, dict) and 'name' in entry)
    unmanaged = args.get('unmanaged', [])
    if isinstance(unmanaged, list):
        named.extend(('unmanaged[%d]' % index, glob) for index, glob in enumerate(unmanaged))
    else:
        named.append(('unmanaged', unmanaged))
    return ['%s is %s, not a string: %s' % (label, yaml_reading(value), RETYPED_NAME_HINT)
            for label, value in named if not is_text(value)]


def is_text(value: Any) -> bool:
    """A string, or a vaulted one, which ansible-core < 2.19 hands to action plugins as an object of its own."""
    return isinstance(value, str) or type(value).__name__ == 'AnsibleVaultEncryptedUnicode'


def yaml_reading(value: Any) -> str:
    """What YAML made of an unquoted scalar, in words."""
    if value is None:
        return 'null'
    if isinstance(value, bool):
        return 'the boolean %s' % str(value).lower()
    if isinstance(value, (int, float)):
        return 'the number %s' % value
    if isinstance(value, (datetime.date, datetime.time)):
        return 'the date %s' % value.isoformat()
    return 'a list' if isinstance(value, list) else 'a mapping' if isinstance(value, dict) else 'a %s' % type(value).__name__
