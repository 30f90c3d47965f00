"""Section 1 of legal-rules.md: subjects and personnel (主体与人员)."""

import datetime as dt
from collections.abc import Iterator

from ..casefile import Step
from ..catalogue import APL, APL_FROM, CQ, JL, NA, Context, Item, error, iso, rule, warning
from ._util import (
    INVESTIGATING,
    approver_of,
    assigned,
    names,
    names_en,
    names_table,
    officers_by_id,
)

#: Steps that are acts of the enforcing body (not of the party).
ORGAN_ACTS = frozenset(
    {
        "registered",
        "investigation",
        "preservation",
        "preservation_decided",
        "seizure",
        "seizure_extended",
        "seizure_ended",
        "prior_notice",
        "hearing_notice",
        "hearing",
        "legal_review",
        "collective_discussion",
        "decision",
        "served",
        "demand",
        "court_application",
        "disclosed",
        "disclosure_withdrawn",
    }
)


@rule(
    "APL-38-subject",
    "block",
    APL + "第三十八条",
    "The acting body is a lawful enforcement subject.",
    APL_FROM,
)
def subject(ctx: Context) -> Iterator[Item]:
    kind = ctx.case.agency.subject_type
    if kind in ("internal_unit", "temporary_body"):
        zh = {"internal_unit": "内设机构", "temporary_body": "临时机构"}[kind]
        yield error(
            "APL-38-subject",
            None,
            f"执法主体“{ctx.case.agency.name}”是{zh}，不能以自己的名义实施行政处罚；"
            "主体不适格的行政处罚无效。",
            f"The acting body “{ctx.case.agency.name}” is "
            f"{'an internal unit' if kind == 'internal_unit' else 'a temporary body'} and "
            "cannot impose penalties in its own name; a penalty by an unqualified subject "
            "is void.",
        )


@rule(
    "APL-20-entrustment",
    "block",
    APL + "第二十条",
    "An entrusted body acts under a written, published entrustment, within its scope and term.",
    APL_FROM,
)
def entrustment(ctx: Context) -> Iterator[Item]:
    agency = ctx.case.agency
    if agency.subject_type != "entrusted":
        return
    ent = agency.entrustment
    if ent is None:
        return  # the schema requires it
    if not ent.written:
        yield error(
            "APL-20-entrustment",
            None,
            "委托行政处罚没有书面委托书。",
            "The entrustment is not in writing.",
        )
    if not ent.published:
        yield error(
            "APL-20-entrustment",
            None,
            "委托书未向社会公布。",
            "The entrustment instrument was not made public.",
        )
    if ctx.case.power is not None and ctx.case.power not in ent.powers:
        yield error(
            "APL-20-entrustment",
            None,
            f"本案权力事项“{ctx.case.power}”不在委托事项范围内。",
            f"The case's power item “{ctx.case.power}” is outside the entrusted matters.",
        )
    since, until = ent.valid_from, ent.valid_to
    if since <= ctx.first_day and ctx.last_day <= until:
        return  # every step within the term
    term: tuple[str, str] | None = None  # the term's dates as text, once
    for i, step in enumerate(ctx.steps):
        if step.step in ORGAN_ACTS and not since <= step.on <= until:
            if term is None:
                term = (iso(since), iso(until))
            on = iso(step.on)
            yield error(
                "APL-20-entrustment",
                i,
                f"该步骤日期{on}不在委托期限（{term[0]}至{term[1]}）内。",
                f"The step's date {on} is outside the entrustment term ({term[0]} to {term[1]}).",
            )


