"""SUP-notice (legal-rules.md §9): a supervision notice's reply is due by its
rectification deadline — pure Python, no database.

The rule: "A supervision notice (执法监督通知书 / 建议书) to an organ sets a rectification
deadline; the organ's written reply is due by then." Cited: JL 五 (大力推动行政执法监督:
"进一步明确监督的主体、方式、权限、程序等内容"; "发现、纠正和追究违法或不当行政执法行为的制度和
机制") and CQ 六 (突出责任追究，强化监督制约: "各级政府法制机构应当对行政执法责任制工作加强统筹协调
和监督检查").

Neither source sets a period. The deadline is the supervisor's: the notice states it,
and the rule only says that the reply is due by it (``reply_due``: the deadline itself,
on or before it, like every "within" of the catalogue). The engine never proposes one.

How the platform reads the rule (docs/rules.md, "SUP-notice"):

- The reply is **due** on the notice's rectification deadline. A reply submitted after
  that day is **late** (``is_late``); it is still received, and the notice keeps the fact.
- A notice not answered (no reply submitted, or the last one returned with reasons and
  not yet answered again) is a deadline of the organ, read with SUP-warning's levels
  (``supervision.deadline_level``): **red** when the deadline passed, **yellow** when it
  falls within N working days, none otherwise. A returned reply does not stop the clock:
  the deadline stays the one the notice set.
- A notice answered (a reply awaiting the supervisor, or accepted) gives no warning.
"""

from __future__ import annotations

import datetime as dt

from .catalogue import CQ, JL
from .statistics import OrganRule
from .supervision import Horizon, Level, deadline_level

RULE_ID = "SUP-notice"

SUP_NOTICE = OrganRule(
    RULE_ID,
    "deadline",
    JL + "五；" + CQ + "六",
    "A supervision notice to an organ sets a rectification deadline; the organ's written "
    "reply is due by then.",
)


def reply_due(deadline: dt.date) -> dt.date:
    """The day the organ's written reply is due: the rectification deadline itself."""
    return deadline


def is_late(deadline: dt.date, replied_on: dt.date) -> bool:
    """Whether a reply submitted on ``replied_on`` came after it was due."""
    return replied_on > reply_due(deadline)


def notice_level(deadline: dt.date, answered_on: dt.date | None, window: Horizon) -> Level | None:
    """The warning a notice gives on ``window.today``: ``answered_on`` is the day of the
    reply that stands (awaiting the supervisor or accepted), ``None`` while the notice
    waits for one (never answered, or the last reply returned)."""
    return deadline_level(RULE_ID, reply_due(deadline), answered_on, window)
