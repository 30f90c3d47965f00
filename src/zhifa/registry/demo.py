"""Demo registry: Jiaxing city (嘉兴市) with two counties, its justice bureau and a
few organs. Region codes and names come from python-stdnum's GB/T 2260 data."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TextIO

from django.core.files.base import ContentFile
from django.utils import timezone

from zhifa.accounts.demo import DEMO_PASSWORD, save_user
from zhifa.accounts.models import Role, User

from . import services
from .models import (
    Certificate,
    CertificateStatus,
    EnforcementSubject,
    Entrustment,
    Officer,
    OfficerKind,
    Region,
    SubjectType,
)
from .services import load_regions

CITY = "330400"
COUNTY_A = "330421"  # 嘉善县
COUNTY_B = "330424"  # 海盐县

#: (key, name, short name, type, region code, parent key, justice bureau)
ORGANS = [
    ("justice", "嘉兴市司法局", "嘉司", SubjectType.STATUTORY, CITY, None, True),
    ("amr", "嘉兴市市场监督管理局", "嘉市监", SubjectType.STATUTORY, CITY, None, False),
    ("cle", "嘉兴市综合行政执法局", "嘉综执", SubjectType.STATUTORY, CITY, None, False),
    ("amr_a", "嘉善县市场监督管理局", "善市监", SubjectType.STATUTORY, COUNTY_A, None, False),
    ("cle_b", "海盐县综合行政执法局", "盐综执", SubjectType.STATUTORY, COUNTY_B, None, False),
    (
        "entrusted_b",
        "海盐县武原街道综合行政执法队",
        "武原执法队",
        SubjectType.ENTRUSTED,
        COUNTY_B,
        "cle_b",
        False,
    ),
    ("amr_unit", "嘉兴市市场监督管理局法规处", "", SubjectType.INTERNAL_UNIT, CITY, "amr", False),
]


def organs() -> dict[str, EnforcementSubject]:
    """The demo organs by key (after ``load``)."""
    names = {key: name for key, name, *_ in ORGANS}
    found = {o.name: o for o in EnforcementSubject.objects.filter(name__in=names.values())}
    return {key: found[name] for key, name in names.items() if name in found}


#: The demo users, one or more for every role:
#: (username, full name, role, organ key or None, region code or None)
USERS = [
    ("officer", "张伟", Role.OFFICER, "amr", None),
    ("officer2", "李娜", Role.OFFICER, "amr", None),
    ("officer.county", "王强", Role.OFFICER, "amr_a", None),
    ("reviewer", "陈静", Role.LEGAL_REVIEWER, "amr", None),
    ("head", "刘洋", Role.ORGAN_HEAD, "amr", None),
    ("head.county", "沈建华", Role.ORGAN_HEAD, "amr_a", None),
    ("supervisor", "赵敏", Role.SUPERVISOR, None, CITY),
    ("admin", "系统管理员", Role.ADMINISTRATOR, None, None),
]

#: The demo user the registry and catalogue demos act as (their changes are recorded
#: in the whole-process record with a real user). A supervisor of the city.
DEMO_ACTOR = "supervisor"


def _region(code: str | None) -> Region | None:
    return Region.objects.get(code=code) if code else None


def demo_actor() -> User:
    """The demo supervisor, created if missing. The registry demo needs a real user to
    record its changes before the organs (and their users) exist; a supervisor needs
    only the regions, not an organ."""
    for username, full_name, role, organ_key, region_code in USERS:
        if username == DEMO_ACTOR:
            assert organ_key is None
            return save_user(username, full_name, role, None, _region(region_code))
    raise LookupError(DEMO_ACTOR)


def load_users(out: TextIO) -> None:
    made = organs()
    for username, full_name, role, organ_key, region_code in USERS:
        organ = made[organ_key] if organ_key else None
        save_user(username, full_name, role, organ, _region(region_code))
    out.write(f"demo: {len(USERS)} users\n")


def print_logins(out: TextIO) -> None:
    """The demo logins, printed by ``zhifa demo`` after every app's demo is loaded."""
    out.write(f"\nDemo logins (password for all: {DEMO_PASSWORD})\n")
    out.write(f"  {'username':<16} {'role':<16} scope\n")
    for username, full_name, role, _organ_key, _region_code in USERS:
        user = User.objects.select_related("organ", "region").get(username=username)
        scope = user.organ.name if user.organ else (user.region.name if user.region else "全部")
        out.write(f"  {username:<16} {role.value:<16} {full_name} · {scope}\n")
    out.write("\n")


