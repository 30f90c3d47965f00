"""Demo cases: penalty cases of 嘉兴市市场监督管理局 (the organ of the demo users
``officer``, ``officer2``, ``reviewer`` and ``head``) in every stage, and two of
嘉善县市场监督管理局 (``officer.county``). Every case goes through the service layer
(``cases.services``), the guarded path that asks the rules engine, with the user who
would act: the head approves registrations and decisions, the reviewer records the
legal review with their own registry officer.

The dates are relative to today (working days from the database calendar), so that
the open deadlines, the overdue ones (the APL-60 decision deadline, the APL-67 payment)
and the warnings (APL-55: certificates shown not recorded; APL-54 on the summary case)
are there whenever the demo is loaded. Parties are made up;
their USCC and ID numbers carry correct check characters.

The demo users need registry officers: this module links the demo officers to their
user accounts, adds the head (刘洋) as an officer of the city organ, a second
certified officer and a power item for the county organ (its summary case needs two
officers, APL 42), all through the registry and catalogue services as the demo
supervisor. Idempotent: the cases are created once (when the demo organs have none);
the record's chains are signed again at the end (``create_checkpoints``), so a second
run writes nothing.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, TextIO

from django.utils import timezone
from stdnum.cn import uscc

from zhifa.accounts.models import User
from zhifa.catalogue import services as catalogue_services
from zhifa.catalogue.models import Article, PowerCategory, PowerItem
from zhifa.records.services import create_checkpoints
from zhifa.registry import services as registry_services
from zhifa.registry.demo import ISSUER, demo_id_number
from zhifa.registry.demo import organs as demo_organs
from zhifa.registry.models import Certificate, EnforcementSubject, Officer, OfficerKind
from zhifa.rules.calendar_db import database_calendar
from zhifa.rules.engine import WorkCalendar

from . import services
from .models import Case, CaseStatus, CaseStep

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
COUNTY_ITEM = "SSJ-CF-001"


def _uscc(prefix17: str) -> str:
    number = prefix17 + uscc.calc_check_digit(prefix17)
    assert uscc.is_valid(number), number
    return number


def _organisation(name: str, prefix17: str) -> dict[str, Any]:
    return {"type": "organisation", "name": name, "uscc": _uscc(prefix17)}


def _individual(name: str, id_prefix17: str) -> dict[str, Any]:
    birth = date(int(id_prefix17[6:10]), int(id_prefix17[10:12]), int(id_prefix17[12:14]))
    return {
        "type": "individual",
        "name": name,
        "id_number": demo_id_number(id_prefix17),
        "birth_date": birth,
    }


@dataclass
class Actors:
    organ: EnforcementSubject
    item: PowerItem
    officer: User
    investigators: list[Officer]
    head: User | None = None
    head_officer: Officer | None = None
    reviewer: User | None = None
    reviewer_officer: Officer | None = None


@dataclass
class Demo:
    """Builds one case step by step on working days counted back from today."""

    people: Actors
    calendar: WorkCalendar
    today: date
    case: Case | None = None
    steps: int = 0
    last: date | None = field(default=None)

    def day(self, days_ago: int) -> date:
        """The working day on or before ``days_ago`` calendar days ago (never before the
        case's last step)."""
        d = self.today - timedelta(days=days_ago)
        while not self.calendar.is_working_day(d):
            d -= timedelta(days=1)
        if self.last is not None and d < self.last:
            d = self.last
        self.last = d
        return d

    def open(
        self,
        days_ago: int,
        party: dict[str, Any],
        *,
        procedure: str = "general",
        basis: dict[str, Any] = BASIS_122,
        harm: str = "ordinary",
        benchmark: dict[str, Any] | None = None,
        criminal_suspected: bool = False,
    ) -> Demo:
        on = self.day(days_ago)
        self.case = services.open_case(
            self.people.organ,
            actor=self.people.officer,
            on=on,
            procedure=procedure,
            power_item=self.people.item,
            party=party,
            violation={
                "occurred_on": on - timedelta(days=3),
                "discovered_on": on - timedelta(days=1),
                "harm": harm,
                "first_offence": True,
                "criminal_suspected": criminal_suspected,
            },
            basis=basis,
            benchmark=benchmark,
        )
        return self

    def step(
        self, fn: Callable[..., Any], days_ago: int, actor: User | None = None, **kw: Any
    ) -> Demo:
        fn(
            self.case,
            actor=actor or self.people.officer,
            on=self.day(days_ago),
            expected_steps=self.steps,
            **kw,
        )
        self.steps += 1
        return self

    # The usual steps of the general procedure.

    def register(self, days_ago: int) -> Demo:
        return self.step(
            services.register_case,
            days_ago,
            self.people.head,
            by=self.people.investigators,
        )

    def investigate(self, days_ago: int, shown: bool = True) -> Demo:
        return self.step(
            services.record_investigation,
            days_ago,
            officers=self.people.investigators,
            evidence=EVIDENCE,
            certificates_shown=shown,
        )

    def notify(self, days_ago: int, intended: list[dict[str, Any]]) -> Demo:
        return self.step(services.serve_prior_notice, days_ago, intended=intended)

    def review(self, days_ago: int) -> Demo:
        return self.step(
            services.record_legal_review,
            days_ago,
            self.people.reviewer,
            reviewer=self.people.reviewer_officer,
            result="passed",
        )

    def decide(self, days_ago: int, penalties: list[dict[str, Any]], **kw: Any) -> Demo:
        return self.step(
            services.issue_decision,
            days_ago,
            self.people.head,
            approved_by=self.people.head_officer,
            penalties=penalties,
            **kw,
        )

    def until_review(self, days_ago: int, fine: int) -> Demo:
        """Registration to the passed legal review, over about two weeks."""
        return (
            self.register(days_ago)
            .investigate(days_ago - 1)
            .notify(days_ago - 4, [{"type": "fine", "amount": fine}])
            .step(services.record_statement, days_ago - 6)
            .review(days_ago - 13)
        )

    def until_served(self, days_ago: int, fine: int) -> Demo:
        return (
            self.until_review(days_ago, fine)
            .decide(days_ago - 15, [{"type": "fine", "amount": fine}], circumstance="general")
            .step(services.serve_decision, days_ago - 16)
        )


def _link(officer: Officer, user: User, actor: User) -> Officer:
    if officer.user_id == user.pk:
        return officer
    return registry_services.save_officer(officer, actor=actor, user=user)


def _certified(organ: EnforcementSubject, today: date) -> list[Officer]:
    return [
        o
        for o in Officer.objects.filter(organ=organ, kind=OfficerKind.OFFICER, active=True)
        .prefetch_related("certificates__history")
        .order_by("pk")
        if any(c.is_valid_on(today) for c in o.certificates.all())
    ]


def _people(actor: User, today: date) -> tuple[Actors, Actors]:
    """The registry officers of the demo users (linked, and added where missing)."""
    organs = demo_organs()
    city, county = organs["amr"], organs["amr_a"]
    users = {u.username: u for u in User.objects.filter(organ__in=[city, county])}
    by_name = {(o.organ_id, o.name): o for o in Officer.objects.filter(organ__in=[city, county])}

    zhang = _link(by_name[(city.pk, "张伟")], users["officer"], actor)
    li = _link(by_name[(city.pk, "李娜")], users["officer2"], actor)
    chen = _link(by_name[(city.pk, "陈静")], users["reviewer"], actor)
    head = by_name.get((city.pk, "刘洋"))
    if head is None:
        head = registry_services.save_officer(
            actor=actor,
            organ=city,
            name="刘洋",
            kind=OfficerKind.OFFICER,
            post="局长",
            enforcement_fields="市场监管",
            id_number=demo_id_number("33042119840923123"),
        )
    head = _link(head, users["head"], actor)

    wang = _link(by_name[(county.pk, "王强")], users["officer.county"], actor)
    qian = by_name.get((county.pk, "钱敏"))
    if qian is None:
        qian = registry_services.save_officer(
            actor=actor,
            organ=county,
            name="钱敏",
            kind=OfficerKind.OFFICER,
            post="科员",
            enforcement_fields="食品安全",
            id_number=demo_id_number("33042119930517124"),
        )
    # The head holds an enforcement certificate too (he approves; he does not count
    # as an investigator of the demo cases).
    for officer, number in ((head, "330400-0007"), (qian, "330421-0002")):
        if not Certificate.objects.filter(number=number).exists():
            registry_services.issue_certificate(
                officer,
                number=number,
                issuing_authority=ISSUER,
                valid_from=today - timedelta(days=400),
                valid_to=today + timedelta(days=5 * 365 - 400),
                actor=actor,
            )

    item = PowerItem.objects.get(subject=city, code="JXSJ-CF-001")
    county_item = PowerItem.objects.filter(subject=county, code=COUNTY_ITEM).first()
    if county_item is None:
        county_item = catalogue_services.save_power_item(
            actor=actor,
            subject=county,
            basis=list(
                Article.objects.filter(
                    law__name=FSL, number__in=["第四十五条", "第一百二十六条"]
                ).order_by("ordinal")
            ),
            code=COUNTY_ITEM,
            name="对食品生产经营者安排未取得健康证明的人员从事接触直接入口食品工作的行政处罚",
            category=PowerCategory.PENALTY,
            responsibilities="立案责任、调查责任、审查责任、告知责任、决定责任、送达责任、执行责任",
            valid_from=date(2024, 1, 1),
            published=True,
            published_on=date(2024, 1, 1),
        )
    city_people = Actors(
        organ=city,
        item=item,
        officer=users["officer"],
        investigators=[zhang, li],
        head=users["head"],
        head_officer=head,
        reviewer=users["reviewer"],
        reviewer_officer=chen,
    )
    county_people = Actors(
        organ=county,
        item=county_item,
        officer=users["officer.county"],
        investigators=[wang, qian],
    )
    return city_people, county_people


def _city_cases(p: Actors, calendar: WorkCalendar, today: date) -> None:
    def new() -> Demo:
        return Demo(p, calendar, today)

    fine = lambda amount: [{"type": "fine", "amount": amount}]  # noqa: E731

    # Awaiting registration (the head's approval), opened by officer2.
    Demo(
        Actors(p.organ, p.item, User.objects.get(username="officer2"), p.investigators),
        calendar,
        today,
    ).open(2, _organisation("嘉兴市南湖区禾盛食品商行", "92330402MA2JD8RT0"))

    # Registered, under investigation; the record does not say the certificates were
    # shown (APL-55 warning).
    new().open(12, _organisation("嘉兴悦味餐饮管理有限公司", "91330402MA2B3C4D5")).register(
        11
    ).investigate(9, shown=False)

    # Registered, evidence seized for 30 days with the head's approval (ACL 25 open).
    new().open(10, _organisation("嘉兴市秀洲区鲜果园水果店", "92330411MA29K7QX1")).register(
        9
    ).investigate(8).step(services.record_seizure, 6, days=30, approved_by=p.head_officer)

    # Prior notice served two working days ago: waiting for the party's statement.
    new().open(20, _organisation("浙江禾丰食品有限公司", "91330402MA28A3PG3")).register(
        19
    ).investigate(17).notify(3, fine(70000))

    # An individual (fine ≥ 10,000 yuan: the hearing right, APL 63) asked for a hearing.
    new().open(25, _individual("沈建国", "33042119860315123")).register(24).investigate(22).notify(
        8, fine(60000)
    ).step(services.request_hearing, 6)

    # Legal review passed: ready for the head's decision.
    new().open(30, _organisation("嘉兴市南湖区味道坊小吃店", "92330402MA2LB5N72")).until_review(
        28, 70000
    )

    # Decided yesterday-ish, not yet served; the heavier band applied (a fine outside the
    # band would need a reason: the decision refuses it without one).
    new().open(
        40,
        _organisation("嘉兴鑫隆贸易有限公司", "91330402MA2CK8WE2"),
        benchmark={"circumstance": "ordinary", "fine_min": 65000, "fine_max": 85000},
    ).until_review(38, 90000).decide(4, fine(90000), circumstance="heavier")

    # Decided and served five days ago: the payment deadline (APL 67) is open.
    new().open(45, _organisation("嘉兴市秀洲区佳美烘焙坊", "92330411MA2D7HN48")).until_review(
        43, 75000
    ).decide(7, fine(75000), circumstance="general").step(services.serve_decision, 5).step(
        services.mark_disclosed, 3
    )

    # Served a month ago, not paid: the payment deadline is overdue.
    new().open(80, _organisation("嘉兴康源食品有限公司", "91330411MA2E9PQ1X")).until_served(
        78, 80000
    ).step(services.mark_disclosed, 60)

    # Paid and disclosed, not yet closed.
    new().open(70, _organisation("嘉兴市南湖区福满楼酒家", "92330402MA2F3RB65")).until_served(
        68, 65000
    ).step(services.mark_disclosed, 50).step(services.record_payment, 45, amount=65000)

    # Closed and archived (the whole procedure), and one disclosed late (GB118: 7 working
    # days missed).
    archived = (
        new()
        .open(110, _organisation("嘉兴市华联副食品有限公司", "91330402MA2G5TR77"))
        .until_served(108, 70000)
        .step(services.mark_disclosed, 90)
        .step(services.record_payment, 85, amount=70000)
        .step(services.close_case, 80)
    )
    services.archive_case(archived.case, actor=archived.people.officer, on=archived.day(78))
    new().open(100, _organisation("嘉兴禾源农产品有限公司", "91330411MA2H7WU90")).until_served(
        98, 68000
    ).step(services.record_payment, 78, amount=68000).step(services.mark_disclosed, 60)

    # Registered 120 days ago and not decided: the APL-60 decision deadline is overdue.
    new().open(121, _organisation("嘉兴市秀洲区鼎香调味品厂", "92330411MA2J9XW13")).register(
        120
    ).investigate(118).notify(100, fine(70000)).step(services.record_statement, 97)

    # A suspected crime (APL 27, 57(1)(四)): the head transferred the case to the public
    # security organ (not in the registry); its written reply is pending.
    criminal = new().open(
        26,
        _organisation("嘉兴市南湖区永丰肉类加工厂", "92330402MA2KC6P59"),
        harm="serious",
        criminal_suspected=True,
    )
    criminal.register(25).investigate(23).step(
        services.transfer_case,
        10,
        p.head,
        kind="judicial",
        receiver_name="嘉兴市公安局南湖区分局",
        reason="涉嫌生产、销售不符合安全标准的食品罪，依法移送公安机关",
        approved_by=p.head_officer,
    )

    # Outside the city organ's jurisdiction (APL 22–25): transferred to the county organ,
    # which accepted it (the officer records its reply letter; the county organ sees the
    # transfer and, accepted, the case file on its incoming transfers page).
    county = demo_organs()["amr_a"]
    elsewhere = new().open(18, _organisation("嘉善县惠民副食品店", "92330421MA2CG2M84"))
    elsewhere.register(17).investigate(15)
    transfer = services.transfer_case(
        elsewhere.case,  # type: ignore[arg-type]
        actor=p.head,  # type: ignore[arg-type]
        on=elsewhere.day(12),
        kind="organ",
        to_organ=county,
        reason="违法行为发生地在嘉善县，依法由嘉善县市场监督管理局管辖",
        approved_by=p.head_officer,  # type: ignore[arg-type]
        expected_steps=elsewhere.steps,
    )
    services.record_transfer_result(
        transfer,
        actor=p.officer,
        on=elsewhere.day(8),
        result="accepted",
        note="已接收，依法立案查处",
    )

    # Suspended (中止) while the food samples are tested.
    suspended = new().open(35, _individual("钱晓红", "33041119850620234")).register(34)
    suspended.investigate(33)
    services.suspend_case(
        suspended.case,  # type: ignore[arg-type]
        actor=p.head,  # type: ignore[arg-type]
        on=suspended.day(20),
        reason="等待食品抽样检验结果（检验期间不计入办案期限）",
    )


def _county_cases(p: Actors, calendar: WorkCalendar, today: date) -> None:
    # Awaiting registration (the county organ's head approves it; no head user in the demo).
    Demo(p, calendar, today).open(1, _organisation("嘉善县魏塘街道好运来面馆", "92330421MA2BF1L63"))

    # Summary procedure (当场处罚, APL 51): a warning, decided and served on the spot.
    summary = Demo(p, calendar, today).open(
        15,
        _individual("陆小兵", "33042119900208345"),
        procedure="summary",
        basis=BASIS_126,
        harm="minor",
    )
    summary.step(
        services.record_investigation, 15, officers=p.investigators, evidence=["on_site_record"]
    )
    summary.step(
        services.serve_prior_notice,
        15,
        written=False,
        hearing_right_notified=False,
        intended=[{"type": "warning"}],
    )
    summary.step(
        services.issue_decision,
        15,
        approved_by=p.investigators[0],
        penalties=[{"type": "warning"}],
    )
    summary.step(services.serve_decision, 15, method="on_the_spot")
    summary.step(services.mark_disclosed, 13)
    summary.step(services.close_case, 12)


def load(out: TextIO) -> None:
    from zhifa.accounts.demo import demo_actor

    actor = demo_actor()
    today = timezone.localdate()
    city, county = _people(actor, today)
    created = 0
    if not Case.objects.filter(organ__in=[city.organ, county.organ]).exists():
        calendar = database_calendar()
        _city_cases(city, calendar, today)
        _county_cases(county, calendar, today)
        created = Case.objects.filter(organ__in=[city.organ, county.organ]).count()
    create_checkpoints()
    out.write(summary(today, created) + "\n")


def summary(today: date, created: int) -> str:
    """One line: the cases by status, the overdue deadlines and the steps with warnings."""
    cases = list(Case.objects.order_by("pk"))
    statuses = Counter(c.status for c in cases)
    overdue = sum(
        1 for c in cases for d in services.deadlines(c, today) if d.status(today) == "overdue"
    )
    warned = CaseStep.objects.exclude(warnings=[]).count()
    by_status = ", ".join(f"{statuses[s]} {s}" for s in CaseStatus.values if statuses[s])
    return (
        f"cases: {len(cases)} demo cases ({created} created in this run): {by_status}; "
        f"{overdue} overdue deadline(s), {warned} step(s) with warnings"
    )
