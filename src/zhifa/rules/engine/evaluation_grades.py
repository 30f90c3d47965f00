"""JL-evaluation (legal-rules.md §7 and §9; JL 六, CQ 六(四)): the annual evaluation
(评议考核) of organs and officers, its grades, what each grade entails, who grades whom,
and the published indicators (their formulas) the grader sees beside the data.

What the seeds say, and nothing more:

- JL 六(一) (seed 003): "各级政府负责对所属行政执法部门进行考核，各级政府法制部门具体实施；…
  各行政执法部门负责对本部门内设行政执法机构及所属行政执法人员进行考核。" — the government's
  legal office (the justice bureau's supervisor) grades the organs of its region; each
  organ grades its own officers (its head signs for the organ).
- JL 六(二): indicators "从行政执法情况、落实行政执法责任制情况等方面科学设定", using "专项检查、
  案卷评查以及暗访", the public's opinions heard ("听取社会公众的真实意见"); for officers
  "平时考核与专门考核相结合", the special assessment through "法律素养测试、执法规范化测试和
  案卷评查". CQ 六(四): "对行政执法机关或者行政执法人员进行评议，必须听取相关行政管理相对人的意见".
- JL 六(三): "行政执法评议考核结果分为优秀、合格、不合格三个档次。行政执法评议考核被确定为不合格
  档次的行政执法人员，不得在年度公务员考核中评定为优秀，并给予批评教育或者离岗培训处理；连续两年
  被确定为不合格的，要给予调离执法岗位或取消执法资格处理。…对行政执法部门的考核结果…应在一定范围
  内公开；…被确定为不合格的，应责令限期整改。"

Not in the seeds, so not here: point thresholds or weights turning indicators into a
grade (the grade is the grader's decision, recorded with the assessment beside the
computed indicators), and a period for the organ's rectification (the grader sets the
deadline of the supervision notice, SUP-notice).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from .catalogue import CQ, JL, Text
from .statistics import OrganRule

RULE_ID = "JL-evaluation"

RULE = OrganRule(
    RULE_ID,
    "compute",
    JL + "六；" + CQ + "六（四）",
    "Annual evaluation grades officers and organs 优秀 / 合格 / 不合格, with counterparties' "
    "opinions; an officer 不合格 cannot be 优秀 in that year's civil-servant assessment and "
    "gets criticism or off-post training; two consecutive years 不合格 → removed from "
    "enforcement posts or qualification cancelled; an organ 不合格 rectifies within a deadline.",
)

EXCELLENT = "excellent"
PASS = "pass"
FAIL = "fail"

#: The three grades (JL 六(三): "分为优秀、合格、不合格三个档次"), in order.
GRADES: dict[str, Text] = {
    EXCELLENT: Text(zh="优秀", en="Excellent"),
    PASS: Text(zh="合格", en="Pass"),
    FAIL: Text(zh="不合格", en="Fail"),
}
GRADES_CITATION = JL + "六（三）"

ORGAN = "organ"
OFFICER = "officer"

#: Who grades whom (JL 六(一)).
GRADERS: dict[str, Text] = {
    ORGAN: Text(
        zh="各级政府负责对所属行政执法部门进行考核，各级政府法制部门具体实施",
        en="The government's legal office (justice bureau) grades the organs of its region",
    ),
    OFFICER: Text(
        zh="各行政执法部门负责对本部门所属行政执法人员进行考核",
        en="Each organ grades its own officers",
    ),
}
GRADERS_CITATION = JL + "六（一）"


@dataclass(frozen=True)
class Consequence:
    code: str
    text: Text
    citation: str


NOT_EXCELLENT_CIVIL_SERVICE = Consequence(
    "not_excellent_civil_service",
    Text(
        zh="不得在年度公务员考核中评定为优秀",
        en="May not be graded 优秀 in this year's civil-servant assessment",
    ),
    JL + "六（三）",
)
CRITICISM_OR_TRAINING = Consequence(
    "criticism_or_training",
    Text(zh="给予批评教育或者离岗培训处理", en="Criticism and education, or off-post training"),
    JL + "六（三）",
)
REMOVAL_OR_CANCELLATION = Consequence(
    "removal_or_cancellation",
    Text(
        zh="连续两年被确定为不合格：给予调离执法岗位或取消执法资格处理",
        en="Two consecutive years 不合格: removal from enforcement posts or cancellation of "
        "the enforcement qualification",
    ),
    JL + "六（三）",
)
ORGAN_RECTIFICATION = Consequence(
    "rectify_within_deadline",
    Text(zh="责令限期整改", en="Ordered to rectify within a deadline"),
    JL + "六（三）",
)

#: The two ways the registry carries out REMOVAL_OR_CANCELLATION (JL 六(三); CQ 六(三):
#: "由政府法制机构吊销行政执法证件，并由所在行政执法机关将其调离执法岗位").
REMOVED_FROM_POSTS = "removed_from_posts"
CERTIFICATE_CANCELLED = "certificate_cancelled"
MEASURES: dict[str, Text] = {
    REMOVED_FROM_POSTS: Text(zh="调离执法岗位", en="Removed from enforcement posts"),
    CERTIFICATE_CANCELLED: Text(
        zh="取消执法资格（吊销行政执法证件）",
        en="Enforcement qualification cancelled (certificates revoked)",
    ),
}


def consequences(subject: str, grade: str, previous: str | None) -> list[Consequence]:
    """What ``grade`` of the year entails for an ``ORGAN`` or ``OFFICER`` whose grade of
    the year before is ``previous`` (None: not graded)."""
    if grade not in GRADES:
        raise ValueError(f"unknown grade {grade!r}")
    if grade != FAIL:
        return []
    if subject == ORGAN:
        return [ORGAN_RECTIFICATION]
    out = [NOT_EXCELLENT_CIVIL_SERVICE, CRITICISM_OR_TRAINING]
    if previous == FAIL:
        out.append(REMOVAL_OR_CANCELLATION)
    return out


def consecutive_fail(grades: Mapping[int, str], year: int) -> bool:
    """Whether ``year`` and the year before it are both 不合格 (``grades``: year → grade)."""
    return grades.get(year) == FAIL and grades.get(year - 1) == FAIL


def flag_reason(name: str, year: int) -> str:
    """The reason the registry's flag keeps (stored data: the platform's language)."""
    return f"{name}{year - 1}年度、{year}年度行政执法评议考核连续两年被确定为不合格（{JL}六（三））"


# --- the indicators -----------------------------------------------------------------------


@dataclass(frozen=True)
class Indicator:
    code: str
    name: Text
    formula: Text
    #: Where it is computed: the organ, the officer, or both.
    levels: tuple[str, ...]
    citation: str
    #: None: computed from the platform's data; else why the platform has no data.
    no_data: Text | None = None
    percent: bool = False


_BOTH = (ORGAN, OFFICER)
_ORGAN = (ORGAN,)
_J2 = JL + "六（二）"

#: The published indicators (the platform's reading of JL 六(二) "从行政执法情况、落实行政执法
#: 责任制情况等方面科学设定考核指标"; the seeds give no formula, the platform publishes its own).
INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        "cases",
        Text(zh="办案数", en="Cases"),
        Text(
            zh="当年立案（立案步骤日期在当年）的案件数；人员：其作为调查人员的此类案件数",
            en="Cases registered in the year; officer: those he investigates",
        ),
        _BOTH,
        _J2,
    ),
    Indicator(
        "officers",
        Text(zh="执法人员数", en="Enforcement officers"),
        Text(
            zh="登记在册、在岗的执法人员（不含协助执法人员）", en="Active officers in the registry"
        ),
        _ORGAN,
        _J2,
    ),
    Indicator(
        "cases_per_officer",
        Text(zh="人均办案数", en="Cases per officer"),
        Text(zh="办案数 ÷ 执法人员数", en="Cases ÷ enforcement officers"),
        _ORGAN,
        _J2,
    ),
    Indicator(
        "timeliness",
        Text(zh="按期办结率", en="Timeliness"),
        Text(
            zh="当年办结案件中各期限均按期完成的比例",
            en="Share of the cases closed in the year that met every deadline",
        ),
        _BOTH,
        _J2,
        no_data=Text(
            zh="无数据：平台保存的审查结果只记载未完成的期限，逾期完成的期限不保存，需逐案重新审查",
            en="No data: the stored audit keeps pending deadlines only; a deadline met late "
            "is not kept (it needs each file audited again)",
        ),
        percent=True,
    ),
    Indicator(
        "overdue_rate",
        Text(zh="超期率", en="Overdue rate"),
        Text(
            zh="当年立案案件中现有期限已过而未完成（红色预警）的案件数 ÷ 办案数",
            en="Cases of the year with a deadline past due now (red) ÷ cases",
        ),
        _BOTH,
        _J2,
        percent=True,
    ),
    Indicator(
        "warning_rate",
        Text(zh="预警率", en="Warning rate"),
        Text(
            zh="当年立案案件中现有红色或黄色预警的案件数 ÷ 办案数",
            en="Cases of the year with a red or yellow warning now ÷ cases",
        ),
        _BOTH,
        _J2,
        percent=True,
    ),
    Indicator(
        "review_rate",
        Text(zh="法制审核率", en="Legal review rate"),
        Text(
            zh="当年作出决定的案件中经法制审核的案件数 ÷ 当年作出决定的案件数",
            en="Cases decided in the year with a legal review ÷ cases decided in the year",
        ),
        _BOTH,
        _J2,
        percent=True,
    ),
    Indicator(
        "hearing_rate",
        Text(zh="听证率", en="Hearing rate"),
        Text(
            zh="当年作出决定的案件中举行听证的案件数 ÷ 当年作出决定的案件数",
            en="Cases decided in the year with a hearing ÷ cases decided in the year",
        ),
        _BOTH,
        _J2,
        percent=True,
    ),
    Indicator(
        "file_score",
        Text(zh="案卷评查平均分", en="Case-file evaluation average"),
        Text(
            zh="评查期间截止于当年的评查活动中，已评分案卷得分的平均值（否决项不合格计0分）",
            en="Average score of the files scored in campaigns whose period ends in the year",
        ),
        _BOTH,
        _J2,
    ),
    Indicator(
        "reversal_rate",
        Text(zh="复议诉讼纠错率", en="Reversal rate"),
        Text(
            zh="当年审结的复议、诉讼中决定被变更、撤销或确认违法的件数 ÷ 当年实体审结件数",
            en="(changed + revoked + confirmed unlawful) ÷ decided on the merits in the year",
        ),
        _ORGAN,
        _J2,
        percent=True,
    ),
    Indicator(
        "court_appearance",
        Text(zh="负责人出庭应诉率", en="Court appearance rate"),
        Text(
            zh="当年审结的行政诉讼中负责人出庭的件数 ÷ 当年审结的行政诉讼件数",
            en="Litigation concluded in the year with the head present ÷ litigation concluded",
        ),
        _ORGAN,
        _J2,
        percent=True,
    ),
    Indicator(
        "complaints",
        Text(zh="投诉举报数", en="Complaints"),
        Text(
            zh="当年收到的投诉举报数（按被投诉单位），及其中办结、不予受理、处理中的件数",
            en="Complaints received in the year about the organ, and how many are closed, "
            "rejected, pending",
        ),
        _ORGAN,
        _J2,
    ),
    Indicator(
        "satisfaction",
        Text(zh="当事人满意度", en="Party satisfaction"),
        Text(
            zh="当年当事人评价（1–5分）中“满意”“非常满意”（4分以上）的件数 ÷ 评价件数",
            en="Party ratings of the year of 4 or 5 ÷ ratings of the year",
        ),
        _ORGAN,
        CQ + "六（四）；" + _J2,
        percent=True,
    ),
    Indicator(
        "training_hours",
        Text(zh="培训学时", en="Training hours"),
        Text(
            zh="执法人员当年培训学时合计（机关：人均）",
            en="Training hours of the year (organ: per officer)",
        ),
        _BOTH,
        _J2,
    ),
    Indicator(
        "exam_pass_rate",
        Text(zh="考试合格率", en="Exam pass rate"),
        Text(
            zh="当年参加的法律素养、执法规范化等考试中合格的场次 ÷ 参加场次",
            en="Exams of the year passed ÷ exams taken in the year",
        ),
        _BOTH,
        _J2,
        percent=True,
    ),
    Indicator(
        "reviewer_ratio",
        Text(zh="法制审核人员比例", en="Legal reviewer ratio"),
        Text(
            zh="在岗法制审核人员数 ÷ 执法人员数（原则上不少于5%）",
            en="Active legal reviewers ÷ enforcement officers (in principle at least 5%)",
        ),
        _ORGAN,
        "GB118",
        percent=True,
    ),
)
INDICATOR_BY_CODE = {i.code: i for i in INDICATORS}

#: The officer-level gap the pages state: the party's rating is the case's, never an
#: officer's (party app), and complaints name no officer.
OFFICER_NOT_COUNTED = Text(
    zh="不按人员统计", en="Not counted per officer (the data names no officer)"
)