def load(out: TextIO) -> None:
    load_regions("3304")
    actor = demo_actor()
    regions = {r.code: r for r in Region.objects.filter(code__in=[CITY, COUNTY_A, COUNTY_B])}
    made: dict[str, EnforcementSubject] = {}
    for key, name, short, subject_type, region_code, parent_key, justice in ORGANS:
        organ = EnforcementSubject.objects.filter(region=regions[region_code], name=name).first()
        if organ is None:
            organ = services.create_subject(
                actor=actor,
                name=name,
                subject_type=subject_type,
                region=regions[region_code],
                parent=made.get(parent_key) if parent_key else None,
                is_justice_bureau=justice,
                short_name=short,
                active=True,
            )
        elif organ.short_name != short or not organ.active:
            services.update_subject_details(organ, actor=actor, short_name=short, active=True)
        made[key] = organ
    out.write(f"demo: {Region.objects.count()} regions, {len(made)} organs\n")
    _subject_details(made, actor)
    _officers(made, actor, out)
    _entrustment(made, actor, out)
    load_users(out)


#: Subject details. The legal bases are the real statutes; contact data are made up.
DETAILS = {
    "amr": {
        "level": "city",
        "legal_basis": (
            "嘉兴市人民政府工作部门，依《中华人民共和国食品安全法》等法律法规履行市场监督管理职责"
        ),
        "contact_phone": "0573-00000000",
        "contact_address": "嘉兴市（演示地址）",
    },
    "amr_a": {"level": "county", "legal_basis": "嘉善县人民政府工作部门"},
    "cle": {"level": "city", "legal_basis": "嘉兴市人民政府工作部门，相对集中行使行政处罚权"},
    "cle_b": {"level": "county", "legal_basis": "海盐县人民政府工作部门，相对集中行使行政处罚权"},
    "entrusted_b": {
        "level": "town",
        "legal_basis": "受海盐县综合行政执法局书面委托，以委托机关名义实施行政处罚"
        "（《中华人民共和国行政处罚法》第二十条）",
    },
    "justice": {"level": "city", "legal_basis": "嘉兴市人民政府工作部门，负责行政执法监督"},
}


def _subject_details(made: dict[str, EnforcementSubject], actor: User) -> None:
    for key, fields in DETAILS.items():
        organ = made[key]
        if any(getattr(organ, name) != value for name, value in fields.items()):
            services.update_subject_details(organ, actor=actor, **fields)


def demo_id_number(prefix17: str) -> str:
    """A national ID number with a correct check character, for made-up demo people."""
    from stdnum.cn import ric

    return prefix17 + ric.calc_check_digit(prefix17 + "0")


#: (name, organ key, kind, post, fields, ID prefix, legal qualification, certificate
#: number, certificate state) — state: valid / expiring / expired / suspended / revoked.
OFFICERS = [
    (
        "张伟",
        "amr",
        OfficerKind.OFFICER,
        "科员",
        "食品安全、市场监管",
        "33042119850312123",
        False,
        "330400-0001",
        "valid",
    ),
    (
        "李娜",
        "amr",
        OfficerKind.OFFICER,
        "科员",
        "食品安全",
        "33040219900115123",
        False,
        "330400-0002",
        "expiring",
    ),
    (
        "周杰",
        "amr",
        OfficerKind.OFFICER,
        "科员",
        "价格、广告",
        "33042119881120123",
        False,
        "330400-0003",
        "expired",
    ),
    (
        "吴磊",
        "amr",
        OfficerKind.OFFICER,
        "副科长",
        "食品安全",
        "33040219920704123",
        False,
        "330400-0004",
        "suspended",
    ),
    (
        "郑强",
        "amr",
        OfficerKind.OFFICER,
        "科员",
        "特种设备",
        "33042419830226123",
        False,
        "330400-0005",
        "revoked",
    ),
    (
        "陈静",
        "amr",
        OfficerKind.OFFICER,
        "法制审核人员",
        "法制审核",
        "33042119870611123",
        True,
        "330400-0006",
        "valid",
    ),
    (
        "王芳",
        "amr",
        OfficerKind.AUXILIARY,
        "协管员",
        "食品安全",
        "33042419950430123",
        False,
        None,
        None,
    ),
    (
        "王强",
        "amr_a",
        OfficerKind.OFFICER,
        "科员",
        "食品安全",
        "33042119850312245",
        False,
        "330421-0001",
        "valid",
    ),
    (
        "沈洁",
        "cle_b",
        OfficerKind.OFFICER,
        "中队长",
        "市容环境、大气污染防治",
        "33042419910123123",
        False,
        "330424-0001",
        "valid",
    ),
    (
        "徐明",
        "entrusted_b",
        OfficerKind.OFFICER,
        "队员",
        "市容环境、大气污染防治",
        "33042419830226245",
        False,
        "330424-0002",
        "valid",
    ),
]
ISSUER = "嘉兴市人民政府（演示）"


