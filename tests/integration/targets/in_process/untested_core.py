# -*- coding: utf-8 -*-
# Copyright: Contributors to the losant.platform collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""``ansible-playbook`` as ansible-core 2.99, a minor the in-process path was not tested on.

Usage (runme.sh): python untested_core.py PLAYBOOK_ARGUMENTS... The version is faked before Ansible
loads any plugin, in the controller's main process, which the task workers fork from.
"""

from __future__ import annotations

from ansible import release

release.__version__ = '2.99.0'

from ansible.cli.playbook import main  # noqa: E402  pylint: disable=wrong-import-position

main()
