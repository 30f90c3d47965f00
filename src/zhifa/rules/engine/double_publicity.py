"""双公示 (double publicity): penalty decisions delivered to the credit platform in its
data layout (DISC-double-publicity, legal-rules.md §9) — pure Python, no database.

- ``COLUMNS``: the 行政处罚 layout, one ``Column`` per item, in order, with its
  length (characters) or its amount precision (万元, ``AMOUNT_PLACES`` decimals);
- ``check_row``: every value of a row against its column — a value too long, an
  amount beyond the precision, a required item empty: the row fails, naming the item
  (never truncated);
- ``wan``: an amount in yuan as 万元 with the layout's precision (exact: 6 decimals of
  万元 are 1 fen);
- ``export_due``: the last day to deliver a decision of ``decided_on`` (7 working days,
  parameter ``double_publicity_working_days``, counted by the engine's calendar).

Sources and what is not confirmed (docs/disclosure.md, "双公示 export"): the item names
are those of the national credit platform's 行政处罚 layout as public implementations
of it reproduce them (several agree item for item); the official text of the standard
was not available, so the lengths are those the public implementations use (marked
``confirmed=False``) and the text items the sources give as unbounded text carry the
platform's own bound (``source="platform"``). The layout is data: a corrected length
is one line here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from .catalogue import GB118, Text
from .parameters import Parameters
from .workdays import Counted, WorkCalendar

RULE = "DISC-double-publicity"
CITATION = "发改办财金〔2018〕424号；" + GB118
PARAMETER = "double_publicity_working_days"

#: Amounts are in 万元 with this many decimals (decimal(18, 6) in the sources: 1 fen).
AMOUNT_PLACES = 6
AMOUNT_DIGITS = 18
_QUANTUM = Decimal(1).scaleb(-AMOUNT_PLACES)

#: 行政相对人类别 values of the layout.
CATEGORY_ORGANISATION = "法人及非法人组织"
CATEGORY_INDIVIDUAL = "自然人"
CATEGORY_SOLE_TRADER = "个体工商户"

#: Date items are written YYYY-MM-DD.
DATE_FORMAT = "%Y-%m-%d"

#: Where a length comes from: public implementations of the layout (a provincial credit
#: platform's exchange table, DDL), the code standards (GB 32100 统一社会信用代码 18,
#: GB 11714 组织机构代码 9), or the platform's own bound for an item the sources give as
#: unbounded text.
SOURCE_IMPL = "impl"
SOURCE_STANDARD = "standard"
SOURCE_PLATFORM = "platform"


@dataclass(frozen=True)
class Column:
    """One item of the layout: ``key`` (the exchange field name the sources use),
    ``title`` (the template's column title), ``max_length`` (characters; for an amount:
    digits in all, with ``AMOUNT_PLACES`` after the point), ``kind`` (``text``,
    ``amount``, ``date``), whether it must be filled, and where its length comes from."""

    key: str
    title: str
    max_length: int
    kind: str = "text"
    required: bool = False
    source: str = SOURCE_IMPL


COLUMNS: tuple[Column, ...] = (
    Column("CF_XDR_MC", "行政相对人名称", 200, required=True),
    Column("CF_XDR_LB", "行政相对人类别", 16, required=True, source=SOURCE_PLATFORM),
    Column("CF_XDR_SHXYM", "行政相对人代码_1（统一社会信用代码）", 18, source=SOURCE_STANDARD),
    Column("CF_XDR_GSZC", "行政相对人代码_2（工商注册号）", 50),
    Column("CF_XDR_ZZJG", "行政相对人代码_3（组织机构代码）", 9, source=SOURCE_STANDARD),
    Column("CF_XDR_SWDJ", "行政相对人代码_4（税务登记号）", 32),
    Column("CF_XDR_SYDW", "行政相对人代码_5（事业单位证书号）", 120),
    Column("CF_XDR_SHZZ", "行政相对人代码_6（社会组织登记证号）", 50),
    Column("CF_FRDB", "法定代表人", 50),
    Column("CF_FR_ZJLX", "法定代表人证件类型", 64),
    Column("CF_FR_ZJHM", "法定代表人证件号码", 32),
    Column("CF_XDR_ZJLX", "证件类型", 64),
    Column("CF_XDR_ZJHM", "证件号码", 64),
    Column("CF_WSH", "行政处罚决定书文号", 128, required=True),
    Column("CF_WFXW", "违法行为类型", 2000, required=True, source=SOURCE_PLATFORM),
    Column("CF_SY", "违法事实", 5000, required=True, source=SOURCE_PLATFORM),
    Column("CF_YJ", "处罚依据", 2000, required=True, source=SOURCE_PLATFORM),
    Column("CF_CFLB", "处罚类别", 36, required=True),
    Column("CF_NR", "处罚内容", 4000, required=True, source=SOURCE_PLATFORM),
    Column("CF_NR_FK", "罚款金额（万元）", AMOUNT_DIGITS, kind="amount"),
    Column("CF_NR_WFFF", "没收违法所得、没收非法财物的金额（万元）", AMOUNT_DIGITS, kind="amount"),
    Column("CF_NR_ZKDX", "暂扣或吊销证照名称及编号", 200),
    Column("CF_JDRQ", "处罚决定日期", 10, kind="date", required=True),
    Column("CF_YXQ", "处罚有效期", 10, kind="date"),
    Column("CF_GSJZQ", "公示截止期", 10, kind="date"),
    Column("CF_CFJG", "处罚机关", 200, required=True),
    Column("CF_CFJGDM", "处罚机关统一社会信用代码", 18, required=True, source=SOURCE_STANDARD),
    Column("CF_SJLY", "数据来源单位", 200, required=True),
    Column("CF_SJLYDM", "数据来源单位统一社会信用代码", 18, required=True, source=SOURCE_STANDARD),
    Column("BZ", "备注", 512),
)
COLUMN_KEYS = tuple(c.key for c in COLUMNS)
BY_KEY: dict[str, Column] = {c.key: c for c in COLUMNS}

#: 处罚类别 of each penalty type (the kinds of APL Art. 9, as the platform names them).
CATEGORY_OF_PENALTY: dict[str, str] = {
    "warning": "警告",
    "fine": "罚款",
    "confiscation": "没收违法所得",
    "suspend_permit": "暂扣许可证件",
    "lower_qualification": "降低资质等级",
    "revoke_permit": "吊销许可证件",
    "restrict_business": "限制开展生产经营活动",
    "suspend_business": "责令停产停业",
    "closure": "责令关闭",
    "restrict_practice": "限制从业",
    "detention": "行政拘留",
}
#: Penalty types whose amount goes in the fine item, and in the confiscation item.
FINE_TYPES = frozenset({"fine"})
CONFISCATION_TYPES = frozenset({"confiscation"})


def wan(yuan: Decimal | int | str) -> Decimal:
    """An amount in yuan as 万元 with ``AMOUNT_PLACES`` decimals (1 fen is 0.000001 万元:
    exact for any amount in fen)."""
    return (Decimal(str(yuan)) / Decimal(10_000)).quantize(_QUANTUM, rounding=ROUND_HALF_UP)


def format_amount(value: Decimal | None) -> str:
    return "" if value is None else f"{value:.{AMOUNT_PLACES}f}"


def format_date(day: dt.date | None) -> str:
    return "" if day is None else day.strftime(DATE_FORMAT)


@dataclass(frozen=True)
class Problem:
    """Why a row cannot be delivered: the item (its key and title) and what is wrong;
    the value is never repeated (it may be long, or private)."""

    key: str
    title: str
    kind: str  # "too_long", "precision", "required", "unknown"
    limit: int = 0

    @property
    def message(self) -> Text:
        if self.kind == "too_long":
            return Text(
                f"“{self.title}”超过{self.limit}个字符，不予报送（{RULE}，不作截断）。",
                f"“{self.title}” is longer than {self.limit} characters: the row is not "
                f"delivered ({RULE}; never truncated).",
            )
        if self.kind == "precision":
            return Text(
                f"“{self.title}”超出数据格式（万元，最多{AMOUNT_DIGITS}位数字、"
                f"{AMOUNT_PLACES}位小数）。",
                f"“{self.title}” does not fit the layout (万元, at most {AMOUNT_DIGITS} "
                f"digits, {AMOUNT_PLACES} after the point).",
            )
        if self.kind == "required":
            return Text(f"“{self.title}”为必填项，缺失。", f"“{self.title}” is required and empty.")
        return Text(f"“{self.title}”不是数据格式中的项。", f"“{self.title}” is not in the layout.")


def _amount_fits(text: str) -> bool:
    try:
        value = Decimal(text)
    except InvalidOperation:
        return False
    if not value.is_finite() or value < 0:
        return False
    _sign, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)
    if -exponent > AMOUNT_PLACES:
        return False
    return max(len(digits) + exponent, 0) <= AMOUNT_DIGITS - AMOUNT_PLACES


def check_row(values: Mapping[str, str]) -> list[Problem]:
    """Every value of a row against its item, in the layout's order: the problems (empty:
    it may be delivered). An item the layout lacks is a problem too."""
    problems = [Problem(key, key, "unknown") for key in values if key not in BY_KEY]
    for column in COLUMNS:
        value = str(values.get(column.key) or "")
        if not value:
            if column.required:
                problems.append(Problem(column.key, column.title, "required"))
            continue
        if column.kind == "amount":
            if not _amount_fits(value):
                problems.append(Problem(column.key, column.title, "precision", column.max_length))
        elif len(value) > column.max_length:
            problems.append(Problem(column.key, column.title, "too_long", column.max_length))
    return problems


def export_due(calendar: WorkCalendar, decided_on: dt.date, params: Parameters) -> Counted:
    """DISC-double-publicity: the last day to deliver a penalty decision of
    ``decided_on`` to the credit platform (the day itself not counted; working days of
    the engine's calendar)."""
    return calendar.add_working_days(decided_on, params.integer(PARAMETER, decided_on))
