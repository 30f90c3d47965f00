"""The audit: run every rule unit on a case file and produce the findings document
(``zhifa-findings/1``, case-file-format.md), and ``check_step`` for the case workflow.

Ordering (deterministic): findings by step index with case-level findings (``step``
null) first, then rule ID, then message; deadlines by start date, rule ID, due date.
"""

import datetime as dt
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from operator import attrgetter
from typing import Any

from . import units  # noqa: F401 - registers the rule units
from .casefile import CaseFile, Step
from .catalogue import (
    _ISO,
    RULES,
    AmountItem,
    Check,
    Context,
    DeadlineItem,
    Finding,
    Rule,
    Text,
    iso,
)
from .local import may_bind
from .parameters import ParameterError, Parameters, Value, current_values, default_parameters
from .payments import PaymentFacts, facts_of
from .remedies import RemedyFacts
from .remedies import facts_of as remedy_facts_of
from .workdays import WorkCalendar, statutory_holidays

FINDINGS_FORMAT = "zhifa-findings/1"


@dataclass(frozen=True)
class AuditResult:
    case_id: str
    as_of: dt.date
    findings: tuple[Finding, ...]
    deadlines: tuple[DeadlineItem, ...]
    late_fee: float | None
    #: what the last penalty decision decided and what was paid of it, with the late
    #: fee and the outstanding amount: the facts APL-67/APL-72 read (``payments``);
    #: None when the case has no penalty decision. The audit computes them when they
    #: are first read (``_LazyPayments``): rendering the findings does not need them.
    payments: PaymentFacts | None = None


class _LazyPayments:
    """``AuditResult.payments`` of a result made by the audit: ``payments.facts_of`` of
    the audit's context, computed on first access (from the facts the rules already
    computed, which the context remembers) and then kept in the instance like any field.
    A result made by its constructor holds its ``payments`` in the instance and never
    reaches this descriptor."""

    def __get__(self, instance: object, owner: type | None = None) -> Any:
        if instance is None:
            return None  # the field's default, as dataclasses reads it from the class
        state = instance.__dict__
        ctx = state.pop("_context", None)
        value = None if ctx is None else facts_of(ctx)
        state["payments"] = value
        return value


def _result(
    ctx: Context,
    findings: tuple[Finding, ...],
    deadlines: tuple[DeadlineItem, ...],
    late_fee: float | None,
) -> AuditResult:
    """The audit's result, its ``payments`` computed when first read (``_LazyPayments``;
    None at once when the case has no decision step)."""
    result = object.__new__(AuditResult)
    state = result.__dict__
    state.update(
        case_id=ctx.case.case_id,
        as_of=ctx.as_of,
        findings=findings,
        deadlines=deadlines,
        late_fee=late_fee,
    )
    if "decision" in ctx.kinds:
        state["_context"] = ctx
    else:
        state["payments"] = None
    return result


AuditResult.payments = _LazyPayments()  # type: ignore[assignment]


def context(
    case: CaseFile,
    as_of: dt.date,
    calendar: WorkCalendar,
    overrides: Mapping[str, Value] | None = None,
) -> Context:
    """The context the audit gives the units: the parameters are ``overrides`` with the
    case file's own ``settings`` over them."""
    table = default_parameters()
    if not overrides and not case.settings:
        # the defaults alone (nearly every audit): one Parameters, shared (read only)
        params = _PLAIN[0]
        if params is None or params._table is not table:
            params = _PLAIN[0] = Parameters({}, table)
    else:
        merged: dict[str, Value] = dict(overrides) if overrides else {}
        merged.update(case.settings)  # the case file's own settings win
        # ``Parameters(merged)``, without copying ``merged`` again (an audit per case file)
        params = _new(Parameters)
        params._table = table
        params._overrides = merged
        params._current = current_values(table, merged)
    # ``Context(case, calendar, params, as_of)``, without the generated __init__
    ctx = _new(Context)
    ctx.case = case
    ctx.calendar = calendar
    ctx.params = params
    ctx.as_of = as_of
    ctx.__post_init__()
    return ctx


