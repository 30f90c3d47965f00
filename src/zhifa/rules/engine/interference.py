"""NA-interference (legal-rules.md §7): interference by internal personnel in a case is
recorded, reported and held accountable (NA 33; JL 七). A rule of the record kind, not
a unit of the case audit: the case-file format (case-file-format.md) has no field for
an interference record, so the engine cannot judge it from a case file. The platform
keeps the records (``zhifa.supervision``); this module holds the rule's ID, citation and
the sentences the pages show, in both languages of the product.

NA 33 (seed 001, item 33, 健全行政执法责任追究制度) reads: "行政执法机关要全面实行行政执法
机关内部人员干预、插手案件办理的记录、通报和责任追究制度". It names internal personnel; the
platform records interference by anyone (an internal leader, another organ, an outsider)
and says which it was, so that the internal ones NA 33 names can be counted apart.
JL 七 (seed 003, 切实加强行政执法责任追究) asks for the accountability and the tracing back
of wrong decisions (责任倒查) that the records serve.
"""

from __future__ import annotations

from .catalogue import JL, NA, Text
from .statistics import OrganRule

RULE_ID = "NA-interference"

INTERFERENCE = OrganRule(
    RULE_ID,
    "record",
    NA + "第33条；" + JL + "七",
    "Interference by internal personnel in a case is recorded, reported and held "
    "accountable; wrong decisions are traced back to the responsible stage (错案倒查).",
)

#: What the pages say the rule asks (the catalogue's sentence, in both languages).
RULE_TEXT = Text(
    zh="行政执法机关内部人员干预、插手案件办理的，应当记录、通报并追究责任；实行错案责任倒查问责制。",
    en=(
        "Interference by internal personnel in handling a case is recorded, reported and "
        "held accountable; wrong decisions are traced back to the responsible stage."
    ),
)

#: The sources the interfering person may come from (``internal_*``: the personnel NA 33
#: names; the others are recorded too, and counted apart).
INTERNAL_SOURCES = frozenset({"internal_leader", "internal_staff"})
