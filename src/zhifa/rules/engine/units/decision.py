"""Section 4 of legal-rules.md: review and decision (审核与决定)."""

from collections.abc import Iterator

from ..casefile import Basis, Step, penalty_type
from ..catalogue import (
    APL,
    APL_FROM,
    CQ,
    GB118,
    JX,
    Context,
    DeadlineItem,
    Item,
    error,
    rule,
    warning,
)
from ._util import age_on, names, names_en, yuan
from .notice import PENALTY_ZH

ELEMENTS_ZH = {
    "party": "当事人的姓名或者名称、地址",
    "facts_evidence": "违法事实和证据",
    "type_basis": "处罚种类和依据",
    "performance": "履行方式和期限",
    "remedies": "申请行政复议、提起行政诉讼的途径和期限",
    "organ_date": "行政机关名称和作出决定的日期",
    "seal": "行政机关印章",
}
LIGHTER = ("lighter", "mitigated", "no_penalty")
#: The legal review checklist item that, marked as a problem, means a suspected crime.
CRIME_ITEM = "crime"
MITIGATING_ZH = {
    "eliminated_harm": "主动消除或者减轻违法行为危害后果",
    "coerced": "受他人胁迫或者诱骗",
    "confessed_unknown": "主动供述行政机关尚未掌握的违法行为",
    "meritorious": "配合查处违法行为有立功表现",
}


@rule(
    "APL-58-legal-review",
    "block",
    APL + "第五十八条",
    "Legal review is passed before the decision where the law or local policy requires it.",
    APL_FROM,
    reads=("decision",),
    procedures=("general",),
)
def legal_review(ctx: Context) -> Iterator[Item]:
    if not ctx.general:
        return
    violation = ctx.case.violation
    for i, step in ctx.penalty_decisions:
        reasons = []
        # JX 四（一）: every decision is reviewed where JX binds the case (its area, or a
        # region that adopted it); settings.review_all_decisions turns the same policy on
        # for a region with its own rule to that effect.
        local_all = bool(ctx.local("JX", on=step.on))
        if local_all or ctx.params.flag("review_all_decisions", step.on):
            reasons.append(("本地规定所有处罚决定均须法制审核", "local policy: every decision"))
        if violation is not None and violation.major_public_interest:
            reasons.append(("涉及重大公共利益", "major public interest"))
        if ctx.before(i, "hearing"):
            reasons.append(("经过听证程序", "a hearing was held"))
        if violation is not None and violation.complex:
            reasons.append(("案件情况疑难复杂", "complex case"))
        if violation is not None and violation.in_review_catalogue:
            reasons.append(("属于重大执法决定法制审核目录", "in the review catalogue"))
        if not reasons:
            continue
        reviews = ctx.before(i, "legal_review")
        if reviews and reviews[-1][1].result == "passed":
            continue
        state_zh = "未经法制审核" if not reviews else "法制审核未通过"
        state_en = "was not reviewed" if not reviews else "did not pass legal review"
        yield error(
            "APL-58-legal-review",
            i,
            f"本案应当进行法制审核（{'；'.join([r[0] for r in reasons])}），处罚决定{state_zh}。",
            f"Legal review is required ({'; '.join([r[1] for r in reasons])}) but the "
            f"decision {state_en}.",
            citation=APL + "第五十八条；" + JX + "四（一）" if local_all else None,
        )


@rule(
    "APL-58-reviewer",
    "block",
    APL + "第五十八条",
    "A first-time legal reviewer holds the national legal professional qualification.",
    APL_FROM,
    reads=("legal_review",),
)
def reviewer(ctx: Context) -> Iterator[Item]:
    for i, step in ctx.by_kind["legal_review"]:
        officer = ctx.case.officer(step.reviewer) if step.reviewer else None
        if officer and officer.first_time_reviewer and not officer.legal_qualification:
            yield error(
                "APL-58-reviewer",
                i,
                f"初次从事法制审核的{officer.name}未取得法律职业资格。",
                f"{officer.name} reviews for the first time without the national legal "
                "professional qualification.",
            )