_new = object.__new__
#: the Parameters of the default table without overrides (``context``), made on first use
_PLAIN: list[Parameters | None] = [None]


def _run(
    case: CaseFile,
    as_of: dt.date,
    calendar: WorkCalendar,
    overrides: Mapping[str, Value] | None,
    rules: Iterable[Rule] | None = None,
) -> AuditResult:
    """Run the units ``rules`` (default: every registered unit) that apply to the case
    (``Rule.runs_on``: its kind and procedure, the kinds of its steps; by default also not the local
    rules no source of which can bind the case, ``local.may_bind``)."""
    ctx = context(case, as_of, calendar, overrides)
    findings: list[Finding] = []
    deadlines: list[DeadlineItem] = []
    late_fee: float | None = None
    kind = case.kind
    steps = case.steps
    first_on = steps[0].on if steps else as_of  # what a case-level finding is judged on
    # the first and last day a finding can be judged on
    first, last = (ctx.first_day, ctx.last_day) if steps else (as_of, as_of)
    kinds = ctx.kinds
    if rules is None:
        bindable = may_bind(case.agency.region_code, case.local_policies)
        plan = _plan(kind, kinds, bindable, case.procedure)
        found = _ROWS.get(id(plan))
        rows = found[1] if found is not None and found[0] is plan else _rows(plan)
    else:
        rows = tuple(
            (u, u.check, u.valid_from, u.valid_to, u.local)
            for u in rules
            if u.runs_on(kind, kinds, case.procedure)
        )
    # Each unit's items are judged as it yields them (no list per unit). What a unit
    # yields before an exception is kept, as if it had then stopped: before a missing
    # parameter, with the warning that it cannot judge put ahead of them; before a
    # period past 9999-12-31, nothing (its items are taken back).
    for unit, check, since, until, local in rows:
        # what the unit added (counted, to take it back on an exception)
        added_findings = added_deadlines = 0
        late_fee_before = late_fee
        try:
            # An item is judged on its step's date (a deadline: its start; a case-level
            # finding: the first step's date, else the audit date); that date matters only
            # to a rule with a date range or a local basis. A national rule in force on
            # every day from the first to the last step keeps every finding (nearly
            # always): only its deadlines are judged, on their start.
            if not local and (since is None or since <= first) and (until is None or last <= until):
                for item in check(ctx):
                    cls = type(item)
                    if cls is DeadlineItem:
                        on = item.start  # type: ignore[union-attr]
                        if (since is None or since <= on) and (until is None or on <= until):
                            deadlines.append(item)  # type: ignore[arg-type]
                            added_deadlines += 1
                    elif cls is AmountItem:
                        late_fee = item.value  # type: ignore[union-attr]
                    else:
                        findings.append(item)  # type: ignore[arg-type]
                        added_findings += 1
                continue
            for item in check(ctx):
                cls = type(item)
                if cls is AmountItem:
                    late_fee = item.value  # type: ignore[union-attr]
                    continue
                if cls is DeadlineItem:
                    on = item.start  # type: ignore[union-attr]
                elif item.step is not None:  # type: ignore[union-attr]
                    on = steps[item.step].on  # type: ignore[union-attr]
                else:
                    on = first_on
                if (since is not None and on < since) or (until is not None and on > until):
                    continue
                if local and not ctx.local(*local, on=on):
                    continue  # a local source binds only its area (or a region that adopted it)
                if cls is DeadlineItem:
                    deadlines.append(item)  # type: ignore[arg-type]
                    added_deadlines += 1
                else:
                    findings.append(item)  # type: ignore[arg-type]
                    added_findings += 1
        except ParameterError as missing:
            # A number the rule needs has no value on the date it judges. When the rule
            # itself was not in force then, there is nothing to judge; when it was, the
            # engine says it cannot judge it (never silence an in-force rule).
            if (
                missing.on is not None
                and unit.in_force(missing.on)
                and (not unit.local or ctx.local(*unit.local, on=missing.on))
            ):
                at = len(findings) - added_findings
                findings.insert(at, _cannot_judge(unit, missing, ctx))
        except OverflowError:
            # a period that would end after 9999-12-31: nothing to judge
            del findings[len(findings) - added_findings :]
            del deadlines[len(deadlines) - added_deadlines :]
            late_fee = late_fee_before
    findings = _in_order(findings)
    deadlines.sort(key=_DEADLINE_ORDER)
    return _result(ctx, tuple(findings), tuple(deadlines), late_fee)


