"""The Django stack's SPICO application as the launcher starts it: its settings given on the
command line (``--django NAME=VALUE``), …"""

from __future__ import annotations

import ast
import re

_NAME = re.compile(r"[A-Z][A-Z0-9_]*")


def check_setting(text: str) -> tuple[str, object]:
    """``NAME=VALUE`` → (NAME, value): any Django setting, its value read as a Python
    literal. Raises ValueError (French) for anything else."""
    name, sep, raw = text.partition("=")
    name = name.strip()
    if not sep:
        raise ValueError("attendu RÉGLAGE=VALEUR (valeur en littéral Python : 7200, True, 'Lax')")
    if not _NAME.fullmatch(name):
        raise ValueError("un réglage Django s'écrit en majuscules (SESSION_COOKIE_AGE)")
    try:
        return name, ast.literal_eval(raw.strip())
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        raise ValueError(
            "la valeur n'est pas un littéral Python (nombre, chaîne entre guillemets, True,"
            " False, None, liste, dictionnaire)"
        ) from None