def _major(ctx: Context, step: Step) -> bool:
    violation = ctx.case.violation
    if violation is not None and violation.complex:
        return True
    return ctx.params.flag(
        "collective_on_hearing_right_penalty", step.on
    ) and ctx.carries_hearing_right(step.penalties, step.on)


@rule(
    "APL-57-collective",
    "block",
    APL + "第五十七条",
    "Complex or major violations are decided by collective discussion of the heads.",
    APL_FROM,
    reads=("decision",),
    procedures=("general",),
)
def collective(ctx: Context) -> Iterator[Item]:
    if not ctx.general:
        return
    for i, step in ctx.penalty_decisions:
        if _major(ctx, step) and not ctx.before(i, "collective_discussion"):
            yield error(
                "APL-57-collective",
                i,
                "情节复杂或者重大违法行为给予行政处罚，未经行政机关负责人集体讨论决定。",
                "A complex or major violation was decided without collective discussion "
                "of the organ's heads.",
            )


@rule(
    "APL-60-decision-deadline",
    "deadline",
    APL + "第六十条",
    "The decision is made within 90 calendar days of registration.",
    APL_FROM,
    reads=("registered",),
    procedures=("general",),
)
def decision_deadline(ctx: Context) -> Iterator[Item]:
    if not ctx.general:
        return
    registrations = ctx.by_kind["registered"]
    if not registrations:
        return
    r, registered = registrations[0]
    # APL 60: the granted extension and the excluded periods (the case clock suspended,
    # legal-rules.md: "configurable excluded periods") both lengthen the period.
    days = (
        ctx.params.integer("decision_days", registered.on)
        + ctx.params.integer("decision_extension_days", registered.on)
        + ctx.params.integer("decision_excluded_days", registered.on)
    )
    decided = ctx.first_after(r, "decision")
    yield DeadlineItem(
        "APL-60-decision-deadline",
        registered.on,
        ctx.calendar.add_calendar_days(registered.on, days),
        None if decided is None else decided[1].on,
    )


@rule(
    "APL-51-summary",
    "block",
    APL + "第五十一条",
    "The summary procedure only for a warning or a small fine.",
    APL_FROM,
    reads=("decision",),
    procedures=("summary",),
)
def summary(ctx: Context) -> Iterator[Item]:
    if not ctx.summary:
        return
    organisation = ctx.case.party.type == "organisation"
    for i, step in ctx.penalty_decisions:
        cap = ctx.params.number(
            "summary_fine_max_organisation" if organisation else "summary_fine_max_individual",
            step.on,
        )
        other = sorted({p.type for p in step.penalties} - {"warning", "fine"})
        fine = step.fine_total()
        if other:
            yield error(
                "APL-51-summary",
                i,
                "当场处罚只能给予警告或者小额罚款，不能给予"
                + "、".join([PENALTY_ZH[k] for k in other])
                + "。",
                "The summary procedure allows only a warning or a small fine, not "
                + ", ".join(other)
                + ".",
            )
        elif fine > cap:
            yield error(
                "APL-51-summary",
                i,
                f"当场处罚罚款{yuan(fine)}元，超过{yuan(cap)}元的限额。",
                f"The summary fine of {yuan(fine)} yuan exceeds the {yuan(cap)} yuan cap.",
            )


@rule(
    "APL-59-decision-content",
    "block",
    APL + "第五十九条",
    "The decision document states everything APL 59 requires and cites the full law name.",
    APL_FROM,
    reads=("decision",),
    procedures=("general",),
)
def decision_content(ctx: Context) -> Iterator[Item]:
    if not ctx.general:
        return
    for i, step in ctx.penalty_decisions:
        missing = [e for e in ELEMENTS_ZH if step.elements is not None and e not in step.elements]
        parts_zh = [ELEMENTS_ZH[e] for e in missing]
        parts_en = list(missing)
        if step.cites_full_name_and_article is False:
            parts_zh.append("法律依据的全称和条款")
            parts_en.append("full name of the law and the article")
        if parts_zh:
            yield error(
                "APL-59-decision-content",
                i,
                "处罚决定书缺少：" + "；".join(parts_zh) + "。",
                "The decision document lacks: " + "; ".join(parts_en) + ".",
            )


