"""The suite's plugins: target and simulator, codes, browser, phone, the report, and the step
definitions; and the project's marker for its long tests under both its names."""

import pytest

pytest_plugins = [
    "fixtures.usage",
    "audit.requirements",
    "fixtures.target",
    "fixtures.real_waits",
    "fixtures.clock_scheduling",
    "fixtures.codes",
    "fixtures.browser",
    "fixtures.phone",
    "fixtures.clock",
    "fixtures.manual",
    "audit.outcomes",
    "fixtures.failure_kinds",
    "audit.evidence",
    "audit.report",
    "steps.common_steps",
    "steps.preflight",
    "steps.web_steps",
    "steps.inactivity_steps",
    "steps.logout_steps",
    "steps.window_steps",
    "steps.session_steps",
    "steps.sso_steps",
    "steps.code_steps",
    "steps.mobile_steps",
]

#: A long test of the project's own is marked `lent`; `slow`, its first name, still works.
LONG = ("lent", "slow")


@pytest.hookimpl(tryfirst=True)  # before pytest's own step deselects by -m
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """An item marked with either name gets both, so ``-m "not lent"`` and ``-m "not slow"``
    select the same items."""
    for item in items:
        if any(item.get_closest_marker(name) for name in LONG):
            for name in LONG:
                if not item.get_closest_marker(name):
                    item.add_marker(name)
