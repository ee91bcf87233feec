"""A real-time audit of the reference stack: the stack started with a short policy on purpose
(SPICO 5 minutes, PASS 10), its web suite audited through ``profil-reel.toml`` (time passes
for real; one process per account, so the scenarios that wait wait side by side), then
through ``profil.toml`` (the same stack, its clock moved by libfaketime, ``-n 2``).

    .venv/bin/python -m benchmarks.bench_realtime_audit [--runs 1] [--pile oidc]

Prints, per real-time run: its wall time, the longest declared timeout, the serial sum of the
scenarios' real waits (what waiting one after the other would take), the scenarios that do not
wait (their serial duration), and the issue's bound (1.3 × the longest timeout plus those);
then whether the two audits' verdicts agree. Asserts nothing.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
from pathlib import Path

from fixtures import profile as profiles
from realstack.stack import DEFAULT, STACKS
from tests.stack_apart import audit, stack_apart
from tests.verdict_outcomes import Outcomes, differences


def figures(wall: float, outcomes: Outcomes, longest: float) -> str:
    waited = sum(outcomes.waited.values())
    apart = [k for k in outcomes.scenarios if "horloge" not in outcomes.tags[k]]
    rest = sum(outcomes.durations[k] for k in apart)
    bound = 1.3 * longest + rest
    return (
        f"real time: wall {wall:.0f} s; longest declared timeout {longest:.0f} s"
        f" (wall / longest {wall / longest:.2f}); serial sum of the waits {waited:.0f} s;"
        f" the {len(apart)} scenarios that do not wait {rest:.0f} s;"
        f" bound 1.3 × longest + those {bound:.0f} s: {'within' if wall <= bound else 'OVER'}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1, help="real-time audits (each ~12 min)")
    parser.add_argument("--pile", default=DEFAULT, choices=list(STACKS))
    args = parser.parse_args()
    with (
        stack_apart(args.pile, "--politique-courte") as ready,
        tempfile.TemporaryDirectory() as tmp,
    ):
        folder = Path(tmp)
        real = profiles.load(ready["profil_reel"], environ=ready["environnement"], reach=False)
        longest = max(real.declared_timeouts[p] for p in ("spico", "pass"))
        walls, outcomes = [], []
        for number in range(1, args.runs + 1):
            wall, seen = audit(ready, ready["profil_reel"], folder)
            walls.append(wall)
            outcomes.append(seen)
            print(f"run {number}: {figures(wall, seen, longest)}", flush=True)
        if len(walls) > 1:
            print(f"real time, median wall: {statistics.median(walls):.0f} s ({len(walls)} runs)")
        wall, faketime = audit(ready, ready["profil"], folder, "-n", "2")
        print(f"faketime (-n 2): wall {wall:.0f} s; verdict {faketime.verdict}")
        for number, seen in enumerate(outcomes, 1):
            found = differences(seen, faketime)
            agreed = "identical" if not found else "differ: " + "; ".join(found)
            print(f"run {number}, verdict {seen.verdict}; against faketime: {agreed}")


if __name__ == "__main__":
    main()
