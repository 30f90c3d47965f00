"""The party's remedy periods against the decision (REMEDY-periods), as facts a page can
show: the last day for reconsideration and for litigation, counted by the same unit code
the audit uses (``units.execution.remedy_periods``) from the day service of the last
penalty decision took effect (CPL-95-public-notice). The audit does not list them as
deadlines (they are the party's periods, computed for ACL-53-court-deadline)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .catalogue import Context
from .parameters import ParameterError
from .units.execution import remedy_periods, served_decision, service_effective
from .workdays import Counted


@dataclass(frozen=True)
class RemedyFacts:
    """``served_on``: the day the decision was served; ``effective_on``: the day service
    took effect; ``reconsideration`` (ARL 20) and ``litigation`` (ALitL 46): the last
    days, with the years counted without an official schedule."""

    served_on: dt.date
    effective_on: dt.date
    reconsideration: Counted
    litigation: Counted


def facts_of(ctx: Context) -> RemedyFacts | None:
    """The remedy periods of the last penalty decision of the audit's context; None when
    it was not served, or a parameter has no value for the service date."""
    found = served_decision(ctx)
    if found is None:
        return None
    _k, decision, _s, served = found
    try:
        effective = service_effective(ctx, served)
        reconsideration, litigation = remedy_periods(ctx, effective.due, decision)
    except ParameterError:
        return None
    return RemedyFacts(served.on, effective.due, reconsideration, litigation)
