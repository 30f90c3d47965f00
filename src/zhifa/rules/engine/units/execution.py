"""Section 5 of legal-rules.md: service and execution (送达与执行)."""

import datetime as dt
from bisect import bisect_left
from collections.abc import Iterator
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

from ..casefile import Step
from ..catalogue import (
    ACL,
    ACL_FROM,
    ALITL,
    APL,
    APL_FROM,
    ARL,
    RULES,
    AmountItem,
    Context,
    DeadlineItem,
    Item,
    error,
    iso,
    rule,
    warning,
)
from ..workdays import Counted, on_day
from ._util import yuan


def served_decision(ctx: Context) -> tuple[int, Step, int, Step] | None:
    """The last penalty decision and the service of it (None when not served); once per
    audit (``Context.fact``, written out: several units ask)."""
    memo = ctx._memo
    if _served_decision in memo:
        return memo[_served_decision]  # type: ignore[return-value]
    value = memo[_served_decision] = _served_decision(ctx)
    return value


def _served_decision(ctx: Context) -> tuple[int, Step, int, Step] | None:
    if not ctx.penalty_decisions:
        return None
    k, decision = ctx.penalty_decisions[-1]
    served = ctx.first_after(k, "served")
    if served is None:
        return None
    return k, decision, served[0], served[1]


def in_force(rule_id: str, day: dt.date) -> bool:
    """Whether the registered rule ``rule_id`` was in force on ``day`` (for the compute
    rules that change another rule's dates and yield nothing of their own)."""
    return RULES[rule_id].in_force(day)


def service_effective(ctx: Context, served: Step) -> Counted:
    """``_service_effective``, once per audit and step."""
    if served.method != "public_notice":
        return on_day(served.on)  # in effect on the day of service
    return ctx.memo(("service_effective", id(served)), lambda: _service_effective(ctx, served))


def _service_effective(ctx: Context, served: Step) -> Counted:
    """CPL-95-public-notice: the day service of the decision takes effect. Service by
    public notice (``method: public_notice``, ``on`` = the day the notice was published)
    takes effect when the notice period ends: 30 days after publication, 60 days for a
    notice published before 2022-01-01 (parameter ``public_notice_days``), counted as the
    catalogue counts a calendar-day period (the next working day when the last day is not
    one). Any other method takes effect on the day of service."""
    if served.method != "public_notice" or not in_force("CPL-95-public-notice", served.on):
        return on_day(served.on)
    days = ctx.params.integer("public_notice_days", served.on)
    return ctx.calendar.add_calendar_days(served.on, days)


def _years(*counted: Counted) -> tuple[int, ...]:
    for c in counted:
        if c.unscheduled_years:
            break
    else:
        return ()  # every year scheduled (nearly always)
    years: set[int] = set()
    for c in counted:
        years.update(c.unscheduled_years)
    return tuple(sorted(years)) if years else ()


def approved_deferral(ctx: Context, decision_index: int) -> tuple[int, Step] | None:
    """The last deferral (or instalments) approved for the decision, with its ``until``."""
    if not ctx.by_kind["deferral_approved"]:
        return None
    deferrals = ctx.after(decision_index, "deferral_approved")
    if deferrals and deferrals[-1][1].until is not None:
        return deferrals[-1]
    return None


class Payment(NamedTuple):
    """APL 67 for the last penalty decision, when it decides a fine and was served:
    computed once per audit (``payment``) for APL-67-payment, APL-72-late-fee,
    ACL-35-demand-timing and CLOSE-conditions."""

    #: the index of the decision
    decision: int
    #: the payment deadline: 15 calendar days after service took effect, or the
    #: ``until`` of an approved deferral
    deadline: Counted
    #: the fine, the sum of the ``paid`` amounts after the decision, and the day the
    #: running sum first reached the fine (None when it has not)
    fine_total: float
    paid: float
    full_on: dt.date | None


def payment(ctx: Context) -> Payment | None:
    """``_payment``, once per audit (``Context.fact``, written out)."""
    memo = ctx._memo
    if _payment in memo:
        return memo[_payment]  # type: ignore[return-value]
    value = memo[_payment] = _payment(ctx)
    return value


