"""Each step of a case, declared once (issue #12, item 3).

A step of the case-file format (case-file-format.md, "Steps") is one ``StepSpec`` in
``STEPS``: its name and label, who may take it, the status it sets, the document it
numbers, the step that must come first and where the workflow offers it, its service
function, and its input — the API's fields (a pydantic model is made from them) and the
case page's form fields. Everything else is derived from here:

- ``labels.STEP_LABELS`` (the label), ``services.STEP_STATUS`` / ``STEP_DOCUMENTS``;
- ``workflow.HEAD_STEPS`` / ``REVIEWER_STEPS`` (the roles), ``required_before`` (the
  step that comes first) and the places ``procedural_next_steps`` reads (``place``);
- ``forms.STEP_FORMS`` (a form class per step with a form), the API's ``STEP_SCHEMAS``
  and ``StepIn`` union (a model per step with API fields) and ``services.STEP_SERVICES``.

The vocabularies the steps and the case sections share (penalty types, decision
elements, the discretion circumstances and their catalogue names, evidence kinds, …)
are here too, each once: the API's ``Literal`` types and the forms' choices are made
from them. How to add a step: docs/development.md, "How to add a step".

This module holds no legal rule: the law is the rules engine's (``services.add_step``
asks it for every step).
"""

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from pydantic import ConfigDict, Field

from zhifa.accounts.models import Role
from zhifa.catalogue import bands
from zhifa.core.forms import DateInput
from zhifa.core.schemas import InputSchema
from zhifa.core.validation import DB_MAX_ID, MAX_AMOUNT
from zhifa.documents.models import DocumentType
from zhifa.registry.models import Officer

from .models import CaseStatus, DecisionChange

# --- vocabularies (the case-file format's enums, each with its label) ----------------------

