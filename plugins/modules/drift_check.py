#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: Contributors to the losant.platform collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

# An action plugin only (plugins/action/drift_check.py): this file holds its documentation.

from __future__ import annotations

DOCUMENTATION = r"""
module: drift_check
short_description: The steps of the drift check playbook losant.platform.drift_check
version_added: 0.3.0
description:
  - The steps of C(ansible-playbook losant.platform.drift_check), which checks Losant applications for
    drift and writes a JSON and a JUnit report. Run the playbook rather than this action; the
    L(drift detection guide,../docsite/guide_drift_detection.html) describes it, its variables, its reports
    and its exit status.
  - O(step=compare) runs M(losant.platform.losant_webhooks) in check mode for the application of the host
    (the variables C(losant_application_id) and C(losant_webhooks), and the options C(losant_drift_state),
    C(losant_drift_ignore_fields), C(losant_drift_unmanaged), C(losant_drift_update_secrets),
    C(losant_drift_attribution), C(losant_drift_attribution_days) and C(losant_audit_api_token)) and returns the
    application's entry of the report. It never fails, as an error is the application's verdict.
  - O(step=start) and O(step=report) run once for every host of the play; they read what each host's
    O(step=compare) registered as C(losant_drift_compared) and write the reports named by C(losant_drift_report)
    and C(losant_drift_junit). O(step=start) writes reports that say the check did not finish.
  - O(step=report) then prints one line per change and the verdict, and ends with it, so that the exit status of
    C(ansible-playbook) is 0 when every application is clean, 2 on drift (a failed host), and 4 on an error (an
    unreachable host, which wins over failed hosts).
author:
  - Losant Platform Collection Maintainers (@losant-platform)
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
attributes:
  check_mode:
    support: full
    details:
      - Reads the platform only. The reports are written in check mode too.
  diff_mode:
    support: none
  platform:
    platforms: all
options:
  step:
    description:
      - The step of the drift check to run.
    type: str
    required: true
    choices: [start, compare, report]
"""

EXAMPLES = r"""
# Use the playbook, which runs the steps in order:
#   ansible-playbook losant.platform.drift_check -e @webhooks.yml
#   ansible-playbook losant.platform.drift_check -i applications.yml
- name: Compare the application of each host with its declared webhooks
  losant.platform.drift_check:
    step: compare
  check_mode: true
  register: losant_drift_compared
"""

RETURN = r"""
losant_drift_compared:
  description:
    - The application's entry of the JSON report (O(step=compare)).
  returned: O(step=compare)
  type: dict
  sample:
    name: production
    application_id: 575ec8687ae143cd83dc4a97
    checked_at: "2026-01-01T05:17:00Z"
    status: drift
    changes:
      - action: update
        name: orders
        id: 575ed78e7ae143cd83dc4aab
        fields: [response_code]
        values: {response_code: {before: 500, after: 201}}
    error: null
    error_status: null
    error_type: null
    retryable: false
declared:
  description: The names of the declared webhooks, one JUnit test case each (O(step=compare)).
  returned: O(step=compare)
  type: list
  elements: str
  sample: [orders]
msg:
  description: The verdict (O(step=report)).
  returned: O(step=report)
  type: str
  sample: "drift: 1 change in production; reports: /builds/losant-drift.json, /builds/losant-drift.xml"
"""
