"""Section 3 of legal-rules.md: notice, defence and hearing (告知、陈述申辩、听证)."""

import datetime as dt
from bisect import bisect_left
from collections.abc import Iterator

from ..casefile import Penalty, Step, penalty_type
from ..catalogue import APL, APL_FROM, Context, DeadlineItem, Item, error, iso, rule, warning
from ..workdays import Counted
from ._util import INVESTIGATING, assigned, host_of, names, names_en, names_table, yuan

PENALTY_ZH = {
    "warning": "警告",
    "fine": "罚款",
    "confiscation": "没收",
    "suspend_permit": "暂扣许可证件",
    "lower_qualification": "降低资质等级",
    "revoke_permit": "吊销许可证件",
    "restrict_business": "限制开展生产经营活动",
    "suspend_business": "责令停产停业",
    "closure": "责令关闭",
    "restrict_practice": "限制从业",
    "detention": "行政拘留",
}


def _notice_served(notice: Step) -> dt.date:
    return notice.served_on or notice.on


def _written_notice_served(notice: Step) -> dt.date | None:
    return (notice.served_on or notice.on) if notice.written is True else None


def _has_valid_notice(ctx: Context, decision_index: int, decision: Step) -> bool:
    """A prior notice that counts for a decision: served on or before it, and in the
    general procedure, in writing."""
    served = _written_notice_served if ctx.general else _notice_served
    earliest = ctx.earliest_before(decision_index, "prior_notice", served)
    return earliest is not None and earliest <= decision.on


def _hearing_right(ctx: Context, notice: Step) -> bool:
    return notice.hearing_right_notified is True or ctx.carries_hearing_right(
        notice.intended, notice.on
    )


def _request_window(ctx: Context, notice: Step) -> Counted:
    served = notice.served_on or notice.on
    days = ctx.params.integer("hearing_request_working_days", served)
    return ctx.calendar.add_working_days(served, days)


@rule(
    "APL-44-prior-notice",
    "block",
    APL + "第四十四条",
    "Before a penalty decision the party gets written notice of it and of their rights.",
    APL_FROM,
    reads=("decision",),
)
def prior_notice(ctx: Context) -> Iterator[Item]:
    for i, step in ctx.penalty_decisions:
        if ctx.signed_waiver(-1, i) or _has_valid_notice(ctx, i, step):
            continue
        if ctx.before(i, "prior_notice") and ctx.general:
            zh = "作出处罚决定前的告知不是书面告知，或在决定之后才送达。"
            en = "The prior notice was not in writing or was served after the decision."
        else:
            zh = "作出行政处罚决定前未告知当事人拟作出的处罚及其陈述、申辩等权利。"
            en = (
                "The party was not notified of the intended penalty and of the rights to "
                "state and defend before the decision."
            )
        yield error("APL-44-prior-notice", i, zh, en)


#: APL-45: penalty types ranked by severity, following the order in which
#: 《中华人民共和国行政处罚法》第九条 lists them (（一）警告 … （五）行政拘留), lightest first.
#: Types of one rank are of comparable weight; the ranking cannot order them.
SEVERITY = {
    "warning": 1,  # 第九条（一）
    "fine": 2,  # 第九条（二）
    "confiscation": 3,  # 第九条（二）
    "suspend_permit": 4,  # 第九条（三）暂扣许可证件
    "lower_qualification": 4,  # 第九条（三）降低资质等级
    "restrict_business": 5,  # 第九条（四）限制开展生产经营活动
    "suspend_business": 6,  # 第九条（四）责令停产停业
    "closure": 6,  # 第九条（四）责令关闭
    "revoke_permit": 7,  # 第九条（三）吊销许可证件
    "restrict_practice": 7,  # 第九条（四）限制从业
    "detention": 8,  # 第九条（五）行政拘留
}


