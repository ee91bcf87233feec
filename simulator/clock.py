"""The one clock every time-dependent decision of the simulator reads.

In test mode the control API moves it forward, so a test can cross a 2-hour
inactivity boundary in milliseconds. It never goes backwards.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime


class Clock:
    """Real time plus an offset that only grows."""

    def __init__(self, offset: float = 0.0) -> None:
        self._offset = offset

    def timestamp(self) -> float:
        return time.time() + self._offset

    def now(self) -> datetime:
        return datetime.fromtimestamp(self.timestamp(), UTC)

    @property
    def offset(self) -> float:
        return self._offset

    def advance(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError("le temps ne recule pas")
        self._offset += seconds