def _payment(ctx: Context) -> Payment | None:
    """APL 67: 15 calendar days after service took effect (CPL-95-public-notice; next
    working day when it ends on a non-working day), or the ``until`` of an approved
    deferral; and what was paid of the fine. None when no fine was decided and served.
    A ``paid`` step without an amount is taken as paying the rest of the fine."""
    found = served_decision(ctx)
    if found is None:
        return None
    k, decision, _s, served = found
    fine_total = decision.fine_total()
    if fine_total <= 0:
        return None
    deferral = approved_deferral(ctx, k)
    if deferral is not None and deferral[1].until is not None:
        deadline = Counted(deferral[1].until)
    else:
        effective = service_effective(ctx, served)
        days = ctx.params.integer("payment_days", effective.due)
        due = ctx.calendar.add_calendar_days(effective.due, days)
        # the period's own count when service added no year to note (Counted is frozen)
        deadline = (
            due if not effective.unscheduled_years else Counted(due.due, _years(effective, due))
        )
    payments = ctx.after(k, "paid") if ctx.by_kind["paid"] else []
    if not payments:
        return Payment(k, deadline, float(fine_total), 0.0, None)
    fine = Decimal(str(fine_total))
    total = Decimal(0)
    full_on: dt.date | None = None
    for _i, step in payments:
        total = fine if step.amount is None else total + Decimal(str(step.amount))
        if full_on is None and total >= fine:
            full_on = step.on
    return Payment(k, deadline, float(fine), float(total), full_on)


@rule(
    "CPL-95-public-notice",
    "compute",
    "《中华人民共和国民事诉讼法》第九十五条第一款；" + APL + "第六十一条",
    "Service by public notice takes effect 30 days after publication (60 before "
    "2022-01-01); the payment, late-fee, remedy and ACL 53 periods run from that day.",
    "1991-04-09",
    reads=("served",),
)
def public_notice(ctx: Context) -> Iterator[Item]:
    """Computed by ``service_effective`` for APL-67-payment, APL-72-late-fee,
    REMEDY-periods, ACL-53-court-deadline, ACL-53-court-too-early and
    ACL-35-demand-timing. That public notice was the last resort (the other methods
    failed) is not judged: the format has no step for a failed attempt of service."""
    return iter(())


@rule(
    "APL-61-service",
    "deadline",
    APL + "第六十一条",
    "The decision is served on the spot or within 7 working days; electronic only with consent.",
    APL_FROM,
    reads=("decision", "served"),
)
def service(ctx: Context) -> Iterator[Item]:
    for k, decision in ctx.penalty_decisions:
        days = ctx.params.integer("service_working_days", decision.on)
        served = ctx.first_after(k, "served")
        yield DeadlineItem(
            "APL-61-service",
            decision.on,
            ctx.calendar.add_working_days(decision.on, days),
            None if served is None else served[1].on,
        )
    for i, step in ctx.by_kind["served"]:
        if step.method == "electronic" and step.electronic_consent is not True:
            yield error(
                "APL-61-service",
                i,
                "采用电子方式送达，但当事人未签署同意电子送达的确认书。",
                "The decision was served electronically without the party's signed consent.",
            )


@rule(
    "APL-67-payment",
    "deadline",
    APL + "第六十七条",
    "The fine is paid within 15 calendar days of receiving the decision.",
    APL_FROM,
    reads=("served",),
)
def payment_due(ctx: Context) -> Iterator[Item]:
    """The deadline is met only when the payments add up to the fine by the due date."""
    found = payment(ctx)
    if found is None:
        return
    served = served_decision(ctx)
    assert served is not None
    step = served[3]
    # the day service took effect (``service_effective``; the day of service unless by
    # public notice)
    start = step.on if step.method != "public_notice" else service_effective(ctx, step).due
    yield DeadlineItem("APL-67-payment", start, found.deadline, found.full_on)
    payments = ctx.after(found.decision, "paid") if found.full_on is None else []
    if payments:
        fine, total = yuan(found.fine_total), yuan(found.paid)
        yield warning(
            "APL-67-payment",
            payments[-1][0],
            f"罚款{fine}元，已缴纳{total}元，尚未缴清。",
            f"The fine of {fine} yuan is not fully paid: {total} yuan paid.",
        )


