"""Binds the mobile features to pytest: every scenario under features/mobile is a test."""

from pytest_bdd import scenarios

scenarios("mobile")
