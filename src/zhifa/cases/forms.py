"""Forms of the case pages. Each step form collects the fields of one step of the
case-file format and hands them to its named service function (``submit``); the
service checks who may act and asks the rules engine. The forms hold no legal rule:
a value the law forbids is refused by the engine, and the refusal is shown on the form.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any, ClassVar

from django import forms
from django.db.models import Q, QuerySet
from django.forms.utils import ErrorDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zhifa.accounts.models import Role, User
from zhifa.catalogue.models import Article, Circumstance, PowerCategory, PowerItem
from zhifa.core.forms import Form
from zhifa.records.models import Evidence
from zhifa.registry.models import ENFORCING_TYPES, EnforcementSubject, Officer
from zhifa.registry.services import qualified_officers
from zhifa.registry.validators import normalise_id_number, validate_id_number, validate_uscc

from . import content, services
from .models import (
    Case,
    CaseSource,
    CaseStep,
    PartyType,
    Procedure,
    Transfer,
    TransferKind,
    TransferResult,
)
from .steps import (
    DATE,
    ELEMENTS,
    OUTCOMES,
    PENALTY_TYPES,
    STEPS,
    OfficerChoiceField,
    OfficersChoiceField,
    StepSpec,
)
from .validation import case_problems

__all__ = ["DATE", "STEP_FORMS", "OfficerChoiceField", "OfficersChoiceField", "StepForm"]

#: The words by which a provision's text sets each penalty type (APL Art. 9 as the laws
#: spell it): the prefill reads the penalty types of the power item's penalty provision
#: from its text. "责令改正" is no penalty and sets none.
PENALTY_WORDS: dict[str, tuple[str, ...]] = {
    "warning": ("警告",),
    "fine": ("罚款",),
    "confiscation": ("没收",),
    "suspend_permit": ("暂扣",),
    "lower_qualification": ("降低资质等级",),
    "revoke_permit": ("吊销",),
    "restrict_business": ("限制开展生产经营活动",),
    "suspend_business": ("停产停业", "责令停业", "停业整治"),
    "closure": ("责令关闭",),
    "restrict_practice": ("限制从业",),
    "detention": ("拘留",),
}


def penalty_types_in(text: str) -> list[str]:
    """The penalty types (format names, in the order of ``PENALTY_TYPES``) that a
    provision's text sets."""
    return [
        value
        for value, _label in PENALTY_TYPES
        if any(word in text for word in PENALTY_WORDS.get(value, ()))
    ]


#: Penalties whose row needs an amount (case-file-format.md: "amount" for fines and
#: confiscation).
AMOUNT_TYPES = frozenset({"fine", "confiscation"})
HARM = [
    ("", "—"),
    ("none", _("No harm")),
    ("minor", _("Minor harm")),
    ("ordinary", _("Ordinary harm")),
    ("serious", _("Serious harm")),
]
MITIGATING = [
    ("eliminated_harm", _("Eliminated or reduced the harm on their own initiative")),
    ("coerced", _("Coerced or deceived into the violation")),
    ("confessed_unknown", _("Confessed violations the organ did not know of")),
    ("meritorious", _("Meritorious conduct in the investigation")),
]


def _today() -> dt.date:
    return timezone.localdate()


def _amount(value: Decimal) -> int | float:
    """Yuan as the format's number (an integer when whole)."""
    return int(value) if value == value.to_integral_value() else float(value)


def organ_officers(organ_id: int) -> QuerySet[Officer]:
    return Officer.objects.filter(organ_id=organ_id, active=True).order_by("name", "pk")


