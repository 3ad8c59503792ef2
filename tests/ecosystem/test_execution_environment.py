# -*- coding: utf-8 -*-
# Copyright: Contributors to the losant.platform collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The execution environment metadata: ansible-builder turns docs/execution-environment.yml and the
collection's meta/execution-environment.yml into a build context that installs ``requests``.

No container engine is needed: the test runs ``ansible-builder create``, then the two steps of the
image build that matter here, from inside the generated context: the galaxy stage's collection
install and the builder stage's dependency introspection.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / 'docs' / 'execution-environment.yml'
REQUIREMENT = 'requests'


def tool(name: str) -> str:
    """An executable from the Python environment running the tests, else from PATH."""
    found = shutil.which(name, path=os.pathsep.join([os.path.dirname(sys.executable), os.environ.get('PATH', '')]))
    if not found:
        pytest.fail('%s is not installed; install tests/ecosystem/requirements.txt' % name)
    return found


def run(*command: str, cwd: Path = ROOT) -> str:
    result = subprocess.run(command, cwd=str(cwd), capture_output=True, text=True, check=False)
    assert result.returncode == 0, '%s failed:\n%s\n%s' % (' '.join(command), result.stdout, result.stderr)
    return result.stdout


def requirement_names(text: str) -> list[str]:
    lines = (line.split('#', 1)[0].strip() for line in text.splitlines())
    return [line.split(';')[0].split('[')[0].split('=')[0].split('<')[0].split('>')[0].strip().lower()
            for line in lines if line]


@pytest.fixture(scope='module')
def galaxy() -> dict:
    return yaml.safe_load((ROOT / 'galaxy.yml').read_text(encoding='utf-8'))


@pytest.fixture(scope='module')
def context(tmp_path_factory: pytest.TempPathFactory, galaxy: dict) -> Path:
    """The build context ansible-builder creates from the sample, with a freshly built tarball."""
    work = tmp_path_factory.mktemp('ee')
    run(tool('ansible-galaxy'), 'collection', 'build', '--output-path', str(work), str(ROOT))
    assert (work / ('losant-platform-%s.tar.gz' % galaxy['version'])).is_file()
    shutil.copy(SAMPLE, work / SAMPLE.name)
    run(tool('ansible-builder'), 'create', '--file', SAMPLE.name, '--context', 'context',
        '--output-filename', 'Containerfile', cwd=work)
    return work / 'context'


def test_collection_declares_requests_for_ansible_builder():
    metadata = yaml.safe_load((ROOT / 'meta' / 'execution-environment.yml').read_text(encoding='utf-8'))
    assert metadata['version'] == 1
    python_file = ROOT / metadata['dependencies']['python']
    assert requirement_names(python_file.read_text(encoding='utf-8')) == [REQUIREMENT]


def test_sample_uses_the_version_3_schema_and_the_current_tarball(galaxy: dict):
    sample = yaml.safe_load(SAMPLE.read_text(encoding='utf-8'))
    tarball = 'losant-platform-%s.tar.gz' % galaxy['version']
    assert sample['version'] == 3
    assert [entry['src'] for entry in sample['additional_build_files']] == [tarball]
    assert [entry['name'] for entry in sample['dependencies']['galaxy']['collections']] == ['collections/' + tarball]


def test_context_has_a_containerfile_that_installs_and_introspects_collections(context: Path):
    containerfile = (context / 'Containerfile').read_text(encoding='utf-8')
    assert 'ansible-galaxy collection install' in containerfile
    assert 'introspect' in containerfile
    assert (context / '_build' / 'scripts' / 'introspect.py').is_file()


def test_context_carries_the_tarball_with_the_python_requirement(context: Path, galaxy: dict):
    tarball = context / '_build' / 'collections' / ('losant-platform-%s.tar.gz' % galaxy['version'])
    with tarfile.open(tarball) as archive:
        metadata = yaml.safe_load(archive.extractfile('meta/execution-environment.yml').read())
        requirements = archive.extractfile(metadata['dependencies']['python']).read().decode('utf-8')
    assert requirement_names(requirements) == [REQUIREMENT]


def test_image_build_steps_resolve_requests_from_the_collection(context: Path, tmp_path: Path):
    """The galaxy stage installs from _build/requirements.yml; the builder stage introspects the result."""
    build = context / '_build'
    collections = tmp_path / 'collections'
    run(tool('ansible-galaxy'), 'collection', 'install', '-r', 'requirements.yml', '-p', str(collections), cwd=build)
    assert (collections / 'ansible_collections' / 'losant' / 'platform' / 'MANIFEST.json').is_file()

    pip_file = tmp_path / 'requirements.txt'
    output = run(sys.executable, str(build / 'scripts' / 'introspect.py'), 'introspect', str(collections),
                 '--write-pip', str(pip_file))
    assert yaml.safe_load(output)['python'] == ['%s  # from collection losant.platform' % REQUIREMENT]
    assert requirement_names(pip_file.read_text(encoding='utf-8')) == [REQUIREMENT]