@rule(
    "APL-68-onsite-collection",
    "block",
    APL + "第六十八条",
    "On-the-spot collection only for small fines or where later collection is hard.",
    APL_FROM,
    reads=("paid",),
)
def onsite(ctx: Context) -> Iterator[Item]:
    decisions = ctx.penalty_decisions
    fine = decisions[-1][1].fine_total() if decisions else 0.0
    for i, step in ctx.by_kind["paid"]:
        if not step.onsite:
            continue
        cap = ctx.params.number("onsite_small_fine_max", step.on)
        reason = step.onsite_reason
        if reason == "remote_area":
            continue  # APL 69: general or summary procedure
        if reason is None:
            problem = ("未记录当场收缴罚款的法定情形。", "no legal ground for it is recorded.")
        elif not ctx.summary:
            problem = (
                "普通程序中只有边远、水上、交通不便地区才可以当场收缴罚款。",
                "in the general procedure only remote, water or poorly connected areas allow it.",
            )
        elif reason == "small_fine" and fine > cap:
            problem = (
                f"罚款{yuan(fine)}元超过当场收缴{yuan(cap)}元的限额。",
                f"the fine of {yuan(fine)} yuan exceeds the {yuan(cap)} yuan limit.",
            )
        else:
            continue
        yield error(
            "APL-68-onsite-collection",
            i,
            "当场收缴罚款不符合法定情形：" + problem[0],
            "On-the-spot collection is not allowed here: " + problem[1],
        )


_CENT = Decimal("0.01")


def _money(value: Decimal) -> float:
    return float(value.quantize(_CENT, rounding=ROUND_HALF_UP))


class LateFee(NamedTuple):
    """APL 72 as of the audit date, computed once per audit (``late_fee_of``) for
    APL-72-late-fee and ``payment_facts``: the late days after the payment deadline (up
    to the day the fine was paid in full, else the audit date), less the days a remedy
    paused the fee (APL-73-late-fee-paused); the daily rate in force on the deadline; the
    fee (fine × rate × late days) and its cap, the fine."""

    late_days: int
    paused_days: int
    daily_rate: Decimal | None  # None when no day is late (the rate is not needed)
    fee: Decimal
    cap: Decimal


_NO_FEE = Decimal(0)  # shared: a Decimal is immutable


def late_fee_of(ctx: Context) -> LateFee | None:
    """``_late_fee``, once per audit (None: no fine decided and served; ``Context.fact``,
    written out)."""
    memo = ctx._memo
    if _late_fee in memo:
        return memo[_late_fee]  # type: ignore[return-value]
    value = memo[_late_fee] = _late_fee(ctx)
    return value


def _late_fee(ctx: Context) -> LateFee | None:
    found = payment(ctx)
    if found is None:
        return None
    k, deadline = found.decision, found.deadline
    fine = Decimal(str(found.fine_total))
    end = ctx.as_of if found.full_on is None else found.full_on  # late days end when paid
    late_days = max((end - deadline.due).days, 0)
    rate_on_due = ctx.params.number("late_fee_daily_rate", deadline.due)
    if not late_days:  # paid (or audited) by the deadline: nothing accrues
        return LateFee(0, 0, None, _NO_FEE, fine)
    paused = paused_days(ctx, k, deadline.due, end)
    late_days -= paused
    rate = Decimal(str(rate_on_due))
    fee = min(fine * rate * late_days, fine)
    return LateFee(late_days, paused, rate, fee, fine)


@rule(
    "APL-72-late-fee",
    "compute",
    APL + "第七十二条",
    "After the payment deadline, 3% of the fine per day, never more than the fine.",
    APL_FROM,
)
def late_fee(ctx: Context) -> Iterator[Item]:
    found = late_fee_of(ctx)
    if found is None:
        yield _NO_LATE_FEE
    elif not found.fee:
        yield _ZERO_LATE_FEE
    else:
        yield AmountItem("APL-72-late-fee", "late_fee", _money(found.fee))


#: the late fee when no fine was decided and served, and when none accrued (shared:
#: the items are frozen)
_NO_LATE_FEE = AmountItem("APL-72-late-fee", "late_fee", None)
_ZERO_LATE_FEE = AmountItem("APL-72-late-fee", "late_fee", 0.0)


