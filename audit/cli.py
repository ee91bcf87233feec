"""``spico-audit``: the product's command line.

``spico-audit [pytest options]`` runs the compliance suite (features/) against the
embedded simulator, or the target of ``--cible``, and writes the dated report folder
``rapports/AAAA-MM-JJ_HHMMSS`` (``-2``, ``-3``… if a run of the same second has it;
``--rapport`` chooses another); ``spico-audit simulateur``
starts the simulator for a person; ``spico-audit verifier`` (or ``doctor``) checks the
machine. A thin layer over pytest: every pytest option works, and
``pytest features --rapport DOSSIER`` gives the same results.
"""

from __future__ import annotations

import itertools
import sys
from datetime import datetime
from pathlib import Path

from .report_folder import unused

FEATURES = Path(__file__).resolve().parent.parent / "features"
#: Options whose value, given apart (``--rapport DOSSIER``), is a folder but not tests.
FOLDER_OPTIONS = {"--rapport", "--comparer-avec", "--output"}


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] in (["simulateur"], ["simulator"]):
        from simulator.__main__ import main as simulator_main

        return simulator_main(args[1:])
    if args[:1] in (["verifier"], ["doctor"]):
        from audit.doctor import main as doctor_main

        return doctor_main(args[1:])
    import pytest

    if not tests_named(args):
        args.append(str(FEATURES))
    if not any(a.startswith("--rapport") for a in args):
        dated = unused(Path("rapports") / f"{datetime.now():%Y-%m-%d_%H%M%S}")
        args += ["--rapport", str(dated)]
    args += real_time_processes(args)
    if not any(a.startswith("-v") or a.startswith("--verbose") for a in args):
        # the progress lines replace pytest's dots and percentages
        args += ["-q", "-o", "console_output_style=classic"]
    return int(pytest.main(args))


def real_time_processes(args: list[str]) -> list[str]:
    """Against a target whose time passes for real, one process per account of its profile
    unless the command line says how many: the scenarios that wait then wait side by side.
    A profile that cannot be read is pytest's to report."""
    if any(a.startswith(("-n", "--numprocesses")) or a == "no:xdist" for a in args):
        return []
    named = [a.removeprefix("--cible=") for a in args if a.startswith("--cible=")]
    named += [after for before, after in itertools.pairwise(args) if before == "--cible"]
    if not named:
        return []
    from fixtures import profile as profiles

    try:
        profile = profiles.load(named[-1], reach=False)
    except profiles.ProfileError:
        return []
    if not profile.clock.real or len(profile.accounts) < 2:
        return []
    print(
        f"temps réel : -n {len(profile.accounts)}, un processus par compte du profil, pour que"
        " les scénarios qui attendent attendent en même temps (-n 1 : l'un après l'autre)"
    )
    return ["-n", str(len(profile.accounts))]


def tests_named(args: list[str]) -> bool:
    """Does the command line name tests, the values of folder options aside?"""
    after = zip(args, ["", *args], strict=False)
    return any(names_tests(arg) for arg, before in after if before not in FOLDER_OPTIONS)


def names_tests(arg: str) -> bool:
    """Is ``arg`` a test path (a folder, a test module or a feature, maybe with ``::``),
    rather than an option or an option's value (a profile, a report folder)?"""
    path = Path(arg.split("::")[0])
    return not arg.startswith("-") and (
        path.is_dir() or (path.is_file() and path.suffix in (".py", ".feature"))
    )


if __name__ == "__main__":
    sys.exit(main())
