# Copyright: Contributors to the losant.platform collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Where one losant_webhooks run spends its time and memory, measured inside the process.

Run with an ansible-core virtualenv's Python, from the repository root (not part of ``make bench``)::

    .venv/core-2.21/bin/python -m benchmarks.profile_bulk [--size 5000] [--latency 50] [--cprofile]

It starts the emulator over TLS, seeds SIZE webhooks with every tenth drifted, and runs the module the
way its action plugin runs it in the worker process: the arguments encoded as Ansible encodes them, the
module's ``main()``, and its printed result parsed back. It prints the peak of Python's allocations
(tracemalloc) in each phase, the process's resident set before and after, and with ``--cprofile`` the
functions that took the most time.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import io
import json
import pstats
import resource
import sys
import time
import tracemalloc
from typing import Any, Callable

from benchmarks.bulk import DESCRIPTION, DRIFT_EVERY, DRIFTED, desired
from benchmarks.harness import APP_ID, TOKEN, Emulator, hook, install_collection


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def traced(label: str, action: Callable[[], Any]) -> Any:
    """Run ``action`` and print the peak and the remainder of what it allocated."""
    tracemalloc.reset_peak()
    before = tracemalloc.get_traced_memory()[0]
    start = time.perf_counter()
    value = action()
    seconds = time.perf_counter() - start
    current, peak = tracemalloc.get_traced_memory()
    print('%-34s %6.2f s  peak +%6.1f MB  kept +%6.1f MB' % (label, seconds, (peak - before) / 2 ** 20,
                                                             (current - before) / 2 ** 20))
    return value


def run_module(arguments: bytes) -> str:
    """The module's main() as the action plugin runs it; its printed result."""
    from ansible.module_utils import basic  # pylint: disable=import-outside-toplevel
    from ansible_collections.losant.platform.plugins.modules import losant_webhooks  # pylint: disable=import-outside-toplevel
    basic._ANSIBLE_ARGS = arguments
    if hasattr(basic, '_ANSIBLE_PROFILE'):
        basic._ANSIBLE_PROFILE = 'legacy'
    output = io.StringIO()
    with contextlib.redirect_stdout(output):
        try:
            losant_webhooks.main()
        except SystemExit:
            pass
    return output.getvalue()


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog='python -m benchmarks.profile_bulk', description=__doc__.splitlines()[0])
    parser.add_argument('--size', type=int, default=5000)
    parser.add_argument('--latency', type=int, default=50, help='milliseconds before every API answer')
    parser.add_argument('--cprofile', action='store_true', help='profile the time instead of the memory')
    options = parser.parse_args(argv)
    sys.path.insert(0, str(install_collection()))
    from ansible_collections.losant.platform.plugins.plugin_utils.in_process import encoded_arguments  # pylint: disable=import-outside-toplevel
    import ansible_collections.losant.platform.plugins.modules.losant_webhooks  # noqa: F401 pylint: disable=import-outside-toplevel,unused-import
    with Emulator() as emulator:
        emulator.set_latency(options.latency)
        emulator.seed([hook(index, DRIFTED if index % DRIFT_EVERY == 0 else DESCRIPTION)
                       for index in range(options.size)])
        import os  # pylint: disable=import-outside-toplevel
        os.environ['REQUESTS_CA_BUNDLE'] = emulator.ca_bundle
        config = desired(options.size)
        arguments = {'api_url': emulator.url, 'api_token': TOKEN, 'application_id': APP_ID, 'config': config,
                     '_ansible_check_mode': False, '_ansible_diff': False}
        print('resident set before the run: %.1f MB' % peak_rss_mb())
        if options.cprofile:
            profiler = cProfile.Profile()
            start = time.perf_counter()
            printed = profiler.runcall(run_module, encoded_arguments(arguments))
            profiler.runcall(json.loads, printed)
            print('module run and result parsing: %.2f s' % (time.perf_counter() - start))
            pstats.Stats(profiler).sort_stats('cumulative').print_stats(35)
        else:
            tracemalloc.start()
            encoded = traced('arguments encoded', lambda: encoded_arguments(arguments))
            printed = traced('module main()', lambda: run_module(encoded))
            result = traced('result parsed', lambda: json.loads(printed))
            tracemalloc.stop()
            print('result: %.0f KB (%s), changed %s' % (len(printed) / 1024, ', '.join(
                '%s %.0f KB' % (key, len(json.dumps(value)) / 1024) for key, value in result.items()
                if len(json.dumps(value)) > 1024), result.get('changed')))
        print('peak resident set: %.1f MB' % peak_rss_mb())
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
