"""The demo's cases as a plan: what happens in each case and on which day, computed from
a frozen "today" and the engine's working-day calendar — no database.

Each case is planned *forward* from its start, in working days, with the engine's own
calendar (``WorkCalendar``) and the engine's own parameters (``Parameters``: the
hearing-request window of APL 64, the hearing notice period, …), so every step lands
where the law allows it whatever the holidays between: a decision after the
hearing-request window, a hearing at least the notice period after its notice, and so
on. The start is then chosen so that the case's last step lands the intended number of
working days before today. Because every gap is counted in working days, a case spans
the same number of working days on any day; what the demo means a case to show (an
overdue decision deadline, an open payment period, a late disclosure, a warning) is
stated with the case (``CasePlan.expect``) and checked by the tests for every day from
2025 to 2027 (``cases/tests/test_demo_plan.py``), through the engine, in memory.

``document`` turns a plan into the ``zhifa-casefile/1`` document the workflow guard
audits; ``cases.demo`` builds the same plan into the database through the guarded
service layer (the guard asks the same engine).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from stdnum.cn import uscc

from zhifa.registry.demo import certificate_dates, demo_id_number
from zhifa.rules.engine import Parameters, WorkCalendar
from zhifa.rules.engine.casefile import FORMAT

from .casefile import OFFICER_FIELDS
from .services import ALL_ELEMENTS, FORMAT_CIRCUMSTANCE

FSL = "中华人民共和国食品安全法"

#: FSL Art. 122(1), goods worth under 10,000 yuan: 50,000 to 100,000 yuan (catalogue demo).
BASIS_122 = {
    "law": FSL,
    "article": "第一百二十二条第一款",
    "penalty_types": ["fine", "confiscation"],
    "fine_min": 50000,
    "fine_max": 100000,
}
#: FSL Art. 126(1)(6): warning; refusing to correct 5,000 to 50,000 yuan.
BASIS_126 = {
    "law": FSL,
    "article": "第一百二十六条第一款第六项",
    "penalty_types": ["warning", "fine", "suspend_business", "revoke_permit"],
    "fine_min": 5000,
    "fine_max": 50000,
}
EVIDENCE = ["on_site_record", "documentary", "party_statement", "physical"]

#: The power items of the demo (catalogue demo; the county item is added by cases.demo).
LICENCE_ITEM = "JXSJ-CF-001"  # FSL 122: operating without a food business licence
HEALTH_ITEM = "JXSJ-CF-002"  # FSL 126(1)(6): staff without a health certificate
COUNTY_ITEM = "SSJ-CF-001"  # the same as HEALTH_ITEM, for the county organ
COUNTY_ITEM_NAME = "对食品生产经营者安排未取得健康证明的人员从事接触直接入口食品工作的行政处罚"


# --- the people ------------------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    """A registry officer of the demo: ``key`` is how the plan names them."""

    key: str
    name: str
    organ: str  # registry demo organ key
    certificate: str  # number
    state: str  # registry demo certificate state (valid / expiring / ...)
    legal_qualification: bool = False
    post: str = ""
    fields: str = ""
    id_prefix: str = ""  # for the officers the cases demo adds
    head: bool = False  # a head of the organ: the demo user is an organ head (organ_head)

    @property
    def ref(self) -> str:
        """The officer's id in the plan's documents (the database uses ``O<pk>``)."""
        return "P-" + self.key


#: The demo people who act in the cases. 张伟, 李娜, 陈静 and 王强 come from the registry
#: demo (``registry.demo.OFFICERS``); 刘洋 (the head, who approves), 孙悦 (who hosts
#: hearings) and 钱敏 (the county's second officer) are added by ``cases.demo``.
PEOPLE = {
    p.key: p
    for p in (
        Person("zhang", "张伟", "amr", "330400-0001", "valid"),
        Person("li", "李娜", "amr", "330400-0002", "expiring"),
        Person("chen", "陈静", "amr", "330400-0006", "valid", legal_qualification=True),
        Person(
            "liu",
            "刘洋",
            "amr",
            "330400-0007",
            "valid",
            head=True,
            post="局长",
            fields="市场监管",
            id_prefix="33042119840923123",
        ),
        Person(
            "zhao",
            "孙悦",
            "amr",
            "330400-0008",
            "valid",
            legal_qualification=True,
            post="法制科科员（听证主持人）",
            fields="法制审核、听证",
            id_prefix="33040219890814224",
        ),
        Person("wang", "王强", "amr_a", "330421-0001", "valid"),
        Person(
            "qian",
            "钱敏",
            "amr_a",
            "330421-0002",
            "valid",
            post="科员",
            fields="食品安全",
            id_prefix="33042119930517124",
        ),
        Person(
            "shen",
            "沈建华",
            "amr_a",
            "330421-0003",
            "valid",
            head=True,
            post="局长",
            fields="市场监管",
            id_prefix="33042119860615123",
        ),
    )
}


@dataclass(frozen=True)
class Ref:
    """An officer named in a step (resolved to a registry ``Officer`` by cases.demo)."""

    key: str


# --- parties -----------------------------------------------------------------------------


def organisation(name: str, prefix17: str) -> dict[str, Any]:
    return {
        "type": "organisation",
        "name": name,
        "uscc": prefix17 + uscc.calc_check_digit(prefix17),
    }


def individual(name: str, id_prefix17: str) -> dict[str, Any]:
    birth = date(int(id_prefix17[6:10]), int(id_prefix17[10:12]), int(id_prefix17[12:14]))
    return {
        "type": "individual",
        "name": name,
        "id_number": demo_id_number(id_prefix17),
        "birth_date": birth.isoformat(),
    }


# --- the plan ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Action:
    """One thing done in a case on a day. ``kind``: ``step`` (a step of the format,
    ``cases.services.add_step``), ``decision`` (``issue_decision``), ``transfer``
    (``transfer_case``: a decision step with outcome transfer), ``transfer_result``,
    ``suspend`` or ``archive`` (no step of the format). ``fields`` are the step's fields
    in the format, officers as ``Ref``; ``extra`` what the service needs besides."""

    kind: str
    on: date
    actor: str  # demo username
    step: str = ""
    fields: Mapping[str, Any] = field(default_factory=dict)
    extra: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Expect:
    """What the demo means the case to show as of today: deadlines overdue or open (by
    rule ID), warnings on its steps (by rule ID), its status."""

    status: str
    overdue: frozenset[str] = frozenset()
    open: frozenset[str] = frozenset()
    missed: frozenset[str] = frozenset()
    warnings: frozenset[str] = frozenset()


@dataclass
class CasePlan:
    key: str
    title: str  # what the case shows a new user (English, for the tests' messages)
    organ: str  # registry demo organ key
    item: str  # power item code
    opener: str  # demo username
    procedure: str
    party: dict[str, Any]
    violation: dict[str, Any]
    basis: dict[str, Any]
    opened_on: date
    actions: list[Action]
    expect: Expect

    @property
    def last_day(self) -> date:
        return max([self.opened_on, *(a.on for a in self.actions)])

    def steps(self) -> list[Action]:
        return [a for a in self.actions if a.kind in ("step", "decision", "transfer")]


class Planner:
    """Working-day arithmetic from a frozen ``today`` with the engine's calendar and
    parameters."""

    def __init__(self, today: date, calendar: WorkCalendar, params: Parameters | None = None):
        self.today = today
        self.calendar = calendar
        self.params = params or Parameters()

    def back(self, n: int) -> date:
        """The n-th working day before today (n = 0: today, or the last working day
        before it when today is not one)."""
        if n == 0:
            day = self.today
            while not self.calendar.is_working_day(day):
                day -= timedelta(days=1)
            return day
        return self.calendar.subtract_working_days(self.today, n).due

    def forward(self, day: date, n: int) -> date:
        """The n-th working day after ``day`` (n = 0: ``day``)."""
        return day if n == 0 else self.calendar.add_working_days(day, n).due

    def span(self, start: date, end: date) -> int:
        return self.calendar.working_days_between(start, end)

    # The engine's windows (the same parameters and counting as its rule units).

    def hearing_request_due(self, served: date) -> date:
        """APL-64-hearing-request: the last day the party may ask for a hearing."""
        days = self.params.integer("hearing_request_working_days", served)
        return self.calendar.add_working_days(served, days).due

    def payment_due(self, served: date) -> date:
        """APL-67-payment: the last day to pay a fine served on ``served``."""
        days = self.params.integer("payment_days", served)
        return self.calendar.add_calendar_days(served, days).due

    def earliest_hearing(self, served: date) -> date:
        """APL-64-hearing-notice: the earliest day of a hearing noticed on ``served``."""
        days = self.params.integer("hearing_notice_working_days", served)
        return self.calendar.add_working_days(served, days).due

    def fit(self, scenario: Callable[[Case], None], idle: int) -> CasePlan:
        """Plan ``scenario`` forward from a start chosen so that its last action lands
        ``idle`` working days before today."""
        target = self.back(idle)
        start = target
        best: CasePlan | None = None
        for _attempt in range(8):
            case = Case(self, start)
            scenario(case)
            plan = case.plan
            if plan.last_day == target:
                return plan
            if plan.last_day < target:
                if best is None or plan.last_day > best.last_day:
                    best = plan
                start = self.forward(start, self.span(plan.last_day, target))
            else:
                late = self.span(target, plan.last_day)
                start = self.calendar.subtract_working_days(start, late).due
        if best is None:  # every demo case fits: test_demo_plan
            raise AssertionError(f"demo case {plan.key} cannot be planned to end by {target}")
        return best


class Case:
    """Builds one ``CasePlan`` forward from ``start``: each method places its action a
    number of working days after the previous one, or later where the law says so."""

    def __init__(self, planner: Planner, start: date) -> None:
        self.p = planner
        self.start = start
        self.day = start
        self.plan: CasePlan
        self.notice_served: date | None = None
        self.hearing_right = False

    def open(
        self,
        key: str,
        title: str,
        party: dict[str, Any],
        expect: Expect,
        *,
        organ: str = "amr",
        item: str = LICENCE_ITEM,
        opener: str = "officer",
        procedure: str = "general",
        basis: Mapping[str, Any] = BASIS_122,
        harm: str = "ordinary",
        criminal_suspected: bool = False,
        corrected_promptly: bool = False,
        in_review_catalogue: bool = False,
    ) -> Case:
        on = self.start
        self.plan = CasePlan(
            key=key,
            title=title,
            organ=organ,
            item=item,
            opener=opener,
            procedure=procedure,
            party=party,
            violation={
                "occurred_on": (on - timedelta(days=3)).isoformat(),
                "discovered_on": (on - timedelta(days=1)).isoformat(),
                "harm": harm,
                "first_offence": True,
                "corrected_promptly": corrected_promptly,
                "criminal_suspected": criminal_suspected,
                # the organ's review catalogue (catalogue demo) names the decision
                **({"in_review_catalogue": True} if in_review_catalogue else {}),
            },
            basis=dict(basis),
            opened_on=on,
            actions=[],
            expect=expect,
        )
        return self

    def _at(self, gap: int, earliest: date | None = None) -> date:
        day = self.p.forward(self.day, gap)
        if earliest is not None and day < earliest:
            day = earliest
        self.day = day
        return day

    def act(
        self,
        kind: str,
        gap: int,
        actor: str = "officer",
        step: str = "",
        earliest: date | None = None,
        extra: Mapping[str, Any] | None = None,
        **fields: Any,
    ) -> Case:
        on = self._at(gap, earliest)
        self.plan.actions.append(Action(kind, on, actor, step, fields, extra or {}))
        return self

    def step(self, name: str, gap: int, actor: str = "officer", **fields: Any) -> Case:
        return self.act("step", gap, actor, name, **fields)

    # The usual steps of the general procedure (city organ: 张伟 and 李娜 investigate).

    def register(self, gap: int = 1, by: Sequence[str] = ("zhang", "li")) -> Case:
        return self.step("registered", gap, "head", by=[Ref(k) for k in by])

    def investigate(
        self, gap: int = 2, shown: bool = True, officers: Sequence[str] = ("zhang", "li")
    ) -> Case:
        return self.step(
            "investigation",
            gap,
            officers=[Ref(k) for k in officers],
            certificates_shown=shown,
            evidence=list(EVIDENCE),
        )

    def notify(self, gap: int, intended: list[dict[str, Any]], hearing: bool = True) -> Case:
        """The written prior notice, served on the day; with ``hearing`` it offers a
        hearing (the demo's organ tells every party it fines of the hearing right), and
        the hearing-request window of APL 64 runs from it."""
        self.step(
            "prior_notice",
            gap,
            written=True,
            served_on=self.p.forward(self.day, gap).isoformat(),
            intended=intended,
            hearing_right_notified=hearing,
        )
        self.notice_served = self.day
        self.hearing_right = hearing
        return self

    def after_window(self) -> date | None:
        """The first working day after the hearing-request window (APL 64): no decision
        before it (the party did not waive)."""
        if self.notice_served is None or not self.hearing_right:
            return None
        return self.p.forward(self.p.hearing_request_due(self.notice_served), 1)

    def hearing(self, gap: int = 2) -> Case:
        """The party asks for a hearing, is told its time and place, and it is held the
        earliest day APL 64 allows, hosted by 孙悦 (not an investigator)."""
        self.step("hearing_requested", gap)
        notice_day = self.p.forward(self.day, 1)
        hearing_on = self.p.earliest_hearing(notice_day)
        self.step(
            "hearing_notice",
            1,
            served_on=notice_day.isoformat(),
            hearing_on=hearing_on.isoformat(),
        )
        return self.act(
            "step", 0, "officer", "hearing", earliest=hearing_on, host=Ref("zhao"), public=True
        )

    def review(self, gap: int) -> Case:
        return self.step("legal_review", gap, "reviewer", reviewer=Ref("chen"), result="passed")

    def decide(
        self,
        gap: int,
        penalties: list[dict[str, Any]],
        circumstance: str | None,
        outcome: str = "penalty",
    ) -> Case:
        return self.act(
            "decision",
            gap,
            "head",
            "decision",
            earliest=self.after_window(),
            extra={"circumstance": circumstance},
            outcome=outcome,
            penalties=penalties,
            approved_by=Ref("liu"),
            elements=list(ALL_ELEMENTS),
            cites_full_name_and_article=True,
        )

    def transfer(self, gap: int, **extra: Any) -> Case:
        """移送, approved by the head: a decision step with outcome ``transfer``
        (``cases.services.transfer_case``; ``extra``: kind, receiver or organ, reason)."""
        return self.act(
            "transfer",
            gap,
            "head",
            "decision",
            extra=extra,
            outcome="transfer",
            approved_by=Ref("liu"),
        )

    def serve(self, gap: int = 1) -> Case:
        return self.step("served", gap, method="direct", signed_by="recipient")

    def pay(self, gap: int, amount: int) -> Case:
        """Paid ``gap`` working days after the last action, but within the payment
        period of APL 67 (calendar days from service, counted by the engine's rule)."""
        served = next(a.on for a in reversed(self.plan.actions) if a.step == "served")
        due = self.p.payment_due(served)
        on = min(self.p.forward(self.day, gap), due)
        return self.step("paid", self.p.span(self.day, on), amount=amount, onsite=False)

    def disclose(self, gap: int) -> Case:
        return self.step("disclosed", gap)

    def close(self, gap: int, reason: str) -> Case:
        """结案 with its reason, approved and recorded by the head 刘洋 (CLOSE-conditions)."""
        return self.step("closed", gap, "head", reason=reason, approved_by=Ref("liu"))

    def remedy(
        self, gap: int, kind: str, result: str = "pending", head_appeared: bool | None = None
    ) -> Case:
        """The party's reconsideration or litigation (``remedy_filed``): filed pending, or
        its decision recorded on the day it was decided (``record_remedy``)."""
        on = self._at(gap)
        fields: dict[str, Any] = {
            "kind": kind,  # the step's field (``act`` has an argument of that name)
            "result": result,
            "decided_on": None if result == "pending" else on,
        }
        if head_appeared is not None:
            fields["head_appeared"] = head_appeared
        self.plan.actions.append(Action("step", on, "officer", "remedy_filed", fields))
        return self

    def until_review(self, fine: int, collective: bool = False) -> Case:
        """Registration to the passed legal review (about three weeks), after the
        hearing-request window; with ``collective``, the heads' collective discussion
        (APL 57: a fine that carries the hearing right) follows."""
        self.register(1).investigate(2).notify(3, fine_of(fine)).step("statement", 2)
        self.review(self.p.span(self.day, self.after_window() or self.day) + 1)
        if collective:
            self.step("collective_discussion", 1, "head")
        return self

    def until_served(
        self, fine: int, circumstance: str = "general", collective: bool = False
    ) -> Case:
        return self.until_review(fine, collective).decide(2, fine_of(fine), circumstance).serve(1)


def fine_of(amount: int) -> list[dict[str, Any]]:
    return [{"type": "fine", "amount": amount}]


# --- the cases ---------------------------------------------------------------------------

E = frozenset


def _city(p: Planner) -> Iterator[CasePlan]:
    yield p.fit(
        lambda c: c.open(
            "awaiting-registration",
            "opened by officer2, awaiting the head's registration",
            organisation("嘉兴市南湖区禾盛食品商行", "92330402MA2JD8RT0"),
            Expect("awaiting_registration"),
            opener="officer2",
        ),
        idle=1,
    )
    yield p.fit(
        lambda c: c.open(
            "registration-refused",
            "a source the head refused to register (不予立案): no case number issued",
            organisation("嘉兴市南湖区鑫源副食店", "92330402MA2JE5KQ1"),
            Expect("not_registered"),
            opener="officer2",
        ).step(
            "registration_refused",
            1,
            "head",
            reason="经核查，举报所涉行为不属实，不予立案",
            approved_by=Ref("liu"),
        ),
        idle=1,
    )
    yield p.fit(
        lambda c: (
            c.open(
                "certificates-not-recorded",
                "under investigation; the record does not say the certificates were shown",
                organisation("嘉兴悦味餐饮管理有限公司", "91330402MA2B3C4D5"),
                Expect("investigating", warnings=E({"APL-55-show-certificate"})),
                item=HEALTH_ITEM,
                basis=BASIS_126,
            )
            .register(1)
            .investigate(2, shown=False)
        ),
        idle=6,
    )
    yield p.fit(
        lambda c: (
            c.open(
                "seizure",
                "goods seized for 30 days with the head's approval",
                organisation("嘉兴市秀洲区鲜果园水果店", "92330411MA29K7QX1"),
                Expect("investigating", open=E({"ACL-25-seizure", "APL-60-decision-deadline"})),
            )
            .register(1)
            .investigate(1)
            .step("seizure", 2, days=30, approved_by=Ref("liu"))
        ),
        idle=4,
    )
    yield p.fit(
        lambda c: (
            c.open(
                "prior-notice-served",
                "prior notice served: the party's hearing-request window is open",
                organisation("浙江禾丰食品有限公司", "91330402MA28A3PG3"),
                Expect("notified", open=E({"APL-64-hearing-request"})),
            )
            .register(1)
            .investigate(2)
            .notify(10, fine_of(70000))
        ),
        idle=2,
    )
    yield p.fit(
        lambda c: (
            c.open(
                "hearing-requested",
                "an individual asked for a hearing (fine of 60,000 yuan, APL 63)",
                individual("沈建国", "33042119860315123"),
                Expect("hearing"),
            )
            .register(1)
            .investigate(2)
            .notify(9, fine_of(60000))
            .step("hearing_requested", 2)
        ),
        idle=2,
    )
    yield p.fit(
        lambda c: (
            c.open(
                "hearing-held",
                "a hearing held, reviewed, discussed collectively and decided (lighter band); "
                "a major decision (the organ's review catalogue names decisions after a "
                "hearing), its catalogue to be filed with the justice bureau (NA 30)",
                individual("朱海峰", "33042119880412155"),
                Expect("execution", open=E({"APL-67-payment"})),
                in_review_catalogue=True,
            )
            .register(1)
            .investigate(2)
            .notify(5, fine_of(60000))
            .hearing(2)
            .review(3)
            .step("collective_discussion", 2, "head")
            .decide(1, fine_of(60000), "lighter")
            .serve(1)
        ),
        idle=3,
    )
    yield p.fit(
        lambda c: c.open(
            "review-passed",
            "legal review passed: ready for the head's decision",
            organisation("嘉兴市南湖区味道坊小吃店", "92330402MA2LB5N72"),
            Expect("review"),
        ).until_review(70000),
        idle=2,
    )
    yield p.fit(
        lambda c: (
            c.open(
                "decided-heavier",
                "decided in the heavier band, not yet served",
                organisation("嘉兴鑫隆贸易有限公司", "91330402MA2CK8WE2"),
                Expect("decided", open=E({"APL-61-service", "GB118-disclose-decision"})),
            )
            .until_review(90000)
            .decide(2, fine_of(90000), "heavier")
        ),
        idle=2,
    )
    yield p.fit(
        lambda c: (
            c.open(
                "payment-open",
                "decided and served: the payment period is open",
                organisation("嘉兴市秀洲区佳美烘焙坊", "92330411MA2D7HN48"),
                Expect("execution", open=E({"APL-67-payment"})),
            )
            .until_served(75000)
            .disclose(2)
        ),
        idle=2,
    )
    yield p.fit(
        lambda c: (
            c.open(
                "payment-overdue",
                "served a month ago and not paid: the payment deadline is overdue",
                organisation("嘉兴康源食品有限公司", "91330411MA2E9PQ1X"),
                Expect("execution", overdue=E({"APL-67-payment"})),
            )
            .until_served(80000)
            .disclose(3)
        ),
        idle=20,
    )
    yield p.fit(
        lambda c: (
            c.open(
                "paid",
                "paid and disclosed, not yet closed",
                organisation("嘉兴市南湖区福满楼酒家", "92330402MA2F3RB65"),
                Expect("execution"),
            )
            .until_served(65000)
            .disclose(3)
            .pay(5, 65000)
        ),
        idle=15,
    )
    # Reconsideration and litigation (remedy_filed; JX-court-appearance): the head
    # appeared in one of the city organ's two litigations decided (50%, below JX's 80%:
    # the supervisor's warning court_appearance), a reconsideration is pending.
    yield p.fit(
        lambda c: (
            c.open(
                "litigation-head-appeared",
                "paid; the party sued, the court upheld the decision, the head appeared",
                organisation("嘉兴市南湖区味之源餐馆", "92330402MA2K1AB23"),
                Expect("execution"),
            )
            .until_served(62000)
            .disclose(3)
            .pay(4, 62000)
            .remedy(5, "litigation")
            .remedy(20, "litigation", "upheld", head_appeared=True)
        ),
        idle=8,
    )
    yield p.fit(
        lambda c: (
            c.open(
                "litigation-head-absent",
                "paid; the party sued, the court upheld the decision, the head did not appear",
                organisation("嘉兴市秀洲区百味鲜食品店", "92330411MA2K2CD45"),
                Expect("execution"),
            )
            .until_served(64000)
            .disclose(3)
            .pay(4, 64000)
            .remedy(6, "litigation")
            .remedy(25, "litigation", "upheld", head_appeared=False)
        ),
        idle=5,
    )
    yield p.fit(
        lambda c: (
            c.open(
                "reconsideration-pending",
                "paid; the party applied for reconsideration, still pending",
                organisation("嘉兴市南湖区金穗粮油店", "92330402MA2K3EF67"),
                Expect("execution"),
            )
            .until_served(66000)
            .disclose(3)
            .pay(4, 66000)
            .remedy(5, "reconsideration")
        ),
        idle=3,
    )
    yield p.fit(
        lambda c: (
            c.open(
                "archived",
                "the whole procedure: closed and archived",
                organisation("嘉兴市华联副食品有限公司", "91330402MA2G5TR77"),
                Expect("closed"),
            )
            .until_served(70000)
            .disclose(3)
            .pay(4, 70000)
            .close(3, "performed")
            .act("archive", 2)
        ),
        idle=40,
    )
    yield p.fit(
        lambda c: (
            c.open(
                "disclosed-late",
                "paid, but the decision was published late (GB118: 7 working days)",
                organisation("嘉兴禾源农产品有限公司", "91330411MA2H7WU90"),
                Expect("execution", missed=E({"GB118-disclose-decision"})),
            )
            .until_served(68000)
            .pay(6, 68000)
            .disclose(7)
        ),
        idle=30,
    )
    yield p.fit(
        lambda c: (
            c.open(
                "decision-overdue",
                "registered about six months ago and not decided: APL-60 overdue",
                organisation("嘉兴市秀洲区鼎香调味品厂", "92330411MA2J9XW13"),
                Expect("notified", overdue=E({"APL-60-decision-deadline"})),
            )
            .register(1)
            .investigate(2)
            .notify(15, fine_of(70000))
            .step("statement", 3)
        ),
        idle=100,
    )
    yield p.fit(
        lambda c: (
            c.open(
                "no-penalty",
                "a first, minor, promptly corrected violation: no penalty (APL 33)",
                organisation("嘉兴市南湖区小胖烧烤店", "92330402MA2MD3Q48"),
                Expect("closed"),
                item=HEALTH_ITEM,
                basis=BASIS_126,
                harm="minor",
                corrected_promptly=True,
            )
            .register(1)
            .investigate(2)
            .notify(2, [], hearing=False)
            .step("statement", 2)
            .review(2)
            .decide(1, [], None, outcome="no_penalty")
            .serve(1)
            .close(3, "no_penalty")
        ),
        idle=8,
    )
    yield p.fit(
        lambda c: (
            c.open(
                "health-fine",
                "staff without health certificates, refused to correct: a fine (FSL 126)",
                individual("孙丽华", "33042119870108246"),
                Expect("execution", open=E({"APL-67-payment"})),
                item=HEALTH_ITEM,
                basis=BASIS_126,
            )
            .until_served(30000, collective=True)
            .disclose(2)
        ),
        idle=3,
    )
    yield p.fit(
        lambda c: (
            c.open(
                "criminal-transfer",
                "a suspected crime transferred to the public security organ (APL 27)",
                organisation("嘉兴市南湖区永丰肉类加工厂", "92330402MA2KC6P59"),
                Expect("transferred"),
                harm="serious",
                criminal_suspected=True,
            )
            .register(1)
            .investigate(2)
            .transfer(
                8,
                kind="judicial",
                receiver_name="嘉兴市公安局南湖区分局",
                reason="涉嫌生产、销售不符合安全标准的食品罪，依法移送公安机关",
            )
        ),
        idle=7,
    )
    yield p.fit(
        lambda c: (
            c.open(
                "jurisdiction-transfer",
                "outside the city organ's jurisdiction: transferred to the county organ, accepted",
                organisation("嘉善县惠民副食品店", "92330421MA2CG2M84"),
                Expect("transferred"),
            )
            .register(1)
            .investigate(2)
            .transfer(
                2,
                kind="organ",
                to_organ="amr_a",
                reason="违法行为发生地在嘉善县，依法由嘉善县市场监督管理局管辖",
            )
            .act(
                "transfer_result",
                3,
                "officer",
                extra={"result": "accepted", "note": "已接收，依法立案查处"},
            )
        ),
        idle=6,
    )
    yield p.fit(
        lambda c: (
            c.open(
                "suspended",
                "suspended (中止) while food samples are tested",
                individual("钱晓红", "33041119850620234"),
                Expect("investigating"),
            )
            .register(1)
            .investigate(1)
            .act(
                "suspend",
                9,
                "head",
                extra={"reason": "等待食品抽样检验结果（检验期间不计入办案期限）"},
            )
        ),
        idle=14,
    )


def _county(p: Planner) -> Iterator[CasePlan]:
    yield p.fit(
        lambda c: c.open(
            "county-awaiting-registration",
            "the county organ: opened, awaiting registration",
            organisation("嘉善县魏塘街道好运来面馆", "92330421MA2BF1L63"),
            Expect("awaiting_registration"),
            organ="amr_a",
            item=COUNTY_ITEM,
            opener="officer.county",
            basis=BASIS_126,
        ),
        idle=1,
    )
    yield p.fit(
        lambda c: (
            c.open(
                "summary",
                "the summary procedure (当场处罚, APL 51): a warning on the spot",
                individual("陆小兵", "33042119900208345"),
                Expect("closed"),
                organ="amr_a",
                item=COUNTY_ITEM,
                opener="officer.county",
                procedure="summary",
                basis=BASIS_126,
                harm="minor",
            )
            .step(
                "investigation",
                0,
                "officer.county",
                officers=[Ref("wang"), Ref("qian")],
                certificates_shown=True,
                evidence=["on_site_record"],
            )
            .step(
                "prior_notice",
                0,
                "officer.county",
                written=False,
                served_on=c.day.isoformat(),
                intended=[{"type": "warning"}],
                hearing_right_notified=False,
            )
            .act(
                "decision",
                0,
                "officer.county",
                "decision",
                extra={"circumstance": None},
                outcome="penalty",
                penalties=[{"type": "warning"}],
                approved_by=Ref("wang"),
                elements=list(ALL_ELEMENTS),
                cites_full_name_and_article=True,
            )
            .step("served", 0, "officer.county", method="on_the_spot", signed_by="recipient")
            .step("disclosed", 2, "officer.county")
            .step("closed", 1, "officer.county", reason="performed")
        ),
        idle=9,
    )


def plan(today: date, calendar: WorkCalendar) -> list[CasePlan]:
    """Every demo case planned for ``today``, city organ first, in the order they are
    created."""
    planner = Planner(today, calendar)
    return [*_city(planner), *_county(planner)]


# --- the case file the guard audits ---------------------------------------------------------

#: The registry demo organs the cases belong to: name, region code, subject type.
ORGANS = {
    "amr": ("嘉兴市市场监督管理局", "330400", "statutory"),
    "amr_a": ("嘉善县市场监督管理局", "330421", "statutory"),
}
#: Each organ's power items (catalogue demo, and the county item of cases.demo).
POWERS = {
    "amr": ("JXSJ-CF-001", "JXSJ-CF-002", "JXSJ-XK-001"),
    "amr_a": (COUNTY_ITEM,),
}
#: The published benchmark bands of the demo power items (catalogue demo):
#: item → catalogue circumstance → (fine_min, fine_max).
BANDS: dict[str, dict[str, tuple[float, float]]] = {
    LICENCE_ITEM: {
        "mitigated": (20000, 50000),
        "lighter": (50000, 65000),
        "general": (65000, 85000),
        "heavier": (85000, 100000),
    },
    HEALTH_ITEM: {
        "lighter": (5000, 20000),
        "general": (20000, 35000),
        "heavier": (35000, 50000),
    },
}


def _value(value: Any) -> Any:
    if isinstance(value, Ref):
        return PEOPLE[value.key].ref
    if isinstance(value, list):
        return [_value(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    return value


def _officer(person: Person, today: date, first_time: bool = False) -> dict[str, Any]:
    valid_from, valid_to = certificate_dates(person.state, today)
    return {
        "id": person.ref,
        "name": person.name,
        "certificate": {
            "number": person.certificate,
            "valid_from": valid_from.isoformat(),
            "valid_to": valid_to.isoformat(),
            "status": "valid",
        },
        "auxiliary": False,
        "legal_qualification": person.legal_qualification,
        "first_time_reviewer": first_time,
        "conflict_of_interest": False,
        "organ_head": person.head,
    }


def _first_reviews(plan: CasePlan, upto: int | None = None) -> dict[str, date]:
    """Each reviewer's first legal review in ``plan`` (person key → day)."""
    first: dict[str, date] = {}
    actions = plan.steps()[:upto] if upto is not None else plan.steps()
    for action in actions:
        ref = action.fields.get("reviewer")
        if action.step == "legal_review" and isinstance(ref, Ref):
            first[ref.key] = min(first.get(ref.key, action.on), action.on)
    return first


def first_time_reviewers(
    plans: Sequence[CasePlan], plan: CasePlan, upto: int | None = None
) -> set[str]:
    """The reviewers of ``plan`` reviewing for the first time, as the export counts them
    (``cases.casefile.first_time_reviewers``): no review of another case of the organ
    names them on an earlier day."""
    first = _first_reviews(plan, upto)
    seen = {
        key
        for other in plans
        if other is not plan and other.organ == plan.organ
        for key, on in _first_reviews(other).items()
        if key in first and on < first[key]
    }
    return set(first) - seen


def suspended_days(plan: CasePlan, as_of: date) -> int:
    """Calendar days of an open suspension inside the decision clock (from the
    registration, the case being undecided): ``cases.casefile.suspended_days``."""
    start = next((a.on for a in plan.actions if a.kind == "step" and a.step == "registered"), None)
    suspended = next((a.on for a in plan.actions if a.kind == "suspend"), None)
    if start is None or suspended is None:
        return 0
    first = max(suspended, start)
    return max((max(as_of, suspended) - first).days, 0)


def document(
    plan: CasePlan, today: date, upto: int | None = None, first_time: Collection[str] = ()
) -> dict[str, Any]:
    """The ``zhifa-casefile/1`` document of ``plan`` as of ``today`` (with its first
    ``upto`` steps only, when given): what the workflow guard audits. ``first_time``: the
    person keys of its first-time reviewers (``first_time_reviewers``)."""
    name, region, subject_type = ORGANS[plan.organ]
    actions = plan.steps()[:upto] if upto is not None else plan.steps()
    steps = []
    benchmark = None
    for action in actions:
        data = {"step": action.step, "on": action.on.isoformat()}
        data.update({k: _value(v) for k, v in action.fields.items()})
        steps.append(data)
        circumstance = action.extra.get("circumstance")
        if action.kind == "decision" and circumstance:
            low, high = BANDS[plan.item][circumstance]
            benchmark = {
                "circumstance": FORMAT_CIRCUMSTANCE[circumstance],
                "fine_min": float(low),
                "fine_max": float(high),
                "reason_outside_band": None,
            }
    people: dict[str, dict[str, Any]] = {}
    for action in actions:
        for key in OFFICER_FIELDS:
            value = action.fields.get(key)
            for ref in value if isinstance(value, list) else [value]:
                if isinstance(ref, Ref) and ref.key not in people:
                    people[ref.key] = _officer(PEOPLE[ref.key], today, ref.key in first_time)
    settings: dict[str, Any] = {}
    excluded = suspended_days(plan, today)
    if excluded:
        settings["decision_excluded_days"] = excluded
    if benchmark is None and any(a.step == "decision" for a in actions):
        # DISC-benchmark: whether the item has published bands (the export says so for a
        # decision without a benchmark)
        settings["benchmark_published"] = plan.item in BANDS
    doc: dict[str, Any] = {
        "format": FORMAT,
        "case_id": f"demo-{plan.key}",
        "kind": "penalty",
        "procedure": plan.procedure,
        "as_of": today.isoformat(),
        "settings": settings,
        "agency": {
            "name": name,
            "region_code": region,
            "subject_type": subject_type,
            "powers": sorted(POWERS[plan.organ]),
        },
        "power": plan.item,
        "power_kind": "penalty",  # every demo item is a penalty item (POWER-kind)
        "party": dict(plan.party),
        "violation": dict(plan.violation),
        "basis": dict(plan.basis),
    }
    if benchmark is not None:
        doc["benchmark"] = benchmark
    doc["officers"] = list(people.values())
    doc["steps"] = steps
    return doc


def lawful_findings(plan: CasePlan, today: date, calendar: WorkCalendar) -> list[str]:
    """What the guard would refuse in ``plan``: each step checked as the guard checks it
    (the engine's errors on the file up to that step, as of the step's day), plus the
    errors of the whole file as of today. Empty when every step is lawful."""
    from zhifa.rules.engine import CaseFile, Step, audit, check_step

    problems = []
    count = len(plan.steps())
    for n in range(count):
        doc = document(plan, today, upto=n + 1)
        base = CaseFile.from_dict({**doc, "steps": doc["steps"][:-1]})
        proposed = Step.from_dict(doc["steps"][-1])
        for f in check_step(base, proposed, on=proposed.on, calendar=calendar):
            problems.append(f"{plan.key} step {n} ({proposed.step} {proposed.on}): {f.rule}")
    whole = audit(CaseFile.from_dict(document(plan, today)), today, calendar)
    problems += [
        f"{plan.key} step {f.step}: {f.rule} {f.message.en}"
        for f in whole.findings
        if f.severity == "error"
    ]
    return problems
