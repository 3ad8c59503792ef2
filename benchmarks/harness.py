# Copyright: Contributors to the losant.platform collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What every benchmark needs: the emulator over TLS, a copy of the collection, and timed ansible-playbook
runs with each ansible-core that ``make test`` uses (the virtualenvs in .venv/core-X.Y)."""

from __future__ import annotations

import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / '.tmp' / 'bench'
TOKEN = 'benchmark-token'
APP_ID = '5a1f0c0ffee0000000000001'
PYTHON = sys.executable
COLLECTION_FILES = ('galaxy.yml', 'meta', 'plugins', 'playbooks')


def tested_cores() -> tuple[str, ...]:
    """The ansible-core minors to measure: $BENCH_CORES (``make bench CORES=...``), else the Makefile's CORES."""
    chosen = os.environ.get('BENCH_CORES') or re.search(r'^CORES := (.*)$', (ROOT / 'Makefile').read_text(), re.M).group(1)
    return tuple(chosen.split())


CORES = tested_cores()
LATENCIES_MS = (0, 50)


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float('nan')


@dataclass
class Run:
    """One timed process: wall time, CPU time of it and its children (user + system), exit code and output."""

    wall: float
    cpu: float
    returncode: int
    output: str


def core_venv(core: str) -> Path:
    return ROOT / '.venv' / ('core-' + core)


def timed(command: list[str], **kwargs: Any) -> Run:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    completed = subprocess.run(command, capture_output=True, text=True, check=False, **kwargs)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Run(wall, cpu, completed.returncode, completed.stdout + completed.stderr)


class Emulator:
    """The project's Losant API emulator over TLS on a free loopback port, with helpers for its admin API.

    ``latency_ms`` is added before every API answer; it is set again after every reset, which restores the
    start-up settings.
    """

    def __init__(self) -> None:
        self.process: Optional[subprocess.Popen] = None
        self.url = ''
        self.ca_bundle = ''
        self.latency_ms = 0

    def __enter__(self) -> 'Emulator':
        command = [PYTHON, '-m', 'tests.emulator', '--port', '0', '--token', TOKEN, '--application-id', APP_ID, '--tls']
        self.process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True)
        for line in (self.process.stdout.readline().strip(), self.process.stdout.readline().strip()):
            key, value = (line.split(' ', 1) + [''])[:2]
            if key == 'LISTENING':
                self.url = value
            elif key == 'CA_BUNDLE':
                self.ca_bundle = value
        if not self.url.startswith('https://') or not self.ca_bundle:
            self.process.kill()
            raise RuntimeError('the emulator did not start with TLS (LISTENING https://... and CA_BUNDLE lines)')
        return self

    def __exit__(self, *exc_info: Any) -> None:
        if self.process:
            self.process.terminate()
            self.process.wait(timeout=10)

    def set_latency(self, latency_ms: int) -> None:
        self.latency_ms = latency_ms
        self.admin('POST', '/settings', {'latency_ms': latency_ms})

    def admin(self, method: str, path: str, body: Any = None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.url + '/_emulator' + path, data=data, method=method,
                                         headers={'Content-Type': 'application/json'})
        with urllib.request.urlopen(request, timeout=120, context=self.tls_context()) as response:
            payload = response.read()
        return json.loads(payload) if payload else None

    def tls_context(self) -> Any:
        import ssl  # pylint: disable=import-outside-toplevel
        return ssl.create_default_context(cafile=self.ca_bundle)

    def reset(self) -> None:
        self.admin('POST', '/reset')
        if self.latency_ms:
            self.set_latency(self.latency_ms)

    def seed(self, webhooks: list[dict[str, Any]]) -> list[str]:
        """Add webhooks as given (no validation) and return their IDs, in order."""
        created: list[str] = []
        for start in range(0, len(webhooks), 2000):
            answer = self.admin('POST', '/applications/%s/webhooks' % APP_ID, {'webhooks': webhooks[start:start + 2000]})
            created.extend(answer['created'])
        return created

    def clear_journal(self) -> None:
        self.admin('DELETE', '/journal')

    def journal(self) -> list[dict[str, Any]]:
        return self.admin('GET', '/journal')['requests']

    def max_in_flight(self, journal: list[dict[str, Any]]) -> int:
        """Most writes in flight at once, seen by the server: the journal records when each answer left,
        and each request was held at least ``latency_ms`` before it, so [time - latency, time] lies within
        the time it was in flight (so this never overcounts)."""
        ends = sorted(entry['time'] for entry in journal if entry['method'] != 'GET')
        hold = self.latency_ms / 1000
        return max((sum(1 for other in ends if end <= other <= end + hold) for end in ends), default=0)


# Environment of a run whose modules run as processes of their own, as they did before the action plugins.
MODULE_PROCESS = {'LOSANT_IN_PROCESS': 'false'}


def hook(index: int, description: str = 'benchmark webhook', prefix: str = 'bench-') -> dict[str, Any]:
    """One seeded webhook in the API's shape; names sort in index order."""
    return {'name': '%s%05d' % (prefix, index), 'description': description, 'responseCode': 200}