def _heavier(
    decided: tuple[Penalty, ...], intended: tuple[Penalty, ...]
) -> tuple[list[str], list[str]]:
    """APL 45(2): the decided penalty types that make the decision heavier than the
    notified one, and those the ranking cannot decide.

    Heavier: a type not notified that ranks above every notified type, or a notified
    type with a larger amount. Not heavier: a type not notified that ranks below a
    notified type the decision replaces (a warning instead of a fine is lighter).
    Undecided: a type not notified of the same rank as the heaviest notified type, or
    one added on top of every notified type (the decision adds a penalty)."""
    if len(decided) == 1 and len(intended) == 1:
        one, notified_one = decided[0], intended[0]
        kind = one.type
        if kind == notified_one.type and kind in SEVERITY:
            # one type notified and decided (nearly always): what the loop below finds
            # of it, heavier only by a larger amount than a notified one
            amount = notified_one.amount
            larger = amount is not None and (one.amount or 0.0) > (amount or 0.0)
            return ([kind] if larger else []), []
    intended_types = set(map(penalty_type, intended))
    decided_types = set(map(penalty_type, decided))
    top = max(map(SEVERITY.__getitem__, intended_types), default=0)
    keeps_all = intended_types <= decided_types
    heavier: list[str] = []
    undecided: list[str] = []
    for kind in sorted(decided_types):
        if kind not in intended_types:  # added
            rank = SEVERITY[kind]
            if rank > top:
                heavier.append(kind)
            elif rank == top or keeps_all:
                undecided.append(kind)
            continue
        decided_amount = sum([p.amount or 0.0 for p in decided if p.type == kind])
        notified = [p.amount for p in intended if p.type == kind]
        if None not in notified and decided_amount > sum([a or 0.0 for a in notified]):
            heavier.append(kind)
    return heavier, undecided


@rule(
    "APL-45-no-heavier",
    "block",
    APL + "第四十五条",
    "The decided penalty is not heavier than the notified intended penalty.",
    APL_FROM,
    reads=("prior_notice",),
)
def no_heavier(ctx: Context) -> Iterator[Item]:
    for i, step in ctx.penalty_decisions:
        notices = ctx.before(i, "prior_notice")
        if not notices:
            continue
        intended = notices[-1][1].intended
        if step.penalties == intended:
            continue  # the penalty notified, decided: neither heavier nor added
        heavier, undecided = _heavier(step.penalties, intended)
        if heavier:
            yield error(
                "APL-45-no-heavier",
                i,
                "处罚决定（"
                + "、".join([PENALTY_ZH[k] for k in heavier])
                + "）重于事先告知的拟处罚，未重新告知。",
                "The decision is heavier than the notified intended penalty ("
                + ", ".join(heavier)
                + ") without a new notice.",
            )
        elif undecided:
            yield warning(
                "APL-45-no-heavier",
                i,
                "处罚决定增加了事先告知中没有的处罚种类（"
                + "、".join([PENALTY_ZH[k] for k in undecided])
                + "），按《中华人民共和国行政处罚法》第九条的顺序无法判断是否重于告知的拟处罚，"
                "请核实。",
                "The decision adds penalty types not in the notice ("
                + ", ".join(undecided)
                + "); the order of APL Art. 9 cannot tell whether it is heavier than the "
                "notified penalty — check.",
            )


@rule(
    "APL-63-hearing-right",
    "block",
    APL + "第六十三条",
    "The notice offers a hearing for large fines and heavy penalties.",
    APL_FROM,
    reads=("prior_notice",),
)
def hearing_right(ctx: Context) -> Iterator[Item]:
    for i, step in ctx.by_kind["prior_notice"]:
        if step.hearing_right_notified is True:
            continue
        if ctx.carries_hearing_right(step.intended, step.on):
            threshold = ctx.hearing_threshold(step.on)
            yield error(
                "APL-63-hearing-right",
                i,
                "拟作出的处罚属于应当告知听证权利的情形（较大数额罚款或没收以"
                f"{yuan(threshold)}元为起点，或责令停产停业、吊销许可证件等），告知书未告知听证权利。",
                "The intended penalty carries the right to a hearing (a fine or confiscation "
                f"of {yuan(threshold)} yuan or more, or a heavy penalty) but the notice does "
                "not offer one.",
            )