_plan = RULES.plan

_Row = tuple[Rule, Check, dt.date | None, dt.date | None, tuple[str, ...]]
#: the units of a plan with what ``_run`` reads of each, by the plan's identity (the
#: plan itself kept beside them, so that its id is not taken by another tuple)
_ROWS: dict[int, tuple[tuple[Rule, ...], tuple[_Row, ...]]] = {}


def _rows(plan: tuple[Rule, ...]) -> tuple[_Row, ...]:
    """The rows of a plan ``RULES.plan`` returned (remembered)."""
    if len(_ROWS) >= 10_000:
        _ROWS.clear()
    rows = tuple((u, u.check, u.valid_from, u.valid_to, u.local) for u in plan)
    _ROWS[id(plan)] = (plan, rows)
    return rows


#: the orders of ``_run`` (module docstring), as keys in C
_DEADLINE_ORDER = attrgetter("start", "rule", "due.due")
_RULE_MESSAGE = attrgetter("rule", "message.zh")
_STEP = attrgetter("step")


def _in_order(findings: list[Finding]) -> list[Finding]:
    """``findings`` sorted by ``(-1 if f.step is None else f.step, f.rule,
    f.message.zh)``: by rule and message, then (a stable sort) by step, the case-level
    findings (step None) first — the same order, with no Python call per finding."""
    if len(findings) < 2:
        return findings
    findings.sort(key=_RULE_MESSAGE)
    case_level = [f for f in findings if f.step is None]
    if not case_level:
        findings.sort(key=_STEP)
        return findings
    at_steps = [f for f in findings if f.step is not None]
    at_steps.sort(key=_STEP)
    return case_level + at_steps


def _cannot_judge(unit: Rule, missing: ParameterError, ctx: Context) -> Finding:
    """The warning for an in-force rule whose number is not known for a date."""
    on = missing.on.isoformat() if missing.on is not None else "?"
    reference = ctx.params.reference(missing.name)
    ref_zh = f"（{reference}）" if reference else ""
    ref_en = f" ({reference})" if reference else ""
    return Finding(
        unit.id,
        "warning",
        None,
        Text(
            f"规则引擎没有{on}适用的参数“{missing.name}”{ref_zh}，无法判断本规则，请人工核实。",
            f"The engine has no value of the parameter {missing.name}{ref_en} for {on}; "
            "it cannot judge this rule — check by hand.",
        ),
    )


def audit(
    case: CaseFile,
    as_of: dt.date | None = None,
    calendar: WorkCalendar | None = None,
    overrides: Mapping[str, Value] | None = None,
) -> AuditResult:
    """Audit ``case`` as of ``as_of`` (default: the case file's ``as_of``, else today).

    ``calendar`` carries the working-day schedules (default: chinese-calendar only; the
    Django layer passes one with the years loaded into the database). ``overrides`` are
    regional/departmental values by setting key; the case file's ``settings`` win.
    """
    day = as_of or case.as_of or dt.date.today()
    return _run(case, day, calendar or WorkCalendar(), overrides)


