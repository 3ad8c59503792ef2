# -*- coding: utf-8 -*-
# Copyright: Contributors to the losant.platform collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Every unit test fails after ``TIMEOUT`` seconds instead of hanging the run (a broken paging loop
would otherwise loop forever). ansible-test units passes pytest its own ini file, so the timeout is
set here, as a pytest-timeout marker, rather than in a pytest.ini. The timer runs around the test
function only: ansible-test runs each test in a forked process, and an alarm set before the fork
goes off in the parent, which cannot stop the child. A test may set its own marker."""

from __future__ import annotations

import pytest

TIMEOUT = 60  # seconds; every test takes well under one


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.get_closest_marker('timeout') is None:
            item.add_marker(pytest.mark.timeout(TIMEOUT, func_only=True))