def certificate_dates(state: str, today: date) -> tuple[date, date]:
    """The validity of a demo certificate in ``state`` (``OFFICERS``) as of ``today``."""
    if state == "expiring":
        return today - timedelta(days=5 * 365 - 20), today + timedelta(days=20)
    if state == "expired":
        return today - timedelta(days=5 * 365 + 40), today - timedelta(days=40)
    return today - timedelta(days=400), today + timedelta(days=5 * 365 - 400)


def _officers(made: dict[str, EnforcementSubject], actor: User, out: TextIO) -> None:
    today = timezone.localdate()
    for name, organ_key, kind, post, fields, id_prefix, qualified, number, state in OFFICERS:
        id_number = demo_id_number(id_prefix)
        officer = Officer.objects.filter(id_number=id_number).first()
        officer = services.save_officer(
            officer,
            actor=actor,
            organ=made[organ_key],
            name=name,
            kind=kind,
            post=post,
            enforcement_fields=fields,
            id_number=id_number,
            legal_qualification=qualified,
            legal_qualification_number="A20150000000000（演示）" if qualified else "",
        )
        if not officer.trainings.exists():
            services.record_training(
                officer, actor=actor, year=today.year - 1, hours=40, topic="行政执法人员年度培训"
            )
            if kind == OfficerKind.OFFICER:
                services.record_exam(
                    officer,
                    actor=actor,
                    taken_on=date(today.year - 1, 11, 15),
                    name="行政执法人员资格考试（演示）",
                    score=86,
                    passed=True,
                )
        if number is None or Certificate.objects.filter(number=number).exists():
            continue
        valid_from, valid_to = certificate_dates(state, today)
        certificate = services.issue_certificate(
            officer,
            number=number,
            issuing_authority=ISSUER,
            valid_from=valid_from,
            valid_to=valid_to,
            actor=actor,
        )
        if state == "suspended":
            services.change_certificate_status(
                certificate,
                actor=actor,
                status=CertificateStatus.SUSPENDED,
                reason="调离执法岗位期间暂扣执法证（演示）",
                effective_on=today - timedelta(days=10),
            )
        elif state == "revoked":
            services.change_certificate_status(
                certificate,
                actor=actor,
                status=CertificateStatus.REVOKED,
                reason="年度考核不合格，撤销执法资格（演示）",
                effective_on=today - timedelta(days=30),
            )
    notice = services.expire_due(today)
    out.write(
        f"demo: {Officer.objects.count()} officers and auxiliary staff, "
        f"{Certificate.objects.count()} certificates"
        f" ({notice.certificates_expired} expired in this run)\n"
    )
    out.write("Certificates to try at /verify/<number>:\n")
    for number in (
        "330400-0001",
        "330400-0002",
        "330400-0003",
        "330400-0004",
        "330400-0005",
    ):
        c = Certificate.objects.select_related("officer").get(number=number)
        out.write(
            f"  /verify/{number}  {c.officer.name}  {c.get_status_display()}  "
            f"{c.valid_from.isoformat()} – {c.valid_to.isoformat()}\n"
        )


#: A minimal valid PDF, standing in for the scanned written instrument.
DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def _entrustment(made: dict[str, EnforcementSubject], actor: User, out: TextIO) -> None:
    """海盐县综合行政执法局 entrusts 海盐县武原街道综合行政执法队 (its power items are
    attached by the catalogue demo)."""
    entrusting, entrusted = made["cle_b"], made["entrusted_b"]
    if Entrustment.objects.filter(entrusting_organ=entrusting, entrusted=entrusted).exists():
        return
    today = timezone.localdate()
    # The instrument of this year, signed on 1 January, published and filed by the
    # 10th; before the 10th, last year's (nothing dated after today).
    year = today.year if today >= date(today.year, 1, 10) else today.year - 1
    services.create_entrustment(
        actor=actor,
        entrusting_organ=entrusting,
        entrusted=entrusted,
        matters="武原街道辖区内餐饮服务油烟排放的行政处罚（演示）",
        valid_from=date(year, 1, 1),
        valid_to=date(year + 2, 12, 31),
        instrument=ContentFile(DEMO_PDF, name="weituoshu-demo.pdf"),
        instrument_number="盐综执委〔演示〕1号",
        published=True,
        published_on=date(year, 1, 5),
        filed_on=date(year, 1, 10),
        filing_number="嘉司备〔演示〕1号",
    )
    out.write("demo: 1 entrustment\n")