def payment_facts(
    case: CaseFile,
    as_of: dt.date,
    calendar: WorkCalendar | None = None,
    overrides: Mapping[str, Value] | None = None,
) -> PaymentFacts | None:
    """The payment facts of ``case`` as of ``as_of`` (``payments.PaymentFacts``: the
    penalties decided, the payments, the APL-72 late fee and what is outstanding), from
    the facts the audit's rules read, without running the rules. ``as_of`` is required
    (a late fee is always as of a day the caller knows: the site's today, the file's
    ``as_of``); ``calendar`` and ``overrides`` as for ``audit``; None when the case has
    no penalty decision."""
    return facts_of(context(case, as_of, calendar or WorkCalendar(), overrides))


def remedy_facts(
    case: CaseFile,
    as_of: dt.date,
    calendar: WorkCalendar | None = None,
    overrides: Mapping[str, Value] | None = None,
) -> RemedyFacts | None:
    """The party's remedy periods against the last penalty decision of ``case``
    (``remedies.RemedyFacts``, REMEDY-periods), from the facts the audit's rules read,
    without running the rules; None when the decision was not served."""
    return remedy_facts_of(context(case, as_of, calendar or WorkCalendar(), overrides))


def step_findings(
    case: CaseFile,
    proposed: Step,
    on: dt.date | None = None,
    calendar: WorkCalendar | None = None,
    overrides: Mapping[str, Value] | None = None,
) -> list[Finding]:
    """What adding ``proposed`` to ``case`` now would cause, from one audit: every
    finding attached to the new step, plus case-level errors (step null). Runs the same
    rule units as the audit; ``on`` is the day of the check."""
    return step_audit(case, proposed, on, calendar, overrides)[0]


def step_audit(
    case: CaseFile,
    proposed: Step,
    on: dt.date | None = None,
    calendar: WorkCalendar | None = None,
    overrides: Mapping[str, Value] | None = None,
) -> tuple[list[Finding], AuditResult]:
    """``step_findings`` with the audit it comes from: the audit of ``case`` with
    ``proposed`` as of ``on`` (default: the step's day), so a caller that keeps what the
    audit says of the case with the step (its deadlines) does not audit it again."""
    day = on or proposed.on
    with_step = case.with_step(proposed)
    result = audit(with_step, day, calendar, overrides)
    index = len(with_step.steps) - 1
    findings = [
        f for f in result.findings if f.step == index or (f.step is None and f.severity == "error")
    ]
    return findings, result


def check_step(
    case: CaseFile,
    proposed: Step,
    on: dt.date | None = None,
    calendar: WorkCalendar | None = None,
    overrides: Mapping[str, Value] | None = None,
) -> list[Finding]:
    """The errors that adding ``proposed`` to ``case`` now would cause: the findings of
    severity ``error`` attached to the new step, plus case-level errors (step null)."""
    return [
        f for f in step_findings(case, proposed, on, calendar, overrides) if f.severity == "error"
    ]


