"""Section 2 of legal-rules.md: registration and investigation (立案与调查)."""

import datetime as dt
from collections.abc import Iterator

from ..casefile import Step
from ..catalogue import (
    ACL,
    ACL_FROM,
    APL,
    APL_FROM,
    JX,
    NA,
    Context,
    DeadlineItem,
    Item,
    error,
    iso,
    rule,
    warning,
)
from ..workdays import add_years

INVESTIGATION_ACTS = ("investigation", "preservation", "seizure", "decision")
APL_2021 = dt.date.fromisoformat(APL_FROM)
APL_2017 = APL + "（2017年修正）"


@rule(
    "APL-54-register",
    "block",
    APL + "第五十四条",
    "A case is registered before investigation acts (summary cases: APL-52-summary-filing).",
    APL_FROM,
    reads=("investigation", "preservation", "seizure", "decision"),
    procedures=("general",),
)
def register(ctx: Context) -> Iterator[Item]:
    # A summary (on-the-spot) decision is not registered (立案) but filed (备案) with the
    # organ: APL-52-summary-filing, which replaces the "register afterwards" warning.
    if not ctx.general:
        return
    act = _first(ctx, INVESTIGATION_ACTS)
    registered = _first(ctx, ("registered",))
    if act is None or (registered is not None and registered[0] < act[0] and ctx.in_date_order):
        # every act comes after a registration dated on or before it (nearly every file)
        return
    first: dt.date | None = None  # the earliest registration before the step
    for i, step in enumerate(ctx.steps):
        if step.step in INVESTIGATION_ACTS and (first is None or first > step.on):
            yield error(
                "APL-54-register",
                i,
                "普通程序案件在立案登记之前实施了调查取证或作出决定。",
                "In the general procedure this act came before the case was registered.",
            )
        elif step.step == "registered" and (first is None or step.on < first):
            first = step.on


@rule(
    "APL-52-summary-filing",
    "warning",
    APL + "第五十二条",
    "A summary-procedure decision is filed (备案) with the organ, not registered (立案).",
    APL_FROM,
    reads=("decision",),
    procedures=("summary",),
)
def summary_filing(ctx: Context) -> Iterator[Item]:
    """APL 52(3): 执法人员当场作出的行政处罚决定，应当报所属行政机关备案. Format v1 has no
    filing step: the organ's record of the decision (a ``registered`` step in a summary
    case) is read as the filing. The sector's period for filing is not judged."""
    if not ctx.summary or ctx.by_kind["registered"]:
        return
    for i, _step in ctx.penalty_decisions:
        yield warning(
            "APL-52-summary-filing",
            i,
            "当场作出的行政处罚决定应当报所属行政机关备案（备案，不是立案），案卷中没有备案记录。",
            "A penalty decided on the spot must be filed with the officers' organ (filing, "
            "not registration); the file shows no filing.",
        )


@rule(
    "APL-36-limitation",
    "block",
    APL + "第三十六条",
    "No penalty when the violation was not discovered within 2 (or 5) years.",
    APL_FROM,
    reads=("decision",),
)
def limitation(ctx: Context) -> Iterator[Item]:
    violation = ctx.case.violation
    if violation is None:
        return
    start = violation.ended_on or violation.occurred_on
    if start < APL_2021:
        return  # the law at the time of the act: APL-36-old-law (APL 37)
    for i, step in ctx.penalty_decisions:
        name = (
            "limitation_years_life_health_finance"
            if violation.life_health_or_finance_with_harm
            else "limitation_years"
        )
        years = ctx.params.integer(name, step.on)
        last = add_years(start, years)
        if violation.discovered_on > last:
            yield error(
                "APL-36-limitation",
                i,
                f"违法行为自{iso(start)}起{years}年内（至{iso(last)}）未被发现，"
                f"{iso(violation.discovered_on)}才发现，不再给予行政处罚。",
                f"The violation (from {iso(start)}) was not discovered within {years} "
                f"years (by {iso(last)}) but on {iso(violation.discovered_on)}; "
                "no penalty may be imposed.",
            )


