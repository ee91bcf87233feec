"""Loaded by a test (``-p tests.inject_tool_error``): the tool itself goes wrong in the first
"Alors" step, as a bug of the suite's would (a ``KeyError``), so that the test can see it
reported as the tool's error, never as the target's non-conformity."""

from __future__ import annotations


def pytest_bdd_before_step_call(step) -> None:
    if step.type == "then":
        raise KeyError("autre")
