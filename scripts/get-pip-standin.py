"""Offline stand-in for the get-pip.py bootstrap script that ansible-test downloads.

ansible-test runs this file with pip-style arguments (for example
``--disable-pip-version-check pip==25.2 --no-setuptools --no-wheel``) inside a virtual
environment created without pip. The stand-in installs the bundled pip with ensurepip and
then lets that pip install the requested packages from the package index.
"""

import os
import subprocess
import sys

UNSUPPORTED_OPTIONS = {'--no-setuptools', '--no-wheel'}


def main():
    subprocess.check_call([sys.executable, '-m', 'ensurepip', '--upgrade', '--default-pip'])
    # ensurepip points pip at an empty configuration; the install below must use the real one.
    os.environ.pop('PIP_CONFIG_FILE', None)
    arguments = [argument for argument in sys.argv[1:] if argument not in UNSUPPORTED_OPTIONS]
    sys.exit(subprocess.call([sys.executable, '-m', 'pip', 'install'] + arguments))


if __name__ == '__main__':
    main()