class RecordTimeField(forms.CharField):
    """A record's start or end: the browser's day-and-time picker (``datetime-local``
    sends ``2026-03-04T09:30``), kept as the case file writes it, ``2026-03-04 09:30``."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")

    def to_python(self, value: Any) -> str:
        text = str(super().to_python(value)).strip()
        # The picker may add seconds (``09:30:00``); the record keeps the minute.
        if found := re.fullmatch(r"(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})(:\d{2}(\.\d+)?)?", text):
            text = f"{found[1]} {found[2]}"
        if text and content.parse_moment(text) is None:
            raise forms.ValidationError(
                _("Give a day and a time as 2026-03-04 09:30."), code="invalid"
            )
        return text

    def prepare_value(self, value: Any) -> Any:
        return str(value).replace(" ", "T") if value else value


def officer_label(officers: list[Officer]) -> Callable[[Officer], str]:
    """An officer as the step forms offer him: his name, marked when he holds no
    enforcement certificate valid today or is auxiliary staff (rule APL-42-qualified
    refuses such an officer acting in an investigation; the form still lists him, since
    the step's own date decides). The certificates are read in one query."""
    qualified = qualified_officers(officers, _today())
    unqualified = {o.pk for o in officers} - qualified

    def label(officer: Officer) -> str:
        if officer.pk in unqualified:
            return str(
                _("%(name)s (no enforcement certificate valid today)") % {"name": officer.name}
            )
        return str(officer.name)

    return label


# --- opening a case --------------------------------------------------------------------


def power_items_for(organ: EnforcementSubject, on: dt.date) -> QuerySet[PowerItem]:
    """The power items a case of the organ may be opened under on ``on``: penalty items
    (a case opened here is a penalty case; the engine refuses any other kind:
    POWER-kind) the organ may exercise, own or entrusted; the service checks the scope
    again (APL-power-scope)."""
    return (
        PowerItem.objects.filter(Q(subject=organ) | Q(entrustments__entrusted=organ))
        .filter(category=PowerCategory.PENALTY)
        .filter(valid_from__lte=on)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
        .distinct()
        .order_by("code")
    )


class OpenCaseForm(Form):
    on = forms.DateField(label=_("date opened"), widget=DATE, initial=_today)
    source = forms.ChoiceField(
        label=pgettext_lazy("case source", "source"), choices=CaseSource.choices
    )
    procedure = forms.ChoiceField(label=_("procedure"), choices=Procedure.choices)
    power_item = forms.ModelChoiceField(
        label=_("power item (cause of action)"), queryset=PowerItem.objects.none()
    )
    party_type = forms.ChoiceField(label=_("party type"), choices=PartyType.choices)
    party_name = forms.CharField(label=_("party name"), max_length=255)
    party_id_number = forms.CharField(
        label=_("ID number"),
        max_length=32,
        required=False,
        help_text=_("Individuals: the national ID number (GB 11643)."),
    )
    party_uscc = forms.CharField(
        label=_("unified social credit code"),
        max_length=32,
        required=False,
        help_text=_("Organisations: the 18-character code (GB 32100)."),
    )
    party_birth_date = forms.DateField(label=_("birth date"), widget=DATE, required=False)
    party_vulnerable = forms.BooleanField(label=_("vulnerable group"), required=False)
    occurred_on = forms.DateField(label=_("violation occurred on"), widget=DATE)
    ended_on = forms.DateField(label=_("continuing conduct ended on"), widget=DATE, required=False)
    discovered_on = forms.DateField(label=_("violation discovered on"), widget=DATE)
    harm = forms.ChoiceField(label=_("harm"), choices=HARM, required=False)
    first_offence = forms.BooleanField(label=_("first offence"), required=False)
    corrected_promptly = forms.BooleanField(label=_("corrected promptly"), required=False)
    no_fault_proven = forms.BooleanField(label=_("absence of fault proven"), required=False)
    mitigating = forms.MultipleChoiceField(
        label=_("mitigating circumstances"),
        choices=MITIGATING,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    life_health_or_finance_with_harm = forms.BooleanField(
        label=_("concerns life, health or financial security, with harmful consequences"),
        required=False,
    )
    major_public_interest = forms.BooleanField(
        label=_("concerns a major public interest"), required=False
    )
    complex = forms.BooleanField(label=_("complex case"), required=False)
    in_review_catalogue = forms.BooleanField(
        label=_("listed in the organ's catalogue of major decisions"), required=False
    )
    criminal_suspected = forms.BooleanField(label=_("crime suspected"), required=False)
    law = forms.CharField(label=_("law (full name)"), max_length=255)
    article = forms.CharField(
        label=_("article"), max_length=64, help_text=_("e.g. 第一百二十四条第一款")
    )
    penalty_types = forms.MultipleChoiceField(
        label=_("penalty types the article provides"),
        choices=PENALTY_TYPES,
        widget=forms.CheckboxSelectMultiple,
    )
    fine_min = forms.DecimalField(
        label=_("minimum fine of the article (yuan)"), min_value=0, required=False
    )
    fine_max = forms.DecimalField(
        label=_("maximum fine of the article (yuan)"), min_value=0, required=False
    )

    def __init__(self, *args: Any, organ: EnforcementSubject, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organ = organ
        field = self.fields["power_item"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = power_items_for(organ, _today())
        field.label_from_instance = lambda item: f"{item.code} {item.name}"

    FIELDSETS: ClassVar[list[tuple[Any, tuple[str, ...]]]] = [
        (_("Case"), ("on", "source", "procedure", "power_item")),
        (
            _("Party"),
            (
                "party_type",
                "party_name",
                "party_id_number",
                "party_uscc",
                "party_birth_date",
                "party_vulnerable",
            ),
        ),
        (
            _("Violation"),
            (
                "occurred_on",
                "ended_on",
                "discovered_on",
                "harm",
                "first_offence",
                "corrected_promptly",
                "no_fault_proven",
                "mitigating",
                "life_health_or_finance_with_harm",
                "major_public_interest",
                "complex",
                "in_review_catalogue",
                "criminal_suspected",
            ),
        ),
        (_("Legal basis"), ("law", "article", "penalty_types", "fine_min", "fine_max")),
    ]

    def fieldsets(self) -> list[tuple[Any, list[Any]]]:
        return [(legend, [self[name] for name in names]) for legend, names in self.FIELDSETS]

    def clean_party_id_number(self) -> str:
        value = normalise_id_number(self.cleaned_data["party_id_number"].strip())
        if value:
            validate_id_number(value)
        return value

    def clean_party_uscc(self) -> str:
        value = self.cleaned_data["party_uscc"].strip().upper()
        if value:
            validate_uscc(value)
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        low, high = data.get("fine_min"), data.get("fine_max")
        if low is not None and high is not None and low > high:
            self.add_error("fine_max", _("The maximum fine is below the minimum."))
        # The service's plausibility check (``cases.validation``), shown at the fields.
        problems = case_problems(
            party={
                "name": data.get("party_name"),
                "birth_date": data.get("party_birth_date"),
                "id_number": data.get("party_id_number"),
            },
            violation={k: data.get(k) for k in ("occurred_on", "ended_on", "discovered_on")},
            basis={k: data.get(k) for k in ("law", "fine_min", "fine_max")},
            on=data.get("on"),
            today=_today(),
        )
        for path, message in problems:
            field = f"party_{path[1]}" if path[0] == "party" else path[-1]
            if field in self.fields and field not in self.errors:
                self.add_error(field, message)
        return data

    def service_arguments(self) -> dict[str, Any]:
        d = self.cleaned_data
        party: dict[str, Any] = {"type": d["party_type"], "name": d["party_name"].strip()}
        for key in ("id_number", "uscc", "birth_date"):
            if d[f"party_{key}"]:
                party[key] = d[f"party_{key}"]
        if d["party_vulnerable"]:
            party["vulnerable"] = True
        violation: dict[str, Any] = {
            "occurred_on": d["occurred_on"],
            "discovered_on": d["discovered_on"],
        }
        if d["ended_on"]:
            violation["ended_on"] = d["ended_on"]
        if d["harm"]:
            violation["harm"] = d["harm"]
        for key in (
            "first_offence",
            "corrected_promptly",
            "no_fault_proven",
            "life_health_or_finance_with_harm",
            "major_public_interest",
            "complex",
            "in_review_catalogue",
            "criminal_suspected",
        ):
            violation[key] = bool(d[key])
        if d["mitigating"]:
            violation["mitigating"] = list(d["mitigating"])
        basis = {
            "law": d["law"].strip(),
            "article": d["article"].strip(),
            "penalty_types": list(d["penalty_types"]),
            "fine_min": None if d["fine_min"] is None else _amount(d["fine_min"]),
            "fine_max": None if d["fine_max"] is None else _amount(d["fine_max"]),
        }
        return {
            "on": d["on"],
            "source": d["source"],
            "procedure": d["procedure"],
            "power_item": d["power_item"],
            "party": party,
            "violation": violation,
            "basis": basis,
        }


def basis_prefill(item: PowerItem, on: dt.date) -> dict[str, Any]:
    """Initial basis fields from the power item: its penalty provision, the penalty
    types that provision sets and the statutory fine range.

    The penalty provision is the one the benchmark in force names (its
    ``penalty_article``); without one, the first article of the item's legal basis
    whose text in force sets a penalty (a basis usually lists the duty before the
    penalty, e.g. 第三十五条 before 第一百二十二条); failing that, the first article.
    The penalty types are read from the provision's text (or from the benchmark's
    statutory range when the text names none); the fine range is the benchmark's."""
    initial: dict[str, Any] = {"power_item": item.pk}
    benchmark = (
        item.benchmarks.filter(published=True, valid_from__lte=on)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
        .select_related("penalty_article__law")
        .prefetch_related("penalty_article__versions")
        .order_by("-valid_from", "pk")
        .first()
    )
    basis = list(item.basis.select_related("law").prefetch_related("versions"))
    basis.sort(key=lambda a: (a.ordinal, a.pk))

    def text_of(article: Article) -> str:
        version = article.version_on(on)
        return version.text if version is not None else ""

    article = benchmark.penalty_article if benchmark is not None else None
    if article is None:
        article = next((a for a in basis if penalty_types_in(text_of(a))), None)
    if article is None and basis:
        article = basis[0]
    types: list[str] = []
    if article is not None:
        initial["law"] = article.law.name
        initial["article"] = article.number
        types = penalty_types_in(text_of(article))
    if benchmark is not None:
        if not types:
            types = penalty_types_in(benchmark.statutory_range)
        if benchmark.statutory_min is not None:
            initial["fine_min"] = benchmark.statutory_min
        if benchmark.statutory_max is not None:
            initial["fine_max"] = benchmark.statutory_max
    if types:
        initial["penalty_types"] = types
    return initial


# --- the case clock ----------------------------------------------------------------------


class SuspendForm(Form):
    on = forms.DateField(label=_("suspended from"), widget=DATE, initial=_today)
    reason = forms.CharField(label=_("reason"), max_length=255)


class ArchiveForm(Form):
    on = forms.DateField(label=_("archived on"), widget=DATE, initial=_today)


class ResumeForm(Form):
    on = forms.DateField(label=_("resumed on"), widget=DATE, initial=_today)


# --- the steps ---------------------------------------------------------------------------


class ContentFieldsMixin(Form):
    """The content of a step (``cases.content``) as form fields, for an officer on a
    phone without any script: a text in a textarea, a list one item per line, the rows
    of a ``pairs`` section (speaker and what was said, argument and answer) and the
    questions and answers of a record as a number of blank rows — "More rows" (a submit
    button) shows the form again with more, keeping what was typed. A step's form takes
    one inquiry or inspection record (the API takes a list)."""

    #: The step's content sections (``steps.StepSpec.content``).
    content_sections: ClassVar[tuple[str, ...]] = ()
    #: Blank rows shown first, and added by "More rows".
    ROWS_FIRST: ClassVar[int] = 3
    ROWS_MORE: ClassVar[int] = 3
    #: Set when the user asked for more rows: the form is shown again, not checked.
    more_rows = False

    def content_rows(self) -> int:
        try:
            rows = int(self.data.get("content_rows", self.ROWS_FIRST)) if self.is_bound else 0
        except (TypeError, ValueError):
            rows = self.ROWS_FIRST
        rows = max(rows, self.ROWS_FIRST)
        if self.is_bound and self.data.get("more_rows"):
            self.more_rows = True
            rows += self.ROWS_MORE
        return min(rows, content.ITEMS_MAX)

    def add_content_fields(self) -> None:
        if not self.content_sections:
            return
        self.rows = self.content_rows()
        self.fields["content_rows"] = forms.IntegerField(
            widget=forms.HiddenInput, required=False, initial=self.rows
        )
        if self.is_bound:  # the hidden field keeps the number of rows shown
            self.data = self.data.copy()
            self.data["content_rows"] = str(self.rows)
        for name in self.content_sections:
            sec = content.SECTIONS[name]
            if sec.kind in ("text", "short"):
                limit = content.TEXT_MAX if sec.kind == "text" else content.SHORT_MAX
                widget = forms.Textarea(attrs={"rows": 4}) if sec.kind == "text" else None
                self.fields[f"content_{name}"] = forms.CharField(
                    label=sec.label,
                    max_length=limit,
                    required=False,
                    strip=False,
                    widget=widget or forms.TextInput,
                    help_text=sec.help,
                )
            elif sec.kind in ("lines", "evidence"):
                self.fields[f"content_{name}"] = forms.CharField(
                    label=sec.label,
                    required=False,
                    widget=forms.Textarea(attrs={"rows": 3}),
                    help_text=sec.help,
                )
                if sec.kind == "evidence":
                    files = Evidence.objects.filter(
                        organ_id=self.case.organ_id,
                        object_type="cases.case",
                        object_id=str(self.case.pk),
                    ).order_by("collected_at", "pk")
                    if files:
                        self.fields["content_evidence_files"] = forms.MultipleChoiceField(
                            label=_("evidence files of the case"),
                            choices=[(f.sm3, f.title) for f in files],
                            required=False,
                            widget=forms.CheckboxSelectMultiple,
                        )
            elif sec.kind == "pairs":
                first, second = sec.pair
                for i in range(1, self.rows + 1):
                    self.fields[f"content_{name}_{i}_{first}"] = forms.CharField(
                        label=f"{sec.pair_labels[0]} {i}",
                        max_length=content.SHORT_MAX,
                        required=False,
                    )
                    self.fields[f"content_{name}_{i}_{second}"] = forms.CharField(
                        label=f"{sec.pair_labels[1]} {i}",
                        max_length=content.SHORT_MAX if sec.pair_short else content.TEXT_MAX,
                        required=False,
                        strip=sec.pair_short,
                        widget=forms.TextInput
                        if sec.pair_short
                        else forms.Textarea(attrs={"rows": 3}),
                    )
            else:  # records: one record with its questions and answers
                self.fields["content_record_kind"] = forms.ChoiceField(
                    label=_("record"), choices=content.RECORD_KINDS, required=False
                )
                for member, label in (
                    ("place", _("place")),
                    ("started", _("started at")),
                    ("ended", _("ended at")),
                    ("interviewee", _("person questioned or present")),
                ):
                    self.fields[f"content_record_{member}"] = (
                        RecordTimeField(label=label, required=False)
                        if member in content.RECORD_TIMES
                        else forms.CharField(
                            label=label, max_length=content.SHORT_MAX, required=False
                        )
                    )
                for i in range(1, self.rows + 1):
                    for member, label in (("question", _("question")), ("answer", _("answer"))):
                        self.fields[f"content_qa_{i}_{member}"] = forms.CharField(
                            label=f"{label} {i}",
                            max_length=content.TEXT_MAX,
                            required=False,
                            strip=False,
                            widget=forms.Textarea(attrs={"rows": 2}),
                        )
                self.fields["content_record_notes"] = forms.CharField(
                    label=_("what was found on site"),
                    max_length=content.TEXT_MAX,
                    required=False,
                    strip=False,
                    widget=forms.Textarea(attrs={"rows": 3}),
                )

    def full_clean(self) -> None:
        if self.more_rows:  # shown again with more rows: nothing checked, nothing saved
            self._errors = ErrorDict()
            self.cleaned_data = {}
            return
        super().full_clean()

    def content_groups(self) -> list[dict[str, Any]]:
        """The content fields for the template: per section its label and its fields,
        or its rows (pairs of fields)."""
        groups: list[dict[str, Any]] = []
        for name in self.content_sections:
            sec = content.SECTIONS[name]
            if sec.kind == "pairs":
                first, second = sec.pair
                rows = [
                    (self[f"content_{name}_{i}_{first}"], self[f"content_{name}_{i}_{second}"])
                    for i in range(1, self.rows + 1)
                ]
                groups.append({"label": sec.label, "rows": rows, "help": sec.help})
            elif sec.kind == "records":
                head = [
                    self[f"content_record_{m}"]
                    for m in ("kind", "place", "started", "ended", "interviewee")
                ]
                rows = [
                    (self[f"content_qa_{i}_question"], self[f"content_qa_{i}_answer"])
                    for i in range(1, self.rows + 1)
                ]
                groups.append(
                    {
                        "label": sec.label,
                        "fields": head,
                        "rows": rows,
                        "after": [self["content_record_notes"]],
                    }
                )
            else:
                fields = [self[f"content_{name}"]]
                if sec.kind == "evidence" and "content_evidence_files" in self.fields:
                    fields.append(self["content_evidence_files"])
                groups.append({"label": sec.label, "fields": fields})
        return groups

    def field_for_path(self, path: str) -> str | None:
        """The form field of a path of the step's ``content`` as the service names it
        (``content.witnesses.0.unit``), or ``None``. The service numbers the rows the
        form sent with something in them (``content.compact`` drops the empty ones):
        the n-th filled row is found among the form's rows."""
        parts = path.split(".")
        if len(parts) < 2 or parts[0] != "content" or parts[1] not in self.content_sections:
            return None
        name, rest = parts[1], parts[2:]
        sec = content.SECTIONS[name]
        data = getattr(self, "cleaned_data", None) or {}

        def filled(members: list[str]) -> list[int]:
            return [
                i
                for i in range(1, getattr(self, "rows", 0) + 1)
                if any(str(data.get(m.format(i=i)) or "").strip() for m in members)
            ]

        def nth(rows: list[int], index: str) -> int | None:
            if not (index.isascii() and index.isdigit()):
                return None
            return rows[int(index)] if int(index) < len(rows) else None

        if sec.kind == "pairs":
            first, second = sec.pair
            members = [f"content_{name}_{{i}}_{first}", f"content_{name}_{{i}}_{second}"]
            row = nth(filled(members), rest[0]) if rest else None
            if row is None:
                return f"content_{name}_1_{first}"
            member = rest[1] if len(rest) > 1 and rest[1] in sec.pair else first
            return f"content_{name}_{row}_{member}"
        if sec.kind == "records":
            if len(rest) >= 3 and rest[1] == "qa":
                members = ["content_qa_{i}_question", "content_qa_{i}_answer"]
                row = nth(filled(members), rest[2])
                member = rest[3] if len(rest) > 3 and rest[3] in ("question", "answer") else ""
                if row is not None and member:
                    return f"content_qa_{row}_{member}"
            elif len(rest) >= 2 and f"content_record_{rest[1]}" in self.fields:
                return f"content_record_{rest[1]}"
            return "content_record_kind"
        return f"content_{name}" if f"content_{name}" in self.fields else None

    def has_rows(self) -> bool:
        return any(content.SECTIONS[n].kind in ("pairs", "records") for n in self.content_sections)

    def _lines(self, name: str) -> list[str]:
        text = self.cleaned_data.get(f"content_{name}") or ""
        return [line.strip() for line in text.splitlines() if line.strip()]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in self.content_sections:
            if content.SECTIONS[name].kind not in ("lines", "evidence"):
                continue
            lines = self._lines(name)
            if len(lines) > content.ITEMS_MAX:
                self.add_error(
                    f"content_{name}",
                    _("At most %(limit)s lines.") % {"limit": content.ITEMS_MAX},
                )
            elif any(len(line) > content.SHORT_MAX * 10 for line in lines):
                self.add_error(
                    f"content_{name}",
                    _("A line has more than %(limit)s characters.")
                    % {"limit": content.SHORT_MAX * 10},
                )
        return data

    def content_value(self) -> dict[str, Any]:
        """The step's ``content`` from the cleaned fields (empty sections left out by the
        service, ``content.compact``)."""
        d = self.cleaned_data
        value: dict[str, Any] = {}
        for name in self.content_sections:
            sec = content.SECTIONS[name]
            if sec.kind in ("text", "short"):
                value[name] = d.get(f"content_{name}") or ""
            elif sec.kind == "lines":
                value[name] = self._lines(name)
            elif sec.kind == "evidence":
                items: list[dict[str, Any]] = []
                titles = (
                    dict(self.fields["content_evidence_files"].choices)
                    if ("content_evidence_files" in self.fields)
                    else {}
                )
                for digest in d.get("content_evidence_files") or []:
                    items.append({"name": str(titles[digest]), "sm3": digest})
                items += [{"name": line} for line in self._lines(name)]
                value[name] = items
            elif sec.kind == "pairs":
                first, second = sec.pair
                value[name] = [
                    {
                        first: (d.get(f"content_{name}_{i}_{first}") or "").strip(),
                        second: d.get(f"content_{name}_{i}_{second}") or "",
                    }
                    for i in range(1, self.rows + 1)
                ]
            else:
                record: dict[str, Any] = {
                    m: (d.get(f"content_record_{m}") or "").strip()
                    for m in ("place", "started", "ended", "interviewee")
                }
                record["notes"] = d.get("content_record_notes") or ""
                record["qa"] = [
                    {
                        "question": d.get(f"content_qa_{i}_question") or "",
                        "answer": d.get(f"content_qa_{i}_answer") or "",
                    }
                    for i in range(1, self.rows + 1)
                ]
                record["qa"] = [
                    r for r in record["qa"] if r["question"].strip() or r["answer"].strip()
                ]
                officers = d.get("officers")
                filled = {k: v for k, v in record.items() if v}
                if filled:
                    filled["kind"] = d.get("content_record_kind") or "inquiry"
                    if officers:
                        filled["officers"] = [str(o.name) for o in officers]
                    value[name] = [filled]
        return value

    def content_argument(self) -> dict[str, Any]:
        """``content=`` for the service when the step has content sections."""
        return {"content": self.content_value()} if self.content_sections else {}


class StepForm(ContentFieldsMixin, Form):
    """One step: its date, the step count the user saw (a concurrent change is a
    conflict), the step's own fields (``steps.StepSpec.form_fields``) and the sections
    of its content (``steps.StepSpec.content``, ``ContentFieldsMixin``). ``submit``
    calls the named service with them (``fields_for_service``)."""

    step: ClassVar[str] = ""
    service: ClassVar[Callable[..., CaseStep]]
    #: The step's own fields, handed to the service as they are cleaned.
    step_fields: ClassVar[tuple[str, ...]] = ()

    on = forms.DateField(label=_("date"), widget=DATE)
    expected_steps = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args: Any, case: Case, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.case, self.user = case, user
        officers = organ_officers(case.organ_id)
        choosers = [f for f in self.fields.values() if isinstance(f, forms.ModelChoiceField)]
        if choosers:
            label = officer_label(list(officers))
            for field in choosers:
                field.queryset = officers
                field.label_from_instance = label  # type: ignore[method-assign]
        self.setup()
        self.add_content_fields()

    def setup(self) -> None:
        """Per-step adjustments of the fields."""

    @property
    def field_errors(self) -> list[tuple[forms.BoundField, str]]:
        """Each field's errors with the field, in the form's order: the summary at the
        top of the step form links them (a long form on a phone hides the field)."""
        return [(field, error) for field in self for error in field.errors]

    def fields_for_service(self) -> dict[str, Any]:
        """The step's own keyword arguments for the service: the cleaned value of each of
        ``step_fields`` — officers as a list, yuan as the format's number, an empty
        optional choice as ``None``."""
        arguments: dict[str, Any] = {}
        for name in self.step_fields:
            value = self.cleaned_data[name]
            field = self.fields[name]
            if isinstance(field, forms.ModelMultipleChoiceField):
                value = list(value)
            elif isinstance(value, Decimal):
                value = _amount(value)
            elif isinstance(field, forms.ChoiceField) and value == "" and not field.required:
                value = None
            arguments[name] = value
        return arguments

    def submit(self) -> CaseStep:
        d = self.cleaned_data
        return type(self).service(
            self.case,
            actor=self.user,
            on=d["on"],
            expected_steps=d["expected_steps"],
            **self.fields_for_service(),
            **self.content_argument(),
        )


class PenaltyRowsMixin(Form):
    """A fixed set of penalty rows (type and amount); the types offered are those of the
    article applied (case basis)."""

    ROWS: ClassVar[int] = 3
    penalties_required: ClassVar[bool] = True

    def add_penalty_rows(self, case: Case) -> None:
        allowed = set(case.basis.get("penalty_types") or [])
        choices = [("", "—")] + [(v, label) for v, label in PENALTY_TYPES if v in allowed]
        for i in range(1, self.ROWS + 1):
            self.fields[f"penalty_type_{i}"] = forms.ChoiceField(
                label=_("penalty %(n)s: type") % {"n": i}, choices=choices, required=False
            )
            self.fields[f"penalty_amount_{i}"] = forms.DecimalField(
                label=_("penalty %(n)s: amount (yuan)") % {"n": i},
                min_value=0,
                max_digits=14,
                decimal_places=2,
                required=False,
            )

    def penalty_rows(self) -> list[tuple[Any, Any]]:
        return [
            (self[f"penalty_type_{i}"], self[f"penalty_amount_{i}"])
            for i in range(1, self.ROWS + 1)
        ]

    def clean_penalties(self, data: dict[str, Any], required: bool) -> list[dict[str, Any]]:
        penalties: list[dict[str, Any]] = []
        for i in range(1, self.ROWS + 1):
            kind = data.get(f"penalty_type_{i}")
            amount = data.get(f"penalty_amount_{i}")
            if not kind:
                if amount is not None:
                    self.add_error(f"penalty_type_{i}", _("Choose the type of this penalty."))
                continue
            if kind in AMOUNT_TYPES:
                if amount is None:
                    self.add_error(f"penalty_amount_{i}", _("Give the amount in yuan."))
                    continue
                penalties.append({"type": kind, "amount": _amount(amount)})
            else:
                penalties.append({"type": kind})
        if required and not penalties and not self.errors:
            self.add_error("penalty_type_1", _("Give at least one penalty."))
        return penalties


# The bases of the step forms with behaviour of their own (``StepSpec.form`` names them).


class SeizureFormBase(StepForm):
    """The approver of a seizure is chosen among the organ heads' officers."""

    def setup(self) -> None:
        field = self.fields["approved_by"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = organ_officers(self.case.organ_id).filter(user__role=Role.ORGAN_HEAD)


class IntendedPenaltiesFormBase(PenaltyRowsMixin, StepForm):
    """The intended penalties (``intended``) in penalty rows, at least one."""

    def setup(self) -> None:
        self.add_penalty_rows(self.case)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["intended"] = self.clean_penalties(data, required=True)
        return data

    def fields_for_service(self) -> dict[str, Any]:
        return {"intended": self.cleaned_data["intended"], **super().fields_for_service()}


class DecisionFormBase(PenaltyRowsMixin, StepForm):
    """The decision (APL 57, 59): the penalties, the discretion circumstance found (its
    band from the catalogue), and the approver: the organ head who records it, or in the
    summary procedure the deciding officer (APL 51–52), always the user's own officer."""

    # A transfer is decided with the transfer form (services.transfer_case), which also
    # writes the transfer letter's receiver and reason.
    outcome = forms.ChoiceField(
        label=_("outcome"),
        choices=[(v, label) for v, label in OUTCOMES if v != "transfer"],
        initial="penalty",
    )
    circumstance = forms.ChoiceField(
        label=_("discretion circumstance"),
        choices=[("", "—"), *Circumstance.choices],
        required=False,
        help_text=_("The band of the power item's discretion benchmark applied."),
    )
    reason_outside_band = forms.CharField(
        label=_("reason for a fine outside the band"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    elements = forms.MultipleChoiceField(
        label=_("elements of the decision document"),
        choices=ELEMENTS,
        initial=[v for v, _label in ELEMENTS],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    cites_full_name_and_article = forms.BooleanField(
        label=_("cites the full name of the law and the article"), required=False, initial=True
    )

    def setup(self) -> None:
        self.add_penalty_rows(self.case)
        self.approver = Officer.objects.filter(user=self.user, organ_id=self.case.organ_id).first()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["penalties"] = self.clean_penalties(data, required=data.get("outcome") == "penalty")
        if self.approver is None:
            self.add_error(None, _("Your account is not linked to an officer of the registry."))
        return data

    def fields_for_service(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            "approved_by": self.approver,
            "outcome": d["outcome"],
            "penalties": d["penalties"],
            "elements": list(d["elements"]),
            "cites_full_name_and_article": d["cites_full_name_and_article"],
            "circumstance": d["circumstance"] or None,
            "reason_outside_band": d["reason_outside_band"],
        }


class ServedFormBase(StepForm):
    """The service and its 送达回证: the person served (the party, first), who signed,
    the place and, on a refusal, its witnesses or recording (``content``). The party's
    consent to electronic service counts for electronic service only."""

    def add_content_fields(self) -> None:
        super().add_content_fields()
        if "content_recipient" in self.fields:
            self.fields["content_recipient"].initial = self.case.party_name

    def fields_for_service(self) -> dict[str, Any]:
        arguments = super().fields_for_service()
        if arguments["method"] != "electronic":
            arguments["electronic_consent"] = None
        return arguments


class HeadApprovalForm(StepForm):
    """A step the organ head approves and records: in the general procedure the approver
    is the head's own registry officer."""

    def setup(self) -> None:
        self.approver = Officer.objects.filter(user=self.user, organ_id=self.case.organ_id).first()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.approver is None and self.case.procedure == "general":
            self.add_error(None, _("Your account is not linked to an officer of the registry."))
        return data

    def fields_for_service(self) -> dict[str, Any]:
        approver = self.approver if self.case.procedure == "general" else None
        return {**super().fields_for_service(), "approved_by": approver}


def step_form(spec: StepSpec) -> type[StepForm]:
    """The form class of a declared step: its base (``spec.form``) with the step's
    fields, taking the step through its service function."""
    base = globals()[spec.form or "StepForm"]
    assert issubclass(base, StepForm)
    service = services.STEP_SERVICES.get(spec.name) or services.step_service(spec)
    attrs: dict[str, Any] = {
        "__module__": __name__,
        "step": spec.name,
        "service": staticmethod(service),
        "step_fields": tuple(spec.form_fields),
        "content_sections": spec.content,
        **{name: make() for name, make in spec.form_fields.items()},
    }
    return type(spec.form_name, (base,), attrs)


#: The form of each step the case pages take (``steps.STEPS`` with a form).
STEP_FORMS: dict[str, type[StepForm]] = {s.name: step_form(s) for s in STEPS if s.form}
# Each by its name too (``forms.PreservationForm``).
globals().update({form.__name__: form for form in STEP_FORMS.values()})


# --- the signed 送达回证 ---------------------------------------------------------------------


class ReceiptScanForm(Form):
    """The scan of the signed service receipt (``services.attach_receipt_scan``)."""

    file = forms.FileField(
        label=_("scan of the signed receipt"),
        allow_empty_file=False,
        help_text=_("PDF, JPEG or PNG; a new scan replaces the current one and keeps it."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}),
    )


# --- transfer (移送) -----------------------------------------------------------------------


class TransferForm(Form):
    """The organ head's transfer of the case (``services.transfer_case``): to another
    organ — chosen from the registry, or named when it is not there — or to the judicial
    organs. The approver is the head's own registry officer."""

    on = forms.DateField(label=_("date"), widget=DATE)
    expected_steps = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    kind = forms.ChoiceField(label=_("transferred to"), choices=TransferKind.choices)
    to_organ = forms.ModelChoiceField(
        label=_("receiving organ (registry)"),
        queryset=EnforcementSubject.objects.none(),
        required=False,
        help_text=_("Choose the organ when it is in the registry, so that it sees the transfer."),
    )
    receiver_name = forms.CharField(
        label=_("receiver (not in the registry)"),
        max_length=255,
        required=False,
        help_text=_("e.g. a public security organ or a procuratorate."),
    )
    reason = forms.CharField(
        label=_("reason"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, case: Case, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.case, self.user = case, user
        field = self.fields["to_organ"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = (
            EnforcementSubject.objects.filter(subject_type__in=ENFORCING_TYPES)
            .exclude(pk=case.organ_id)
            .order_by("name", "pk")
        )
        field.label_from_instance = lambda organ: str(organ.name)
        self.approver = Officer.objects.filter(user=user, organ_id=case.organ_id).first()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.approver is None:
            self.add_error(None, _("Your account is not linked to an officer of the registry."))
        return data

    def submit(self) -> Transfer:
        d = self.cleaned_data
        return services.transfer_case(
            self.case,
            actor=self.user,
            on=d["on"],
            kind=d["kind"],
            to_organ=d["to_organ"],
            receiver_name=d["receiver_name"],
            reason=d["reason"],
            approved_by=self.approver,  # type: ignore[arg-type]
            expected_steps=d["expected_steps"],
        )


class TransferResultForm(Form):
    """The receiver's written reply to the transfer letter
    (``services.record_transfer_result``)."""

    on = forms.DateField(label=_("reply date"), widget=DATE, initial=_today)
    result = forms.ChoiceField(
        label=_("result"),
        choices=[(v, label) for v, label in TransferResult.choices if v != TransferResult.PENDING],
    )
    note = forms.CharField(
        label=_("reply"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The receiver's reason when it rejected or returned the case."),
    )
