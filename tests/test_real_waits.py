"""Real time, visible: what a run says of its waits at the start, what a terminal and a log
show while they go on, and Ctrl-C in the middle of one leaving nothing running."""

from __future__ import annotations

import os
import pty
import select
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from types import SimpleNamespace

import pytest

from audit.cli import real_time_processes
from fixtures.real_waits import FOLDER, Board, announced, plan
from tests.target_apart import profile_text, simulator_apart
from tests.test_process_cleanup import command_of, tagged_processes

ROOT = Path(__file__).resolve().parent.parent


def test_the_plan_says_how_many_wait_at_once_and_in_how_many_turns() -> None:
    together = plan(waiting=8, processes=8, accounts=10, longest_round=660)
    assert "8 scénario(s) attendent" in together and "en même temps" in together
    turns = plan(waiting=8, processes=3, accounts=10, longest_round=660)
    assert "3 à la fois, en 3 tours (avec -n 8, elles attendraient en même temps)" in turns
    few_accounts = plan(waiting=8, processes=3, accounts=3, longest_round=660)
    assert "en 3 tours ;" in few_accounts and "avec -n" not in few_accounts


class Reporter:
    """What the board needs of pytest's terminal reporter, writing into a list."""

    def __init__(self, tty: bool) -> None:
        self.tty = tty
        self.written: list[str] = []
        self._tw = SimpleNamespace(fullwidth=200)

    def isatty(self) -> bool:
        return self.tty

    def write(self, text: str, flush: bool = False) -> None:
        self.written.append(text)

    def write_line(self, text: str) -> None:
        self.written.append(text + "\n")


def board_on(tmp_path: Path, tty: bool) -> tuple[Board, Reporter, SimpleNamespace]:
    reporter = Reporter(tty)
    manager = SimpleNamespace(get_plugin=lambda name: reporter)
    config = SimpleNamespace(pluginmanager=manager, workerinput={FOLDER: str(tmp_path)})
    return Board(config, tmp_path), reporter, config  # type: ignore[arg-type]


def test_a_log_gets_a_line_as_each_wait_starts_then_every_few_minutes(tmp_path: Path) -> None:
    board, reporter, config = board_on(tmp_path, tty=False)
    with announced(config, "Après 2 heures d'inactivité", 600):  # type: ignore[arg-type]
        now = time.time()
        board.refresh(now)
        board.refresh(now + 1)  # the same wait: no second line
        assert len(reporter.written) == 1
        assert reporter.written[0].startswith("attente réelle de 10 minutes, de ")
        assert "Après 2 heures d'inactivité" in reporter.written[0]
        board.refresh(now + 301)  # five minutes on: where the waits are
        assert "attente réelle : 1 scénario(s) ; prochain réveil à" in reporter.written[1]
    board.refresh(time.time() + 302)  # over: nothing more
    assert len(reporter.written) == 2


def test_a_terminal_gets_one_live_line_rewritten_in_place(tmp_path: Path) -> None:
    board, reporter, config = board_on(tmp_path, tty=True)
    with announced(config, "Deux onglets", 300):  # type: ignore[arg-type]
        board.refresh(time.time())
        board.refresh(time.time())
    board.refresh(time.time())
    lines = [text for text in reporter.written if "attente réelle" in text]
    assert len(lines) == 2 and all(text.startswith("\r") and "\n" not in text for text in lines)
    assert reporter.written[-1] == "\r\x1b[K"  # the wait over, the line is gone


def read_until(fd: int, wanted: bytes, seconds: float) -> bytes:
    """What the terminal showed, until ``wanted`` (or ``seconds`` have passed)."""
    shown, deadline = b"", time.monotonic() + seconds
    while wanted not in shown and time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 1)
        if ready:
            try:
                shown += os.read(fd, 65536)
            except OSError:  # the other end closed
                break
    return shown


@pytest.mark.lent
def test_a_terminal_shows_the_wait_and_ctrl_c_during_it_leaves_nothing_running(
    tmp_path: Path,
) -> None:
    with simulator_apart(options=("--spico-idle", "60s")) as sim:
        profile = tmp_path / "cible.toml"
        profile.write_text(
            profile_text(sim, "JETON_ESSAI")
            + '[temps]\nhorloge = "reelle"\ninactivite_spico = "1 minute"\n'
        )
        tag = uuid.uuid4().hex
        command = [
            sys.executable, "-m", "pytest", "features", "-q", "-p", "no:cacheprovider",
            f"--cible={profile}", "-m", "EXI-WEB-INACTIVITE", "-k", "terminée",
            "--sans-verification", f"--rapport={tmp_path / 'rapport'}",
        ]  # fmt: skip
        main, other = pty.openpty()
        env = {**os.environ, "JETON_ESSAI": sim.control_token, "SPICO_RUN_TAG": tag}
        process = subprocess.Popen(
            command, cwd=ROOT, stdin=other, stdout=other, stderr=other, env=env,
            start_new_session=True,
        )  # fmt: skip
        os.close(other)
        try:
            shown = read_until(main, b"attente r\xc3\xa9elle : 1 sc\xc3\xa9nario(s)", 120)
            assert b"\rattente r" in shown, shown.decode(errors="replace")[-1500:]
            os.killpg(process.pid, signal.SIGINT)
            read_until(main, b"\x00never", 60 if process.poll() is None else 0)
            process.wait(timeout=60)
        finally:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
            os.close(main)
    left = tagged_processes(f"SPICO_RUN_TAG={tag}")
    assert not left, [command_of(pid) for pid in left]


def test_spico_audit_runs_one_process_per_account_when_time_is_real(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MDP_ESSAI", "secret")
    accounts = "".join(
        f'[[comptes]]\nidentifiant = "audit{n}"\nmot_de_passe_env = "MDP_ESSAI"\nnom = "A {n}"\n'
        f'email = "a{n}@example.org"\ntelephone = "+3360000000{n}"\n'
        for n in (1, 2, 3)
    )
    base = 'nom = "préproduction"\n[urls]\nspico = "http://spico.test"\npass = "http://pass.test"\n'
    real = tmp_path / "reel.toml"
    real.write_text(
        base + accounts + '[temps]\nhorloge = "reelle"\ninactivite_spico = "5 minutes"\n'
    )
    none = tmp_path / "sans.toml"
    none.write_text(base + accounts)
    assert real_time_processes([f"--cible={real}"]) == ["-n", "3"]
    assert real_time_processes(["--cible", str(real), "-m", "web"]) == ["-n", "3"]
    assert real_time_processes([f"--cible={real}", "-n", "1"]) == []
    assert real_time_processes([f"--cible={none}"]) == []
    assert real_time_processes([f"--cible={tmp_path / 'absent.toml'}"]) == []