@rule(
    "APL-36-old-law",
    "block",
    APL + "第三十七条；" + APL_2017 + "第二十九条",
    "Conduct that ended before 2021-07-15: the former APL's two years (APL 37).",
    "1996-10-01",
    reads=("decision",),
)
def limitation_old_law(ctx: Context) -> Iterator[Item]:
    """APL 37: the law at the time of the act applies unless the new one is lighter. For
    limitation the 2021 law is never lighter (2 years, or 5 for life/health or financial
    security with harm), so conduct that ended before 2021-07-15 keeps the two years of
    the former APL (1996, 2009 and 2017 texts alike: Art. 29), also in the five-year case."""
    violation = ctx.case.violation
    if violation is None:
        return
    end = violation.ended_on or violation.occurred_on
    if end >= APL_2021:
        return  # APL-36-limitation
    years = ctx.params.integer("limitation_years_apl_2017", end)
    last = add_years(end, years)
    if violation.discovered_on <= last:
        return
    verb_zh, verb_en = ("终了", "ended") if violation.ended_on else ("发生", "occurred")
    five_zh = five_en = ""
    if violation.life_health_or_finance_with_harm:
        five_zh = "修订后第三十六条的五年期限较重，不适用于修订施行前终了的行为；"
        five_en = (
            "the five years of the 2021 Art. 36 are heavier and do not apply to conduct "
            "that ended before 2021-07-15; "
        )
    for i, step in ctx.penalty_decisions:
        yield error(
            "APL-36-old-law",
            i,
            f"违法行为于{iso(end)}{verb_zh}，在2021年修订的行政处罚法施行之前，依照第三十七条"
            f"适用修订前行政处罚法第二十九条规定的二年期限（至{iso(last)}）；{five_zh}"
            f"{iso(violation.discovered_on)}才发现，不再给予行政处罚。",
            f"The conduct {verb_en} on {iso(end)}, before the 2021 APL took effect: by "
            f"APL 37 the {years} years of Art. 29 of the former APL apply (until "
            f"{iso(last)}); {five_en}it was discovered only on "
            f"{iso(violation.discovered_on)}, so no penalty may be imposed.",
            citation=None if step.on >= APL_2021 else APL_2017 + "第二十九条",
        )


@rule(
    "APL-40-facts",
    "block",
    APL + "第四十条",
    "No penalty when facts are unclear or evidence insufficient.",
    APL_FROM,
    reads=("decision",),
    procedures=("general",),
)
def facts(ctx: Context) -> Iterator[Item]:
    if not ctx.general:
        return
    for i, _step in ctx.penalty_decisions:
        if not ctx.evidence(i):
            yield error(
                "APL-40-facts",
                i,
                "作出处罚决定前没有记录任何证据，事实不清、证据不足的不得给予行政处罚。",
                "No evidence was recorded before the penalty decision; no penalty without "
                "clear facts and sufficient evidence.",
            )


@rule(
    "JX-evidence-beyond-statement",
    "block",
    JX + "三（二）",
    "A party's own statement alone cannot establish the facts.",
    None,
    local=("JX", "NA"),
    reads=("decision",),
)
def beyond_statement(ctx: Context) -> Iterator[Item]:
    """Local rule (JX 三（二）, NA 13): only where one of them binds the case; the
    finding cites the source that does (JX first)."""
    for i, step in ctx.penalty_decisions:
        evidence = ctx.evidence(i)
        if len(evidence) == 1 and "party_statement" in evidence:  # == {"party_statement"}
            binding = ctx.local("JX", "NA", on=step.on)
            yield error(
                "JX-evidence-beyond-statement",
                i,
                "仅有当事人陈述而无其他证据证明的，不能定案。",
                "Only the party's own statement supports the facts; at least one other kind "
                "of evidence is required.",
                citation=None if not binding or binding[0] == "JX" else NA + "第13条",
            )


