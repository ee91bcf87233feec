"""The French command line of the project's programs (the simulator, the real stack): every
problem of a command line found before anything starts, one French line each, and the
product's "usage" exit status; argparse's own errors in French too."""

from __future__ import annotations

import argparse
import re
from collections.abc import Callable
from typing import NoReturn, TypeVar

#: The product's "usage" exit status: pytest's UsageError, which spico-audit exits with too.
USAGE_STATUS = 4
HIGHEST_PORT = 65535
#: argparse's own errors (Python 3.11's wording), in French.
_ARGPARSE_ERRORS = (
    (re.compile(r"argument (\S+): expected one argument"), "l'option {0} attend une valeur"),
    (
        re.compile(r"argument (\S+): ignored explicit argument '(.*)'"),
        "l'option {0} ne prend pas de valeur (« {1} »)",
    ),
    (re.compile(r"ambiguous option: (\S+) could match (.*)"), "l'option {0} est ambiguë ({1})"),
)

T = TypeVar("T")


class UsageError(Exception):
    """A command line refused: every problem found, one French line each."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


class FrenchParser(argparse.ArgumentParser):
    """argparse whose own errors (a missing value, an ambiguous option) are raised as one
    French line rather than printed in English with exit status 2."""

    def error(self, message: str) -> NoReturn:
        for pattern, french in _ARGPARSE_ERRORS:
            match = pattern.fullmatch(message)
            if match:
                raise UsageError([french.format(*(shown(g) for g in match.groups()))])
        raise UsageError([f"ligne de commande invalide : {shown(message)}"])


def shown(text: str) -> str:
    """``text`` on one line, control characters escaped, at most 200 characters."""
    line = "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)
    return line if len(line) <= 200 else line[:199] + "…"


def checked(
    problems: list[str], option: str, text: str | None, convert: Callable[[str], T]
) -> T | None:
    """``convert(text)``, None for an option not given; None too, with the problem noted,
    when ``convert`` raises ValueError (in French)."""
    if text is None:
        return None
    try:
        return convert(text)
    except ValueError as exc:
        problems.append(f"{option} « {shown(text)} » : {exc}")
        return None


def spaced(number: int) -> str:
    """1000000 as « 1 000 000 »."""
    return f"{number:,}".replace(",", " ")


def integer(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise ValueError("attendu un nombre entier") from None


def whole(low: int, high: int, why: str = "") -> Callable[[str], int]:
    """A converter to a whole number from ``low`` to ``high``; ``why`` says it otherwise."""

    def convert(text: str) -> int:
        value = integer(text)
        if not low <= value <= high:
            raise ValueError(why or f"attendu entre {spaced(low)} et {spaced(high)}")
        return value

    return convert


def plain(text: str) -> bool:
    """No space, no control character: what an address or a token is made of."""
    return text.isprintable() and not any(c.isspace() for c in text)


def unexpected(extras: list[str]) -> list[str]:
    """What argparse did not recognise, one line each."""
    return [
        f"option inconnue « {shown(extra)} »"
        if extra.startswith("-")
        else f"argument inattendu « {shown(extra)} »"
        for extra in extras
    ]
