"""Publication of decisions (公示): the law of legal-rules.md §6 and §9 that applies to a
publication rather than to a case file — pure Python, no database.

- ``DISC-scope`` (``Scope``, ``scope_for``): which decisions are published, per sector
  and region (data: ``rules/data/disclosure.toml``, and the database's entries);
- ``GB118-disclose-decision`` / ``APL-48-withdraw`` (``publication_due``,
  ``withdrawal_due``): the working-day periods, counted by the engine's calendar (a year
  without a loaded schedule is reported in ``Counted.unscheduled_years``, as every
  deadline of the audit does);
- ``DISC-period`` (``Period``, ``period_problem``, ``takedown_on``): how long a
  published penalty stays public — a range the organ chooses in;
- ``DISC-redaction`` (``public_summary``, ``redaction_leaks``): the public summary made
  from the structured decision, and the check of every field it publishes. Publication
  fails rather than leak: a field holding a citizen ID number, a phone number, a bank
  card number, an e-mail address, an address or an individual's full name is named
  (never its value) and nothing is published.

These are not audit units (they judge a publication, not a case file): the catalogue
IDs are ``RULE_IDS``, with their citations.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from stdnum.cn import ric, uscc

from .catalogue import APL, GB118, Text
from .parameters import Parameters
from .workdays import Counted, WorkCalendar, add_months

DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "disclosure.toml"

REDACTION = "DISC-redaction"
SCOPE = "DISC-scope"
PERIOD = "DISC-period"
DISCLOSE = "GB118-disclose-decision"
WITHDRAW = "APL-48-withdraw"

#: The catalogue IDs of this module and their citations (legal-rules.md §6, §9).
CITATIONS: dict[str, str] = {
    REDACTION: GB118
    + "；《中华人民共和国政府信息公开条例》第十五条；《中华人民共和国个人信息保护法》",
    SCOPE: APL
    + "第四十八条；"
    + GB118
    + "；行业公示规定（市场监督管理行政处罚信息公示规定，待核实）",
    PERIOD: "《失信行为纠正后的信用信息修复管理办法（试行）》（2023年，待核实）",
    DISCLOSE: GB118 + "；" + APL + "第四十八条",
    WITHDRAW: APL + "第四十八条",
}
RULE_IDS = frozenset({REDACTION, SCOPE, PERIOD})


# --- DISC-scope -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    """One DISC-scope entry: for ``sector`` (``""``: any) in ``region`` (a region code,
    ``""``: everywhere; it applies to the regions under it too), the procedures whose
    penalty decisions are published, the penalty types (empty: all), whether a
    warning-only decision is left out, whether the redacted 决定书 is published with the
    summary, and the parameter that gives the working days."""

    sector: str = ""
    region: str = ""
    procedures: tuple[str, ...] = ("general",)
    penalty_types: tuple[str, ...] = ()
    exclude_warning_only: bool = False
    full_text: bool = False
    working_days: str = "disclosure_working_days"
    reference: str = ""
    confirm: bool = False

    def covers(self, procedure: str, penalty_types: Iterable[str]) -> bool:
        """Whether a penalty decision of ``procedure`` with ``penalty_types`` is
        published under this entry."""
        types = set(penalty_types)
        if procedure not in self.procedures or not types:
            return False
        if self.exclude_warning_only and types == {"warning"}:
            return False
        return not self.penalty_types or bool(types & set(self.penalty_types))


@dataclass(frozen=True)
class Period:
    """A DISC-period range: a published penalty of this class stays public for
    ``min_months`` to ``max_months`` months (the organ chooses)."""

    name: str
    min_months: int
    max_months: int
    reference: str
    confirm: bool = False


@dataclass(frozen=True)
class PublicationData:
    scopes: tuple[Scope, ...]
    periods: Mapping[str, Period] = field(default_factory=dict)


def _scope(raw: Mapping[str, Any]) -> Scope:
    return Scope(
        sector=str(raw.get("sector", "")),
        region=str(raw.get("region", "")),
        procedures=tuple(str(p) for p in raw.get("procedures", ("general",))),
        penalty_types=tuple(str(p) for p in raw.get("penalty_types", ())),
        exclude_warning_only=bool(raw.get("exclude_warning_only", False)),
        full_text=bool(raw.get("full_text", False)),
        working_days=str(raw.get("working_days", "disclosure_working_days")),
        reference=str(raw.get("reference", "")),
        confirm=bool(raw.get("confirm", False)),
    )


def load_publication_data(path: Path = DATA_FILE) -> PublicationData:
    with path.open("rb") as fh:
        raw = tomllib.load(fh)
    periods = {
        str(p["name"]): Period(
            name=str(p["name"]),
            min_months=int(p["min_months"]),
            max_months=int(p["max_months"]),
            reference=str(p.get("reference", "")),
            confirm=bool(p.get("confirm", False)),
        )
        for p in raw.get("period", ())
    }
    return PublicationData(tuple(_scope(s) for s in raw.get("scope", ())), periods)


@lru_cache(maxsize=1)
def default_data() -> PublicationData:
    return load_publication_data()


def region_chain(code: str) -> list[str]:
    """A county's GB/T 2260 code and those of its city and province, most specific first
    (``330402`` → ``330402``, ``330400``, ``330000``); what ``scope_for`` reads."""
    out = [code] if code else []
    if len(code) == 6:
        for parent in (code[:4] + "00", code[:2] + "0000"):
            if parent not in out:
                out.append(parent)
    return out


def scope_for(scopes: Iterable[Scope], sector: str, regions: Sequence[str]) -> Scope:
    """The entry that applies to an organ of ``sector`` in the region whose codes, from
    its own to the top, are ``regions``: an entry of the sector before one for every
    sector, then the nearest region before a farther one or everywhere. Without any
    entry, the catalogue's default (``Scope()``: every general-procedure penalty
    decision)."""
    ranks: list[tuple[int, int, Scope]] = []
    chain = list(regions)
    for order, scope in enumerate(scopes):
        if scope.sector and scope.sector != sector:
            continue
        if scope.region and scope.region not in chain:
            continue
        distance = chain.index(scope.region) if scope.region else len(chain)
        ranks.append((0 if scope.sector else 1, distance * 10_000 - order, scope))
    if not ranks:
        return Scope()
    return min(ranks, key=lambda r: (r[0], r[1]))[2]


# --- periods ----------------------------------------------------------------------------------


def publication_due(
    calendar: WorkCalendar, decided_on: dt.date, scope: Scope, params: Parameters
) -> Counted:
    """GB118-disclose-decision: the last day to publish a decision of ``decided_on``
    (the day itself not counted; working days of the engine's calendar)."""
    return calendar.add_working_days(decided_on, params.integer(scope.working_days, decided_on))


def withdrawal_due(calendar: WorkCalendar, changed_on: dt.date, params: Parameters) -> Counted:
    """APL-48-withdraw: the last day to withdraw a published decision changed, revoked,
    declared unlawful or void on ``changed_on``."""
    return calendar.add_working_days(
        changed_on, params.integer("withdraw_working_days", changed_on)
    )


def period_problem(period: Period, months: int) -> Text | None:
    """Why ``months`` cannot be chosen for ``period`` (outside its range), or None."""
    if period.min_months <= months <= period.max_months:
        return None
    return Text(
        f"公示期限应在{period.min_months}至{period.max_months}个月之间（{period.reference}）。",
        f"The publication period must be {period.min_months} to {period.max_months} months "
        f"({period.reference}).",
    )


def takedown_on(published_on: dt.date, months: int) -> dt.date:
    """DISC-period: the day a publication of ``published_on`` leaves the portal after
    ``months`` months (the same day of the month, or the month's last day)."""
    return add_months(published_on, months)


# --- DISC-redaction ---------------------------------------------------------------------------

#: Compound surnames (复姓) kept whole when a name is masked.
COMPOUND_SURNAMES = frozenset(
    (
        "欧阳",
        "司马",
        "上官",
        "诸葛",
        "东方",
        "皇甫",
        "尉迟",
        "公孙",
        "慕容",
        "长孙",
        "宇文",
        "司徒",
        "夏侯",
        "轩辕",
        "令狐",
        "钟离",
        "端木",
        "西门",
        "南宫",
        "独孤",
        "呼延",
        "澹台",
        "公冶",
        "申屠",
        "太史",
        "闻人",
        "万俟",
        "濮阳",
        "赫连",
        "单于",
    )
)
_HAN = re.compile(r"^[\u3400-\u9fff\u00b7·]+$")


def mask_name(name: str) -> str:
    """An individual's name as published: the surname and 某某 (张伟 → 张某某,
    欧阳娜娜 → 欧阳某某); a name not written in Chinese characters → 某某."""
    name = name.strip()
    if not name or not _HAN.match(name):
        return "某某"
    surname = name[:2] if name[:2] in COMPOUND_SURNAMES and len(name) > 2 else name[:1]
    return surname + "某某"


@dataclass(frozen=True)
class DecisionFacts:
    """What a penalty decision publishes from, and what it must never publish.

    Published (as the summary): ``number`` (文号), the party (an organisation's name and
    credit code; an individual's name masked), ``violation`` (its type), ``facts`` (in
    brief), ``basis``, ``penalties`` (their texts), ``organ``, ``decided_on``.
    Private: ``id_numbers`` (the party's), ``addresses`` (every address the case holds),
    ``individuals`` (every individual named in the case: the party when a person, the
    persons served, signers, witnesses, interviewees, hearing participants).
    """

    number: str
    party_type: str
    party_name: str
    party_uscc: str
    violation: str
    facts: str
    basis: str
    penalties: tuple[str, ...]
    organ: str
    decided_on: dt.date
    id_numbers: tuple[str, ...] = ()
    addresses: tuple[str, ...] = ()
    individuals: tuple[str, ...] = ()


#: The fields of the public summary, in the order the pages show them.
SUMMARY_FIELDS = (
    "number",
    "party",
    "party_uscc",
    "violation",
    "facts",
    "basis",
    "penalty",
    "organ",
    "decided_on",
)


def public_summary(facts: DecisionFacts) -> dict[str, str]:
    """The redacted summary (DISC-redaction) made from the structured decision: the
    party's name masked when an individual, the credit code shown only for an
    organisation, no ID number in any case. Check it with ``redaction_leaks`` before
    publishing it."""
    individual = facts.party_type != "organisation"
    day = facts.decided_on
    return {
        "number": facts.number.strip(),
        "party": mask_name(facts.party_name) if individual else facts.party_name.strip(),
        "party_uscc": "" if individual else facts.party_uscc.strip(),
        "violation": facts.violation.strip(),
        "facts": facts.facts.strip(),
        "basis": facts.basis.strip(),
        "penalty": "；".join(p.strip() for p in facts.penalties if p.strip()),
        "organ": facts.organ.strip(),
        "decided_on": f"{day.year}年{day.month}月{day.day}日",
    }


@dataclass(frozen=True)
class Leak:
    """A field of what would be published that holds personal information of ``kind``
    (``id_number``, ``phone``, ``bank_card``, ``email``, ``address``, ``name``). The
    value found is never kept: the message names the field and the kind only."""

    field: str
    kind: str

    @property
    def message(self) -> Text:
        zh, en = LEAK_TEXTS[self.kind]
        return Text(
            f"“{self.field}”含有{zh}，不予公示（{REDACTION}）。",
            f"“{self.field}” holds {en}: not published ({REDACTION}).",
        )


LEAK_TEXTS: dict[str, tuple[str, str]] = {
    "id_number": ("公民身份号码", "a citizen ID number"),
    "phone": ("电话号码", "a phone number"),
    "bank_card": ("银行卡号", "a bank card number"),
    "email": ("电子邮箱地址", "an e-mail address"),
    "address": ("地址", "an address"),
    "name": ("自然人姓名", "an individual's full name"),
}

# Digits as one run, whatever separates them (spaces, hyphens, dots) — after NFKC, so
# full-width digits (１３８…) are digits too; an ID number's final X typed apart
# (33040219850307123 X) joins its run too.
_JOINED = re.compile(r"(?<=\d)[\s\-‐‑‒–—―.·_/()（）]+(?=\d|[Xx](?![0-9A-Za-z]))")
#: Digits written as Chinese numerals (一三八…, 壹叁捌…, 幺 as spoken for 1 in phone
#: numbers), read as digits by the number checks (ID, phone, bank card): a run of
#: them long enough to be one of those numbers is one. Positional numerals (十, 百,
#: 千, 万) are not digits: 第一百二十四条 stays short runs.
_NUMERALS = str.maketrans("〇零一二三四五六七八九幺壹贰叁肆伍陆柒捌玖", "001234567891123456789")
_DIGIT_RUN = re.compile(r"(?<![0-9A-Za-z])(\d{15,19}|\d{17}[Xx])(?![0-9A-Za-z])")
_MOBILE = re.compile(r"(?<!\d)(?:\+?86)?1[3-9]\d{9}(?!\d)")
_LANDLINE = re.compile(r"(?<![\d])0\d{2,3}[\-\s(（)）]*[2-9]\d{6,7}(?![\d])")
_PHONE_WORD = re.compile(
    r"(电话|手机|联系方式|联系号码|座机|传真|tel|phone|mobile)[^\d]{0,6}\d[\d\s\-()（）]{5,}",
    re.IGNORECASE,
)
_EMAIL = re.compile(
    r"[A-Za-z0-9._%+\-]+\s*(@|＠|\(at\)|\[at\])\s*[A-Za-z0-9\-]+(\.[A-Za-z0-9\-]+)+"
)
#: An address-like text: a road, street, lane, village or estate followed by a number
#: (中山路123号, 幸福村3组, 1幢2单元301室), or a building number with its unit or room.
_ADDRESS = re.compile(
    r"([路街道巷弄里村屯组区苑园庄坊]|大道|胡同|小区|花园|公寓|大厦|社区)[^，。；,;\s]{0,12}?"
    r"\d+\s*(号|弄|幢|栋|座|单元|室|楼|组|层)"
    r"|\d+\s*(幢|栋|号楼)\s*\d+\s*(单元|室|层)"
    r"|\d+\s*单元\s*\d+\s*室"
)
_RIC_15 = re.compile(r"^\d{6}(\d{2})(\d{2})(\d{2})\d{3}$")


def _valid_day(year: int, month: int, day: int) -> bool:
    try:
        dt.date(year, month, day)
    except ValueError:
        return False
    return True


def _is_id_number(run: str) -> bool:
    """A citizen ID number (GB 11643): 18 characters with a valid check digit
    (python-stdnum ``cn.ric``), or 18 characters with a valid birth date and a wrong
    check digit (a mistyped number is still a person's), or the 15-digit form of the
    first-generation card (a valid birth date in the 19xx years)."""
    if len(run) == 18:
        if ric.is_valid(run):
            return True
        return run[:17].isdigit() and _valid_day(int(run[6:10]), int(run[10:12]), int(run[12:14]))
    match = _RIC_15.match(run)
    if match is not None:
        year, month, day = (int(g) for g in match.groups())
        return _valid_day(1900 + year, month, day)
    return False


def _luhn(number: str) -> bool:
    total = 0
    for i, digit in enumerate(reversed(number)):
        value = int(digit)
        if i % 2:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def normalised(text: str) -> str:
    """``text`` as the checks read it: NFKC (full-width digits and letters as ASCII),
    without zero-width characters."""
    text = unicodedata.normalize("NFKC", text)
    return "".join(c for c in text if unicodedata.category(c) != "Cf")


def _squeezed(text: str) -> str:
    """Without any spacing (a name or an address typed with spaces in it)."""
    return re.sub(r"[\s\u3000·•]+", "", text)


def text_leaks(
    text: str,
    *,
    allowed_codes: Iterable[str] = (),
    allowed_texts: Iterable[str] = (),
    id_numbers: Iterable[str] = (),
    addresses: Iterable[str] = (),
    individuals: Iterable[str] = (),
) -> list[str]:
    """The kinds of personal information ``text`` holds (each kind once, in a fixed
    order). ``allowed_codes``: codes that may be shown (the organisation's credit code);
    ``allowed_texts``: texts that may be shown whatever they contain (the organisation's
    own name, which may hold a person's name or a place).
    """
    found: list[str] = []
    whole = normalised(text)
    plain = whole
    for shown in allowed_texts:
        if shown and shown.strip():
            plain = plain.replace(normalised(shown.strip()), "\u3000")
    # The numbers are looked for in the whole text: an organisation's name is shown
    # whatever names or places it holds, never a phone or ID number typed into it.
    numbers = whole.translate(_NUMERALS)
    joined = _JOINED.sub("", numbers)
    # A code is shown only when it is a valid unified social credit code (never an ID
    # number typed in its place).
    allowed = {normalised(c).upper() for c in allowed_codes if c}
    for code in (c for c in allowed if uscc.is_valid(c)):
        joined = joined.replace(code, " ").replace(code.lower(), " ")
    squeezed = _squeezed(plain)
    # ID numbers: the party's own (even when malformed), and any number of the shape.
    ids = [normalised(n).upper() for n in id_numbers if n and len(n.strip()) >= 6]
    runs = [m.group(0).upper() for m in _DIGIT_RUN.finditer(joined)]
    if any(n in joined.upper() for n in ids) or any(_is_id_number(r) for r in runs):
        found.append("id_number")
    if (
        _MOBILE.search(joined)
        or _LANDLINE.search(numbers)
        or _LANDLINE.search(joined)
        or _PHONE_WORD.search(numbers)
    ):
        found.append("phone")
    if any(16 <= len(r) <= 19 and r.isdigit() and _luhn(r) for r in runs):
        found.append("bank_card")
    if _EMAIL.search(whole):
        found.append("email")
    known = [_squeezed(normalised(a)) for a in addresses if a and len(_squeezed(a)) >= 4]
    if (
        _ADDRESS.search(plain)
        or _ADDRESS.search(plain.translate(_NUMERALS))
        or any(a in squeezed for a in known)
    ):
        found.append("address")
    names = [_squeezed(normalised(n)) for n in individuals if n and len(_squeezed(n)) >= 2]
    if any(n in squeezed for n in names):
        found.append("name")
    return found


def redaction_leaks(
    fields: Mapping[str, str], facts: DecisionFacts, *, prefix: str = ""
) -> list[Leak]:
    """DISC-redaction's check: every field of what would be published (``fields``: the
    summary, a reason, the lines of the redacted document), with the kinds of personal
    information each holds. The party's credit code may be shown (an organisation's);
    nothing else of the kinds ``text_leaks`` knows. Empty: it may be published."""
    organisation = facts.party_type == "organisation"
    allowed = (facts.party_uscc,) if organisation else ()
    shown = (facts.party_name,) if organisation else ()
    leaks: list[Leak] = []
    for name, value in fields.items():
        if not value:
            continue
        for kind in text_leaks(
            str(value),
            allowed_codes=allowed,
            allowed_texts=shown,
            id_numbers=facts.id_numbers,
            addresses=facts.addresses,
            individuals=facts.individuals,
        ):
            leaks.append(Leak(prefix + name, kind))
    return leaks
