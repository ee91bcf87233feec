"""Durations in French, as features and target profiles write them."""

from __future__ import annotations

import pytest

from fixtures.durations import format_duration, parse_duration


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("2 heures et 1 seconde", 7201),
        ("1 heure 59 minutes", 7140),
        ("11 minutes", 660),
        ("1 minute 30 secondes", 90),
    ],
)
def test_a_duration_reads_and_writes_back(text: str, seconds: int) -> None:
    assert parse_duration(text) == seconds
    assert parse_duration(format_duration(seconds)) == seconds


@pytest.mark.parametrize("text", ["10 min", "2h", "deux heures", "2 heures et demie", ""])
def test_an_unreadable_duration_says_so(text: str) -> None:
    with pytest.raises(ValueError, match="durée illisible"):
        parse_duration(text)
