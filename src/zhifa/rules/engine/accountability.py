"""Accountability for wrong enforcement (责任追究) and the tracing back of wrong decisions
(错案倒查): NA-interference (legal-rules.md §7; NA 33, JL 七). A rule of the record kind:
the platform keeps the matters (``zhifa.accountability``); this module holds what the
seeds say about them — the grounds that open a matter, the stages a matter traces back
to, the measures (forms of liability) the seeds name, and whether and what is published —
each with its citation, so that no page or service invents one.

What the seeds say, and nothing more:

- NA 33 (seed 001, item 33): "健全执法过错纠正和责任追究程序,实行错案责任倒查问责制".
- JL 七(一) (seed 003): the responsibility is divided along the stages of the work — "从发现
  违法线索、调查核实违法情况、承办人员提出具体建议、内部层级审核、法制审核以及作出行政执法决定"
  — which the trace-back follows (investigation, review, legal review, decision).
- JL 七(二): "有案必查、查实必究"; the persons concerned keep "陈述和申辩的权利" (hence the organ
  concerned sees its matters, see ``zhifa.accountability.policy``); units bear their
  "主体责任、监督责任" besides the persons' liability.
- CQ 六(三) (seed 002): "对于违法行政的执法人员必须进行过错追究，造成严重后果的应当对行政首长
  实行问责；对不适合继续从事执法工作的人员由政府法制机构吊销行政执法证件，并由所在行政执法机关
  将其调离执法岗位；违法行政给当事人造成损失的应当依法承担赔偿责任。执法过错责任追究结果应当向
  社会公开。" — the measures, and the publication of the result.
- JL 五(四): typical wrong acts are "通报曝光".
- JX 一 (seed 000, 权责统一): "对违法或者不当的执法行为，行政执法单位应当依法及时纠正".

Not found in the seeds, so not here: a catalogue of disciplinary sanctions (处分) with
their grades, a period for concluding a matter, and whether the names of the officers
held liable are published (CQ 六(三) publishes the "result"; the platform masks the
names, see ``zhifa.accountability.public``).
"""

from __future__ import annotations

from dataclasses import dataclass

from .catalogue import CQ, JL, JX, NA, Text
from .interference import INTERFERENCE

#: The rule the matters serve (legal-rules.md has no separate ID for accountability:
#: NA-interference carries "错案倒查", NA 33 and JL 七).
RULE = INTERFERENCE
RULE_ID = INTERFERENCE.id

RULE_TEXT = Text(
    zh=(
        "实行错案责任倒查问责制：决定被撤销或确认违法、案卷评查得0分或投诉查实的，倒查调查、审核、"
        "法制审核、决定各环节的责任人员，依法追究责任；执法过错责任追究结果应当向社会公开。"
    ),
    en=(
        "Wrong decisions are traced back to the responsible stage and persons (investigation, "
        "review, legal review, decision) and held accountable; the result of the "
        "accountability is made public."
    ),
)

#: Why a case is found wrong (the grounds that open a matter), with their citations.
REMEDY = "remedy"
COMPLAINT = "complaint"
EVALUATION = "evaluation"
GROUND_CITATIONS = {
    REMEDY: NA + "第33条；" + CQ + "六（三）",
    COMPLAINT: JL + "七（二）",
    EVALUATION: CQ + "六（二）；" + JL + "七（一）",
}
#: The results of a reconsideration or litigation (step ``remedy_filed``) that find the
#: decision wrong: revoked, or confirmed unlawful (CQ 六(三): "行政违法案件").
WRONG_REMEDY_RESULTS = frozenset({"revoked", "confirmed_unlawful"})


@dataclass(frozen=True)
class Stage:
    """A stage of the case the trace-back names (JL 七(一)), the steps of the case-file
    format that show it and the step fields naming its officers."""

    code: str
    steps: tuple[str, ...]
    officer_fields: tuple[str, ...]


#: The stages JL 七(一) divides responsibility along, as the case-file format records
#: them (case-file-format.md, Steps): who registered (approved the filing), who
#: investigated, who held the hearing, who reviewed (legal review), who discussed and
#: who decided (the organ's head approving the decision).
STAGES = (
    Stage("registration", ("registered",), ("by",)),
    Stage("investigation", ("investigation",), ("officers",)),
    Stage("hearing", ("hearing",), ("host",)),
    Stage("legal_review", ("legal_review",), ("reviewer",)),
    Stage("collective_discussion", ("collective_discussion",), ()),
    Stage("decision", ("decision", "decision_changed"), ("approved_by",)),
)
STAGE_CITATION = JL + "七（一）；" + NA + "第33条"


@dataclass(frozen=True)
class Measure:
    code: str
    text: Text
    citation: str


#: The measures (forms of liability) the seeds name for a matter found substantiated.
MEASURES = (
    Measure(
        "fault_accountability",
        Text(zh="对执法人员进行过错追究", en="Fault accountability of the officers"),
        CQ + "六（三）",
    ),
    Measure(
        "head_accountability",
        Text(
            zh="对行政首长实行问责（造成严重后果的）",
            en="Accountability of the organ's head (serious consequences)",
        ),
        CQ + "六（三）",
    ),
    Measure(
        "certificate_revoked",
        Text(
            zh="由政府法制机构吊销行政执法证件",
            en="Enforcement certificate revoked by the government's legal office",
        ),
        CQ + "六（三）",
    ),
    Measure(
        "removed_from_post",
        Text(zh="调离执法岗位", en="Removed from enforcement posts"),
        CQ + "六（三）",
    ),
    Measure(
        "compensation",
        Text(
            zh="依法承担赔偿责任（给当事人造成损失的）",
            en="Compensation under the law (loss caused to the party)",
        ),
        CQ + "六（三）；" + JX + "一",
    ),
    Measure(
        "unit_responsibility",
        Text(
            zh="追究相关单位的主体责任、监督责任",
            en="The units' principal and supervisory responsibility pursued",
        ),
        JL + "七（二）",
    ),
    Measure(
        "public_notice",
        Text(zh="通报曝光", en="Named in a public notice (通报曝光)"),
        JL + "五（四）",
    ),
    Measure(
        "corrected",
        Text(zh="依法纠正违法或者不当的执法行为", en="The wrong act corrected under the law"),
        JX + "一",
    ),
)
MEASURE_CODES = frozenset(m.code for m in MEASURES)
BY_CODE = {m.code: m for m in MEASURES}

#: CQ 六(三): "执法过错责任追究结果应当向社会公开" — a concluded matter is published.
PUBLICATION_CITATION = CQ + "六（三）"
#: JL 七(二): the persons concerned may state their case and defend themselves.
DEFENCE_CITATION = JL + "七（二）"
