"""The data checks of case-file-format.md (not legal rules, but findings)."""

from collections.abc import Iterator
from functools import lru_cache

from stdnum.cn import ric, uscc

from ..casefile import Step
from ..catalogue import Context, Item, error, iso, rule

ALL_KINDS = ("penalty", "licensing", "coercion")


@lru_cache(maxsize=4096)
def _uscc_ok(number: str) -> bool:
    return bool(uscc.is_valid(number))


@lru_cache(maxsize=4096)
def ric_check_digit_ok(number: str) -> bool:
    """GB 11643: 18 characters, 17 digits and a check character (0-9 or X)."""
    value = number.strip().upper()
    if len(value) != 18 or not value.isascii() or not value[:17].isdigit():
        return False
    return bool(ric.calc_check_digit(value) == value[17])  # takes the full number


@rule(
    "DATA-party-id",
    "data",
    "《公民身份号码》（GB 11643—1999）；《法人和其他组织统一社会信用代码编码规则》"
    "（GB 32100—2015）",
    "An id_number or uscc passes its national check digit.",
    None,
    case_kinds=ALL_KINDS,
)
def party_id(ctx: Context) -> Iterator[Item]:
    party = ctx.case.party
    if party.id_number is not None and not ric_check_digit_ok(party.id_number):
        yield error(
            "DATA-party-id",
            None,
            f"当事人公民身份号码“{party.id_number}”校验码错误（GB 11643）。",
            f"The party's ID number “{party.id_number}” fails its check digit (GB 11643).",
        )
    if party.uscc is not None and not _uscc_ok(party.uscc):
        yield error(
            "DATA-party-id",
            None,
            f"当事人统一社会信用代码“{party.uscc}”校验码错误（GB 32100）。",
            f"The party's unified social credit code “{party.uscc}” fails its check "
            "digits (GB 32100).",
        )


@rule(
    "DATA-step-order",
    "data",
    "《案卷交换格式》第1版（zhifa-casefile/1）",
    "Steps are in date order, after the registration, a decision after its notice.",
    None,
    case_kinds=ALL_KINDS,
)
def step_order(ctx: Context) -> Iterator[Item]:
    registrations = ctx.by_kind["registered"]
    registered_on = registrations[0][1].on if registrations and ctx.general else None
    if ctx.in_date_order and (registered_on is None or registered_on <= ctx.first_day):
        # nothing out of order, nothing before the registration, and so no decision
        # before a prior notice that precedes it (nearly every file)
        return
    previous: Step | None = None
    notice: Step | None = None  # the last prior notice before the step
    for i, step in enumerate(ctx.steps):
        kind = step.step
        if previous is not None and step.on < previous.on:
            yield error(
                "DATA-step-order",
                i,
                f"步骤日期{iso(step.on)}早于前一步骤（{iso(previous.on)}），步骤未按日期排列。",
                f"The step is dated {iso(step.on)}, before the previous step "
                f"({iso(previous.on)}): steps are not in date order.",
            )
        elif registered_on is not None and step.on < registered_on:
            yield error(
                "DATA-step-order",
                i,
                f"普通程序中该步骤日期{iso(step.on)}早于立案日期{iso(registered_on)}。",
                f"In the general procedure this step ({iso(step.on)}) is dated before "
                f"the registration ({iso(registered_on)}).",
            )
        elif kind == "decision" and notice is not None and step.on < notice.on:
            yield error(
                "DATA-step-order",
                i,
                f"决定日期{iso(step.on)}早于事先告知日期{iso(notice.on)}。",
                f"The decision ({iso(step.on)}) is dated before its prior notice "
                f"({iso(notice.on)}).",
            )
        if kind == "prior_notice":
            notice = step
        previous = step
