"""Which cycle a turn is about, and its deadlines, from the annual wheel.

A new needs report belongs to the cycle whose partnership deadline is next; the
coordinator's overview belongs to the cycle whose compiled report is due next (between
15 December and 10 January that is still the cycle just closed for partnerships).
"""

from __future__ import annotations

from datetime import date, datetime, time

from domain.clock import Clock
from domain.needs.catalog import CycleRules, SchemeCatalog
from domain.norsk import OSLO
from domain.wheel.due import current_cycle
from domain.wheel.loader import WheelSource

PARTNERSHIPS = "behovsmelding"
NETWORKS = "sammenstilt_behovsmelding"


class Cycles:
    """The wheel's cycles for the flows; also the needs service's `Calendar`."""

    def __init__(self, wheel: WheelSource, clock: Clock, schemes: SchemeCatalog) -> None:
        self._wheel = wheel
        self._clock = clock
        self._schemes = schemes

    def now(self) -> datetime:
        return self._clock.now()

    def _rules(self, cycle_id: str | None) -> CycleRules:
        return (self._schemes.cycle(cycle_id) if cycle_id else None) or self._schemes.cycles[0]

    def rules(self, cycle_id: str) -> CycleRules:
        """The settings of a cycle a stored report names (the newest if it is unknown)."""
        return self._rules(cycle_id)

    def for_reports(self) -> CycleRules:
        return self._rules(current_cycle(self._wheel.wheel, self.now().date()).id)

    def for_coordinators(self) -> CycleRules:
        wheel = self._wheel.wheel
        today = self.now().date()
        upcoming = [(event.last_day, cycle.id) for cycle in wheel.cycles
                    if (event := cycle.deadline(NETWORKS)) and event.last_day >= today
                    and self._schemes.cycle(cycle.id)]
        return self._rules(min(upcoming)[1] if upcoming else current_cycle(wheel, today).id)

    def deadline(self, cycle_id: str, kind: str = PARTNERSHIPS) -> date | None:
        cycle = next((c for c in self._wheel.wheel.cycles if c.id == cycle_id), None)
        event = cycle.deadline(kind) if cycle else None
        return event.start if event else None

    def network_deadline(self, cycle_id: str) -> date | None:
        """The networks' deadline for the compiled needs report in a cycle."""
        return self.deadline(cycle_id, NETWORKS)

    def deadline_end(self, cycle_id: str) -> datetime | None:
        """The partnerships' deadline as the last second of its day, Oslo time."""
        day = self.deadline(cycle_id)
        return datetime.combine(day, time(23, 59, 59), OSLO) if day else None