def remedy_pauses(ctx: Context, decision_index: int) -> list[tuple[int, dt.date, dt.date | None]]:
    """APL-73-late-fee-paused: each reconsideration or litigation against the decision
    (``remedy_filed`` after it, filed while APL 73(3) was in force) as (step index, filed,
    decided); ``decided`` None = still pending (or its end not recorded). A remedy recorded
    without ``decided_on`` is ended by the next ``remedy_filed`` of the same ``kind`` that
    gives a result (the platform records the decision of a pending remedy that way): on
    that step's ``decided_on``, else its day."""
    remedies = ctx.after(decision_index, "remedy_filed")
    out: list[tuple[int, dt.date, dt.date | None]] = []
    for n, (i, step) in enumerate(remedies):
        if not in_force("APL-73-late-fee-paused", step.on):
            continue
        decided = step.decided_on
        if decided is None:
            for _j, later in remedies[n + 1 :]:
                if later.kind == step.kind and later.result not in (None, "pending"):
                    decided = later.decided_on or later.on
                    break
        out.append((i, step.on, decided))
    return out


def paused_days(ctx: Context, decision_index: int, due: dt.date, end: dt.date) -> int:
    """The late days in (``due``, ``end``] on which the late fee does not accrue: the days
    (filed, decided] of every remedy (up to ``end`` while it is pending), overlapping
    remedies counted once. The day of filing is not counted, the day of the decision is,
    as the catalogue counts periods."""
    if not ctx.by_kind["remedy_filed"]:
        return 0  # no remedy: nothing pauses the fee
    spans = sorted(
        (max(filed, due), min(decided or end, end))
        for _i, filed, decided in remedy_pauses(ctx, decision_index)
    )
    total = 0
    reached = due
    for start, stop in spans:
        start = max(start, reached)
        if stop > start:
            total += (stop - start).days
            reached = stop
    return total


@rule(
    "APL-73-late-fee-paused",
    "compute",
    APL + "第七十三条第三款",
    "While a reconsideration or litigation against the decision is pending, the late fee "
    "does not accrue.",
    APL_FROM,
    reads=("remedy_filed",),
)
def late_fee_paused(ctx: Context) -> Iterator[Item]:
    """Computed by ``paused_days`` for APL-72-late-fee. A remedy whose result is given
    (not ``pending``) without ``decided_on`` is paused up to the audit date, and the
    warning says the file does not show when it ended."""
    for k, _decision in ctx.penalty_decisions[-1:]:
        for i, step in ctx.after(k, "remedy_filed"):
            if step.result not in (None, "pending") and step.decided_on is None:
                yield warning(
                    "APL-73-late-fee-paused",
                    i,
                    "已记录复议或诉讼的结果，但未记录作出决定的日期：滞纳金按复议或诉讼"
                    "仍在进行计算暂停，请核实。",
                    "The result of the reconsideration or litigation is recorded without "
                    "the day it was decided: the late fee is paused as if it were still "
                    "pending — check.",
                )


@rule(
    "ACL-35-demand",
    "block",
    ACL + "第三十五条",
    "A written demand is served before a court application.",
    ACL_FROM,
    reads=("court_application",),
)
def demand(ctx: Context) -> Iterator[Item]:
    for i, _step in ctx.by_kind["court_application"]:
        if not ctx.before(i, "demand"):
            yield error(
                "ACL-35-demand",
                i,
                "申请人民法院强制执行前，未书面催告当事人履行义务。",
                "No written demand to perform was served before the court application.",
                citation=ACL + "第三十五条、第五十四条",
            )


def demand_served(step: Step) -> dt.date:
    return step.served_on or step.on


def premature_demand(ctx: Context, index: int, step: Step) -> dt.date | None:
    """ACL-35-demand-timing: the payment deadline of the decision a demand (at
    ``index``) presses for, when the demand was served on or before it (else None)."""
    if not in_force("ACL-35-demand-timing", demand_served(step)):
        return None
    found = payment(ctx)
    if found is None or found.decision > index:
        return None
    due = found.deadline.due
    return due if demand_served(step) <= due else None


