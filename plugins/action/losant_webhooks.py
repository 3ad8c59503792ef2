# -*- coding: utf-8 -*-
# Copyright: Contributors to the losant.platform collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Runs the losant_webhooks module in the controller's worker process when the task runs on the controller."""

from __future__ import annotations

from ansible_collections.losant.platform.plugins.plugin_utils.in_process import InProcessModuleAction


class ActionModule(InProcessModuleAction):
    module_name = 'losant_webhooks'
