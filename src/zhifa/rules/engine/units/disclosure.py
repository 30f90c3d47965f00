"""Section 6 of legal-rules.md: disclosure (公示)."""

from collections.abc import Iterator

from ..casefile import penalty_type
from ..catalogue import APL, APL_FROM, GB118, Context, DeadlineItem, Item, rule, warning
from ..publication import Scope, default_data, region_chain, scope_for


def disclosure_scope(ctx: Context) -> Scope:
    """DISC-scope for the case's agency: the engine's data (``rules/data/disclosure.toml``)
    by its region. A case file names no sector, so only the entries for every sector
    apply here; an organ's sector entries (the platform's ``disclosure.DisclosureScope``)
    decide what the platform publishes, not what the audit expects."""
    scopes = default_data().scopes
    region = ctx.case.agency.region_code
    by_region = _BY_REGION
    if scopes is not _READ_FROM[0]:  # other data (a test's): start again
        _READ_FROM[0] = scopes
        by_region.clear()
    found = by_region.get(region)
    if found is None:
        if len(by_region) >= 10_000:
            by_region.clear()
        found = by_region[region] = scope_for(scopes, "", region_chain(region))
    return found


#: ``disclosure_scope``'s answers by region code (once per process, not per audit), and
#: the scopes they were read from (the engine's data, loaded once)
_BY_REGION: dict[str, Scope] = {}
_READ_FROM: list[tuple[Scope, ...] | None] = [None]


@rule(
    "GB118-disclose-decision",
    "deadline",
    GB118,
    "Penalty decisions within DISC-scope are published within 7 working days (configurable).",
    "2018-12-05",
    reads=("decision",),
)
def disclose(ctx: Context) -> Iterator[Item]:
    decisions = ctx.penalty_decisions
    if not decisions:
        return
    scope = disclosure_scope(ctx)
    procedure = ctx.case.procedure or ""
    for k, decision in decisions:
        # DISC-scope: a decision the scope does not publish (by default a summary-procedure
        # one) has no publication deadline.
        if not scope.covers(procedure, map(penalty_type, decision.penalties)):
            continue
        days = ctx.params.integer(scope.working_days, decision.on)
        disclosed = ctx.first_after(k, "disclosed")
        yield DeadlineItem(
            "GB118-disclose-decision",
            decision.on,
            ctx.calendar.add_working_days(decision.on, days),
            None if disclosed is None else disclosed[1].on,
        )


@rule(
    "APL-48-withdraw",
    "deadline",
    APL + "第四十八条",
    "A published decision that is changed or revoked is withdrawn within 3 working days.",
    APL_FROM,
    reads=("decision_changed", "disclosure_withdrawn"),
)
def withdraw(ctx: Context) -> Iterator[Item]:
    for c, changed in ctx.by_kind["decision_changed"]:
        if not ctx.before(c, "disclosed"):
            continue
        days = ctx.params.integer("withdraw_working_days", changed.on)
        withdrawn = ctx.first_after(c, "disclosure_withdrawn")
        yield DeadlineItem(
            "APL-48-withdraw",
            changed.on,
            ctx.calendar.add_working_days(changed.on, days),
            None if withdrawn is None else withdrawn[1].on,
        )
    for i, step in ctx.by_kind["disclosure_withdrawn"]:
        if step.reason_published is not True:
            yield warning(
                "APL-48-withdraw",
                i,
                "撤回已公开的处罚决定信息时未公开说明理由。",
                "The published decision was withdrawn without publishing the reason.",
            )
