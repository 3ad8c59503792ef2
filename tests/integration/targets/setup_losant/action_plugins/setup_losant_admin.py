# -*- coding: utf-8 -*-
# Copyright: Contributors to the losant.platform collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""One request to the emulator's admin API, made in the controller's worker process.

The tests read and set the emulator hundreds of times a run; ``ansible.builtin.uri`` would start a
module process for each, which cost more CPU than the modules under test. Takes ``url``, ``method``
(GET), ``body`` (sent as JSON), ``status_code`` (the statuses that succeed, default [200]) and
``ca_path``; returns ``status`` and ``json``, the parsed answer (None when empty), as ``uri`` does.
"""

from __future__ import annotations

import json
from typing import Any, Optional
from urllib.error import HTTPError, URLError

from ansible.module_utils.urls import open_url
from ansible.plugins.action import ActionBase


class ActionModule(ActionBase):
    TRANSFERS_FILES = False
    # The tests' own set-up and reading: done in check mode too.
    _supports_check_mode = True

    def run(self, tmp: Any = None, task_vars: Optional[dict[str, Any]] = None) -> dict[str, Any]:
        result = super().run(tmp, task_vars)
        args = self._task.args
        body = args.get('body')
        expected = args.get('status_code', [200])
        request = '%s %s' % (args.get('method', 'GET'), args['url'])
        try:
            response = open_url(
                args['url'], method=args.get('method', 'GET'), timeout=30, ca_path=args.get('ca_path'),
                data=None if body is None else json.dumps(body),
                headers={} if body is None else {'Content-Type': 'application/json'})
            status, content = response.status, response.read()
        except HTTPError as error:
            status, content = error.code, error.read()
        except (URLError, OSError) as error:
            result.update(failed=True, changed=False, msg='%s failed: %s (is the emulator running?)' % (request, error))
            return result
        result.update(changed=False, status=status, json=json.loads(content) if content else None)
        if status not in (expected if isinstance(expected, list) else [expected]):
            result.update(failed=True, msg='%s answered %s: %s' % (request, status, content.decode(errors='replace')))
        return result
