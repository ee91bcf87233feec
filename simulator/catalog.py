"""Fixed vocabularies of the patient list (the guide's screenshot): filters and columns."""

THEMES = (
    "Parcours ICOPE",
    "Médical",
    "Parcours enfance",
    "Soins palliatifs",
    "Santé mentale",
    "Handicap",
)
STRUCTURES = ("DAC 81", "DAC 31", "CPTS Albigeois", "CPTS Toulouse Nord", "MSP Castres", "HAD 34")
STATUSES = ("Actif", "En attente", "Clôturé")
SEXES = ("H", "F")


def names_in(mask: int, names: tuple[str, ...] | list[str]) -> list[str]:
    """The names whose bit is set in ``mask``."""
    return [name for i, name in enumerate(names) if mask >> i & 1]


def bit_of(name: str, names: tuple[str, ...] | list[str]) -> int | None:
    return 1 << names.index(name) if name in names else None