@rule(
    "APL-power-scope",
    "block",
    JL + "三（一）（二）；" + NA + "第9条、第11条",
    "The case's power item is on the subject's power list.",
    "2016-12-30",
)
def power_scope(ctx: Context) -> Iterator[Item]:
    """The power list (权责清单) as the measure of a subject's powers rests on local sources
    (JL 三（一）（二）, NA 9, 11): where one binds the case, a power item not on the list
    is an error. Elsewhere the national part remains: a penalty without a basis in the
    subject's powers is void (APL 38); a list miss alone cannot settle that — a warning."""
    power = ctx.case.power
    if power is None or power in ctx.case.agency.powers:
        return
    # Judged on the first act; a case without steps yet (being opened) on the audit date.
    on = ctx.steps[0].on if ctx.steps else ctx.as_of
    binding = ctx.local("JL", "NA", on=on)
    if binding:
        citation = {"JL": JL + "三（一）（二）", "NA": NA + "第9条、第11条"}
        yield error(
            "APL-power-scope",
            None,
            f"本案权力事项“{power}”不在执法主体的权责清单内。",
            f"The case's power item “{power}” is not on the subject's power list.",
            citation="；".join(citation[c] for c in binding),
        )
    elif on >= dt.date.fromisoformat(APL_FROM):
        yield warning(
            "APL-power-scope",
            None,
            f"本案权力事项“{power}”不在执法主体的权责清单内；本地区未适用以权责清单为准的"
            "规定，无法据此判断，请核实该主体是否依法享有此项职权"
            "（没有依据或者主体不适格的行政处罚无效）。",
            f"The case's power item “{power}” is not on the subject's power list; no local "
            "rule makes the list binding here, so the engine cannot judge — check that the "
            "subject holds this power by law (a penalty without a basis is void).",
            citation=APL + "第三十八条",
        )


@rule(
    "APL-42-qualified",
    "block",
    APL + "第四十二条",
    "Every officer investigating holds an enforcement certificate valid on that date.",
    APL_FROM,
    reads=("investigation", "decision"),
)
def qualified(ctx: Context) -> Iterator[Item]:
    """Officers named on an investigation step, and in the summary procedure the officer
    who decides on the spot (``decision.approved_by``, APL 51–52), hold a certificate
    valid on the step's date."""
    acting: list[tuple[int, Step, tuple[str, ...]]] = [
        (i, s, s.officers) for i, s in ctx.by_kind["investigation"]
    ]
    if ctx.summary:
        acting += [(i, s, (s.approved_by,)) for i, s in ctx.by_kind["decision"] if s.approved_by]
        acting.sort(key=lambda a: a[0])
    officer_of = officers_by_id(ctx.case).get  # ``ctx.case.officer``
    for i, step, officers in acting:
        bad = set()
        for officer_id in officers:
            officer = officer_of(officer_id)
            if officer is None:
                bad.add(officer_id)  # unknown
            elif officer.auxiliary:
                if step.step == "decision":
                    bad.add(officer_id)  # auxiliary staff never act as officers
            elif not officer.qualified_on(step.on):
                bad.add(officer_id)
        if bad:
            yield error(
                "APL-42-qualified",
                i,
                f"执法人员{names(ctx.case, bad)}在{iso(step.on)}没有有效的行政执法证件"
                "（未登记、过期、暂扣或吊销）。",
                f"Officer(s) {names_en(ctx.case, bad)} held no enforcement certificate valid "
                f"on {iso(step.on)} (unknown, expired, suspended or revoked).",
            )


@rule(
    "APL-42-two-officers",
    "block",
    APL + "第四十二条",
    "Investigation is done by at least two qualified officers.",
    APL_FROM,
    reads=("investigation",),
)
def two_officers(ctx: Context) -> Iterator[Item]:
    officer_of = officers_by_id(ctx.case).get  # ``ctx.case.officer``
    for i, step in ctx.by_kind["investigation"]:
        qualified = set()
        for officer_id in step.officers:
            officer = officer_of(officer_id)
            if officer is not None and officer.qualified_on(step.on):
                qualified.add(officer_id)
        if len(qualified) < 2:
            yield error(
                "APL-42-two-officers",
                i,
                f"调查取证的持证执法人员只有{len(qualified)}名，不得少于两人"
                "（协助执法人员不计入）。",
                f"Only {len(qualified)} qualified officer(s) investigated; at least two are "
                "required (auxiliary staff do not count).",
            )


@rule(
    "APL-55-show-certificate",
    "warning",
    APL + "第五十五条",
    "Officers show their certificates at investigation; the record says so.",
    APL_FROM,
    reads=("investigation",),
)
def show_certificate(ctx: Context) -> Iterator[Item]:
    for i, step in ctx.by_kind["investigation"]:
        if step.certificates_shown is not True:
            yield warning(
                "APL-55-show-certificate",
                i,
                "调查检查记录未载明执法人员向当事人出示执法证件。",
                "The investigation record does not say the officers showed their "
                "certificates to the party.",
            )