def install_collection() -> Path:
    """Copy the collection's runtime files to WORK/collections/ansible_collections/losant/platform."""
    collections = WORK / 'collections'
    destination = collections / 'ansible_collections' / 'losant' / 'platform'
    shutil.rmtree(destination, ignore_errors=True)
    destination.mkdir(parents=True)
    for name in COLLECTION_FILES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, destination / name, ignore=shutil.ignore_patterns('__pycache__', '*.pyc'))
        else:
            shutil.copy2(source, destination / name)
    return collections


class Ansible:
    """Runs generated playbooks against localhost with one ansible-core, the collection and the emulator's CA.

    The modules run in-process (the collection's default on localhost) unless a run sets
    ``LOSANT_IN_PROCESS=false``; their interpreter for module processes is the same virtualenv's Python.
    """

    def __init__(self, emulator: Emulator, core: str) -> None:
        self.emulator = emulator
        self.core = core
        self.bin = core_venv(core) / 'bin'
        self.collections = install_collection()
        self.directory = WORK / ('run-' + core)
        shutil.rmtree(self.directory, ignore_errors=True)
        self.directory.mkdir(parents=True)
        python = self.bin / 'python'
        (self.directory / 'inventory.ini').write_text(
            'localhost ansible_connection=local ansible_python_interpreter=%s\n' % python)
        (self.directory / 'ansible.cfg').write_text(
            '[defaults]\ninventory = inventory.ini\nlocalhost_warning = false\nretry_files_enabled = false\n'
            'interpreter_python = %s\n' % python)
        self.environment = dict(os.environ)
        for name in list(self.environment):
            if name.startswith('ANSIBLE_') or name.startswith('LOSANT_'):
                del self.environment[name]
        self.environment.update({
            'ANSIBLE_CONFIG': str(self.directory / 'ansible.cfg'),
            'ANSIBLE_COLLECTIONS_PATH': str(self.collections),
            'ANSIBLE_HOME': str(WORK / ('ansible-home-' + core)),
            'ANSIBLE_NOCOLOR': '1',
            'NO_PROXY': '127.0.0.1,localhost',
            'REQUESTS_CA_BUNDLE': emulator.ca_bundle,
        })
        self.counter = 0
        self.noops: list[Run] = []

    def play(self, tasks: list[dict[str, Any]], variables: Optional[dict[str, Any]] = None) -> list[dict[str, Any]]:
        """A play on localhost whose Losant tasks get the connection from module_defaults."""
        return [{
            'name': 'benchmark',
            'hosts': 'localhost',
            'gather_facts': False,
            'module_defaults': {'group/losant.platform.losant': {'api_url': self.emulator.url, 'api_token': TOKEN}},
            'vars': dict({'api': self.emulator.url, 'token': TOKEN, 'app': APP_ID, 'ca': self.emulator.ca_bundle},
                         **(variables or {})),
            'tasks': tasks,
        }]

    def run(self, playbook: list[dict[str, Any]], check: bool = False, environment: Optional[dict[str, str]] = None,
            prefix: Optional[list[str]] = None) -> Run:
        """Run a playbook (JSON is YAML), under the command ``prefix`` if any; fail with its output if it fails."""
        self.counter += 1
        path = self.directory / ('playbook-%04d.yml' % self.counter)
        path.write_text(json.dumps(playbook, indent=1))
        command = (prefix or []) + [str(self.bin / 'ansible-playbook'), str(path)] + (['--check'] if check else [])
        result = timed(command, cwd=self.directory, env=dict(self.environment, **(environment or {})))
        if result.returncode != 0:
            raise RuntimeError('ansible-playbook failed (%d):\n%s' % (result.returncode, result.output[-6000:]))
        path.unlink()
        return result

    def run_keeping_payloads(self, playbook: list[dict[str, Any]]) -> dict[str, Path]:
        """Run a playbook with ANSIBLE_KEEP_REMOTE_FILES=1; returns the AnsiballZ payloads it ran, by module name."""
        remote = WORK / 'remote'
        shutil.rmtree(remote, ignore_errors=True)
        self.run(playbook, environment=dict(MODULE_PROCESS, ANSIBLE_KEEP_REMOTE_FILES='1', ANSIBLE_REMOTE_TMP=str(remote)))
        return {path.name[len('AnsiballZ_'):-len('.py')]: path for path in remote.glob('*/AnsiballZ_*.py')}

    def sample_noop(self, count: int = 1) -> None:
        """Time a playbook that starts, loads the same play and runs nothing; sampled throughout a section."""
        playbook = self.play([{'name': 'nothing', 'ansible.builtin.meta': 'noop'}])
        self.noops.extend(self.run(playbook) for unused in range(count))

    def baseline(self) -> Run:
        """Median wall and CPU time of every no-op playbook sampled so far: the start-up every time is above."""
        return Run(median([run.wall for run in self.noops]), median([run.cpu for run in self.noops]), 0, '')


def progress(message: str) -> None:
    print('[bench %s] %s' % (time.strftime('%H:%M:%S'), message), file=sys.stderr, flush=True)
