# -*- coding: utf-8 -*-
# Copyright: Contributors to the losant.platform collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment:
    # How the action plugin of the same name runs a module of this collection on the controller.
    DOCUMENTATION = r"""
attributes:
  action:
    description: Has an action plugin of the same name, which runs the module in the controller's process.
    support: full
    details:
      - When the task runs on the controller, the module runs in the controller's worker process instead of
        a module process of its own. See the notes.
notes:
  - On the controller the module runs in Ansible's worker process instead of a process of its own, with the same
    results, only faster. Set the variable C(losant_in_process) to V(false) to run it as a process of its own;
    the collection's performance guide says when that matters.
"""
