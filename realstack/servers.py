"""A stack's servers: each started one way, in a process group of its own, under the stack's
clock and host names, remembered so that all are stopped on exit whatever happens (and by
the reaper, ``realstack/reaper.py``, if the launcher itself is killed)."""

from __future__ import annotations

import contextlib
import os
import pwd
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import httpx

from processes.lifetime import die_with_parent, stop_group
from processes.waiting import poll

READY_SECONDS = 40
SERVICE_USER = "www-data"
#: Set: the run folder is kept at exit (its logs, to see why something failed).
KEEP_ENV = "REALSTACK_GARDER_DOSSIER"
FAKETIME = Path("/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1")
#: Host names for the servers' own calls to one another (Perl, Python and glibc do not map
#: *.localhost to loopback as Chromium and libcurl do): nss_wrapper, no change to /etc.
NSS_WRAPPER = Path("/usr/lib/x86_64-linux-gnu/libnss_wrapper.so")
PACKAGES = {
    "libfaketime": FAKETIME,
    "faketime": Path("/usr/bin/faketime"),
    "libnss-wrapper": NSS_WRAPPER,
}


class StackError(RuntimeError):
    """Why the stack cannot start, or stopped, in one French line."""


def service_user() -> str | None:
    """The user the servers drop to when we are root, else None (they run as we do)."""
    return SERVICE_USER if os.geteuid() == 0 else None


def give_to(path: Path, user: str | None) -> None:
    """``path`` (a file, or a folder and all below it) owned by ``user`` (the servers, once
    they have dropped to it, write there); nothing when there is no such user."""
    if user is None:
        return
    entry = pwd.getpwnam(user)
    os.chown(path, entry.pw_uid, entry.pw_gid)
    for root, dirs, files in os.walk(path):
        for name in dirs + files:
            os.chown(os.path.join(root, name), entry.pw_uid, entry.pw_gid)


def clock_env(clock: Path, shared: str) -> dict[str, str]:
    """The environment of every server of the stack: its clock (libfaketime, read at each
    call, so writing the file moves every server at once), and libfaketime's state, one for
    all (``realstack/faketime_shared.py``)."""
    base = {k: v for k, v in os.environ.items() if k != "LD_PRELOAD"}
    return {
        **base,
        "LD_PRELOAD": str(FAKETIME),
        "FAKETIME_TIMESTAMP_FILE": str(clock),
        "FAKETIME_NO_CACHE": "1",
        "FAKETIME_SHARED": shared,
    }


def calling_env(env: dict[str, str], folder: Path, hosts: list[str]) -> dict[str, str]:
    """``env`` for a server that calls another server of the stack by its name (PASS's
    back-channel calls, SPICO's ticket checks): ``hosts`` on loopback through nss_wrapper,
    listed in a file of the run folder. Only for them: Apache, given it, binds its port twice
    (nss_wrapper answers for a numeric address too) and stops."""
    hosts_file = folder / "hotes"
    hosts_file.write_text("".join(f"127.0.0.1 {host}\n" for host in hosts))
    hosts_file.chmod(0o644)
    return {
        **env,
        "LD_PRELOAD": f"{NSS_WRAPPER}:{env['LD_PRELOAD']}",
        "NSS_WRAPPER_HOSTS": str(hosts_file),
    }


def last_line(log: Path) -> str:
    with contextlib.suppress(OSError):
        lines = [line.strip() for line in log.read_text(errors="replace").splitlines()]
        lines = [line for line in lines if line]
        if lines:
            return lines[-1][-300:]
    return "journal vide"


class Servers:
    """Starts the stack's servers in groups of their own and remembers them, to stop them
    all (in reverse order) when ``stack`` closes."""

    def __init__(
        self, stack: contextlib.ExitStack, folder: Path, leftovers: Sequence[Path] = ()
    ) -> None:
        self.processes: dict[str, subprocess.Popen] = {}
        self.logs: dict[str, Path] = {}
        self._stack = stack
        self._reaper = self._start_reaper(folder, leftovers)

    def _start_reaper(self, folder: Path, leftovers: Sequence[Path]) -> subprocess.Popen:
        """The watcher that stops the servers if the launcher dies without doing it, and
        removes the run's files (``leftovers`` even when the folder is kept); dismissed once
        the servers are stopped, before the files go."""
        kept = bool(os.environ.get(KEEP_ENV))
        removed = [str(path) for path in ([] if kept else [folder]) + list(leftovers)]
        reaper = subprocess.Popen(
            [sys.executable, "-m", "realstack.reaper", *removed],
            stdin=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )

        def dismiss() -> None:
            reaper.stdin.close()
            reaper.wait(timeout=30)

        self._stack.callback(dismiss)
        return reaper

    def start(self, name: str, command: list[str], log: Path, env: dict[str, str]) -> None:
        with open(log, "ab") as sink:
            process = subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=sink,
                stderr=subprocess.STDOUT,
                env=env,
                start_new_session=True,
                preexec_fn=die_with_parent,
            )
        self.processes[name] = process
        self.logs[name] = log
        self._reaper.stdin.write(f"{process.pid}\n")
        self._reaper.stdin.flush()
        self._stack.callback(stop_group, process)

    def check_alive(self) -> None:
        for name, process in self.processes.items():
            if process.poll() is not None:
                raise StackError(
                    f"{name} s'est arrêté (code {process.returncode}) : "
                    f"{last_line(self.logs[name])}"
                )

    def wait(self, what: str, probe, log: Path, seconds: float = READY_SECONDS):
        """``probe()`` until it answers truthy, every server still running: its answer;
        StackError, naming what did not answer and its log's last line, otherwise."""
        last = "pas de réponse"

        def answer():
            nonlocal last
            self.check_alive()
            try:
                result = probe()
            except (httpx.HTTPError, OSError) as exc:
                last = type(exc).__name__
                return None
            last = "réponse inattendue"
            return result

        result = poll(answer, seconds, every=0.1)
        if result:
            return result
        raise StackError(f"{what} ne répond pas après {seconds:.0f} s ({last}) : {last_line(log)}")


def https_get(client: httpx.Client, port: int, host: str, path: str) -> httpx.Response:
    """GET https://host:port/path on loopback (Python cannot resolve *.localhost), checking
    the certificate against ``host`` through SNI."""
    return client.get(
        f"https://127.0.0.1:{port}{path}",
        headers={"Host": f"{host}:{port}"},
        extensions={"sni_hostname": host},
    )
