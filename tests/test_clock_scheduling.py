"""Under ``-n`` against a target whose clock every process shares, the ``@horloge`` scenarios
run after all the others, on one process, once every other process has finished; against a
target whose time is real, they start first, one per process. The schedulers, step by step,
with processes that only record what they are told."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from fixtures.clock_scheduling import SUFFIX, ClockAware, TurnScheduling, WaitFirstScheduling

COLLECTION = ["t1", "t2", f"h1{SUFFIX}", "t3", "t4", f"h2{SUFFIX}", "t5", "t6"]


class Process:
    """A test process as the scheduler sees it: what it was sent, whether it was stopped."""

    def __init__(self, name: str) -> None:
        self.gateway = SimpleNamespace(id=name)
        self.sent: list[int] = []
        self.shutting_down = False

    def send_runtest_some(self, indices: list[int]) -> None:
        self.sent += indices

    def shutdown(self) -> None:
        self.shutting_down = True


def scheduler(
    *processes: Process, collection: list[str] = COLLECTION, kind: type[ClockAware] = TurnScheduling
) -> ClockAware:
    """Pytest-xdist's options as ``-n 2`` sets them."""
    config = SimpleNamespace(
        getoption=lambda name: None, getvalue=lambda name: ["2*popen"], stash={}
    )
    turns = kind(config)  # type: ignore[arg-type]
    for process in processes:
        turns.add_node(process)
        turns.add_node_collection(process, collection)
    turns.schedule()
    return turns


def finish(turns: TurnScheduling, process: Process) -> None:
    """The process runs all it is sent, what it is sent as it goes included."""
    while turns.node2pending.get(process):
        turns.mark_test_complete(process, turns.node2pending[process][0])


def held(turns: TurnScheduling) -> set[str]:
    return {COLLECTION[i] for i in turns.held}


def test_the_clock_scenarios_wait_for_every_other_process_to_finish() -> None:
    first, second = Process("gw0"), Process("gw1")
    turns = scheduler(first, second)
    sent = {COLLECTION[i] for i in first.sent + second.sent}
    assert not any(name.endswith(SUFFIX) for name in sent), "un scénario @horloge envoyé trop tôt"
    assert held(turns) == {f"h1{SUFFIX}", f"h2{SUFFIX}"}
    finish(turns, first)
    # the first process to run out stays for the clock scenarios; the other is stopped
    assert turns.turn is first and not first.shutting_down
    finish(turns, second)
    assert second.shutting_down and held(turns), "le second processus tourne encore"
    assert not turns.tests_finished
    turns.remove_node(second)
    # alone now: the held scenarios go to the process that stayed, which then stops
    assert [COLLECTION[i] for i in first.sent[-2:]] == [f"h1{SUFFIX}", f"h2{SUFFIX}"]
    assert first.shutting_down and not turns.held
    finish(turns, first)
    assert turns.tests_finished


def test_a_process_that_crashes_before_its_turn_gives_the_turn_to_another() -> None:
    first, second = Process("gw0"), Process("gw1")
    turns = scheduler(first, second)
    finish(turns, first)
    assert turns.turn is first
    turns.remove_node(first)  # crashed with nothing pending
    assert turns.turn is None and held(turns)
    finish(turns, second)
    # the one left takes the turn and gets the clock scenarios
    assert turns.turn is second and second.shutting_down
    assert {COLLECTION[i] for i in second.sent} >= {f"h1{SUFFIX}", f"h2{SUFFIX}"}


@pytest.mark.parametrize("collection", [["t1", "t2", "t3"], [f"h1{SUFFIX}", f"h2{SUFFIX}"]])
def test_without_either_kind_the_run_goes_as_usual(collection: list[str]) -> None:
    first, second = Process("gw0"), Process("gw1")
    turns = scheduler(first, second, collection=collection)
    finish(turns, first)
    finish(turns, second)
    for process in (first, second):
        if process is not turns.turn:
            turns.remove_node(process)
    if turns.turn is not None:
        finish(turns, turns.turn)
    assert sorted(first.sent + second.sent) == list(range(len(collection)))
    assert turns.tests_finished


def test_in_real_time_each_process_starts_with_a_wait_and_the_rest_wait_in_turns() -> None:
    collection = [*COLLECTION, f"h3{SUFFIX}"]
    first, second = Process("gw0"), Process("gw1")
    waits = scheduler(first, second, collection=collection, kind=WaitFirstScheduling)
    # one wait each to start with, then the third behind the first's: three waits, two turns
    assert [collection[i] for i in first.sent] == [f"h1{SUFFIX}", f"h3{SUFFIX}"]
    assert [collection[i] for i in second.sent] == [f"h2{SUFFIX}", "t1"]
    # then one at a time to whoever runs out first
    waits.mark_test_complete(second, second.sent[0])
    assert [collection[i] for i in second.sent[2:]] == ["t2"]
    for process in (second, first):
        finish(waits, process)
    assert sorted(first.sent + second.sent) == list(range(len(collection)))
    assert waits.tests_finished
