"""The supervisor's warning models (预警模型, issue #17 item 3): what SUP-warning watches
beyond the cases' own deadlines and findings, each with its rule and citation, and the
judgement of each — pure Python, no database.

``MODELS`` is the one list of the models: the warnings page, its API and the public
portal's page "监督预警模型" read it (what is watched, when it is yellow, when red, the
rule ID and the citation). The levels are those of SUP-warning (``supervision.py``):
yellow within the window of N working days (``Horizon``), red when passed.

The models and how the platform reads their rules (docs/rules.md, "Warning models"):

- **Certificates** (APL-42-qualified): an officer acts only with an enforcement
  certificate valid on the date. The last day of the officer's certificates (valid or
  expired by their term; a suspended or revoked one is another matter) is a due day:
  yellow when it falls within the window, red when it passed while the officer is still
  an active officer of the organ (``expiry_level``). No source gives a longer lead time
  for renewal, so the window is SUP-warning's.
- **Entrustments** (APL-20-entrustment): the entrusted organisation acts within the
  term of the instrument. The instrument's last day is read as the certificate's: yellow
  within the window, red when it passed while the entrusted organisation is still
  registered as active and no later instrument between the same organs is in force.
- **Power lists** (JL-power-list-update, JL 三(二): "应自相关执法依据公布之日起一个月内
  对行政执法权责清单进行调整和公布"): the update deadline the catalogue gives a power item
  when a basis article changes (``catalogue.PowerItemWarning``); yellow within the window,
  red when passed without the review (``deadline_level``).
- **Reviewer ratio** (GB118-reviewer-ratio: "Legal reviewers are, in principle, at
  least 5% of the organ's enforcement officers"): an organ whose active legal reviewers
  are fewer than 5% of its active enforcement officers. The rule is of the warning kind
  ("in principle"), with no period: **yellow**, never red (``ratio_level``).
- **Publications** (GB118-disclose-decision; APL-48-withdraw): a decision not published
  by its due day, a withdrawal not made by its due day — deadlines of the organ, read
  as every deadline (``deadline_level``); shown only where the case's own audit did not
  keep the deadline (the case warnings show those: one problem, one warning).
- **Court appearance** (JX-court-appearance, JX 五(二); CQ 六(六)): an organ whose
  heads' court appearance in the year stands below the requirement that binds it
  (``remedy_rates``: 80% / 30% in JX's area, at least once a year in CQ's): yellow for
  the current year (not over), red for the year that ended.
- **Supervision notices** (SUP-notice): a notice owing the organ's written reply by its
  rectification deadline (``notices.notice_level``), read as every deadline.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from fractions import Fraction

from . import RULES
from .catalogue import GB118, JL, Text
from .complaints import ACK_CITATION, RULE_ACK
from .filing import CITATION as FILING_CITATION
from .filing import MAJOR_FILING
from .notices import SUP_NOTICE
from .publication import CITATIONS as PUBLICATION_CITATIONS
from .publication import DISCLOSE, WITHDRAW
from .remedy_rates import COURT_APPEARANCE
from .statistics import OrganRule
from .supervision import RED, SUP_WARNING, YELLOW, Horizon, Level

CERTIFICATE = "APL-42-qualified"
ENTRUSTMENT = "APL-20-entrustment"
POWER_LIST = "JL-power-list-update"
REVIEWER_RATIO = "GB118-reviewer-ratio"
COURT = COURT_APPEARANCE.id

POWER_LIST_UPDATE = OrganRule(
    POWER_LIST,
    "deadline",
    JL + "三（二）",
    "The power/responsibility list is adjusted and published within one month after a "
    "change of its legal basis, or of functions.",
)
#: The paragraph of GB118 that states the ratio is not cited: the guideline's text was
#: not available to confirm it (docs/rules.md, "Warning models").
REVIEWER_RATIO_RULE = OrganRule(
    REVIEWER_RATIO,
    "warning",
    GB118,
    "Legal reviewers are, in principle, at least 5% of the organ's enforcement officers.",
)
#: GB118-reviewer-ratio's 5%, as a fraction (no float in a comparison of counts).
REVIEWER_MIN_RATIO = Fraction(5, 100)


@dataclass(frozen=True)
class WarningModel:
    """One warning model: its key (the pages' and the API's ``model``), the rules it
    names with their citations, and what it watches and when it is yellow or red (both
    languages of the product)."""

    key: str
    rules: tuple[tuple[str, str], ...]
    name: Text
    watched: Text
    #: none: the model gives no yellow warning (a block rule) …
    yellow: Text | None
    #: … or no red one (a rule of principle)
    red: Text | None
    #: whose warning it is: the case's, the officer's or the organ's
    subject: str

    @property
    def rule_ids(self) -> tuple[str, ...]:
        return tuple(rule for rule, _citation in self.rules)


MODELS: tuple[WarningModel, ...] = (
    WarningModel(
        "case_deadline",
        ((SUP_WARNING.id, SUP_WARNING.citation),),
        Text("案件期限", "Case deadlines"),
        Text(
            "每个在办案件中执法机关应当在期限内完成的行为（立案、决定、送达、执行等），期限及其"
            "依据由规则引擎按案件计算；当事人的期限和中止的期限不预警。",
            "Every act an organ owes in an open case within a period (registration, "
            "decision, service, execution …), its due day and rule computed by the rules "
            "engine for the case; a party's window and a suspended period give none.",
        ),
        Text(
            "期限在 N 个工作日内届满（默认 3 个）。",
            "The deadline is due within N working days (default 3).",
        ),
        Text("期限已过而行为未完成。", "The deadline passed without the act."),
        "case",
    ),
    WarningModel(
        "case_finding",
        ((SUP_WARNING.id, SUP_WARNING.citation),),
        Text("阻断性规则", "Block rules"),
        Text(
            "规则引擎对在办案件的审查发现违反阻断性规则（如主体不适格、执法人员无有效执法证）。",
            "A block rule the rules engine finds broken in an open case (an unqualified "
            "subject, an officer without a valid certificate …).",
        ),
        None,
        Text("违反阻断性规则。", "A block rule is broken."),
        "case",
    ),
    WarningModel(
        "complaint_ack",
        ((RULE_ACK, ACK_CITATION),),
        Text("投诉举报受理告知", "Complaints acknowledged"),
        Text(
            "投诉举报自收到之日起 5 个工作日内告知受理情况（行业规定期限更短的，从其规定）。",
            "A complaint or report is told whether it was accepted within 5 working days "
            "of receipt (a shorter period of the sector counts).",
        ),
        Text(
            "告知期限在 N 个工作日内届满。",
            "The acknowledgement is due within N working days.",
        ),
        Text("告知期限已过而未告知。", "The acknowledgement is overdue."),
        "organ",
    ),
    WarningModel(
        "certificate",
        ((CERTIFICATE, RULES[CERTIFICATE].citation),),
        Text("执法证件到期", "Enforcement certificates expiring"),
        Text(
            "在岗执法人员的执法证件有效期（其最后一张有效或到期证件的截止日）。",
            "The term of an active officer's enforcement certificate (the last day of the "
            "officer's latest valid or expired certificate).",
        ),
        Text(
            "证件在 N 个工作日内到期且无接续证件。",
            "The certificate ends within N working days and no later one follows it.",
        ),
        Text(
            "证件已过期而执法人员仍在岗。",
            "The certificate has expired and the officer is still active.",
        ),
        "officer",
    ),
    WarningModel(
        "entrustment",
        ((ENTRUSTMENT, RULES[ENTRUSTMENT].citation),),
        Text("行政执法委托到期", "Entrustments expiring"),
        Text(
            "委托机关与受委托组织之间书面委托的期限。",
            "The term of the written entrustment between the entrusting organ and the "
            "entrusted organisation.",
        ),
        Text(
            "委托在 N 个工作日内到期且无接续委托。",
            "The entrustment ends within N working days and no later one follows it.",
        ),
        Text(
            "委托已到期而受委托组织仍在册且无有效委托。",
            "The entrustment has ended, the entrusted organisation is still registered as "
            "active and no entrustment between them is in force.",
        ),
        "organ",
    ),
    WarningModel(
        "power_list",
        ((POWER_LIST, POWER_LIST_UPDATE.citation),),
        Text("权责清单未及时调整", "Power lists not updated"),
        Text(
            "权力事项所依据的法条修改或废止后，一个月内对权责清单进行审查、调整和公布。",
            "After an article a power item rests on changes or is repealed, the list is "
            "reviewed, adjusted and published within one month.",
        ),
        Text(
            "调整期限在 N 个工作日内届满而未记录审查。",
            "The update is due within N working days and no review is recorded.",
        ),
        Text("调整期限已过而未记录审查。", "The update deadline passed without a review."),
        "organ",
    ),
    WarningModel(
        "reviewer_ratio",
        ((REVIEWER_RATIO, REVIEWER_RATIO_RULE.citation),),
        Text("法制审核人员比例", "Legal reviewer ratio"),
        Text(
            "执法机关在岗法制审核人员占在岗执法人员的比例，原则上不少于 5%。",
            "The organ's active legal reviewers as a share of its active enforcement "
            "officers: in principle at least 5%.",
        ),
        Text(
            "比例低于 5%（原则性要求，无期限：只作黄色预警）。",
            "Below 5% (a requirement in principle, with no period: yellow only).",
        ),
        None,
        "organ",
    ),
    WarningModel(
        "court_appearance",
        ((COURT, COURT_APPEARANCE.citation),),
        Text("负责人出庭应诉", "Heads appearing in court"),
        Text(
            "执法机关被提起行政诉讼时负责人出庭应诉的比例（按年度）：嘉兴市级以下行政机关及镇人民"
            "政府不低于 80%，县级人民政府不低于 30%；重庆区县人民政府和市政府部门被诉或被申请复议"
            "时每年不少于一次。",
            "The share of the organ's litigation in which its head appeared in court, per "
            "year: at least 80% for municipal-level-and-below organs and town governments "
            "and 30% for county governments in Jiaxing; at least once a year for county "
            "governments and municipal departments sued in Chongqing.",
        ),
        Text(
            "本年度至今低于要求（年度未结束）。",
            "Below the requirement in the current year (not over yet).",
        ),
        Text("上一年度低于要求。", "Below the requirement in the year that ended."),
        "organ",
    ),
    WarningModel(
        "publication",
        (
            (DISCLOSE, PUBLICATION_CITATIONS[DISCLOSE]),
            (WITHDRAW, PUBLICATION_CITATIONS[WITHDRAW]),
        ),
        Text("行政处罚决定公示", "Decisions published"),
        Text(
            "行政处罚决定自作出之日起 7 个工作日内公示；决定变更、撤销或确认违法、无效的，"
            "3 个工作日内撤回公示。",
            "A penalty decision is published within 7 working days of the decision; a "
            "decision changed, revoked, declared unlawful or void is withdrawn within 3 "
            "working days.",
        ),
        Text(
            "公示或撤回期限在 N 个工作日内届满。",
            "The publication or withdrawal is due within N working days.",
        ),
        Text(
            "期限已过而未公示或未撤回。",
            "The due day passed without the publication or withdrawal.",
        ),
        "organ",
    ),
    WarningModel(
        "major_filing",
        ((MAJOR_FILING, FILING_CITATION),),
        Text("重大执法决定备案", "Major decisions filed"),
        Text(
            "作出重大行政处罚等重大执法决定后 30 日内，将相关执法文书目录报送司法局备案"
            "（重大：列入重大执法决定法制审核目录或涉及重大公共利益）。",
            "A major enforcement decision's document catalogue is filed with the justice "
            "bureau within 30 days of the decision (major: listed in the organ's catalogue "
            "of major decisions, or of a major public interest).",
        ),
        Text(
            "备案期限在 N 个工作日内届满而未备案。",
            "The filing is due within N working days and not made.",
        ),
        Text("备案期限已过而未备案。", "The filing deadline passed without the filing."),
        "organ",
    ),
    WarningModel(
        "notice",
        ((SUP_NOTICE.id, SUP_NOTICE.citation),),
        Text("执法监督通知书回复", "Supervision notices answered"),
        Text(
            "执法监督通知书（建议书）设定的整改期限：被监督机关应于期限内书面回复整改情况；"
            "期限由监督人员确定，依据文件未规定期限。",
            "The rectification deadline a supervision notice (or recommendation) sets: the "
            "organ replies in writing by then; the supervisor sets it, the sources set no "
            "period.",
        ),
        Text(
            "整改期限在 N 个工作日内届满而未回复（或回复被退回）。",
            "The deadline is due within N working days and no reply stands (none, or it "
            "was returned).",
        ),
        Text(
            "整改期限已过而未回复（或回复被退回后未再回复）。",
            "The deadline passed and no reply stands (none, or it was returned).",
        ),
        "organ",
    ),
)

BY_KEY = {model.key: model for model in MODELS}
#: The rule IDs of the models and their citations (a rule named by a case deadline
#: carries its own citation in the case's audit).
CITATIONS: dict[str, str] = {rule: citation for m in MODELS for rule, citation in m.rules}


def expiry_level(last_day: dt.date, window: Horizon, in_use: bool = True) -> Level | None:
    """The warning a term gives on ``window.today`` (a certificate's, an entrustment's)
    whose last valid day is ``last_day``: none when what holds it is no longer in use;
    red when the term ended before today; yellow when its last day falls within the
    window (today included); else none."""
    if not in_use:
        return None
    if last_day < window.today:
        return RED
    if last_day <= window.yellow_until:
        return YELLOW
    return None


def below_ratio(reviewers: int, officers: int) -> bool:
    """Whether ``reviewers`` are fewer than 5% of ``officers`` (GB118-reviewer-ratio);
    an organ without active officers is not judged."""
    if reviewers < 0 or officers < 0:
        raise ValueError("counts must not be negative")
    return officers > 0 and Fraction(reviewers, officers) < REVIEWER_MIN_RATIO


def ratio_level(reviewers: int, officers: int) -> Level | None:
    """The warning of GB118-reviewer-ratio: yellow below 5%, never red (module
    docstring)."""
    return YELLOW if below_ratio(reviewers, officers) else None


def reviewers_needed(officers: int) -> int:
    """The fewest reviewers that make 5% of ``officers`` (the page says how many)."""
    ratio = REVIEWER_MIN_RATIO * officers
    return -(-ratio.numerator // ratio.denominator)