@rule(
    "APL-43-recusal",
    "block",
    APL + "第四十三条",
    "An officer with a direct interest in the case does not act in it.",
    APL_FROM,
)
def recusal(ctx: Context) -> Iterator[Item]:
    interested = {o.id for o in ctx.case.officers if o.conflict_of_interest}
    if not interested:
        return  # no officer of the case has an interest in it
    for i, step in enumerate(ctx.steps):
        conflicted = set()
        for officer_id in step.persons():
            officer = ctx.case.officer(officer_id)
            if officer is not None and officer.conflict_of_interest:
                conflicted.add(officer_id)
        if conflicted:
            yield error(
                "APL-43-recusal",
                i,
                f"{names(ctx.case, conflicted)}与本案有直接利害关系，应当回避。",
                f"{names_en(ctx.case, conflicted)} has a direct interest in the case and "
                "must recuse.",
            )


@rule(
    "SEP-duties",
    "block",
    CQ + "三（三）",
    "An officer who investigated the case does not approve its decision.",
    "2006-01-01",
    local=("CQ",),
    reads=("decision",),
    procedures=("general",),
)
def separation(ctx: Context) -> Iterator[Item]:
    """Local rule (CQ 三（三）): the decision's approver did not investigate — judged
    whichever comes second: a decision approved by an investigator, or an investigator
    named (registration or investigation) who approved the decision. The national part
    of the separation of duties — the hearing host is not an investigator (APL 64(4)) —
    is judged everywhere by APL-64-hearing-host."""
    if not ctx.general:
        return  # in the summary procedure the officers decide on the spot (APL 51, 52)
    # the investigators and the decisions' approvers, each by the first step naming
    # them (an id is named before step ``i`` when its first index is below ``i``)
    investigators = names_table(ctx, INVESTIGATING, assigned).first
    for i, step in ctx.by_kind["decision"]:
        approver = step.approved_by
        if approver is not None and (at := investigators.get(approver)) is not None and at < i:
            yield error(
                "SEP-duties",
                i,
                f"批准处罚决定的{names(ctx.case, [approver])}参与了本案调查，调查与决定应当分离。",
                f"The decision was approved by {names_en(ctx.case, [approver])}, who "
                "investigated the case; investigation and decision must be kept apart.",
            )
    approvers = names_table(ctx, ("decision",), approver_of).first
    if not approvers:
        return  # no decision names its approver
    for i, step in ctx.indexed(*INVESTIGATING):
        both = {
            o for o in (*step.by, *step.officers) if (at := approvers.get(o)) is not None and at < i
        }
        if both:
            yield error(
                "SEP-duties",
                i,
                f"{names(ctx.case, both)}批准了本案的处罚决定，不得担任本案调查人员，"
                "调查与决定应当分离。",
                f"{names_en(ctx.case, both)} approved the case's decision and may not "
                "investigate it; investigation and decision must be kept apart.",
            )


#: ``power_kind`` values (the catalogue's PowerItem.category) in Chinese.
POWER_KIND_ZH = {
    "penalty": "行政处罚",
    "licensing": "行政许可",
    "coercion": "行政强制",
    "inspection": "行政检查",
    "levy": "行政征收",
    "confirmation": "行政确认",
    "adjudication": "行政裁决",
    "payment": "行政给付",
    "other": "其他行政权力",
}


@rule(
    "POWER-kind",
    "block",
    APL + "第三十八条",
    "A penalty case exercises a penalty power item (行政处罚类).",
    APL_FROM,
)
def power_kind(ctx: Context) -> Iterator[Item]:
    """A penalty without a basis in a penalty power is void (APL 38): a licensing,
    inspection or other power item cannot ground a penalty case. Judged only when the
    file says the item's kind (``power_kind``, additive)."""
    kind = ctx.case.power_kind
    if kind is None or kind == "penalty":
        return
    yield error(
        "POWER-kind",
        None,
        f"本案权力事项“{ctx.case.power}”属于{POWER_KIND_ZH.get(kind, kind)}类，"
        "不是行政处罚类权力事项，不能作为行政处罚案件的依据。",
        f"The case's power item “{ctx.case.power}” is of the kind {kind}, not a penalty "
        "power item; it cannot ground a penalty case.",
    )