@rule(
    "APL-basis-range",
    "block",
    APL + "第四条、第五条",
    "The penalty type is provided by the cited article; the fine lies within its range.",
    APL_FROM,
    reads=("decision", "prior_notice"),
)
def basis_range(ctx: Context) -> Iterator[Item]:
    basis = ctx.case.basis
    if basis is None:
        return
    mitigated = ctx.case.benchmark is not None and ctx.case.benchmark.circumstance == "mitigated"
    provided = frozenset(basis.penalty_types)
    if ctx.by_kind["prior_notice"]:
        yield from _notice_range(ctx, basis, provided)
    for i, step in ctx.penalty_decisions:
        types = set(map(penalty_type, step.penalties))
        wrong = () if types <= provided else sorted(types - provided)
        if wrong:
            yield error(
                "APL-basis-range",
                i,
                f"《{basis.law.strip('《》')}》{basis.article}未规定"
                + "、".join([PENALTY_ZH[k] for k in wrong])
                + "这一处罚种类。",
                f"The cited article ({basis.article}) does not provide the penalty type(s) "
                + ", ".join(wrong)
                + ".",
            )
        if "fine" not in types:
            continue
        fine = step.fine_total()
        if basis.fine_max is not None and fine > basis.fine_max:
            yield error(
                "APL-basis-range",
                i,
                f"罚款{yuan(fine)}元超过法定上限{yuan(basis.fine_max)}元。",
                f"The fine of {yuan(fine)} yuan exceeds the article's maximum of "
                f"{yuan(basis.fine_max)} yuan.",
            )
        if basis.fine_min is not None and fine < basis.fine_min and not mitigated:
            yield error(
                "APL-basis-range",
                i,
                f"罚款{yuan(fine)}元低于法定下限{yuan(basis.fine_min)}元，且不属于减轻处罚。",
                f"The fine of {yuan(fine)} yuan is below the article's minimum of "
                f"{yuan(basis.fine_min)} yuan and the penalty is not mitigated.",
            )


_NOTICE_RANGE_CITATION = APL + "第四条、第五条、第四十四条"


def _notice_range(ctx: Context, basis: Basis, provided: frozenset[str]) -> Iterator[Item]:
    """APL-basis-range extended (legal-rules.md §9): the intended penalty of a prior
    notice obeys the article's types and its maximum fine (APL 4, 5, 44); the minimum
    is left to the decision (the notice may announce a mitigated penalty). ``provided``:
    the penalty types of ``basis``."""
    citation = _NOTICE_RANGE_CITATION
    for i, step in ctx.by_kind["prior_notice"]:
        types = set(map(penalty_type, step.intended))
        wrong = () if types <= provided else sorted(types - provided)
        if wrong:
            yield error(
                "APL-basis-range",
                i,
                f"事先告知拟作出的处罚种类中，《{basis.law.strip('《》')}》{basis.article}未规定"
                + "、".join([PENALTY_ZH[k] for k in wrong])
                + "。",
                f"The prior notice intends penalty type(s) the cited article ({basis.article}) "
                "does not provide: " + ", ".join(wrong) + ".",
                citation=citation,
            )
        fines = [p.amount or 0.0 for p in step.intended if p.type == "fine"]
        fine = sum(fines)
        if fines and basis.fine_max is not None and fine > basis.fine_max:
            yield error(
                "APL-basis-range",
                i,
                f"事先告知拟罚款{yuan(fine)}元，超过法定上限{yuan(basis.fine_max)}元。",
                f"The prior notice intends a fine of {yuan(fine)} yuan, above the article's "
                f"maximum of {yuan(basis.fine_max)} yuan.",
                citation=citation,
            )


