"""Section 5 of legal-rules.md: service and execution (送达与执行)."""

import datetime as dt
from collections.abc import Iterator
from decimal import ROUND_HALF_UP, Decimal

from ..casefile import Step
from ..catalogue import (
    ACL,
    ACL_FROM,
    ALITL,
    APL,
    APL_FROM,
    ARL,
    AmountItem,
    Context,
    DeadlineItem,
    Item,
    error,
    rule,
    warning,
)
from ..workdays import Counted
from ._util import yuan


def served_decision(ctx: Context) -> tuple[int, Step, int, Step] | None:
    """The last penalty decision and the service of it (None when not served)."""
    if not ctx.penalty_decisions:
        return None
    k, decision = ctx.penalty_decisions[-1]
    served = ctx.first_after(k, "served")
    if served is None:
        return None
    return k, decision, served[0], served[1]


def payment_deadline(ctx: Context) -> tuple[int, Counted] | None:
    """APL 67: 15 calendar days after service (next working day when it ends on a
    non-working day), or the ``until`` of an approved deferral. Returns the decision
    index and the deadline, or None when no fine was decided and served."""
    found = served_decision(ctx)
    if found is None:
        return None
    k, decision, _s, served = found
    if decision.fine_total() <= 0:
        return None
    deferrals = ctx.after(k, "deferral_approved")
    if deferrals and deferrals[-1][1].until is not None:
        return k, Counted(deferrals[-1][1].until)
    days = ctx.params.integer("payment_days", served.on)
    return k, ctx.calendar.add_calendar_days(served.on, days)