@rule(
    "APL-56-preservation",
    "deadline",
    APL + "第五十六条",
    "Preserved evidence is dealt with by a decision within 7 working days.",
    APL_FROM,
    reads=("preservation",),
)
def preservation(ctx: Context) -> Iterator[Item]:
    for i, step in ctx.by_kind["preservation"]:
        days = ctx.params.integer("preservation_working_days", step.on)
        done = ctx.first_after(i, "preservation_decided")
        yield DeadlineItem(
            "APL-56-preservation",
            step.on,
            ctx.calendar.add_working_days(step.on, days),
            None if done is None else done[1].on,
        )


@rule(
    "ACL-25-seizure",
    "deadline",
    ACL + "第二十五条",
    "Seizure lasts at most 30 days; one extension of at most 30 days, approved.",
    ACL_FROM,
    reads=("seizure",),
)
def seizure(ctx: Context) -> Iterator[Item]:
    seizures = ctx.by_kind["seizure"]
    for n, (i, step) in enumerate(seizures):
        limit = ctx.params.integer("seizure_max_days", step.on)
        days = step.days if step.days is not None else limit
        if days > limit:
            yield error(
                "ACL-25-seizure",
                i,
                f"查封、扣押期限定为{days}日，超过法定的{limit}日。",
                f"The seizure period is set at {days} days, more than the {limit} allowed.",
            )
        end = seizures[n + 1][0] if n + 1 < len(seizures) else len(ctx.steps)
        extensions = ctx.between(i, end, "seizure_extended")
        # The lawful period: at most 30 days, plus the first approved extension of at most
        # 30 days (ACL 25). Days declared beyond that, further extensions and unapproved
        # ones do not lengthen it (they are reported as errors below).
        lawful = min(days, limit)
        extra = 0
        counted = False
        for k, (j, ext) in enumerate(extensions):
            ext_limit = ctx.params.integer("seizure_max_days", ext.on)
            ext_days = ext.days if ext.days is not None else ext_limit
            if ext.approved_by and not counted:
                extra, counted = min(ext_days, ext_limit), True
            if k > 0:
                yield error(
                    "ACL-25-seizure",
                    j,
                    "查封、扣押期限只能延长一次。",
                    "A seizure may be extended only once.",
                )
            if ext_days > ext_limit:
                yield error(
                    "ACL-25-seizure",
                    j,
                    f"延长期限{ext_days}日，超过法定的{ext_limit}日。",
                    f"The extension of {ext_days} days is more than the {ext_limit} allowed.",
                )
            if not ext.approved_by:
                yield error(
                    "ACL-25-seizure",
                    j,
                    "延长查封、扣押期限未记录行政机关负责人批准。",
                    "The extension does not record the organ head's approval.",
                )
        ended = ctx.between(i, end, "seizure_ended")
        yield DeadlineItem(
            "ACL-25-seizure",
            step.on,
            ctx.calendar.add_calendar_days(step.on, lawful + extra),
            ended[0][1].on if ended else None,
        )


