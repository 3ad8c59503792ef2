# -*- coding: utf-8 -*-
# Copyright: Contributors to the losant.platform collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The drift check as AWX and Ansible Automation Platform run it: through ansible-runner, with the token
injected by the credential type of the AWX guide, against the emulator.

A job template runs a playbook of its project, so the project holds one that imports
``losant.platform.drift_check``; the declarations are the job's extra variables. Each run checks the
report's verdict, the exit status the runner reports, and that no secret is in the runner's job events.
Needs the collection copy of ``make sync`` in .tmp/ (``make runner-test`` makes it).
"""

from __future__ import annotations

import json
import os
import secrets
import sys
import subprocess
import textwrap
from pathlib import Path
from typing import Any, Iterator
from urllib.request import Request, urlopen

import ansible_runner
import pytest
import yaml
from jinja2.sandbox import SandboxedEnvironment

ROOT = Path(__file__).resolve().parents[2]
COLLECTIONS = ROOT / '.tmp'
AWX_GUIDE = ROOT / 'docs' / 'docsite' / 'rst' / 'guide_awx.rst'
APPLICATION_ID = '575ec8687ae143cd83dc4a97'
TOKEN = 'runner-token-%s' % secrets.token_hex(8)
PASSWORD = 'runner-password-%s' % secrets.token_hex(8)
# The exit status of each verdict, as playbooks/drift_check.yml documents it.
EXIT_STATUS = {'clean': 0, 'drift': 2, 'error': 4}
PROJECT_PLAYBOOK = textwrap.dedent("""\
    ---
    - name: Check the Losant webhooks for drift
      ansible.builtin.import_playbook: losant.platform.drift_check
    """)
ORDERS = {'name': 'orders', 'response_code': 201}


class Emulator:
    """The emulator in a process of its own: ansible-runner forks a terminal, which a thread would endanger."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, '-m', 'tests.emulator', '--port', '0', '--token', TOKEN, '--application-id',
             APPLICATION_ID], cwd=str(ROOT), stdout=subprocess.PIPE, text=True)
        first_line = self.process.stdout.readline().split()
        assert first_line[:1] == ['LISTENING'], 'the emulator did not start: %s' % first_line
        self.url = first_line[1]

    def admin(self, path: str, body: Any) -> None:
        request = Request('%s/_emulator%s' % (self.url, path), data=json.dumps(body).encode(), method='POST',
                          headers={'Content-Type': 'application/json'})
        with urlopen(request, timeout=30):
            pass

    def prepare(self) -> None:
        """The application holding the webhook ``orders`` as declared; the credential's token knows it."""
        self.admin('/reset', {})
        self.admin('/applications/%s/webhooks' % APPLICATION_ID,
                   {'webhooks': [{'name': 'orders', 'responseCode': 201}], 'apply_defaults': True})


@pytest.fixture(scope='module')
def emulator() -> Iterator[Emulator]:
    served = Emulator()
    yield served
    served.process.terminate()
    served.process.wait(timeout=30)


def credential_environment(inputs: dict[str, str]) -> dict[str, str]:
    """The variables the AWX guide's credential type injects, its injector templates rendered as AWX does."""
    after = AWX_GUIDE.read_text(encoding='utf-8').split('**Injector configuration:**', 1)[1]
    lines = after.split('.. code-block:: yaml', 1)[1].splitlines()[1:]
    block = []
    for line in lines:
        if line.strip() and not line.startswith('   '):
            break
        block.append(line)
    injectors = yaml.safe_load(textwrap.dedent('\n'.join(block)))
    templates = SandboxedEnvironment()
    return {name: templates.from_string(value).render(**inputs) for name, value in injectors['env'].items()}


def run_drift_check(work: Path, emulator: Emulator, webhooks: list[dict[str, Any]], token: str = TOKEN) -> Any:
    """The drift check as a job: a project playbook, extra variables, the credential's environment."""
    private = work / 'job'
    (private / 'project').mkdir(parents=True)
    (private / 'project' / 'drift_check.yml').write_text(PROJECT_PLAYBOOK, encoding='utf-8')
    environment = credential_environment({'api_token': token, 'api_url': emulator.url})
    # What an execution environment has: ansible-playbook on the PATH and the collection installed.
    environment.update(PATH=os.pathsep.join([os.path.dirname(sys.executable), os.environ['PATH']]),
                       ANSIBLE_COLLECTIONS_PATH=str(COLLECTIONS), ANSIBLE_NOCOLOR='1')
    return ansible_runner.run(
        private_data_dir=str(private), playbook='drift_check.yml', envvars=environment, quiet=True,
        extravars={'losant_application_id': APPLICATION_ID, 'losant_webhooks': webhooks,
                   'losant_drift_report': str(work / 'losant-drift.json'),
                   'losant_drift_junit': str(work / 'losant-drift.xml')})


def job_events(runner: Any) -> list[str]:
    """Every job event file the runner wrote, as text."""
    directory = Path(runner.config.artifact_dir) / 'job_events'
    return [path.read_text(encoding='utf-8') for path in sorted(directory.glob('*.json'))]


def test_the_credential_type_injects_the_token_and_the_api_url():
    assert credential_environment({'api_token': TOKEN, 'api_url': 'https://losant.example'}) == {
        'LOSANT_API_TOKEN': TOKEN, 'LOSANT_API_URL': 'https://losant.example'}


@pytest.mark.parametrize('webhooks, token, verdict', [
    ([ORDERS], TOKEN, 'clean'),
    ([ORDERS, {'name': 'alerts', 'basic_auth_username': 'shop', 'basic_auth_password': PASSWORD}], TOKEN, 'drift'),
    ([ORDERS], 'revoked-%s' % TOKEN, 'error'),
], ids=['clean', 'drift', 'error'])
def test_the_runner_reports_the_verdict_and_its_exit_status_without_secrets(
        tmp_path, emulator, webhooks, token, verdict):
    emulator.prepare()
    runner = run_drift_check(tmp_path, emulator, webhooks, token)
    report = json.loads((tmp_path / 'losant-drift.json').read_text(encoding='utf-8'))
    assert report['status'] == verdict, report
    assert runner.rc == EXIT_STATUS[verdict]
    assert runner.status == ('successful' if verdict == 'clean' else 'failed')
    events = job_events(runner)
    assert any('"event": "playbook_on_stats"' in event for event in events)
    leaked = [event for event in events + [runner.stdout.read()] if token in event or PASSWORD in event]
    assert leaked == []
