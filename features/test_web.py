"""Binds the web features to pytest: every scenario under features/web is a test."""

from pytest_bdd import scenarios

scenarios("web")
