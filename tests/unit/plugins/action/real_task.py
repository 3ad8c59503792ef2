# -*- coding: utf-8 -*-
# Copyright: Contributors to the losant.platform collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""An action plugin as Ansible's TaskExecutor makes it for a task on the controller: a real Task, PlayContext,
local connection, DataLoader and Templar, so that ansible-core's own code builds module arguments and reads
results, on every core the units run."""

from __future__ import annotations

import os
from typing import Any, Optional

from ansible.parsing.dataloader import DataLoader
from ansible.playbook.play_context import PlayContext
from ansible.playbook.task import Task
from ansible.plugins import loader as plugin_loader
from ansible.template import Templar


def action_for_task(plugin: type, action: str, args: dict[str, Any], task_vars: Optional[dict[str, Any]] = None,
                    **attributes: Any) -> Any:
    """``plugin`` for the task ``action`` with ``args`` and task keywords (``check_mode``, ``environment`` ...)."""
    loader = DataLoader()
    task = Task()
    task.action = action
    task.args = args
    for name, value in attributes.items():
        setattr(task, name, value)
    play_context = PlayContext()
    connection = plugin_loader.connection_loader.get('local', play_context, os.devnull)
    templar = Templar(loader=loader, variables=task_vars or {})
    return plugin(task, connection, play_context, loader, templar, plugin_loader)