def _amount(value: float | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if float(value).is_integer() else round(value, 2)


UNSCHEDULED_NOTE = (
    "{years}年没有载入国务院节假日安排：期间已排除周末和《全国年节及纪念日放假办法》第二条"
    "规定的法定节假日，仅调休安排（调休放假日和调休上班日）未知。",
    "No official holiday schedule is loaded for {years}: the period excludes weekends and "
    "the statutory holidays of Article 2 of the Measures on National Holidays and Memorial "
    "Days; only the make-up arrangement (days swapped off, make-up working days) is unknown.",
)
# For a year before the first version of the Measures the engine holds (2008): weekends only.
WEEKENDS_ONLY_NOTE = (
    "{years}年没有载入国务院节假日安排，期间按仅排除周末计算。",
    "No official holiday schedule is loaded for {years}; the period is counted excluding "
    "weekends only.",
)


def deadline_note(years: Sequence[int], lang: str) -> str | None:
    """The honest note on a deadline counted in a year whose holiday schedule is not
    loaded (``None`` when every year it spans is scheduled): the fixed statutory holidays
    were excluded (CAL-fixed-holidays), only the make-up arrangement is unknown."""
    if not years:
        return None
    sep = "、" if lang != "en" else ", "
    index = 1 if lang == "en" else 0
    fixed = [y for y in years if statutory_holidays(y)]
    bare = [y for y in years if not statutory_holidays(y)]
    notes = []
    if fixed:
        notes.append(UNSCHEDULED_NOTE[index].format(years=sep.join(str(y) for y in fixed)))
    if bare:
        notes.append(WEEKENDS_ONLY_NOTE[index].format(years=sep.join(str(y) for y in bare)))
    return ("" if lang != "en" else " ").join(notes)


def to_document(result: AuditResult, lang: str = "zh") -> dict[str, Any]:
    """The findings document as a dict, keys in the order of the format."""
    return {
        "format": FINDINGS_FORMAT,
        "case_id": result.case_id,
        "as_of": result.as_of.isoformat(),
        "findings": [
            {
                "rule": f.rule,
                "severity": f.severity,
                "message": f.message.get(lang),
                "citation": f.citation or RULES[f.rule].citation,
                "step": f.step,
            }
            for f in result.findings
        ],
        "deadlines": [
            {
                "rule": d.rule,
                "from": d.start.isoformat(),
                "due": d.due.due.isoformat(),
                "status": d.status(result.as_of),
                "note": deadline_note(d.due.unscheduled_years, lang),
            }
            for d in result.deadlines
        ],
        "amounts": {"late_fee": _amount(result.late_fee)},
    }


def render(result: AuditResult, lang: str = "zh") -> str:
    """The findings document as JSON text (UTF-8, two-space indent, final newline):
    ``dump_json(to_document(result, lang)) + "\\n"``, written for the document's fixed
    shape (the same text, byte for byte). What depends only on the rule, severity,
    citation and step of a finding, or on the status and the unscheduled years of a
    deadline (its note), is encoded once per process (``_finding_ends``,
    ``_deadline_tail``)."""
    enc = _encode_string
    # one list of pieces, joined once (each finding and deadline: its fixed pieces,
    # remembered, around what varies)
    out = [
        '{\n  "format": ',
        enc(FINDINGS_FORMAT),
        ',\n  "case_id": ',
        enc(result.case_id),
        ',\n  "as_of": "',
        _ISO.get(result.as_of) or iso(result.as_of),
        '",\n  "findings": ',
    ]
    add = out.append
    extend = out.extend
    findings = result.findings
    if findings:
        en = lang == "en"
        ends = _FINDING_ENDS
        separator = "[\n    "
        for f in findings:
            key = (f.rule, f.severity, f.citation, f.step)
            around = ends.get(key)
            if around is None:
                around = _finding_ends(key)
            message = f.message
            extend((separator, around[0], enc(message.en if en else message.zh), around[1]))
            separator = ",\n    "
        add('\n  ],\n  "deadlines": ')
    else:
        add('[],\n  "deadlines": ')
    deadlines = result.deadlines
    if deadlines:
        as_of = result.as_of
        heads = _DEADLINE_HEADS
        tails = _DEADLINE_TAILS
        known = _ISO.get
        separator = "[\n    "
        for d in deadlines:
            head = heads.get(d.rule)
            if head is None:
                head = _deadline_head(d.rule)
            counted = d.due
            due = counted.due
            done = d.done  # DeadlineItem.status, written out
            if done is not None:
                status = "met" if done <= due else "missed"
            else:
                status = "open" if as_of <= due else "overdue"
            written = (status, counted.unscheduled_years, lang)
            tail = tails.get(written)
            if tail is None:
                tail = _deadline_tail(written)
            start = d.start
            extend(
                (separator, head, known(start) or iso(start), _DUE, known(due) or iso(due), tail)
            )
            separator = ",\n    "
        add('\n  ],\n  "amounts": {\n    "late_fee": ')
    else:
        add('[],\n  "amounts": {\n    "late_fee": ')
    add(_late_fee_json(result.late_fee))
    add("\n  }\n}\n")
    return "".join(out)


def _late_fee_json(value: float | None) -> str:
    """``dump_json(_amount(value), 2)``: a finite float written out as ``_amount`` and
    ``dump_json`` write it, anything else through them."""
    if value is None:
        return "null"
    if type(value) is float and value - value == 0.0:
        return int.__repr__(int(value)) if value.is_integer() else float.__repr__(round(value, 2))
    return dump_json(_amount(value), 2)


_DUE = '",\n      "due": "'
#: ``render``'s encoded pieces, by what they depend on (filled on first use): a
#: finding's JSON before and after its message, by (rule ID, severity, citation, step)
_FINDING_ENDS: dict[tuple[str, str, str | None, int | None], tuple[str, str]] = {}
_DEADLINE_HEADS: dict[str, str] = {}
#: a deadline's JSON after its due date, by (status, years without a schedule, language)
_DEADLINE_TAILS: dict[tuple[str, tuple[int, ...], str], str] = {}


def _finding_ends(key: tuple[str, str, str | None, int | None]) -> tuple[str, str]:
    """A finding's JSON up to its message (rule ID and severity), and after it
    (citation, the rule's own when the finding names none, and step)."""
    rule_id, severity, citation, step = key
    if len(_FINDING_ENDS) >= 10_000:
        _FINDING_ENDS.clear()
    found = _FINDING_ENDS[key] = (
        '{\n      "rule": '
        + _encode_string(rule_id)
        + ',\n      "severity": '
        + _encode_string(severity)
        + ',\n      "message": ',
        ',\n      "citation": '
        + _encode_string(citation or RULES[rule_id].citation)
        + ',\n      "step": '
        + ("null" if step is None else int.__repr__(step))
        + "\n    }",
    )
    return found


def _deadline_head(rule_id: str) -> str:
    """A deadline's JSON up to the text of its start date."""
    head = _DEADLINE_HEADS[rule_id] = (
        '{\n      "rule": ' + _encode_string(rule_id) + ',\n      "from": "'
    )
    return head


def _deadline_tail(key: tuple[str, tuple[int, ...], str]) -> str:
    """A deadline's JSON after the text of its due date: its status and the note on the
    years it was counted without a schedule (``deadline_note``; remembered: the years
    are few)."""
    status, years, lang = key
    note = deadline_note(years, lang)
    found = _DEADLINE_TAILS[key] = (
        f'",\n      "status": "{status}",\n      "note": '
        + ("null" if note is None else _encode_string(note))
        + "\n    }"
    )
    return found


_encode_string = json.encoder.encode_basestring  # the C encoder where available


def dump_json(value: Any, level: int = 0) -> str:
    """``json.dumps(value, ensure_ascii=False, indent=2)``, the same text, faster: with
    an indent the standard library encodes in pure Python, one generator per value."""
    kind = type(value)
    if kind is str:
        return str(_encode_string(value))
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if kind is int:
        return int.__repr__(value)
    if kind is float and value - value == 0.0:  # finite: as json.dumps writes a float
        return float.__repr__(value)
    if kind is dict and all(type(k) is str for k in value):
        if not value:
            return "{}"
        inner = "\n" + "  " * (level + 1)
        body = ("," + inner).join(
            _encode_string(k) + ": " + dump_json(v, level + 1) for k, v in value.items()
        )
        return "{" + inner + body + "\n" + "  " * level + "}"
    if kind is list or kind is tuple:
        if not value:
            return "[]"
        inner = "\n" + "  " * (level + 1)
        body = ("," + inner).join(dump_json(v, level + 1) for v in value)
        return "[" + inner + body + "\n" + "  " * level + "]"
    # floats (NaN, Infinity …) and anything else: exactly as the standard library
    text = json.dumps(value, ensure_ascii=False, indent=2)
    return text.replace("\n", "\n" + "  " * level) if level else text


def replace_as_of(case: CaseFile, as_of: dt.date) -> CaseFile:
    return replace(case, as_of=as_of)
