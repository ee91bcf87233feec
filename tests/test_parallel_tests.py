"""Under ``-n 2``, the tests of a module with a module-scoped fixture share a process (the fixture
starts once), the tests of one session-scoped audit share one process (it runs once), the other
tests of a long module go to both processes, the long modules start first, the scenarios come
last, and what pytest reports is each test's own id. Shown on a small project of the same shape,
each test writing down which process ran it."""

from __future__ import annotations

import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from tests.parallel import unmarked

ROOT = Path(__file__).resolve().parents[1]

RECORD = """
import os
from pathlib import Path


def record(name):
    with Path(os.environ["JOURNAL"]).open("a") as journal:
        journal.write(f"{{os.getpid()}} {{name}}\\n")
"""

MODULE = """
import pytest
from journal import record
{mark}

@pytest.mark.parametrize("n", range(3))
def test_alone(n{stack}):
    record("{name}")


def test_reads_the_audit(shared):
    record("{name}:audit")
"""

CONFTEST = """
import pytest
from journal import record


@pytest.fixture(scope="module")
def stack():
    record("pile-lancee")


@pytest.fixture(scope="session")
def shared():
    record("audit-lance")
"""

SCENARIOS = """
import pytest
from journal import record


@pytest.mark.parametrize("n", range(6))
def test_scenario(n):
    record("scenario")
"""


def run(tmp_path: Path) -> tuple[list[tuple[str, str]], list[str], str]:
    """The small project under ``-n 2``: (process, test) in the order they ran, the ids of
    its JUnit XML, and the output."""
    (tmp_path / "tests").mkdir()
    (tmp_path / "features").mkdir()
    (tmp_path / "journal.py").write_text(RECORD.format())
    (tmp_path / "tests" / "conftest.py").write_text(CONFTEST)
    modules = (("court", "", ", stack"), ("long", "pytestmark = pytest.mark.lent", ""))
    for name, mark, stack in modules:
        module = MODULE.format(name=name, mark=mark, stack=stack)
        (tmp_path / "tests" / f"test_{name}.py").write_text(module)
    (tmp_path / "features" / "test_scenarios.py").write_text(SCENARIOS)
    journal, junit = tmp_path / "journal.txt", tmp_path / "junit.xml"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "tests.parallel",
            "-c",
            str(ROOT / "pyproject.toml"),
            "--rootdir",
            str(tmp_path),
            "-n",
            "2",
            f"--junit-xml={junit}",
            str(tmp_path / "tests"),
            str(tmp_path / "features"),
        ],
        cwd=ROOT,
        env={**os.environ, "JOURNAL": str(journal), "PYTHONPATH": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    lines = [tuple(line.split()) for line in journal.read_text().splitlines()]
    cases = ET.parse(junit).iter("testcase")
    ids = [f"{case.get('classname')}.{case.get('name')}" for case in cases]
    return lines, ids, done.stdout


def test_a_module_stack_and_the_shared_audit_each_start_once_on_one_process(
    tmp_path: Path,
) -> None:
    lines, _, output = run(tmp_path)
    by_test: dict[str, set[str]] = {}
    for process, test in lines:
        by_test.setdefault(test, set()).add(process)
    assert len(by_test["court"]) == 1, (lines, output)
    assert [test for _, test in lines].count("pile-lancee") == 1, lines
    # the long module's cases share nothing: both processes take some
    assert len(by_test["long"]) == 2, (lines, output)
    # both readers of the session-scoped audit on the process that ran it, once
    assert [test for _, test in lines].count("audit-lance") == 1, lines
    assert by_test["court:audit"] == by_test["long:audit"] == by_test["audit-lance"], lines


def test_the_long_module_starts_first_and_the_scenarios_come_last(tmp_path: Path) -> None:
    lines, _, _ = run(tmp_path)
    order: dict[str, list[str]] = {}
    for process, test in lines:
        order.setdefault(process, []).append(test)
    for tests in order.values():
        if "long" in tests:
            assert tests[0] == "long", order  # the first unit sent
        # a process is sent scenarios once every module is sent
        ran = ["scenario" if test == "scenario" else "projet" for test in tests]
        assert ran == sorted(ran, key=lambda kind: kind == "scenario"), order


def test_reports_name_each_test_by_its_own_id(tmp_path: Path) -> None:
    _, ids, output = run(tmp_path)
    assert len(ids) == 14, ids
    assert not [name for name in ids if "@" in name], ids
    assert "@" not in output.split("short test summary")[-1]


def test_an_id_loses_only_the_group_a_process_appended() -> None:
    assert unmarked("tests/test_a.py::test_x[1]@tests/test_a.py") == "tests/test_a.py::test_x[1]"
    assert unmarked("tests/test_a.py::test_x@audit_with_faults") == "tests/test_a.py::test_x"
    assert unmarked("tests/test_a.py::test_x[a@b.fr]") == "tests/test_a.py::test_x[a@b.fr]"
    assert unmarked("features/test_s.py::test_y") == "features/test_s.py::test_y"
