"""The project's own tests under ``-n`` (``./dev test -n 2``, as CI runs them): the tests of a
module with module-scoped fixtures (a stack, a simulator) run on one process, so that these start
once; the tests that read one session-scoped audit (``audit_with_faults``) run on one process, so
that the audit runs once; every other test goes to whichever process is free, a long module's
(each case its own stack or audit) among them; the long modules (marked ``lent`` or
``pile_reelle``) are sent first, so that both processes end together; the suite's scenarios,
many and short, come last and fill the gaps.

How: pytest-xdist's ``loadgroup`` scheduler, whose groups each process writes as a suffix to its
items' ids (``@`` and the group, as xdist's own ``xdist_group`` does; pytest 9 keeps an item's
id in ``_id``, where xdist 3.8 still writes ``_nodeid``), and whose units are taken in the order
of collection, which this module sets. The controller takes the suffix off the reports before
anything reads them. Another ``--dist`` mode, or a target whose shared clock has its own
scheduling (``fixtures.clock_scheduling``), leaves all this aside.
"""

from __future__ import annotations

import pytest
from _pytest.nodeid import coerce_node_id
from xdist.scheduler import LoadGroupScheduling
from xdist.workermanage import WorkerController

from fixtures import clock_scheduling

#: Where the controller tells each process (its ``workerinput``) to group and order its items.
FLAG = "spico_tests_groupes"
#: What marks a module as long, and sends it first.
LONG = ("lent", "pile_reelle")


def grouped(config: pytest.Config) -> bool:
    """On the controller: a parallel run in the default distribution, with no ``@horloge``
    scheduling of its own."""
    parallel = bool(getattr(config.option, "numprocesses", None))
    return parallel and config.option.dist == "load" and clock_scheduling.mode(config) is None


def module_of(item: pytest.Item) -> str:
    """The item's module, as its id names it."""
    return item.nodeid.split("::")[0]


#: Scopes whose fixtures a module's tests share: they stay together, the fixture starts once.
MODULE_SCOPES = ("module", "class", "package")


def group_of(item: pytest.Item) -> str | None:
    """The process an item must share: a session-scoped fixture's of the project's tests, or
    its module's if it uses a module-scoped fixture; ``None`` for the others and the suite's
    scenarios, which go anywhere."""
    if not item.nodeid.startswith("tests/"):
        return None
    info = getattr(item, "_fixtureinfo", None)
    definitions = {
        name: (info.name2fixturedefs.get(name) or [None])[-1] if info else None
        for name in item.fixturenames
    }
    for name, definition in definitions.items():
        if definition and definition.scope == "session" and definition.baseid.startswith("tests"):
            return name
    if any(d and d.scope in MODULE_SCOPES for d in definitions.values()):
        return module_of(item)
    return None


def first_long(items: list[pytest.Item]) -> list[pytest.Item]:
    """The items, the long modules' first, then the other tests, then the scenarios; in the
    order of collection within each."""
    long = {module_of(item) for item in items if any(map(item.get_closest_marker, LONG))}

    def rank(item: pytest.Item) -> int:
        module = module_of(item)
        return 0 if module in long else 1 if module.startswith("tests/") else 2

    return sorted(items, key=rank)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log) -> LoadGroupScheduling | None:
    if not grouped(config):
        return None
    config.option.loadscopereorder = False  # the order of collection: the long modules first
    return LoadGroupScheduling(config, log)


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node: WorkerController) -> None:
    if grouped(node.config):
        node.workerinput[FLAG] = True


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not getattr(config, "workerinput", {}).get(FLAG):
        return
    items[:] = first_long(items)
    for item in items:
        group = group_of(item)
        if group is not None:
            item._id = coerce_node_id(f"{item.nodeid}@{group}")


def unmarked(nodeid: str) -> str:
    """An id without the group a process appended (a ``@`` after the last ``]`` and ``::``)."""
    head, at, tail = nodeid.rpartition("@")
    return head if at and "]" not in tail and "::" not in tail else nodeid


class Unmarked:
    """On the controller, before any other plugin reads a report: the test's own id."""

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        report.nodeid = unmarked(report.nodeid)


def pytest_configure(config: pytest.Config) -> None:
    if not hasattr(config, "workerinput") and grouped(config):
        config.pluginmanager.register(Unmarked(), "spico-tests-groupes-sans-marque")
