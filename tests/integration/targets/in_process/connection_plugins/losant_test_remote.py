# -*- coding: utf-8 -*-
# Copyright: Contributors to the losant.platform collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""A connection that is not ``local`` to the action plugins, though it runs commands on this machine."""

from __future__ import annotations

from ansible.plugins.connection.local import Connection as LocalConnection

DOCUMENTATION = """
    name: losant_test_remote
    short_description: the local connection under another name, standing in for a remote host in tests
    description:
        - Runs commands on the controller like C(local), but is another transport, as SSH to a remote host is.
    author: Losant Platform Collection Maintainers (@losant-platform)
    options:
        become_success_timeout:
            type: int
            default: 10
            description: As for the local connection.
        become_strip_preamble:
            type: bool
            default: true
            description: As for the local connection.
    extends_documentation_fragment:
        - connection_pipelining
"""


class Connection(LocalConnection):
    transport = 'losant_test_remote'
