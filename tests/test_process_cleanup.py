"""Every process a run starts (simulator, Chromium, Appium, chromedriver) ends with the
run: on success, on a failing scenario, and on Ctrl-C.

Each inner run carries a unique tag in its environment; children inherit it, so after
the run no process on the machine may still carry the tag.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

INNER_TEST = """
import threading

def test_uses_the_target(target, page, phone):
    page.goto(target.spico_url + "/patients")
    phone.open_app()
    print("PRET", flush=True)
    if "{mode}" == "interrupt":
        idle = threading.Event()
        while not idle.wait(0.05):  # until SIGINT; a blocking call could miss it (race)
            pass
    assert "{mode}" == "pass", "échec voulu"
"""


def tagged_processes(tag: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if tag.encode() in (entry / "environ").read_bytes():
                found.append(int(entry.name))
        except OSError:
            continue
    return found


def command_of(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def run_inner(tmp_path: Path, mode: str) -> tuple[subprocess.Popen, str]:
    (tmp_path / "test_inner.py").write_text(INNER_TEST.format(mode=mode))
    (tmp_path / "conftest.py").write_text(
        'pytest_plugins = ["fixtures.target", "fixtures.browser", "fixtures.phone"]\n'
    )
    tag = f"SPICO_RUN_TAG={uuid.uuid4().hex}"
    name, value = tag.split("=")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "no:cacheprovider",
            "-s",
            "-q",
            "--rootdir",
            str(ROOT),
            "-c",
            str(ROOT / "pyproject.toml"),
            str(tmp_path / "test_inner.py"),
        ],
        cwd=ROOT,
        # faulthandler: a run that hangs shows where, on SIGABRT (below)
        env={**os.environ, name: value, "PYTHONFAULTHANDLER": "1"},
        start_new_session=True,  # its own group, to clean up after it if it hangs
        # Ctrl-C as in a terminal: a run started in the background inherits SIGINT ignored,
        # and Python then keeps ignoring it (no KeyboardInterrupt)
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    return process, value


@pytest.mark.skipif(not Path("/proc").exists(), reason="reads /proc (Linux)")
@pytest.mark.parametrize("mode", ["pass", "fail", "interrupt"])
def test_no_process_outlives_the_run(tmp_path: Path, mode: str) -> None:
    process, tag = run_inner(tmp_path, mode)
    output = []
    for line in process.stdout:
        output.append(line)
        if line.startswith("PRET"):
            started = " ".join(command_of(pid) for pid in tagged_processes(tag))
            for part in ("simulator", "appium", "chromedriver", "chromium"):
                assert part in started, f"the run should have started {part}: {started}"
            if mode == "interrupt":
                process.send_signal(signal.SIGINT)
            break
    try:
        rest, _ = process.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        left = [command_of(pid)[:120] for pid in tagged_processes(tag)]
        process.send_signal(signal.SIGABRT)  # faulthandler prints every thread's stack
        try:
            stacks, _ = process.communicate(timeout=10)
        finally:
            os.killpg(process.pid, signal.SIGKILL)  # a hung run must not leave its children
        pytest.fail(f"'{mode}' hung past 60 s; still running: {left}\n{stacks[-6000:]}")
    text = "".join(output) + rest
    expected = {"pass": 0, "fail": 1, "interrupt": 2}[mode]
    assert process.returncode == expected, text
    assert tagged_processes(tag) == [], f"processes left behind after '{mode}':\n{text}"
