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
  - When the task runs on the controller (a C(local) connection, as with C(delegate_to=localhost) or a play
    on C(localhost)), the module's own code runs in the controller's worker process, which saves the start of
    a Python process per task. Argument validation, C(module_defaults), check mode, diff, C(no_log), warnings
    and results are the same as from a module process.
  - That path uses the Python that runs C(ansible-playbook) and its C(requests), not C(ansible_python_interpreter),
    and it applies the task's C(environment) to that process while the module runs.
  - The module runs as its own process, as before, on any other connection, with C(become) or C(async), when the
    controller's Python cannot import C(requests), and when the variable C(losant_in_process) is false (or,
    when that variable is not set, the environment variable E(LOSANT_IN_PROCESS) of C(ansible-playbook) is).
"""
