"""The suite's plugins: target and simulator, codes, browser, and the step definitions."""

pytest_plugins = [
    "fixtures.target",
    "fixtures.codes",
    "fixtures.browser",
    "steps.common_steps",
    "steps.web_steps",
]
