"""The size of a whole audit's report folder: ``rapport.pdf`` and ``cucumber.json`` (each to
stay under 5 MB), ``rapport.html``, the screens kept, the PDF's pages; for the embedded
simulator (web and mobile, under -n 2) and, with ``--pile``, the reference real stack
(serially: its clock is shared).

    .venv/bin/python -m benchmarks.bench_report_size [--runs 1] [--pile]

Prints each figure's median (sizes vary with what the screens show); asserts nothing.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

from pypdf import PdfReader

from tests.stack_apart import ROOT, stack_apart

FILES = ("rapport.pdf", "cucumber.json", "rapport.html", "verdict.json", "junit.xml")


def audit(folder: Path, environ: dict[str, str], *options: str) -> dict[str, float]:
    """One whole audit into ``folder``; its files' sizes in MB, its screens and pages."""
    command = [sys.executable, "-m", "pytest", "features", "-q", "-p", "no:cacheprovider"]
    done = subprocess.run(
        [*command, f"--rapport={folder}", *options],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, **environ},
    )
    if not (folder / "rapport.pdf").is_file():
        raise SystemExit(f"pas de rapport : {done.stdout[-1500:]}{done.stderr[-1500:]}")
    figures = {name: (folder / name).stat().st_size / 1e6 for name in FILES}
    figures["écrans (nombre)"] = len(list((folder / "preuves" / "ecrans").glob("*")))
    figures["pages du PDF"] = len(PdfReader(folder / "rapport.pdf").pages)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--pile", action="store_true", help="aussi sur la pile réelle")
    args = parser.parse_args()
    targets = [("simulateur, -n 2", None, ("-n", "2"))]
    if args.pile:
        targets.append(("pile réelle, en série", "pile", ()))
    with tempfile.TemporaryDirectory() as temporary:
        for label, kind, options in targets:
            figures: dict[str, list[float]] = defaultdict(list)
            stack = stack_apart() if kind else contextlib.nullcontext(None)
            with stack as ready:
                environ = ready["environnement"] if ready else {}
                profile = (f"--cible={ready['profil']}",) if ready else ()
                for number in range(args.runs):
                    folder = Path(temporary) / f"{kind or 'sim'}-{number}"
                    for name, value in audit(folder, environ, *profile, *options).items():
                        figures[name].append(value)
            for name, values in figures.items():
                unit = "" if "(" in name or "pages" in name else " MB"
                print(
                    f"{label} : {name} : médiane {statistics.median(values):.2f}{unit}", flush=True
                )


if __name__ == "__main__":
    main()
