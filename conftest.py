"""The suite's plugins: target and simulator, codes, browser, phone, the report, and the step
definitions."""

pytest_plugins = [
    "audit.requirements",
    "fixtures.target",
    "fixtures.codes",
    "fixtures.browser",
    "fixtures.phone",
    "fixtures.clock",
    "fixtures.manual",
    "audit.outcomes",
    "fixtures.preconditions",
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