#: The format's penalty types (APL Art. 9).
PENALTY_TYPES: list[tuple[str, Any]] = [
    ("warning", _("Warning")),
    ("fine", _("Fine")),
    ("confiscation", _("Confiscation")),
    ("suspend_permit", _("Suspension of a permit")),
    ("lower_qualification", _("Lowering of a qualification grade")),
    ("revoke_permit", _("Revocation of a permit")),
    ("restrict_business", _("Restriction of business activities")),
    ("suspend_business", _("Order to suspend production or business")),
    ("closure", _("Order to close")),
    ("restrict_practice", _("Restriction of practice")),
    ("detention", _("Administrative detention")),
]
#: The APL-59 elements of a complete decision.
ELEMENTS: list[tuple[str, Any]] = [
    ("party", _("The party")),
    ("facts_evidence", _("Facts and evidence")),
    ("type_basis", _("Penalty type and legal basis")),
    ("performance", _("Manner and time limit of performance")),
    ("remedies", _("Remedies and their time limits")),
    ("organ_date", _("Organ and date")),
    ("seal", _("Seal")),
]
ALL_ELEMENTS: tuple[str, ...] = tuple(value for value, _label in ELEMENTS)
#: The catalogue's circumstance names (catalogue.bands) → the format's: the one place
#: where the catalogue's ``general`` (一般处罚) is the format's ``ordinary``.
FORMAT_CIRCUMSTANCE: dict[str, str] = {
    bands.NO_PENALTY: "no_penalty",
    bands.MITIGATED: "mitigated",
    bands.LIGHTER: "lighter",
    bands.GENERAL: "ordinary",
    bands.HEAVIER: "heavier",
}
#: The format's circumstance names → the catalogue's.
CATALOGUE_CIRCUMSTANCE: dict[str, str] = {v: k for k, v in FORMAT_CIRCUMSTANCE.items()}
EVIDENCE_KINDS: list[tuple[str, Any]] = [
    ("party_statement", _("Statement of the party")),
    ("documentary", _("Documentary evidence")),
    ("physical", _("Physical evidence")),
    ("audio_visual", _("Audio-visual material")),
    ("electronic", _("Electronic data")),
    ("witness", _("Witness testimony")),
    ("expert_opinion", _("Expert opinion")),
    ("inspection_record", _("Inspection record")),
    ("on_site_record", _("On-site record")),
]
OUTCOMES: list[tuple[str, Any]] = [
    ("penalty", _("Penalty imposed")),
    ("no_penalty", _("No penalty")),
    ("not_established", _("Violation not established")),
    ("transfer", _("Transferred")),
]
SERVICE_METHODS: list[tuple[str, Any]] = [
    ("on_the_spot", _("Delivered on the spot")),
    ("direct", _("Direct service")),
    ("left_at_residence", _("Left at the residence")),
    ("entrusted", _("Entrusted service")),
    ("mail", _("Service by mail")),
    ("public_notice", _("Service by public notice")),
    ("electronic", _("Electronic service")),
]
SIGNED_BY: list[tuple[str, Any]] = [
    ("recipient", _("The recipient")),
    ("authorised", _("An authorised recipient")),
    ("relative", _("An adult family member living with the recipient")),
    ("refused", _("Refused to sign")),
]
ONSITE_REASONS: list[tuple[str, Any]] = [
    ("small_fine", _("Small fine")),
    ("hard_to_enforce", _("Hard to enforce afterwards")),
    ("remote_area", _("Remote area")),
]
#: The format's closing reasons (``closed.reason``; CLOSE-conditions).
CLOSE_REASONS: list[tuple[str, Any]] = [
    ("performed", _("The decision was performed (fine and any late fee paid)")),
    ("executed", _("The decision was executed (court ruling or coercive execution)")),
    ("no_penalty", _("No penalty was decided")),
    ("not_established", _("The violation was not established")),
    ("transferred", _("The case was transferred")),
    ("terminated", _("The investigation was terminated")),
]
#: The kinds and results of a reconsideration or litigation (``remedy_filed``).
REMEDY_KINDS: list[tuple[str, Any]] = [
    ("reconsideration", _("Administrative reconsideration")),
    ("litigation", _("Administrative litigation")),
]
REMEDY_RESULTS: list[tuple[str, Any]] = [
    ("pending", _("Pending")),
    ("upheld", _("Decision upheld")),
    ("changed", _("Decision varied")),
    ("revoked", _("Decision revoked")),
    ("confirmed_unlawful", _("Decision confirmed unlawful")),
    ("withdrawn", _("Withdrawn by the party")),
]


def values(choices: Iterable[tuple[str, Any]]) -> tuple[str, ...]:
    """The values of ``choices`` (value, label)."""
    return tuple(value for value, _label in choices)


def literal(choices: Iterable[tuple[str, Any]] | Iterable[str]) -> Any:
    """The ``Literal`` type of the values of ``choices`` (for the API's schemas)."""
    return Literal.__getitem__(tuple(c if isinstance(c, str) else c[0] for c in choices))


# --- the API's input types ------------------------------------------------------------------

if TYPE_CHECKING:
    OfficerId = int
    Amount = float
    PenaltyType = str
    Evidence = str
    Element = str
    Circumstance = str
else:
    from typing import Annotated

    OfficerId = Annotated[
        int, Field(ge=1, le=DB_MAX_ID, description="A registry officer of the case's organ.")
    ]
    Amount = Annotated[
        float,
        Field(ge=0, lt=MAX_AMOUNT, allow_inf_nan=False, description="Yuan, below 10^12."),
    ]
    PenaltyType = literal(PENALTY_TYPES)
    Evidence = literal(EVIDENCE_KINDS)
    Element = literal(ELEMENTS)
    Circumstance = literal(FORMAT_CIRCUMSTANCE.values())


class StrictIn(InputSchema):
    """Input: an unknown field is an error (a misspelt field must not fall back to its
    default silently)."""

    model_config = ConfigDict(extra="forbid")


class PenaltyIn(StrictIn):
    type: PenaltyType
    amount: Amount | None = Field(None, description="Fines and confiscation, in yuan.")


