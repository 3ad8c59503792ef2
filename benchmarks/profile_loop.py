# Copyright: Contributors to the losant.platform collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Where a converged losant_webhook loop item spends its CPU in the worker, beside a debug loop item (goal 3).

Run from the repository root, with any Python that has the repository's test requirements (not part of
``make bench``)::

    .venv/core-2.21/bin/python -m benchmarks.profile_loop [--cores 2.16 2.22] [--size 200]

It runs goal 3's two loops (``benchmarks.goals``) with each ansible-core against the emulator over TLS, with the
worker's methods below wrapped to add up their CPU time (``time.process_time``), and prints it per loop item.
The phases nest: an item (``TaskExecutor._execute``) holds the templating of its arguments
(``Task.post_validate``) and the action plugin's run, which holds the module's ``main()``, which holds
AnsibleModule's set-up, the HTTP request and the printing of the result.
"""

from __future__ import annotations

import argparse
import sys
import textwrap
from typing import Any

from benchmarks.comparison import module_tasks
from benchmarks.goals import DEBUG_LOOP
from benchmarks.harness import CORES, WORK, Ansible, Emulator, hook

IN_PROCESS = 'ansible_collections.losant.platform.plugins.plugin_utils.in_process'
COLLECTION = 'ansible_collections.losant.platform.plugins.'
# (module, class or None, function, phase, depth): each phase runs within the nearest one above it of lower depth.
PHASES = [
    ('ansible.executor.task_executor', 'TaskExecutor', '_execute', 'item', 0),
    ('ansible.playbook.task', 'Task', 'post_validate', 'arguments templated', 1),
    (IN_PROCESS, 'InProcessModuleAction', 'run', 'action plugin run', 1),
    ('ansible.plugins.action', 'ActionBase', '_update_module_args', 'module arguments added', 2),
    (IN_PROCESS, None, 'encoded_arguments', 'arguments encoded', 2),
    (COLLECTION + 'modules.losant_webhook', None, 'main', 'module main()', 2),
    ('ansible.module_utils.basic', 'AnsibleModule', '__init__', 'AnsibleModule set-up', 3),
    (COLLECTION + 'module_utils._client', 'LosantClient', 'request', 'HTTP request', 3),
    ('ansible.module_utils.basic', 'AnsibleModule', 'exit_json', 'result printed', 3),
    (IN_PROCESS, 'InProcessModuleAction', 'module_result', 'result parsed', 2),
]
# Written as sitecustomize.py into a directory on the PYTHONPATH of ansible-playbook: wraps the phases in every
# worker process and writes their totals to PHASES_OUT.<pid> when its task has run.
WRAPPER = 'PHASES = %r\n' % (PHASES,) + textwrap.dedent('''
    import importlib, os, time
    from ansible.executor import task_executor

    totals = {}

    def wrap(owner, name, phase):
        original = getattr(owner, name)

        def timed(*args, **kwargs):
            start = time.process_time()
            try:
                return original(*args, **kwargs)
            finally:
                total = totals.setdefault(phase, [0.0, 0])
                total[0] += time.process_time() - start
                total[1] += 1
        setattr(owner, name, timed)

    run = task_executor.TaskExecutor.run

    def measured_run(self):
        """The task's run, its phases wrapped; their totals are written before the worker sends its result,
        after which the controller may end the worker."""
        for module, owner, name, phase, unused in PHASES:
            try:
                found = importlib.import_module(module)
            except ImportError:  # the collection's modules, in a worker that never loaded them
                continue
            wrap(getattr(found, owner) if owner else found, name, phase)
        try:
            return run(self)
        finally:
            with open('%s.%d' % (os.environ['PHASES_OUT'], os.getpid()), 'w') as out:
                out.writelines('%s\\t%f\\n' % (phase, total) for phase, (total, unused) in totals.items())

    task_executor.TaskExecutor.run = measured_run
''')


def phases(ansible: Ansible, tasks: list[dict[str, Any]], hooks: list[dict[str, Any]]) -> dict[str, float]:
    """Milliseconds of CPU per loop item in each phase of one run of ``tasks``."""
    directory = WORK / 'profile-loop'
    directory.mkdir(parents=True, exist_ok=True)
    for old in directory.glob('phases.*'):
        old.unlink()
    (directory / 'sitecustomize.py').write_text(WRAPPER)
    ansible.run(ansible.play(tasks, {'hooks': hooks}),
                environment={'PYTHONPATH': str(directory), 'PHASES_OUT': str(directory / 'phases')})
    found: dict[str, float] = {}
    for path in directory.glob('phases.*'):
        for line in path.read_text().splitlines():
            phase, total = line.split('\t')
            found[phase] = found.get(phase, 0.0) + float(total) * 1000 / len(hooks)
    return found


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog='python -m benchmarks.profile_loop', description=__doc__.splitlines()[0])
    parser.add_argument('--cores', nargs='+', default=list(CORES))
    parser.add_argument('--size', type=int, default=200)
    options = parser.parse_args(argv)
    with Emulator() as emulator:
        ids = emulator.seed([hook(index) for index in range(options.size)])
        hooks = [{'id': webhook_id, 'name': 'bench-%05d' % index, 'description': 'benchmark webhook',
                  'response_code': 200} for index, webhook_id in enumerate(ids)]
        for core in options.cores:
            ansible = Ansible(emulator, core)
            module, debug = phases(ansible, module_tasks(), hooks), phases(ansible, DEBUG_LOOP, hooks)
            print('ansible-core %s, CPU ms per loop item: losant_webhook | debug' % core)
            for *unused, phase, depth in PHASES:
                if phase in module:
                    print('  %-32s %6.2f | %s' % ('  ' * depth + phase, module[phase],
                                                  '%6.2f' % debug[phase] if phase in debug else '     -'))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