@rule(
    "ACL-18-approval",
    "block",
    ACL + "第十八条、第二十五条",
    "A seizure and its extension are approved by the organ head.",
    ACL_FROM,
    reads=("seizure", "seizure_extended"),
)
def coercive_approval(ctx: Context) -> Iterator[Item]:
    """ACL 18(一): a coercive measure is reported to the organ head and approved before
    it is taken; ACL 25: its extension is approved by the organ head. A seizure without
    an approver, or approved by an officer the file says is not a head of the organ
    (``organ_head`` false), is refused. A missing approval of an extension is
    ACL-25-seizure's. Not judged when the file does not say (``organ_head`` absent)."""
    for i, step in ctx.indexed("seizure", "seizure_extended"):
        if step.approved_by is None:
            if step.step == "seizure":
                yield error(
                    "ACL-18-approval",
                    i,
                    "查封、扣押未记录行政机关负责人批准。",
                    "The seizure does not record the organ head's approval.",
                )
            continue
        officer = ctx.case.officer(step.approved_by)
        if officer is not None and officer.organ_head is False:
            what_zh = "延长查封、扣押期限" if step.step == "seizure_extended" else "查封、扣押"
            what_en = "extension of the seizure" if step.step == "seizure_extended" else "seizure"
            yield error(
                "ACL-18-approval",
                i,
                f"批准{what_zh}的{officer.name}不是行政机关负责人。",
                f"The {what_en} was approved by {officer.name}, who is not a head of the organ.",
            )


#: 《市场监督管理行政处罚程序规定》 (总局令第2号, in force 2019-04-01; amended 2021, 2022):
#: Art. 18 — 15 working days from discovering the lead to decide whether to register,
#: extendable by 15 with the head's approval; Art. 19/20 — 立案审批表 / 不予立案审批表.
SAMR_PROCEDURE = "《市场监督管理行政处罚程序规定》"
SAMR_FROM = "2019-04-01"
#: Steps that end a case source: registered (立案) or refused (不予立案).
REGISTRATION_DECISIONS = ("registered", "registration_refused")


def _first(ctx: Context, kinds: tuple[str, ...]) -> tuple[int, Step] | None:
    """The first step of any of ``kinds`` with its index (None when there is none)."""
    by_kind = ctx.by_kind
    first: tuple[int, Step] | None = None
    for kind in kinds:
        pairs = by_kind[kind]
        if pairs and (first is None or pairs[0][0] < first[0]):
            first = pairs[0]
    return first


def _first_on(ctx: Context, kinds: tuple[str, ...]) -> dt.date | None:
    """The day of the first step of any of ``kinds`` (None when there is none)."""
    first = _first(ctx, kinds)
    return None if first is None else first[1].on


@rule(
    "REG-decision",
    "deadline",
    APL + "第五十四条；" + SAMR_PROCEDURE + "第十八条、第二十条",
    "A case source is registered or refused, approved by the head, within the sector's period.",
    SAMR_FROM,
    procedures=("general",),
)
def registration_decision(ctx: Context) -> Iterator[Item]:
    """General procedure: the registration or its refusal (不予立案, with reasons,
    approved by the organ head) within ``registration_working_days`` (+ an approved
    extension) from discovery; nothing follows a refusal, and a registered case is not
    refused afterwards."""
    if not ctx.general:
        return
    violation = ctx.case.violation
    if violation is not None:
        start = violation.discovered_on
        days = ctx.params.integer("registration_working_days", start) + ctx.params.integer(
            "registration_extension_working_days", start
        )
        yield DeadlineItem(
            "REG-decision",
            start,
            ctx.calendar.add_working_days(start, days),
            _first_on(ctx, REGISTRATION_DECISIONS),
        )
    for i, step in ctx.by_kind["registration_refused"]:
        if not step.approved_by:
            yield error(
                "REG-decision",
                i,
                "不予立案未记录行政机关负责人批准（不予立案审批表）。",
                "The refusal to register does not record the organ head's approval.",
            )
        if ctx.before(i, "registered"):
            yield error(
                "REG-decision",
                i,
                "案件已经立案，不能再作出不予立案决定。",
                "The case is registered already; it cannot be refused registration.",
            )
    refusals = ctx.by_kind["registration_refused"]
    if refusals:
        first = refusals[0][0]
        for i in range(first + 1, len(ctx.steps)):
            if ctx.steps[i].step == "registration_refused":
                continue
            yield error(
                "REG-decision",
                i,
                "该案件线索已决定不予立案，不能再进行后续步骤。",
                "The case source was refused registration; no further step may follow.",
            )
