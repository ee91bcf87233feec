"""A requirement's ID is the thread from the guide to everything about it: the catalog
(``audit/requirements.py``), the features' tags, the simulator's rules (``behaviour.py``'s
comments), the fault that breaks it (``simulator/faults.py``), the README's tables, the real
stacks' variants and the verdicts documented for them (``tests/test_realstack_verdicts.py``).
A scenario tagged with an ID the catalog lacks would count for no requirement (at run time
``requirement_tags`` refuses it): this test joins every place and names any ID that disagrees.
No browser, no server."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from types import SimpleNamespace

import pytest

from audit.requirements import CATALOG, ID, UnknownRequirement, requirement_tags
from realstack.stack import STACKS
from simulator.faults import CATALOG as FAULTS
from tests.test_realstack_verdicts import COMPLIANT

ROOT = Path(__file__).resolve().parent.parent
KNOWN = {requirement.id for requirement in CATALOG}
#: What reads as a requirement's ID in prose, tables and comments, taken whole as written
#: (``BP-PROPAGATION-SS0`` is named so, not cut to ``BP-PROPAGATION``).
MENTION = re.compile(r"\b(?:EXI|BP)-[\w-]*\w")
#: A tag meant as an ID, even misspelt or in lower case.
ID_TAG = re.compile(r"@((?:EXI|BP)-\S+)", re.IGNORECASE)
#: Texts that speak of requirements: each ID they mention must be the catalog's.
TEXTS = ("README.md", "docs/architecture.md", "simulator/behaviour.py", "simulator/faults.py")


def unknown(where: str, ids: Iterable[str]) -> list[str]:
    """One line per ID the catalog lacks, naming where it is."""
    return [
        f"{where} : {found} n'est pas une exigence du catalogue"
        for found in ids
        if found not in KNOWN
    ]


def in_feature(name: str, text: str) -> list[str]:
    tags = [
        tag
        for line in text.splitlines()
        if line.strip().startswith("@")
        for tag in ID_TAG.findall(line)
    ]
    return unknown(name, tags)


def in_text(name: str, text: str) -> list[str]:
    return unknown(name, MENTION.findall(text))


def in_faults(faults: dict) -> list[str]:
    return [
        problem
        for name, fault in faults.items()
        for problem in unknown(f"défaut {name}", [fault.requirement, *fault.also_breaks])
    ]


def in_variants(stacks: dict) -> list[str]:
    return [
        problem
        for stack, side in stacks.items()
        for name, variant in side.variants.items()
        for problem in unknown(
            f"pile {stack}, variante {name}", [variant.requirement, *variant.also_breaks]
        )
    ]


def in_documented_verdicts(compliant: dict) -> list[str]:
    return [
        problem
        for stack, expected in compliant.items()
        for ids in expected["statuses"].values()
        for problem in unknown(f"verdicts documentés de la pile {stack}", ids)
    ]


def features() -> dict[str, str]:
    return {
        str(p.relative_to(ROOT)): p.read_text()
        for p in sorted((ROOT / "features").rglob("*.feature"))
    }


def test_every_catalog_id_follows_the_pattern_once() -> None:
    ids = [requirement.id for requirement in CATALOG]
    assert len(ids) == len(set(ids))
    assert all(ID.match(found) for found in ids), ids


def test_every_id_named_anywhere_is_in_the_catalog() -> None:
    problems = [p for name, text in features().items() for p in in_feature(name, text)]
    problems += [p for name in TEXTS for p in in_text(name, (ROOT / name).read_text())]
    problems += in_faults(FAULTS) + in_variants(STACKS) + in_documented_verdicts(COMPLIANT)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    "spelt", ["EXI-WEB-", "EXI--WEB", "exi-web-acces", "EXI-WEB-ACCÈS", "XX-WEB"]
)
def test_the_pattern_refuses_a_misspelt_id(spelt: str) -> None:
    assert not ID.match(spelt)


def test_every_requirement_has_a_scenario() -> None:
    tagged = {tag for text in features().values() for tag in ID_TAG.findall(text)}
    assert KNOWN - tagged == set()


# -- the same checks, shown to fail on an ID the catalog lacks --------------------------------


@pytest.mark.parametrize(
    ("problems", "named"),
    [
        (
            in_feature("x.feature", "@web @EXI-WEB-INACTIVTE\nFonctionnalité: x\n"),
            "EXI-WEB-INACTIVTE",
        ),
        (in_feature("x.feature", "  @exi-web-acces\n  Scénario: x\n"), "exi-web-acces"),
        (in_text("README.md", "| `x` | `Y 1` | BP-COOKIE | why |\n"), "BP-COOKIE"),
        (in_text("README.md", "| BP-PROPAGATION-SS0 | Conforme | why |\n"), "BP-PROPAGATION-SS0"),
        (
            in_faults({"f": SimpleNamespace(requirement="BP-OTP", also_breaks=("BP-NOPE",))}),
            "BP-NOPE",
        ),
        (
            in_variants(
                {
                    "oidc": SimpleNamespace(
                        variants={"v": SimpleNamespace(requirement="EXI-WEB-X", also_breaks={})}
                    )
                }
            ),
            "EXI-WEB-X",
        ),
        (
            in_documented_verdicts({"oidc": {"statuses": {"Non conforme": {"BP-PROPAGATION"}}}}),
            "BP-PROPAGATION",
        ),
    ],
)
def test_an_id_the_catalog_lacks_is_named(problems: list[str], named: str) -> None:
    assert len(problems) == 1 and f" {named} n'est pas une exigence du catalogue" in problems[0]


def test_requirement_tags_names_an_id_the_catalog_lacks() -> None:
    assert requirement_tags({"web", "horloge", "EXI-WEB-ACCES"}) == ["EXI-WEB-ACCES"]
    with pytest.raises(UnknownRequirement, match="EXI-WEB-INACTIVTE"):
        requirement_tags({"web", "EXI-WEB-ACCES", "EXI-WEB-INACTIVTE"})