class StepBase(StrictIn):
    on: dt.date = Field(description="The day of the step (YYYY-MM-DD).")
    expected_steps: int = Field(
        ge=0,
        le=100000,
        strict=True,  # a count: ``false`` is not 0, nor ``"3"`` 3
        description="The number of steps you saw; 409 when the case changed meanwhile.",
    )


# --- the forms' field types -------------------------------------------------------------------

DATE = DateInput()


class OfficerChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class OfficersChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


def _served_on() -> forms.DateField:
    return forms.DateField(
        label=_("served on"), widget=DATE, required=False, help_text=_("Default: the date above.")
    )


# --- the declaration ------------------------------------------------------------------------

#: Who may take a step (``policy.role_may_take``; the summary procedure has its own rule).
HEAD = frozenset({Role.ORGAN_HEAD})
REVIEWER = frozenset({Role.LEGAL_REVIEWER})
ACTORS = frozenset({Role.OFFICER, Role.ORGAN_HEAD})
#: The steps the party records itself as well (the party app: docs/party.md): its
#: statement and defence and its request for a hearing (APL 44, 64).
PARTY = frozenset({Role.PARTY})

#: Where ``workflow.procedural_next_steps`` offers a step: ``SOURCE`` — to a general case
#: not yet registered (a case source); ``EXECUTION`` — once the decision in force was
#: served and the step's ``requires`` is done; ``ORDER`` — at its place in the
#: workflow's own order of the procedure.
SOURCE = "source"
EXECUTION = "execution"
ORDER = "order"


@dataclass(frozen=True)
class StepSpec:
    """One step of the case-file format and everything the app derives from it."""

    name: str
    label: Any
    #: The function of ``cases.services`` that takes the step (``service_args`` are
    #: bound to it), ``add_step`` being the guarded path under it.
    service: str
    roles: frozenset[str] = ACTORS
    #: The case status after the step (``None``: unchanged).
    status: str | None = None
    #: The document the step numbers when it is saved (the decision's depends on its
    #: outcome: ``actions.add_step.document_type``).
    document: str | None = None
    #: The step that must come first (the order's refusal names it).
    requires: str = ""
    place: str = ORDER
    #: The step ends the case (no step follows it).
    ends_case: bool = False
    #: An organ head approves the step and records it: the ``approved_by`` it names is
    #: the acting head's own officer (结案审批, 不予立案审批).
    approver_records: bool = False
    service_args: Mapping[str, Any] = field(default_factory=dict)
    #: The API's fields of the step (pydantic: name → (type, default or ``Field``)) and
    #: the API model's description; ``None`` when the API does not take the step.
    api: Mapping[str, tuple[Any, Any]] | None = field(default_factory=dict)
    api_doc: str | None = None
    #: The case page's form: its base class in ``cases.forms`` and the step's fields
    #: (name → a factory of the form field); ``form=None`` when no page takes it.
    form: str | None = "StepForm"
    form_fields: Mapping[str, Callable[[], forms.Field]] = field(default_factory=dict)
    #: The sections of the step's ``content`` (``cases.content.SECTIONS``): the
    #: narrative its documents need (issue #14). The API's ``content`` model, the form's
    #: content fields and the check of ``add_step`` are made from them.
    content: tuple[str, ...] = ()

    @property
    def model_name(self) -> str:
        """The API model's name: ``registration_refused`` → ``RegistrationRefusedIn``."""
        return "".join(part.capitalize() for part in self.name.split("_")) + "In"

    @property
    def form_name(self) -> str:
        return "".join(part.capitalize() for part in self.name.split("_")) + "Form"


def _officers_field(label: Any) -> Callable[[], forms.Field]:
    return lambda: OfficersChoiceField(label=label, queryset=Officer.objects.none())