@rule(
    "APL-64-hearing-request",
    "deadline",
    APL + "第六十四条",
    "The party may ask for a hearing within 5 working days; no decision before that.",
    APL_FROM,
    reads=("prior_notice",),
)
def hearing_request(ctx: Context) -> Iterator[Item]:
    # the notices that carry the hearing right, with their request windows (each
    # judged once, in file order, as the deadlines are yielded)
    positions: list[int] = []
    windows: list[Counted] = []
    notices = ctx.by_kind["prior_notice"]
    for n, (i, step) in enumerate(notices):
        if not _hearing_right(ctx, step):
            continue
        limit = notices[n + 1][0] if n + 1 < len(notices) else len(ctx.steps)
        requested = ctx.between(i, limit, "hearing_requested")
        window = _request_window(ctx, step)
        positions.append(i)
        windows.append(window)
        yield DeadlineItem(
            "APL-64-hearing-request",
            step.served_on or step.on,
            window,
            requested[0][1].on if requested else None,
        )
    for k, decision in ctx.penalty_decisions:
        last = bisect_left(positions, k)  # the notices with the right before the decision
        if not last:
            continue
        i = positions[last - 1]
        window = windows[last - 1]
        if ctx.signed_waiver(i, k):
            continue
        if decision.on <= window.due:
            yield error(
                "APL-64-hearing-request",
                k,
                f"当事人申请听证的期限至{iso(window.due)}届满，处罚决定在期限届满前作出，"
                "且当事人未书面放弃。",
                f"The decision was made before the hearing-request window closed on "
                f"{iso(window.due)}, and the party did not waive in writing.",
            )
            continue
        requested_in_time = [
            s for _j, s in ctx.between(i, k, "hearing_requested") if s.on <= window.due
        ]
        held = ctx.between(i, k, "hearing")
        if requested_in_time and not held:
            yield error(
                "APL-64-hearing-request",
                k,
                "当事人在期限内申请了听证，但作出处罚决定前未举行听证。",
                "The party asked for a hearing in time, but no hearing was held before "
                "the decision.",
            )


@rule(
    "APL-64-hearing-notice",
    "block",
    APL + "第六十四条",
    "The party is told the hearing's time and place at least 7 working days before.",
    APL_FROM,
    reads=("hearing_notice", "hearing"),
)
def hearing_notice(ctx: Context) -> Iterator[Item]:
    for i, step in ctx.by_kind["hearing_notice"]:
        if step.served_on is None or step.hearing_on is None:
            continue
        days = ctx.params.integer("hearing_notice_working_days", step.served_on)
        earliest = ctx.calendar.add_working_days(step.served_on, days).due
        if step.hearing_on < earliest:
            yield error(
                "APL-64-hearing-notice",
                i,
                f"听证通知于{iso(step.served_on)}送达，听证定于"
                f"{iso(step.hearing_on)}，不足{days}个工作日"
                f"（最早{iso(earliest)}）。",
                f"The hearing notice was served on {iso(step.served_on)} for a "
                f"hearing on {iso(step.hearing_on)}: less than {days} working days "
                f"(earliest {iso(earliest)}).",
            )
    for i, step in ctx.by_kind["hearing"]:
        if not ctx.before(i, "hearing_notice"):
            yield error(
                "APL-64-hearing-notice",
                i,
                "举行听证前未通知当事人听证的时间、地点。",
                "The party was not told the hearing's time and place before it.",
            )
        if step.public is False:
            yield warning(
                "APL-64-hearing-notice",
                i,
                "听证未公开举行；案卷未载明是否涉及国家秘密、商业秘密或者个人隐私，请核实。",
                "The hearing was not public; the file does not say whether state secrets, "
                "trade secrets or privacy were involved — check.",
            )


@rule(
    "APL-64-hearing-host",
    "block",
    APL + "第六十四条",
    "The hearing host is not an investigator of the case.",
    APL_FROM,
    reads=("hearing",),
)
def hearing_host(ctx: Context) -> Iterator[Item]:
    """Judged whichever comes second: a host who investigated the case (the officers the
    registration assigns or an investigation names), or an investigator named who
    hosted its hearing."""
    # the investigators and the hearing hosts, each by the first step naming them (an id
    # is named before step ``i`` when its first index is below ``i``)
    investigators = names_table(ctx, INVESTIGATING, assigned).first
    for i, step in ctx.by_kind["hearing"]:
        host = step.host
        if host is not None and (at := investigators.get(host)) is not None and at < i:
            yield error(
                "APL-64-hearing-host",
                i,
                f"听证主持人{names(ctx.case, [host])}是本案调查人员。",
                f"The hearing host {names_en(ctx.case, [host])} investigated the case.",
            )
    hosts = names_table(ctx, ("hearing",), host_of).first
    if not hosts:
        return  # no hearing names its host
    for i, step in ctx.indexed(*INVESTIGATING):
        both = {
            o for o in (*step.by, *step.officers) if (at := hosts.get(o)) is not None and at < i
        }
        if both:
            yield error(
                "APL-64-hearing-host",
                i,
                f"{names(ctx.case, both)}主持了本案听证，不得担任本案调查人员。",
                f"{names_en(ctx.case, both)} hosted the case's hearing and may not investigate it.",
            )
