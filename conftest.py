"""The suite's plugins: target and simulator, codes, browser, and the step definitions."""

pytest_plugins = [
    "fixtures.target",
    "fixtures.codes",
    "fixtures.browser",
    "fixtures.clock",
    "fixtures.manual",
    "fixtures.outcomes",
    "steps.common_steps",
    "steps.web_steps",
    "steps.inactivity_steps",
    "steps.logout_steps",
    "steps.window_steps",
    "steps.session_steps",
    "steps.sso_steps",
    "steps.code_steps",
]