STEPS: tuple[StepSpec, ...] = (
    StepSpec(
        "registered",
        _("Registration"),
        "register_case",
        roles=HEAD,
        status=CaseStatus.INVESTIGATING,
        # 立案: the case number (立案号) is issued with the registration, never before.
        document=DocumentType.REGISTRATION_APPROVAL,
        place=SOURCE,
        api={"by": (list[OfficerId], Field(min_length=1, description="The investigators."))},
        api_doc="立案 (an organ head approves: 立案审批 under the departmental procedure rules).",
        form_fields={"by": _officers_field(_("investigators"))},
        content=("summary",),
    ),
    StepSpec(
        "investigation",
        _("Investigation and evidence"),
        "record_investigation",
        status=CaseStatus.INVESTIGATING,
        api={
            "officers": (list[OfficerId], Field(min_length=1)),
            "evidence": (list[Evidence], []),
            "certificates_shown": (bool, True),
        },
        api_doc="调查取证 (APL 42, 55).",
        form_fields={
            "officers": _officers_field(_("officers")),
            "certificates_shown": lambda: forms.BooleanField(
                label=_("certificates shown to the party"), required=False, initial=True
            ),
            "evidence": lambda: forms.MultipleChoiceField(
                label=_("evidence collected"),
                choices=EVIDENCE_KINDS,
                widget=forms.CheckboxSelectMultiple,
            ),
        },
        content=("records", "facts", "evidence", "opinion"),
    ),
    StepSpec(
        "preservation",
        _("Preservation of evidence by registration"),
        "record_preservation",
        roles=HEAD,
        api={"items": (int, Field(ge=0, le=1000000))},
        api_doc="先行登记保存 started (APL 56).",
        form_fields={
            "items": lambda: forms.IntegerField(
                label=_("items preserved"), min_value=1, max_value=1_000_000
            )
        },
        content=("items",),
    ),
    StepSpec(
        "preservation_decided",
        _("Preservation decided"),
        "decide_preservation",
        roles=HEAD,
        requires="preservation",
    ),
    StepSpec(
        "seizure",
        _("Sealing or seizure"),
        "record_seizure",
        document=DocumentType.SEIZURE_DECISION,
        api={"days": (int, Field(ge=1, le=3650)), "approved_by": (OfficerId, ...)},
        api_doc="查封、扣押 (ACL 18, 25), approved by an organ head.",
        form="SeizureFormBase",
        form_fields={
            "days": lambda: forms.IntegerField(label=_("days"), min_value=1),
            "approved_by": lambda: OfficerChoiceField(
                label=_("approved by (organ head)"), queryset=Officer.objects.none()
            ),
        },
        content=("items", "reasons"),
    ),
    StepSpec(
        "seizure_extended",
        _("Sealing or seizure extended"),
        "record_seizure",
        requires="seizure",
        service_args={"extended": True},
        api={"days": (int, Field(ge=1, le=3650)), "approved_by": (OfficerId, ...)},
        form="SeizureFormBase",
        form_fields={
            "days": lambda: forms.IntegerField(label=_("days"), min_value=1),
            "approved_by": lambda: OfficerChoiceField(
                label=_("approved by (organ head)"), queryset=Officer.objects.none()
            ),
        },
    ),
    StepSpec(
        "seizure_ended",
        _("Sealing or seizure lifted"),
        "end_seizure",
        requires="seizure",
    ),
    StepSpec(
        "prior_notice",
        _("Prior notice of the penalty"),
        "serve_prior_notice",
        status=CaseStatus.NOTIFIED,
        document=DocumentType.PRIOR_NOTICE,
        api={
            "intended": (list[PenaltyIn], []),
            "served_on": (
                dt.date | None,
                Field(None, description="Default: the day of the step."),
            ),
            "written": (bool, True),
            "hearing_right_notified": (bool, True),
        },
        api_doc="行政处罚事先告知书 (APL 44).",
        # The intended penalties are rows of the article's penalty types.
        form="IntendedPenaltiesFormBase",
        form_fields={
            "served_on": _served_on,
            "written": lambda: forms.BooleanField(
                label=_("written notice"), required=False, initial=True
            ),
            "hearing_right_notified": lambda: forms.BooleanField(
                label=_("right to a hearing notified"), required=False, initial=True
            ),
        },
        content=("facts", "evidence", "basis"),
    ),
    StepSpec(
        "statement",
        _("Statement and defence"),
        "record_statement",
        roles=ACTORS | PARTY,
        status=CaseStatus.NOTIFIED,
        requires="prior_notice",
        content=("statement", "review"),
    ),
    StepSpec(
        "waiver",
        _("Waiver of statement, defence and hearing"),
        "record_waiver",
        status=CaseStatus.NOTIFIED,
        requires="prior_notice",
        api={"signed": (bool, True)},
        form_fields={
            "signed": lambda: forms.BooleanField(
                label=_("signed by the party"), required=False, initial=True
            )
        },
    ),
    StepSpec(
        "hearing_requested",
        _("Hearing requested"),
        "request_hearing",
        roles=ACTORS | PARTY,
        status=CaseStatus.HEARING,
        requires="prior_notice",
    ),
    StepSpec(
        "hearing_notice",
        _("Hearing notice"),
        "notify_hearing",
        status=CaseStatus.HEARING,
        document=DocumentType.HEARING_NOTICE,
        requires="hearing_requested",
        api={
            "hearing_on": (dt.date, ...),
            "served_on": (
                dt.date | None,
                Field(None, description="Default: the day of the step."),
            ),
        },
        form_fields={
            "hearing_on": lambda: forms.DateField(label=_("hearing on"), widget=DATE),
            "served_on": _served_on,
        },
        content=("place",),
    ),
    StepSpec(
        "hearing",
        _("Hearing held"),
        "hold_hearing",
        status=CaseStatus.HEARING,
        requires="hearing_notice",
        api={"host": (OfficerId, ...), "public": (bool, True)},
        form_fields={
            "host": lambda: OfficerChoiceField(label=_("host"), queryset=Officer.objects.none()),
            "public": lambda: forms.BooleanField(
                label=_("held in public"), required=False, initial=True
            ),
        },
        content=("place", "participants", "transcript", "opinion"),
    ),
    StepSpec(
        "legal_review",
        _("Legal review"),
        # Recorded by the legal reviewer through the review app (its request and
        # checklist), not by the case pages or the case API.
        "record_legal_review",
        roles=REVIEWER,
        status=CaseStatus.REVIEW,
        api=None,
        form=None,
    ),
    StepSpec(
        "collective_discussion",
        _("Collective discussion"),
        "record_collective_discussion",
        roles=HEAD,
        status=CaseStatus.REVIEW,
        requires="prior_notice",
        api_doc="行政机关负责人集体讨论 (APL 57(2)), recorded by an organ head.",
        content=("place", "chair", "attendees", "opinions", "conclusion"),
    ),
    StepSpec(
        "decision",
        _("Penalty decision"),
        "issue_decision",
        roles=HEAD,
        status=CaseStatus.DECIDED,
        api={
            "approved_by": (OfficerId, ...),
            "outcome": (
                literal(OUTCOMES),
                Field(
                    "penalty",
                    description="`transfer` is refused here (400 at `outcome`): a transfer is "
                    "decided through the case's transfer, which records the receiver and the "
                    "reason.",
                ),
            ),
            "penalties": (list[PenaltyIn], []),
            "elements": (list[Element], list(ALL_ELEMENTS)),
            "cites_full_name_and_article": (bool, True),
            "circumstance": (
                Circumstance | None,
                Field(
                    None,
                    description="The discretion circumstance found: applies the power item's "
                    "published benchmark band (DISC-benchmark, APL 34) and stores it as the "
                    "case's benchmark.",
                ),
            ),
            "reason_outside_band": (
                str,
                Field(
                    "", max_length=1000, description="Required when the fine lies outside the band."
                ),
            ),
        },
        api_doc="行政处罚决定书 (APL 57, 59).",
        # Penalty rows, the circumstance (catalogue names) and the head's own officer.
        form="DecisionFormBase",
        content=("facts", "evidence", "basis", "discretion", "defence_answers"),
    ),
    StepSpec(
        "served",
        _("Service of the decision"),
        "serve_decision",
        status=CaseStatus.EXECUTION,
        requires="decision",
        api={
            "method": (literal(SERVICE_METHODS), "direct"),
            "signed_by": (literal(SIGNED_BY), "recipient"),
            "electronic_consent": (bool | None, None),
        },
        api_doc="送达 of the decision (APL 61) and its 送达回证: the method, who signed and, in\n"
        "``content``, the person served, the signer's name, the place and, when the\n"
        "recipient refused to sign (``signed_by: refused``), the reason, the witnesses\n"
        "(name and unit or identity) or the photo or video recording of the service\n"
        "(民事诉讼法第八十九条, applied through APL 61): a refusal without a witness or a\n"
        "recording is refused at ``content.witnesses`` (400).",
        form="ServedFormBase",
        form_fields={
            "method": lambda: forms.ChoiceField(
                label=_("method of service"), choices=SERVICE_METHODS
            ),
            "signed_by": lambda: forms.ChoiceField(label=_("signed by"), choices=SIGNED_BY),
            "electronic_consent": lambda: forms.BooleanField(
                label=_("the party consented to electronic service"), required=False
            ),
        },
        content=("recipient", "signer", "place", "refusal_reason", "witnesses", "recording"),
    ),
    StepSpec(
        "paid",
        _("Payment of the fine"),
        "record_payment",
        status=CaseStatus.EXECUTION,
        requires="served",
        place=EXECUTION,
        api={
            "amount": (Amount, ...),
            "onsite": (bool, False),
            "onsite_reason": (literal(ONSITE_REASONS) | None, None),
        },
        form_fields={
            "amount": lambda: forms.DecimalField(
                label=_("amount paid (yuan)"), min_value=0, max_digits=14, decimal_places=2
            ),
            "onsite": lambda: forms.BooleanField(label=_("collected on the spot"), required=False),
            "onsite_reason": lambda: forms.ChoiceField(
                label=_("reason for collecting on the spot"),
                choices=[("", "—"), *ONSITE_REASONS],
                required=False,
            ),
        },
    ),
    StepSpec(
        "deferral_approved",
        _("Deferred or instalment payment approved"),
        "approve_deferral",
        roles=HEAD,
        status=CaseStatus.EXECUTION,
        # 延期(分期)缴纳罚款决定书: the approval is served on the party as a decision
        # with its number, issued with the step like the demand's (催告书).
        document=DocumentType.DEFERRAL_DECISION,
        requires="served",
        place=EXECUTION,
        api={"until": (dt.date, ...)},
        form_fields={"until": lambda: forms.DateField(label=_("to be paid by"), widget=DATE)},
        content=("reasons",),
    ),
    StepSpec(
        "demand",
        _("Demand for performance"),
        "serve_demand",
        status=CaseStatus.EXECUTION,
        document=DocumentType.DEMAND,
        requires="served",
        place=EXECUTION,
        api={
            "served_on": (
                dt.date | None,
                Field(None, description="Default: the day of the step."),
            )
        },
        form_fields={"served_on": _served_on},
    ),
    StepSpec(
        "court_application",
        _("Application to the court for enforcement"),
        "apply_to_court",
        status=CaseStatus.EXECUTION,
        requires="demand",
        place=EXECUTION,
    ),
    StepSpec(
        "disclosed",
        _("Decision disclosed"),
        # Taken by the platform when it publishes the decision (zhifa.disclosure:
        # DISC-scope, DISC-redaction), never ticked by hand: no page nor API takes it.
        "mark_disclosed",
        requires="decision",
        api=None,
        form=None,
    ),
    StepSpec(
        "decision_changed",
        _("Decision changed"),
        "change_decision",
        roles=HEAD,
        requires="decision",
        api={
            "how": (literal(DecisionChange.values), ...),
            "reason": (str, Field(min_length=1, max_length=1000)),
        },
        api_doc="The decision changed, revoked, declared unlawful or void, recorded by an organ\n"
        "head (``services.change_decision``).",
        form_fields={
            "how": lambda: forms.ChoiceField(label=_("how"), choices=DecisionChange.choices),
            "reason": lambda: forms.CharField(
                label=_("reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
            ),
        },
    ),
    StepSpec(
        "disclosure_withdrawn",
        _("Disclosure withdrawn"),
        # Taken by the platform when it withdraws the publication after the decision
        # was changed (zhifa.disclosure, APL-48-withdraw): no page nor API takes it.
        "withdraw_disclosure",
        requires="disclosed",
        api=None,
        form=None,
    ),
    StepSpec(
        "closed",
        _("Case closed"),
        "close_case",
        roles=HEAD,
        status=CaseStatus.CLOSED,
        ends_case=True,
        approver_records=True,
        api={
            "reason": (str | None, Field(default=None, min_length=1, max_length=2000)),
            "approved_by": (OfficerId | None, None),
        },
        api_doc="结案 (CLOSE-conditions): ``reason`` (the format's ``closed.reason``) and, in the\n"
        "general procedure, ``approved_by`` — the organ head's officer id (结案审批).",
        form="HeadApprovalForm",
        form_fields={
            "reason": lambda: forms.ChoiceField(
                label=_("reason for closing"), choices=CLOSE_REASONS
            )
        },
        content=("summary",),
    ),
    StepSpec(
        "remedy_filed",
        _("Reconsideration or litigation by the party"),
        "record_remedy",
        status=CaseStatus.EXECUTION,
        requires="served",
        place=EXECUTION,
        api={
            "kind": (literal(REMEDY_KINDS), ...),
            "result": (literal(REMEDY_RESULTS), "pending"),
            "decided_on": (dt.date | None, Field(None, description="Null while pending.")),
            "head_appeared": (
                bool | None,
                Field(None, description="Litigation: the head appeared."),
            ),
        },
        api_doc="The party's reconsideration or litigation against the decision\n"
        "(``services.record_remedy``; APL 73(3): the late fee does not accrue while pending).",
        form_fields={
            "kind": lambda: forms.ChoiceField(label=_("remedy"), choices=REMEDY_KINDS),
            "result": lambda: forms.ChoiceField(
                label=_("result"), choices=REMEDY_RESULTS, initial="pending"
            ),
            "decided_on": lambda: forms.DateField(
                label=pgettext_lazy("remedy", "decided on"),
                widget=DATE,
                required=False,
                help_text=_("The day it was decided or withdrawn; empty while pending."),
            ),
            "head_appeared": lambda: forms.NullBooleanField(
                label=_("the organ's head appeared in court"),
                required=False,
                widget=forms.Select(
                    choices=[
                        ("unknown", _("Not applicable")),
                        ("true", _("Yes")),
                        ("false", _("No")),
                    ]
                ),
            ),
        },
    ),
    StepSpec(
        "registration_refused",
        _("Registration refused"),
        # 不予立案: no case number is issued (REG-decision), so no document.
        "refuse_registration",
        roles=HEAD,
        status=CaseStatus.NOT_REGISTERED,
        place=SOURCE,
        ends_case=True,
        approver_records=True,
        api={
            "reason": (str, Field(min_length=1, max_length=2000)),
            "approved_by": (OfficerId | None, None),
        },
        api_doc="不予立案 (REG-decision): the reasons and the approving organ head's officer id.",
        form="HeadApprovalForm",
        form_fields={
            "reason": lambda: forms.CharField(
                label=_("reasons for not registering"),
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
        },
        content=("summary",),
    ),
)

#: The declaration of each step by name.
BY_NAME: dict[str, StepSpec] = {s.name: s for s in STEPS}


def spec(name: str) -> StepSpec | None:
    return BY_NAME.get(name)


def names(where: Callable[[StepSpec], bool] = lambda s: True) -> tuple[str, ...]:
    """The names of the declared steps for which ``where`` holds, in declared order."""
    return tuple(s.name for s in STEPS if where(s))


def step_args(spec: StepSpec) -> Sequence[str]:
    """The names of the step's API fields."""
    return tuple(spec.api or ())
