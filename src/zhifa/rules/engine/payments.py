"""The payment facts of a case file (issue #14): what the last penalty decision decided,
what was paid of it, the late fee (加处罚款, APL 72) as of a date and what is still
owed, as data for the case page and the API.

Nothing here is law of its own: each number is the fact the rules use
(``units.execution``: ``payment`` for APL-67-payment and ``late_fee_of`` for
APL-72-late-fee, remembered once per audit), so what the page shows and what the rules
report cannot disagree. The audit computes them with its findings
(``AuditResult.payments``); ``audit.payment_facts`` does it for a case file alone.

Money is ``Decimal`` rounded to the fen (0.01 yuan, half up, as APL-72-late-fee rounds).
"""

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from .catalogue import Context
from .parameters import ParameterError
from .units.execution import (
    approved_deferral,
    late_fee_of,
    payment,
    served_decision,
    service_effective,
)

FEN = Decimal("0.01")


def money(value: float | Decimal) -> Decimal:
    """An amount in yuan as Decimal, rounded to the fen."""
    return Decimal(str(value)).quantize(FEN, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class PenaltyDecided:
    """One penalty of the decision: its type (the format's ``penalty.type``) and amount
    (fines and confiscation; None when the format gives none)."""

    type: str
    amount: Decimal | None


@dataclass(frozen=True)
class PaymentMade:
    """One ``paid`` step after the decision: its index, day and amount (None: recorded
    without an amount, which the rules take as paying the rest of the fine), whether it
    was collected on the spot, and the running total the rules count after it."""

    step: int
    on: dt.date
    amount: Decimal | None
    onsite: bool
    total: Decimal


@dataclass(frozen=True)
class PaymentFacts:
    """The payment facts of the last penalty decision as of ``as_of``.

    ``deadline`` is the APL-67 payment deadline (None until the decision is served or
    when it decides no fine); ``late_fee`` the APL-72 late fee accrued by ``as_of``
    (None when there is no deadline or the engine cannot judge it: ``cannot_judge``
    names the parameter it lacks), never more than ``late_fee_cap`` (the fine).
    ``fine_outstanding`` is the fine not yet paid; ``outstanding`` adds the late fee
    (payments beyond the fine count against the late fee)."""

    as_of: dt.date
    decision: int
    decided_on: dt.date
    penalties: tuple[PenaltyDecided, ...]
    fine: Decimal
    served_on: dt.date | None
    #: the day service took effect (public notice: when the notice period ends)
    service_effective_on: dt.date | None
    deferral_approved_on: dt.date | None
    deferred_until: dt.date | None
    deadline: dt.date | None
    payments: tuple[PaymentMade, ...]
    paid: Decimal
    paid_in_full_on: dt.date | None
    late_days: int
    paused_days: int
    late_fee_daily_rate: Decimal | None
    late_fee: Decimal | None
    late_fee_cap: Decimal | None
    fine_outstanding: Decimal
    outstanding: Decimal
    cannot_judge: str | None = None

    @property
    def overdue(self) -> bool:
        """The fine is not paid in full and the deadline has passed."""
        return (
            self.deadline is not None
            and self.paid_in_full_on is None
            and self.fine > 0
            and self.as_of > self.deadline
        )


def facts_of(ctx: Context) -> PaymentFacts | None:
    """``_facts``, once per audit (None: the case has no penalty decision)."""
    return ctx.fact(_facts)


def _facts(ctx: Context) -> PaymentFacts | None:
    if not ctx.penalty_decisions:
        return None
    k, decision = ctx.penalty_decisions[-1]
    penalties = tuple(
        PenaltyDecided(p.type, None if p.amount is None else money(p.amount))
        for p in decision.penalties
    )
    fine = money(decision.fine_total())
    found = served_decision(ctx)
    served = None if found is None else found[3]
    deferral = approved_deferral(ctx, k)
    cannot_judge: str | None = None
    effective: dt.date | None = None
    deadline: dt.date | None = None
    late = None
    try:
        if served is not None:
            effective = service_effective(ctx, served).due
        due = payment(ctx)
        if due is not None:
            deadline = due.deadline.due
            late = late_fee_of(ctx)
    except ParameterError as missing:
        cannot_judge = missing.name
    except OverflowError:
        pass  # a period that would end after 9999-12-31: nothing to judge
    payments: list[PaymentMade] = []
    total = Decimal(0)
    full_on: dt.date | None = None
    for i, step in ctx.after(k, "paid") if ctx.by_kind["paid"] else ():
        # as ``units.execution._payment`` counts them
        total = fine if step.amount is None else total + money(step.amount)
        if full_on is None and fine > 0 and total >= fine:
            full_on = step.on
        amount = None if step.amount is None else money(step.amount)
        payments.append(PaymentMade(i, step.on, amount, bool(step.onsite), total))
    fee = None if late is None else money(late.fee)
    fine_outstanding = max(fine - total, Decimal(0)).quantize(FEN)
    outstanding = max(fine + (fee or Decimal(0)) - total, Decimal(0)).quantize(FEN)
    return PaymentFacts(
        as_of=ctx.as_of,
        decision=k,
        decided_on=decision.on,
        penalties=penalties,
        fine=fine,
        served_on=None if served is None else served.on,
        service_effective_on=effective,
        deferral_approved_on=None if deferral is None else deferral[1].on,
        deferred_until=None if deferral is None else deferral[1].until,
        deadline=deadline,
        payments=tuple(payments),
        paid=total.quantize(FEN),
        paid_in_full_on=full_on,
        late_days=0 if late is None else late.late_days,
        paused_days=0 if late is None else late.paused_days,
        late_fee_daily_rate=None if late is None else late.daily_rate,
        late_fee=fee,
        late_fee_cap=None if late is None else money(late.cap),
        fine_outstanding=fine_outstanding,
        outstanding=outstanding,
        cannot_judge=cannot_judge,
    )