@rule(
    "REVIEW-independent",
    "block",
    APL + "第五十八条；" + GB118 + "三",
    "The legal reviewer of a case is not one of its investigators.",
    APL_FROM,
    reads=("legal_review",),
    procedures=("general",),
)
def review_independent(ctx: Context) -> Iterator[Item]:
    """Refused when it is made, whichever comes second: a review by an officer who
    investigated the case, or an investigator named who reviewed it."""
    if not ctx.general or not any(s.reviewer is not None for _i, s in ctx.by_kind["legal_review"]):
        return  # both refusals need a review with its reviewer named
    # One pass, keeping the investigators (``registered.by`` and the investigation
    # steps' officers) and the named reviewers of the steps seen so far: linear in the
    # steps (each step once rescanned every step before it).
    investigators: set[str] = set()
    reviewers: set[str] = set()
    for i, step in enumerate(ctx.steps):
        kind = step.step
        if kind == "legal_review":
            if step.reviewer is not None and step.reviewer in investigators:
                yield error(
                    "REVIEW-independent",
                    i,
                    f"法制审核人员{names(ctx.case, [step.reviewer])}是本案的调查人员；"
                    "法制审核应由法制审核机构人员进行，与办案机构分离。",
                    f"The legal reviewer {names_en(ctx.case, [step.reviewer])} investigated "
                    "the case; legal review is done apart from the handling unit.",
                )
            if step.reviewer:
                reviewers.add(step.reviewer)
        elif kind in ("registered", "investigation"):
            named = {*step.by, *step.officers}
            both = reviewers & named
            if both:
                yield error(
                    "REVIEW-independent",
                    i,
                    f"{names(ctx.case, both)}是本案的法制审核人员，不得担任本案调查人员。",
                    f"{names_en(ctx.case, both)} reviewed the case and may not investigate it.",
                )
            investigators |= named


@rule(
    "REVIEW-findings-hold",
    "block",
    APL + "第五十八条；" + GB118 + "三",
    "A legal review that marks a checklist item as a problem is not passed.",
    APL_FROM,
    reads=("legal_review",),
)
def review_findings_hold(ctx: Context) -> Iterator[Item]:
    for i, step in ctx.by_kind["legal_review"]:
        problems = [item for item, value in step.checklist if value == "problem"]
        if step.result == "passed" and problems:
            yield error(
                "REVIEW-findings-hold",
                i,
                f"法制审核清单中{len(problems)}项存在问题（" + "、".join(problems) + "），"
                "审核结论不得为通过。",
                f"The review checklist marks {len(problems)} item(s) as a problem ("
                + ", ".join(problems)
                + "); the review cannot be recorded as passed.",
            )


@rule(
    "DISC-benchmark",
    "warning",
    APL + "第三十四条",
    "The penalty lies in the discretion benchmark band, or the decision gives a reason.",
    APL_FROM,
    reads=("decision",),
)
def benchmark(ctx: Context) -> Iterator[Item]:
    band = ctx.case.benchmark
    if band is None and ctx.case.settings.get("benchmark_published") is True:
        # settings.benchmark_published: the power item has a published benchmark (APL 34:
        # published; JX 四（二）, NA 7,
        # CQ 三（六）: applied): a penalty decision states the circumstance found, so that
        # its band is applied and checked.
        for i, _step in ctx.penalty_decisions:
            yield warning(
                "DISC-benchmark",
                i,
                "本案权力事项有已公布的行政处罚裁量基准，处罚决定未载明适用的裁量情节"
                "（不予、减轻、从轻、一般、从重）。",
                "The power item has a published discretion benchmark, but the decision does "
                "not state the circumstance found (no penalty, mitigated, lighter, ordinary, "
                "heavier).",
            )
        return
    if band is None or (band.reason_outside_band or "").strip():
        return
    for i, step in ctx.penalty_decisions:
        if "fine" not in map(penalty_type, step.penalties):
            continue
        fine = step.fine_total()
        low = band.fine_min if band.fine_min is not None else fine
        high = band.fine_max if band.fine_max is not None else fine
        if not low <= fine <= high:
            yield warning(
                "DISC-benchmark",
                i,
                f"罚款{yuan(fine)}元在裁量基准幅度（{yuan(low)}至{yuan(high)}元）之外，"
                "决定未说明理由。",
                f"The fine of {yuan(fine)} yuan is outside the benchmark band "
                f"({yuan(low)} to {yuan(high)} yuan) and no reason is recorded.",
            )