@rule(
    "ACL-35-demand-timing",
    "block",
    ACL + "第三十五条、第五十四条",
    "A demand presupposes that the party failed to perform by the deadline: a demand "
    "before the payment deadline has passed does not start the ACL 54 period.",
    ACL_FROM,
    reads=("demand",),
)
def demand_timing(ctx: Context) -> Iterator[Item]:
    for i, step in ctx.by_kind["demand"]:
        due = premature_demand(ctx, i, step)
        if due is None:
            continue
        served = iso(demand_served(step))
        yield error(
            "ACL-35-demand-timing",
            i,
            f"催告书于{served}送达，罚款缴纳期限至{iso(due)}尚未届满：当事人逾期"
            "不履行的才可以催告，期限届满前的催告不起算第五十四条的期间。",
            f"The demand was served on {served}, before the payment deadline "
            f"({iso(due)}) had passed: only a party that failed to perform by the "
            "deadline is given a demand, and this one does not start the ACL 54 period.",
        )


@rule(
    "ACL-54-court-application",
    "block",
    ACL + "第五十四条、第六十九条",
    "A court application only 10 working days after the demand was served.",
    ACL_FROM,
    reads=("court_application",),
)
def court_application(ctx: Context) -> Iterator[Item]:
    applications = ctx.by_kind["court_application"]
    demands = ctx.by_kind["demand"]
    if not demands or not applications:
        return
    # ACL-35-demand-timing: a demand served before the payment deadline passed does not
    # start the period; the last demand served after it does. Which demands are timely
    # is worked out once (up to the last application), then found by bisection.
    last = applications[-1][0]
    timely = [(j, d) for j, d in demands if j < last and premature_demand(ctx, j, d) is None]
    timely_at = [j for j, _d in timely]
    first_demand = demands[0][0]
    for i, step in applications:
        if first_demand >= i:
            continue
        at = bisect_left(timely_at, i)
        if not at:
            yield error(
                "ACL-54-court-application",
                i,
                "催告书均在罚款缴纳期限届满前送达，第五十四条的十个工作日尚未起算，"
                "不得申请人民法院强制执行。",
                "Every demand was served before the payment deadline had passed: the "
                "ACL 54 period has not started, and no court application may be made.",
            )
            continue
        served = demand_served(timely[at - 1][1])
        days = ctx.params.integer("demand_working_days", served)
        window = ctx.calendar.add_working_days(served, days).due
        if step.on <= window:
            yield error(
                "ACL-54-court-application",
                i,
                f"催告书于{iso(served)}送达，{days}个工作日至{iso(window)}届满，"
                "届满前不得申请人民法院强制执行。",
                f"The demand was served on {iso(served)}; the {days} working days run "
                f"to {iso(window)}, before which no court application may be made.",
            )


def remedy_periods(
    ctx: Context, served_on: dt.date, decision: Step | None = None
) -> tuple[Counted, Counted]:
    """REMEDY-periods: the last day for reconsideration (60 days: ARL 2023 第二十条, before
    2024 ARL 1999 第九条) and for litigation (6 months: ALitL 第四十六条, before 2015-05-01
    three months under ALitL 1989 第三十九条), counted from service of the decision.

    When the decision's ``elements`` are given and lack ``remedies``, the party was not
    told of them: each period then runs from when the party knows of it, at most one year
    from knowing of the act (ARL 2023 第二十条第三款; 法释〔2018〕1号 第六十四条). The file
    cannot show when the party learnt of the remedies, so the latest possible end counts:
    the later of the normal end and one year after service. A parameter without a value
    for the service date raises ParameterError (the audit then says it cannot judge)."""
    reconsideration = ctx.calendar.add_calendar_days(
        served_on, ctx.params.integer("reconsideration_days", served_on)
    )
    litigation = ctx.calendar.add_months(
        served_on, ctx.params.integer("litigation_months", served_on)
    )
    elements = None if decision is None else decision.elements
    if elements is not None and "remedies" not in elements:
        years = ctx.params.integer("reconsideration_untold_max_years", served_on)
        untold = ctx.calendar.add_months(served_on, 12 * years)
        reconsideration = max(reconsideration, untold, key=lambda c: c.due)
        years = ctx.params.integer("litigation_untold_max_years", served_on)
        untold = ctx.calendar.add_months(served_on, 12 * years)
        litigation = max(litigation, untold, key=lambda c: c.due)
    return reconsideration, litigation


