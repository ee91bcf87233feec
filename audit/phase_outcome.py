"""A scenario's outcome from the reports of its phases (set-up, call, teardown), folded the
same way wherever results are kept (the report, ``--resultats-json``): the first failure
decides, the tool's own error apart from the target's; a skip counts only if nothing failed."""

from __future__ import annotations

import pytest

PASSED, FAILED, SKIPPED, ERROR = "passed", "failed", "skipped", "error"


def folded(outcome: str, report: pytest.TestReport) -> str | None:
    """The outcome once ``report`` is added to ``outcome``; None when it does not change."""
    if report.failed and outcome not in (FAILED, ERROR):
        return ERROR if tool_error(report) else FAILED
    if report.skipped and outcome == PASSED:
        return SKIPPED
    return None


def tool_error(report: pytest.TestReport) -> str:
    """What went wrong in the tool itself (``fixtures/failure_kinds.py``), or ''."""
    return getattr(report, "tool_error", "")


def skip_reason(report: pytest.TestReport) -> str:
    reason = report.longrepr[-1] if isinstance(report.longrepr, tuple) else ""
    return str(reason).removeprefix("Skipped: ")