def _lighter_finding(ctx: Context, rule_id: str, i: int, zh: str, en: str) -> Iterator[Item]:
    band = ctx.case.benchmark
    if band is None:
        yield warning(
            rule_id,
            i,
            zh + "案卷未载明裁量情节，无法判断是否从轻或减轻，请核实。",
            en + " The file records no discretion circumstance; cannot judge — check.",
        )
    elif band.circumstance not in LIGHTER:
        yield error(
            rule_id,
            i,
            zh + "但处罚未从轻或减轻。",
            en + " The penalty is neither lighter nor mitigated.",
        )


@rule(
    "APL-30-minor",
    "block",
    APL + "第三十条",
    "Under 14: no penalty; 14 to under 18: lighter or mitigated.",
    APL_FROM,
    reads=("decision",),
)
def minor(ctx: Context) -> Iterator[Item]:
    party, violation = ctx.case.party, ctx.case.violation
    if party.type != "individual" or party.birth_date is None or violation is None:
        return
    age = age_on(party.birth_date, violation.occurred_on)
    for i, step in ctx.penalty_decisions:
        no_penalty = ctx.params.integer("minor_no_penalty_age", step.on)
        lighter = ctx.params.integer("minor_lighter_age", step.on)
        if age < no_penalty:
            yield error(
                "APL-30-minor",
                i,
                f"当事人违法时未满{no_penalty}周岁，不予行政处罚。",
                f"The party was under {no_penalty} at the time of the act; no penalty.",
            )
        elif age < lighter:
            yield from _lighter_finding(
                ctx,
                "APL-30-minor",
                i,
                f"当事人违法时已满{no_penalty}周岁不满{lighter}周岁，应当从轻或者减轻处罚；",
                f"The party was {no_penalty} to under {lighter} at the time of the act; the "
                "penalty must be lighter or mitigated.",
            )


@rule(
    "APL-32-mitigation",
    "block",
    APL + "第三十二条",
    "Lighter or mitigated penalty for the APL 32 circumstances.",
    APL_FROM,
    reads=("decision",),
)
def mitigation(ctx: Context) -> Iterator[Item]:
    violation = ctx.case.violation
    if violation is None or not violation.mitigating:
        return
    for i, _step in ctx.penalty_decisions:
        yield from _lighter_finding(
            ctx,
            "APL-32-mitigation",
            i,
            "当事人有应当从轻或者减轻处罚的情节（"
            + "、".join([MITIGATING_ZH[m] for m in violation.mitigating])
            + "），",
            "The party has circumstances that require a lighter or mitigated penalty ("
            + ", ".join(violation.mitigating)
            + ");",
        )