@rule(
    "REMEDY-periods",
    "compute",
    ARL
    + "第二十条（2024年1月1日前为1999年《中华人民共和国行政复议法》第九条）；"
    + ALITL
    + "第四十六条；《最高人民法院关于适用〈中华人民共和国行政诉讼法〉的解释》"
    "（法释〔2018〕1号）第六十四条",
    "Reconsideration within 60 days (ARL 20; before 2024 ARL 1999 Art. 9); litigation within "
    "6 months (ALitL 46); at most one year when the decision does not state the remedies.",
    "1999-10-01",
    reads=("served",),
)
def remedies(ctx: Context) -> Iterator[Item]:
    """Computed for ACL-53-court-deadline; the decision's statement of both is checked
    by APL-59-decision-content (element ``remedies``). Not listed on its own."""
    return iter(())


def remedies_end(ctx: Context) -> tuple[int, Counted] | None:
    """The index of the service of the last penalty decision and the later end of its
    remedy periods (REMEDY-periods), counted from the day service took effect
    (CPL-95-public-notice); None when the decision was not served."""
    found = served_decision(ctx)
    if found is None:
        return None
    _k, decision, s, served = found
    effective = service_effective(ctx, served)
    reconsideration, litigation = remedy_periods(ctx, effective.due, decision)
    end = max(reconsideration.due, litigation.due)
    return s, Counted(end, _years(effective, reconsideration, litigation))


@rule(
    "ACL-53-court-too-early",
    "block",
    ACL + "第五十三条；" + ALITL + "第九十七条",
    "The organ applies to the court only after the reconsideration and litigation "
    "periods have ended; an application inside them is refused.",
    ACL_FROM,
    reads=("court_application",),
)
def court_too_early(ctx: Context) -> Iterator[Item]:
    if not ctx.by_kind["court_application"]:
        return
    found = remedies_end(ctx)
    if found is None:
        return
    s, end = found
    for i, _step in ctx.after(s, "court_application"):
        if ctx.steps[i].on <= end.due:
            yield error(
                "ACL-53-court-too-early",
                i,
                f"复议和诉讼期限至{iso(end.due)}届满，期限届满前不得申请人民法院"
                "强制执行：当事人在法定期限内不申请行政复议或者提起行政诉讼，又不履行的，"
                "行政机关方可申请。",
                "The reconsideration and litigation periods run to "
                f"{iso(end.due)}: the organ may apply to the court only after they "
                "have ended without the party applying or performing.",
            )


@rule(
    "APL-72-deferral-court",
    "compute",
    APL + "第七十二条第二款；" + ACL + "第五十三条",
    "With a deferral or instalments approved, the period for applying to the court runs "
    "from the end of the deferral or the last instalment.",
    APL_FROM,
    reads=("deferral_approved",),
)
def deferral_court(ctx: Context) -> Iterator[Item]:
    """Computed by ``court_deadline`` for ACL-53-court-deadline."""
    return iter(())


@rule(
    "ACL-53-court-deadline",
    "deadline",
    ACL + "第五十三条",
    "Apply to the court within 3 months after the remedy periods end.",
    ACL_FROM,
    reads=("demand", "court_application"),
)
def court_deadline(ctx: Context) -> Iterator[Item]:
    """The 3 months run from the later end of the remedy periods (REMEDY-periods, from
    the day service took effect: CPL-95-public-notice); with a deferral or instalments
    approved, from its ``until`` when that is later (APL-72-deferral-court: APL 72(2)
    moves the start to the end of the deferral; the application still cannot come
    before the remedy periods end, ACL-53-court-too-early)."""
    if not (ctx.by_kind["demand"] or ctx.by_kind["court_application"]):
        return
    found = served_decision(ctx)
    remedies = remedies_end(ctx)
    if found is None or remedies is None:
        return
    k, _decision, s, _served = found
    ended = remedies[1]
    start = ended.due
    deferral = approved_deferral(ctx, k)
    if (
        deferral is not None
        and deferral[1].until is not None
        and deferral[1].until > start
        and in_force("APL-72-deferral-court", deferral[1].on)
    ):
        start = deferral[1].until
    months = ctx.params.integer("court_application_months", start)
    due = ctx.calendar.add_months(start, months)
    applied = ctx.first_after(s, "court_application")
    years = _years(ended, due) if start == ended.due else due.unscheduled_years
    yield DeadlineItem(
        "ACL-53-court-deadline",
        start,
        Counted(due.due, years),
        None if applied is None else applied[1].on,
    )