@rule(
    "APL-61-service",
    "deadline",
    APL + "第六十一条",
    "The decision is served on the spot or within 7 working days; electronic only with consent.",
    APL_FROM,
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
    for i, step in ctx.indexed("served"):
        if step.method == "electronic" and step.electronic_consent is not True:
            yield error(
                "APL-61-service",
                i,
                "采用电子方式送达，但当事人未签署同意电子送达的确认书。",
                "The decision was served electronically without the party's signed consent.",
            )


def full_payment(ctx: Context, decision_index: int) -> tuple[float, float, dt.date | None]:
    """APL 67 / APL 72: the fine decided, the sum of the ``paid`` amounts after the
    decision, and the day the running sum first reached the fine (None when it has not).
    A ``paid`` step without an amount is taken as paying the rest of the fine."""
    fine = Decimal(str(ctx.steps[decision_index].fine_total()))
    total = Decimal(0)
    full_on: dt.date | None = None
    for _i, step in ctx.after(decision_index, "paid"):
        total = fine if step.amount is None else total + Decimal(str(step.amount))
        if full_on is None and total >= fine:
            full_on = step.on
    return float(fine), float(total), full_on


@rule(
    "APL-67-payment",
    "deadline",
    APL + "第六十七条",
    "The fine is paid within 15 calendar days of receiving the decision.",
    APL_FROM,
)
def payment(ctx: Context) -> Iterator[Item]:
    """The deadline is met only when the payments add up to the fine by the due date."""
    found = payment_deadline(ctx)
    if found is None:
        return
    k, deadline = found
    fine, total, full_on = full_payment(ctx, k)
    served = served_decision(ctx)
    assert served is not None
    yield DeadlineItem("APL-67-payment", served[3].on, deadline, full_on)
    payments = ctx.after(k, "paid")
    if payments and full_on is None:
        yield warning(
            "APL-67-payment",
            payments[-1][0],
            f"罚款{yuan(fine)}元，已缴纳{yuan(total)}元，尚未缴清。",
            f"The fine of {yuan(fine)} yuan is not fully paid: {yuan(total)} yuan paid.",
        )


@rule(
    "APL-68-onsite-collection",
    "block",
    APL + "第六十八条",
    "On-the-spot collection only for small fines or where later collection is hard.",
    APL_FROM,
)
def onsite(ctx: Context) -> Iterator[Item]:
    decisions = ctx.penalty_decisions
    fine = decisions[-1][1].fine_total() if decisions else 0.0
    for i, step in ctx.indexed("paid"):
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


def _money(value: Decimal) -> float:
    return float(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


@rule(
    "APL-72-late-fee",
    "compute",
    APL + "第七十二条",
    "After the payment deadline, 3% of the fine per day, never more than the fine.",
    APL_FROM,
)
def late_fee(ctx: Context) -> Iterator[Item]:
    found = payment_deadline(ctx)
    if found is None:
        yield AmountItem("APL-72-late-fee", "late_fee", None)
        return
    k, deadline = found
    _fine, _total, full_on = full_payment(ctx, k)
    end = ctx.as_of if full_on is None else full_on  # late days end when fully paid
    late_days = max((end - deadline.due).days, 0)
    fine = Decimal(str(ctx.steps[k].fine_total()))
    rate = Decimal(str(ctx.params.number("late_fee_daily_rate", deadline.due)))
    fee = min(fine * rate * late_days, fine)
    yield AmountItem("APL-72-late-fee", "late_fee", _money(fee))


@rule(
    "ACL-35-demand",
    "block",
    ACL + "第三十五条",
    "A written demand is served before a court application.",
    ACL_FROM,
)
def demand(ctx: Context) -> Iterator[Item]:
    for i, _step in ctx.indexed("court_application"):
        if not ctx.before(i, "demand"):
            yield error(
                "ACL-35-demand",
                i,
                "申请人民法院强制执行前，未书面催告当事人履行义务。",
                "No written demand to perform was served before the court application.",
                citation=ACL + "第三十五条、第五十四条",
            )


@rule(
    "ACL-54-court-application",
    "block",
    ACL + "第五十四条、第六十九条",
    "A court application only 10 working days after the demand was served.",
    ACL_FROM,
)
def court_application(ctx: Context) -> Iterator[Item]:
    for i, step in ctx.indexed("court_application"):
        demands = ctx.before(i, "demand")
        if not demands:
            continue
        served = demands[-1][1].served_on or demands[-1][1].on
        days = ctx.params.integer("demand_working_days", served)
        window = ctx.calendar.add_working_days(served, days).due
        if step.on <= window:
            yield error(
                "ACL-54-court-application",
                i,
                f"催告书于{served.isoformat()}送达，{days}个工作日至{window.isoformat()}届满，"
                "届满前不得申请人民法院强制执行。",
                f"The demand was served on {served.isoformat()}; the {days} working days run "
                f"to {window.isoformat()}, before which no court application may be made.",
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
)
def remedies(ctx: Context) -> Iterator[Item]:
    """Computed for ACL-53-court-deadline; the decision's statement of both is checked
    by APL-59-decision-content (element ``remedies``). Not listed on its own."""
    return iter(())


@rule(
    "ACL-53-court-deadline",
    "deadline",
    ACL + "第五十三条",
    "Apply to the court within 3 months after the remedy periods end.",
    ACL_FROM,
)
def court_deadline(ctx: Context) -> Iterator[Item]:
    if not (ctx.indexed("demand") or ctx.indexed("court_application")):
        return
    found = served_decision(ctx)
    if found is None:
        return
    _k, decision, s, served = found
    reconsideration, litigation = remedy_periods(ctx, served.on, decision)
    remedies_end = max(reconsideration.due, litigation.due)
    months = ctx.params.integer("court_application_months", remedies_end)
    due = ctx.calendar.add_months(remedies_end, months)
    years = sorted(
        {*reconsideration.unscheduled_years, *litigation.unscheduled_years, *due.unscheduled_years}
    )
    applied = ctx.first_after(s, "court_application")
    if applied is not None and applied[1].on <= remedies_end:
        yield warning(
            "ACL-53-court-deadline",
            applied[0],
            f"申请人民法院强制执行时，复议和诉讼期限尚未届满（至{remedies_end.isoformat()}）。",
            "The court application was made before the reconsideration and litigation "
            f"periods ended ({remedies_end.isoformat()}).",
        )
    yield DeadlineItem(
        "ACL-53-court-deadline",
        remedies_end,
        Counted(due.due, tuple(years)),
        None if applied is None else applied[1].on,
    )