@rule(
    "APL-33-no-penalty",
    "block",
    APL + "第三十三条",
    "No penalty for minor, corrected, harmless violations or without fault.",
    APL_FROM,
    reads=("decision",),
)
def no_penalty(ctx: Context) -> Iterator[Item]:
    violation = ctx.case.violation
    if violation is None:
        return
    for i, _step in ctx.penalty_decisions:
        if violation.no_fault_proven:
            yield error(
                "APL-33-no-penalty",
                i,
                "当事人有证据足以证明没有主观过错，不予行政处罚。",
                "The party proved no subjective fault; no penalty may be imposed.",
            )
        elif violation.harm == "none" and violation.corrected_promptly:
            yield warning(
                "APL-33-no-penalty",
                i,
                "违法行为及时改正且未造成危害后果：属于违法行为轻微的，不予行政处罚；"
                "案卷未载明是否轻微，请核实。",
                "The violation was corrected promptly and caused no harm: if it was minor, "
                "no penalty may be imposed; the file does not say whether it was minor — check.",
            )
        elif violation.first_offence and violation.harm == "minor" and violation.corrected_promptly:
            yield warning(
                "APL-33-no-penalty",
                i,
                "初次违法且危害后果轻微并及时改正，可以不予行政处罚。",
                "A first offence with minor harm, promptly corrected, may go unpunished.",
            )


@rule(
    "APL-29-one-fine",
    "block",
    APL + "第二十九条",
    "The same act is not fined twice.",
    APL_FROM,
    reads=("decision",),
)
def one_fine(ctx: Context) -> Iterator[Item]:
    for i, step in ctx.penalty_decisions:
        if list(map(penalty_type, step.penalties)).count("fine") > 1:
            yield error(
                "APL-29-one-fine",
                i,
                "对同一违法行为给予了两次以上罚款。",
                "The same act was fined more than once.",
            )


@rule(
    "CQ-vulnerable",
    "warning",
    CQ + "五（一）",
    "Vulnerable parties' first, clearly minor, corrected violations: warning, no fine.",
    "2006-01-01",
    local=("CQ",),
    reads=("decision",),
)
def vulnerable(ctx: Context) -> Iterator[Item]:
    violation = ctx.case.violation
    if not ctx.case.party.vulnerable or violation is None:
        return
    if not (
        violation.first_offence
        and violation.corrected_promptly
        and violation.harm in ("none", "minor")
    ):
        return
    for i, step in ctx.penalty_decisions:
        if any(p.type in ("fine", "confiscation") for p in step.penalties):
            yield warning(
                "CQ-vulnerable",
                i,
                "当事人属于残疾人、下岗职工或进城务工人员，初次违法、情节显著轻微并及时纠正，"
                "原则上应给予警告，不予罚款或没收财物。",
                "The party belongs to a vulnerable group and the first, clearly minor "
                "violation was corrected: in principle a warning, no fine or confiscation.",
            )


@rule(
    "APL-27-transfer",
    "warning",
    APL + "第二十七条",
    "A suspected crime is transferred to the judicial organs.",
    APL_FROM,
)
def transfer(ctx: Context) -> Iterator[Item]:
    """A suspected crime: the violation says so (``criminal_suspected``), or a legal
    review marks its checklist item ``crime`` (suspected crime) as a problem — then the
    warning is also given on that review. None when a transfer decision is on file."""
    violation = ctx.case.violation
    reviews = [i for i, s in ctx.indexed("legal_review") if (CRIME_ITEM, "problem") in s.checklist]
    if not reviews and (violation is None or not violation.criminal_suspected):
        return
    decisions = ctx.by_kind["decision"]
    if any(s.outcome == "transfer" for _, s in decisions):
        return
    for i in reviews:
        yield warning(
            "APL-27-transfer",
            i,
            "法制审核认为违法行为涉嫌犯罪：应当将案件移送司法机关，不得以行政处罚代替移送。",
            "The legal review finds the act suspected of being a crime: the case must be "
            "transferred to the judicial organs; a penalty does not take the place of the "
            "transfer.",
        )
    if (violation is None or not violation.criminal_suspected) and not decisions:
        return
    yield warning(
        "APL-27-transfer",
        decisions[-1][0] if decisions else None,
        "违法行为涉嫌犯罪，案卷未记录移送司法机关。",
        "The violation is suspected to be a crime; the file records no transfer to the "
        "judicial organs.",
    )
