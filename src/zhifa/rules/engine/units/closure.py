"""CLOSE-conditions (legal-rules.md §9): a case is closed only after a lawful ending,
and the closure is approved by the organ head (结案审批)."""

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal

from ..casefile import Step
from ..catalogue import APL_FROM, Context, Item, error, rule, warning
from ._util import yuan
from .execution import payment

#: The closing reasons of the format (case-file-format.md, "Additions to v1").
REASONS_ZH = {
    "performed": "处罚决定已履行",
    "executed": "处罚决定已执行",
    "no_penalty": "不予行政处罚",
    "not_established": "违法事实不能成立",
    "transferred": "案件已移送",
    "terminated": "案件终止调查",
}
#: A decision changed in these ways no longer stands: its execution terminates (ACL 39).
ANNULLING = ("revoked", "void")
#: The decision outcome each "decided" reason needs.
OUTCOME_OF = {"no_penalty": "no_penalty", "not_established": "not_established"}
OUTCOME_OF["transferred"] = "transfer"
SAMR_CLOSURE = "《市场监督管理行政处罚程序规定》关于结案审批的规定"


def _owed(ctx: Context, k: int, decision: Step, close: int, on: dt.date) -> tuple[float, float]:
    """``_owed_on_closing``, once per audit and closure."""
    return ctx.memo(("owed", k, close), lambda: _owed_on_closing(ctx, k, decision, close, on))


def _owed_on_closing(
    ctx: Context, k: int, decision: Step, close: int, on: dt.date
) -> tuple[float, float]:
    """What the party owed on the day of closing (the fine and the APL 72 late fee,
    late days ending on the day the fine was fully paid) and what it paid before the
    closure."""
    fine = Decimal(str(decision.fine_total()))
    total = Decimal(0)
    full_on: dt.date | None = None
    for _j, step in ctx.between(k, close, "paid"):
        total = fine if step.amount is None else total + Decimal(str(step.amount))
        if full_on is None and total >= fine:
            full_on = step.on
    fee = Decimal(0)
    found = payment(ctx)
    if found is not None and found.decision == k:
        due = found.deadline.due
        late_days = max(((full_on or on) - due).days, 0)
        rate = Decimal(str(ctx.params.number("late_fee_daily_rate", due)))
        fee = min(fine * rate * late_days, fine)
    return float(fine + fee), float(total)


def _in_force(ctx: Context, c: int) -> tuple[int, Step] | None:
    """The last decision before step ``c``, unless it was revoked or declared void
    before ``c`` (its execution then terminates, ACL 39)."""
    decisions = ctx.before(c, "decision")
    if not decisions:
        return None
    k, decision = decisions[-1]
    changes = [s for _j, s in ctx.between(k, c, "decision_changed")]
    if any(s.how in ANNULLING for s in changes):
        return None
    return k, decision


def _problem(
    ctx: Context, c: int, close: Step, found: tuple[int, Step] | None
) -> tuple[str, str] | None:
    """Why closing at step ``c`` is unlawful (zh, en), or None when a lawful ending of
    the kind ``close.reason`` names (any, when it names none of the format's) is shown.
    ``found``: the decision in force (``_in_force``)."""
    reason = close.reason
    if found is None:
        if reason is None and ctx.before(c, "decision"):
            return None  # the decision was revoked or declared void
        if reason is None or reason in ("performed", "executed", *OUTCOME_OF):
            return (
                "案件没有有效的处理决定，只能以终止调查结案，并应写明理由。",
                "The case has no decision in force: it can only be closed as terminated, "
                "with the reasons.",
            )
        return None  # terminated, or another stated reason
    k, decision = found
    if decision.outcome != "penalty":
        if (
            reason in REASONS_ZH
            and reason != "terminated"
            and OUTCOME_OF.get(reason) != decision.outcome
        ):
            return (
                f"结案理由“{REASONS_ZH[reason]}”与处理决定不符。",
                f"The closing reason {reason} does not match the decision ({decision.outcome}).",
            )
        return None
    if reason in (*OUTCOME_OF, "terminated"):
        return (
            f"本案已作出处罚决定，不能以“{REASONS_ZH[reason]}”结案。",
            f"A penalty was decided; the case cannot be closed as {reason}.",
        )
    if not ctx.between(k, c, "served"):
        return (
            "处罚决定尚未送达，未履行或执行完毕，不得结案。",
            "The penalty decision has not been served, let alone performed or executed; "
            "the case cannot be closed.",
        )
    owed, paid = _owed(ctx, k, decision, c, close.on)
    if paid >= owed:
        return None
    court = ctx.between(k, c, "court_application")
    if court and reason != "performed":
        return None  # executed: the court's ruling is not in the file (a warning)
    owed_text, paid_text = yuan(owed), yuan(paid)
    return (
        f"罚款及加处罚款共{owed_text}元，结案时仅缴纳{paid_text}元，处罚决定未履行完毕，"
        "也未执行完毕，不得结案。",
        f"The fine and late fee come to {owed_text} yuan and only {paid_text} yuan was paid "
        "by the closure: the decision was neither performed nor executed; the case cannot "
        "be closed.",
    )


@rule(
    "CLOSE-conditions",
    "block",
    SAMR_CLOSURE,
    "A case is closed only after performance, execution or another lawful ending, "
    "approved by the head.",
    APL_FROM,
    reads=("closed",),
)
def close_conditions(ctx: Context) -> Iterator[Item]:
    for c, close in ctx.by_kind["closed"]:
        found = _in_force(ctx, c)
        problem = _problem(ctx, c, close, found)
        if problem is not None:
            yield error("CLOSE-conditions", c, problem[0], problem[1])
        elif found is not None and found[1].outcome == "penalty":
            owed, paid = _owed(ctx, found[0], found[1], c, close.on)
            if paid < owed:
                yield warning(
                    "CLOSE-conditions",
                    c,
                    "罚款未缴清，以申请人民法院强制执行结案：案卷未载明法院已作出裁定或执行完毕，"
                    "请核实。",
                    "The fine is unpaid and the case is closed on the court application: the "
                    "file does not show the court's ruling or the execution finished — check.",
                )
        if ctx.general and not close.approved_by:
            yield error(
                "CLOSE-conditions",
                c,
                "结案未记录行政机关负责人批准（结案审批）。",
                "The closure does not record the organ head's approval.",
            )
