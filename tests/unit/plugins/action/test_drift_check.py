# -*- coding: utf-8 -*-
# Copyright: Contributors to the losant.platform collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The drift check's action: which host reports and the test case names (test_drift_check_steps.py runs the
steps, and the result behind each exit status)."""

from __future__ import annotations

from ansible_collections.losant.platform.plugins.action.drift_check import (
    case_names,
    many_applications,
    reporting_host,
)


def test_the_first_host_of_the_play_reports():
    variables = {'ansible_play_hosts': ['production', 'staging']}
    assert reporting_host(dict(variables, inventory_hostname='production'))
    assert not reporting_host(dict(variables, inventory_hostname='staging'))
    assert not reporting_host({'ansible_play_hosts': ['staging', 'production'], 'inventory_hostname': 'production'})
    assert reporting_host({'inventory_hostname': 'localhost'})
    # The same name, another string object (as templating may give): compared by its value.
    assert reporting_host({'ansible_play_hosts': ['production'], 'inventory_hostname': ''.join(['produc', 'tion'])})


def test_many_applications_are_the_hosts_of_the_group():
    assert many_applications({'inventory_hostname': 'production', 'groups': {'losant_applications': ['production']}})
    assert not many_applications({'inventory_hostname': 'localhost', 'groups': {'all': []}})


def test_a_declared_item_without_a_name_is_named_by_its_place():
    assert case_names([{'name': 'a'}, {'name': 123}, {'description': 'x'}, 'plain', {'name': None}]) == [
        'a', '123', 'losant_webhooks[2]', 'losant_webhooks[3]', 'losant_webhooks[4]']
