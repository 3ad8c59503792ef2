# Copyright: Contributors to the losant.platform collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run the module inside an AnsiballZ payload the way the payload does, timing each phase.

Usage: python profile_driver.py PAYLOAD OUTPUT_JSON [CPROFILE_OUTPUT]
Writes {phase: seconds} to OUTPUT_JSON. With CPROFILE_OUTPUT, also profiles the module run (after the
imports) with cProfile; the phase times of such a run are inflated by the profiler.
"""

from __future__ import annotations

import time

STARTED = time.perf_counter()

# What the AnsiballZ wrapper imports before it runs the module, and nothing more, so that the
# import phases below cost what they cost in a real payload.
# pylint: disable=wrong-import-position,wrong-import-order
import base64  # noqa: E402
import importlib  # noqa: E402
import os  # noqa: E402
import re  # noqa: E402
import shutil  # noqa: E402,F401 pylint: disable=unused-import
import sys  # noqa: E402
import tempfile  # noqa: E402
import zipfile  # noqa: E402,F401 pylint: disable=unused-import

COLLECTION = 'ansible_collections.losant.platform.plugins.module_utils'
PHASES = {}


def literal(text: str, keyword: str) -> str:
    """A string argument of the payload's _ansiballz_main() call."""
    match = re.search(r"\n%s='((?:[^'\\]|\\.)*)'," % keyword, text)
    if not match:
        raise SystemExit('no %s in the payload' % keyword)
    if '\\' not in match.group(1):
        return match.group(1)
    import ast  # pylint: disable=import-outside-toplevel
    return ast.literal_eval("'%s'" % match.group(1))


def phase(name: str, since: float) -> float:
    now = time.perf_counter()
    PHASES[name] = PHASES.get(name, 0.0) + now - since
    return now


def timing(name: str, function: object) -> object:
    def wrapper(*args: object, **kwargs: object) -> object:
        start = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            phase(name, start)
    return wrapper


def main(payload: str, output: str, cprofile_output: str = '') -> None:
    mark = phase('AnsiballZ wrapper: imports, unzip', STARTED)
    with open(payload, encoding='utf-8') as handle:
        text = handle.read()
    directory = tempfile.mkdtemp(prefix='bench_payload_')
    modlib = os.path.join(directory, 'payload.zip')
    with open(modlib, 'wb') as handle:
        handle.write(base64.b64decode(literal(text, 'zip_data')))
    sys.path.insert(0, modlib)
    mark = phase('AnsiballZ wrapper: imports, unzip', mark)

    try:  # ansible-core 2.19 and later load the module through this helper, which imports basic
        importlib.import_module('ansible.module_utils._internal._ansiballz._loader')
    except ImportError:
        pass
    basic = importlib.import_module('ansible.module_utils.basic')
    mark = phase('import ansible.module_utils.basic', mark)
    importlib.import_module('requests')
    mark = phase('import requests', mark)
    client = importlib.import_module(COLLECTION + '.client')
    importlib.import_module(COLLECTION + '.base')
    mark = phase('import collection module_utils', mark)

    basic.AnsibleModule.__init__ = timing('argument handling', basic.AnsibleModule.__init__)
    basic.AnsibleModule.exit_json = timing('result output', basic.AnsibleModule.exit_json)
    basic.AnsibleModule.fail_json = timing('result output', basic.AnsibleModule.fail_json)
    client.LosantClient.__init__ = timing('HTTP session set-up', client.LosantClient.__init__)
    client.LosantClient.request = timing('HTTP requests', client.LosantClient.request)
    basic._ANSIBLE_ARGS = literal(text, 'params').encode()  # pylint: disable=protected-access
    if hasattr(basic, '_ANSIBLE_PROFILE'):
        basic._ANSIBLE_PROFILE = 'legacy'  # pylint: disable=protected-access
    module = re.search(r"\nmodule_fqn='([^']+)'", text).group(1)
    total, printed = run_module(module, cprofile_output)
    shutil.rmtree(directory, ignore_errors=True)
    accounted = sum(PHASES.get(name, 0.0) for name in ('argument handling', 'result output', 'HTTP session set-up',
                                                       'HTTP requests'))
    PHASES['module code'] = total - accounted
    import json  # pylint: disable=import-outside-toplevel
    result = json.loads(printed.strip().splitlines()[-1])
    if result.get('failed'):
        raise SystemExit('the module failed: %s' % result.get('msg'))
    with open(output, 'w', encoding='utf-8') as handle:
        json.dump(PHASES, handle)


def run_module(module: str, cprofile_output: str) -> tuple:
    """Run the module as __main__, as the payload does; returns the seconds it took and what it printed."""
    import io  # pylint: disable=import-outside-toplevel
    import runpy  # pylint: disable=import-outside-toplevel
    profiler = None
    if cprofile_output:
        import cProfile  # pylint: disable=import-outside-toplevel
        profiler = cProfile.Profile()
    printed, stdout = io.StringIO(), sys.stdout
    sys.stdout = printed
    start = time.perf_counter()
    if profiler:
        profiler.enable()
    try:
        runpy.run_module(module, run_name='__main__', alter_sys=True)
    except SystemExit:
        pass
    finally:
        if profiler:
            profiler.disable()
        sys.stdout = stdout
    total = time.perf_counter() - start
    if profiler:
        profiler.dump_stats(cprofile_output)
    return total, printed.getvalue()


if __name__ == '__main__':
    main(*sys.argv[1:4])
