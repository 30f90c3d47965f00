"""Penalty cases (行政处罚案件): the case-file format v1, stored (docs/adr/0005-case-model.md).

A ``Case`` carries the format's case-level sections; its ``CaseStep`` rows are the
format's ``steps``. Rows are written only by ``cases.services``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.fields.json import KeyTransform
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zhifa.catalogue.models import PowerItem
from zhifa.registry.models import EnforcementSubject, Officer


class Procedure(models.TextChoices):
    GENERAL = "general", _("General procedure")
    SUMMARY = "summary", _("Summary procedure")


class CaseKind(models.TextChoices):
    PENALTY = "penalty", _("Administrative penalty")


class PartyType(models.TextChoices):
    INDIVIDUAL = "individual", _("Individual")
    ORGANISATION = "organisation", _("Organisation")


class CaseSource(models.TextChoices):
    """Where the case came from (案件来源)."""

    INSPECTION = "inspection", _("Inspection")
    COMPLAINT = "complaint", _("Complaint")
    REPORT = "report", _("Report")
    TRANSFER = "transfer", _("Transfer from another organ")
    MONITORING = "monitoring", _("Monitoring")


class CaseStatus(models.TextChoices):
    AWAITING_REGISTRATION = (
        "awaiting_registration",
        pgettext_lazy("case status", "Awaiting registration"),
    )
    NOT_REGISTERED = "not_registered", pgettext_lazy("case status", "Not registered")
    INVESTIGATING = "investigating", _("Under investigation")
    NOTIFIED = "notified", _("Party notified")
    HEARING = "hearing", _("Hearing")
    REVIEW = "review", _("Legal review")
    DECIDED = "decided", _("Decided")
    TRANSFERRED = "transferred", _("Transferred")
    EXECUTION = "execution", _("Execution")
    CLOSED = "closed", _("Closed")


#: The statuses in which a case takes no more steps: closed, or a case source the organ
#: head refused to register (不予立案, the step ``registration_refused``).
ENDED_STATUSES = (CaseStatus.CLOSED, CaseStatus.NOT_REGISTERED)


#: ``Case`` has a field named ``settings``; its body reads the user model from here.
USER_MODEL = settings.AUTH_USER_MODEL


#: The cases whose violation may be major (the catalogue marks the item for a legal
#: review, or a major public interest is involved): the prefilter of the filings of
#: major decisions (``supervision.filings``; ``rules.engine.filing.is_major`` judges),
#: and the condition of the index that makes it cheap at a province's size.
MAJOR_VIOLATION = models.Q(violation__in_review_catalogue=True) | models.Q(
    violation__major_public_interest=True
)


class Case(models.Model):
    """A penalty case of one organ."""

    record_organ_field = "organ"

    organ = models.ForeignKey(
        EnforcementSubject, verbose_name=_("organ"), on_delete=models.PROTECT, related_name="cases"
    )
    case_id = models.CharField(
        _("case ID"),
        max_length=128,
        help_text=_(
            "The source number (案源登记号) the case was entered with, or, for an imported "
            "case, its case_id. It never changes (docs/adr/0009-source-and-case-numbers.md)."
        ),
    )
    registration_number = models.CharField(
        _("case number"),
        max_length=64,
        blank=True,
        help_text=_(
            "The case number (立案号, 立案审批表文号) issued when the organ head registers the "
            "case; empty until then, and for summary-procedure cases, which are not registered."
        ),
    )
    kind = models.CharField(
        _("kind"), max_length=16, choices=CaseKind.choices, default=CaseKind.PENALTY
    )
    procedure = models.CharField(_("procedure"), max_length=16, choices=Procedure.choices)
    source = models.CharField(
        pgettext_lazy("case source", "source"),
        max_length=16,
        choices=CaseSource.choices,
        blank=True,
        help_text=_("Where the case came from; empty for imported cases."),
    )
    power_item = models.ForeignKey(
        PowerItem,
        verbose_name=_("power item"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
    )
    power = models.CharField(_("power ID"), max_length=64, help_text=_("The format's power id."))
    power_kind = models.CharField(
        _("power kind"),
        max_length=16,
        blank=True,
        help_text=_(
            "Imported cases: the format's power_kind as imported (a case opened here takes "
            "it from its power item)."
        ),
    )
    party_type = models.CharField(_("party type"), max_length=16, choices=PartyType.choices)
    party_name = models.CharField(_("party name"), max_length=255)
    party_birth_date = models.DateField(_("birth date"), null=True, blank=True)
    party_id_number = models.CharField(_("ID number"), max_length=32, blank=True)
    party_uscc = models.CharField(_("unified social credit code"), max_length=32, blank=True)
    party_vulnerable = models.BooleanField(_("vulnerable group"), default=False)
    violation = models.JSONField(_("violation"), help_text=_("The format's violation section."))
    basis = models.JSONField(_("legal basis"), help_text=_("The format's basis section."))
    benchmark = models.JSONField(_("benchmark"), null=True, blank=True)
    settings = models.JSONField(
        _("settings"),
        default=dict,
        blank=True,
        help_text=_("Regional numbers in force when the case was registered (snapshot)."),
    )
    agency = models.JSONField(
        _("agency snapshot"),
        null=True,
        blank=True,
        help_text=_("Imported cases only: the agency section as imported."),
    )
    status = models.CharField(
        _("status"), max_length=24, choices=CaseStatus.choices, default=CaseStatus.INVESTIGATING
    )
    imported = models.BooleanField(_("imported"), default=False)
    import_digest = models.CharField(
        _("import digest"),
        max_length=64,
        blank=True,
        help_text=_("Imported cases: SHA-256 of the imported document (canonical JSON)."),
    )
    archived_on = models.DateField(_("archived on"), null=True, blank=True)
    archived_by = models.ForeignKey(
        USER_MODEL,
        verbose_name=_("archived by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    archive_digest = models.CharField(
        _("archived case-file digest"),
        max_length=64,
        blank=True,
        help_text=_("SM3 of the case file (canonical JSON) as it was archived."),
    )
    opened_by = models.ForeignKey(
        USER_MODEL,
        verbose_name=_("opened by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The user who opened the case (empty for an imported case)."),
    )
    # The read model (cases.queries): the organ's nearest pending deadline as the rules
    # engine computed it, written with every step, suspension and resumption, so that a
    # list never audits a case per row. Its status (open, overdue) is judged when read.
    next_deadline = models.DateField(_("next deadline"), null=True, blank=True)
    next_deadline_rule = models.CharField(
        _("next deadline rule"),
        max_length=64,
        blank=True,
        help_text=_("The rule ID of the nearest deadline (empty: no pending deadline)."),
    )
    deadline_checked_on = models.DateField(
        _("deadlines computed on"),
        null=True,
        blank=True,
        help_text=_("The day the engine computed the nearest deadline (empty: not yet)."),
    )
    audited_at = models.DateTimeField(
        _("findings and deadlines kept at"),
        null=True,
        blank=True,
        help_text=_("When the stored findings and deadlines were last replaced (empty: not yet)."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["organ", "case_id"], name="case_unique_case_id")
        ]
        indexes = [
            # The dashboard's stock of cases by organ, status and procedure, counted from
            # the index alone.
            models.Index(fields=["organ", "status", "procedure"], name="case_organ_status_proc"),
            # A case's organ read from the index alone where rows of other tables are
            # grouped by their case's organ (the warnings and the dashboard): the case
            # table's rows are wide (its JSON), a scan of them costs several times more.
            models.Index(fields=["id", "organ"], name="case_id_organ"),
            # Whether an organ's cases were audited since its warnings were counted (the
            # dashboard's kept counts, ``dashboard.figures``): one index range per organ.
            models.Index(fields=["organ", "audited_at"], name="case_organ_audited_at"),
            # The few cases whose violation may be major, found without reading every
            # case's JSON (the filings of major decisions and their warnings).
            models.Index(fields=["organ"], condition=MAJOR_VIOLATION, name="case_major_violation"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.party_name}"

    @property
    def number(self) -> str:
        """The number the pages show: the case number (立案号) once registered, else the
        source number (``case_id``)."""
        return self.registration_number or self.case_id

    def record_evidence_refusal(self) -> str | None:
        """Evidence is added until the case is archived (a closed case still takes it):
        the archive's SM3 digest seals the case file as it was then."""
        if self.archived_on is None:
            return None
        return str(
            _("Case %(number)s was archived on %(day)s; no evidence can be added to it.")
            % {"number": self.number, "day": self.archived_on.isoformat()}
        )


class CaseStep(models.Model):
    """One step of the case, as the format's ``steps`` spell it."""

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="steps"
    )
    index = models.PositiveIntegerField(_("index"))
    step = models.CharField(_("step"), max_length=32)
    on = models.DateField(_("date"))
    data = models.JSONField(_("data"), default=dict, blank=True)
    document_number = models.CharField(_("document number"), max_length=64, blank=True)
    warnings = models.JSONField(_("warnings"), default=list, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("case step")
        verbose_name_plural = _("case steps")
        ordering = ["case", "index"]
        constraints = [
            models.UniqueConstraint(fields=["case", "index"], name="case_step_unique_index")
        ]
        indexes = [
            # A legal reviewer's earlier reviews (casefile.first_time_reviewers, APL 58),
            # asked for each case the sweep audits.
            models.Index(
                KeyTransform("reviewer", "data"),
                "on",
                condition=models.Q(step="legal_review"),
                name="case_step_reviewer_on",
            ),
            # The steps of one kind in a period, with their case (the dashboard's and the
            # statistics' figures of a year: decisions, payments, seizures), read from
            # the index alone.
            models.Index(fields=["step", "on", "case"], name="case_step_step_on_case"),
            # The remedies recorded since the nightly count of the organs' court
            # appearance (``supervision.remedies.kept_rates``: those organs are counted
            # live).
            models.Index(
                "created_at",
                condition=models.Q(step="remedy_filed"),
                name="case_step_remedy_created",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case.case_id} #{self.index} {self.step}"


class OfficerRole(models.TextChoices):
    INVESTIGATOR = "investigator", _("Investigator")
    HOST = "host", _("Hearing host")
    REVIEWER = "reviewer", _("Legal reviewer")
    APPROVER = "approver", _("Approver")


class CaseOfficer(models.Model):
    """An officer acting on the case. ``ref`` is the id the steps use."""

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="case_officers"
    )
    officer = models.ForeignKey(
        Officer,
        verbose_name=_("officer"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="case_roles",
    )
    ref = models.CharField(_("officer reference"), max_length=64)
    role = models.CharField(_("role"), max_length=16, choices=OfficerRole.choices)
    conflict_of_interest = models.BooleanField(_("conflict of interest"), default=False)
    snapshot = models.JSONField(
        _("snapshot"),
        null=True,
        blank=True,
        help_text=_(
            "Imported cases: the format's officer object, for officers not in the registry."
        ),
    )

    class Meta:
        verbose_name = _("case officer")
        verbose_name_plural = _("case officers")
        ordering = ["case", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["case", "ref", "role"], name="case_officer_unique_role")
        ]

    def __str__(self) -> str:
        return f"{self.ref} ({self.role})"


class Suspension(models.Model):
    """The case clock suspended (中止): the days from ``start`` to ``end`` do not count
    towards the decision period (APL 60, excluded periods)."""

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="suspensions"
    )
    start = models.DateField(_("from"))
    end = models.DateField(_("to"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=255)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("suspension")
        verbose_name_plural = _("suspensions")
        ordering = ["case", "start"]

    def __str__(self) -> str:
        return f"{self.case.case_id} {self.start}–{self.end or ''}"


class DecisionChange(models.TextChoices):
    """How a decision ceased to stand as issued (the format's ``decision_changed.how``;
    APL Art. 48: a published decision that is changed, revoked, declared unlawful or
    declared void is withdrawn from publication)."""

    CHANGED = "changed", _("Changed")
    REVOKED = "revoked", pgettext_lazy("decision change", "Revoked")
    UNLAWFUL = "unlawful", _("Declared unlawful")
    VOID = "void", _("Declared void")


class TransferKind(models.TextChoices):
    ORGAN = "organ", _("Another administrative organ")
    JUDICIAL = "judicial", _("Judicial organs")


class TransferResult(models.TextChoices):
    PENDING = "pending", _("Awaiting the reply")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")
    RETURNED = "returned", _("Returned")


class Transfer(models.Model):
    """A case transferred (移送) to another organ or to the judicial organs (APL Art. 27;
    legal-rules.md APL-27-transfer; docs/adr/0007-transfer-and-decision-change.md).

    The transfer *is* the case's decision step with outcome ``transfer``
    (``step``): the organ head's decision to transfer and the written transfer letter
    are one act, so the letter carries the number that step issued
    (``DocumentType.TRANSFER_LETTER``) and ``letter_number`` repeats it — one letter,
    one number, never a second one. The row adds what the format's step cannot hold:
    the receiver, the reason and the receiver's written reply.
    """

    record_organ_field = "case__organ"

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="transfers"
    )
    step = models.OneToOneField(
        CaseStep,
        verbose_name=_("decision step"),
        on_delete=models.PROTECT,
        related_name="transfer",
    )
    kind = models.CharField(_("transferred to"), max_length=16, choices=TransferKind.choices)
    to_organ = models.ForeignKey(
        EnforcementSubject,
        verbose_name=_("receiving organ"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="incoming_transfers",
        help_text=_("The receiving organ when it is in the registry."),
    )
    receiver_name = models.CharField(
        _("receiver"),
        max_length=255,
        blank=True,
        help_text=_("The receiving organ's name when it is not in the registry."),
    )
    reason = models.TextField(_("reason"))
    letter_number = models.CharField(_("transfer letter number"), max_length=64)
    sent_on = models.DateField(_("sent on"))
    result = models.CharField(
        _("result"), max_length=16, choices=TransferResult.choices, default=TransferResult.PENDING
    )
    result_on = models.DateField(_("reply date"), null=True, blank=True)
    result_note = models.TextField(_("reply"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    result_actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reply recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("transfer")
        verbose_name_plural = _("transfers")
        ordering = ["-sent_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(to_organ__isnull=False) | ~models.Q(receiver_name=""),
                name="transfer_has_receiver",
            ),
            models.CheckConstraint(
                condition=models.Q(result="pending", result_on__isnull=True)
                | (~models.Q(result="pending") & models.Q(result_on__isnull=False)),
                name="transfer_result_dated",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case.number} → {self.receiver}"

    @property
    def receiver(self) -> str:
        """The receiving organ's name, from the registry when it is there."""
        return self.to_organ.name if self.to_organ is not None else self.receiver_name


class ReceiptScan(models.Model):
    """The scan of a signed 送达回证 (a PDF, JPEG or PNG): the receipt printed from the
    case, signed (or its refusal witnessed) on paper and scanned back. Stored like
    evidence — under its SM3 digest in the evidence store, never overwritten — and
    recorded in the organ's chain (``service_receipt.attach_scan``) with its digests.
    A new scan replaces the earlier one as the current scan and keeps it: nothing is
    lost (``replaces``). Seen and downloaded by the organ's users only."""

    record_organ_field = "organ"

    organ = models.ForeignKey(
        EnforcementSubject, verbose_name=_("organ"), on_delete=models.PROTECT, related_name="+"
    )
    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="receipt_scans"
    )
    document = models.ForeignKey(
        "documents.IssuedDocument",
        verbose_name=_("service receipt"),
        on_delete=models.PROTECT,
        related_name="scans",
    )
    replaces = models.OneToOneField(
        "self",
        verbose_name=_("replaces"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaced_by",
    )
    original_name = models.CharField(_("original file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    extension = models.CharField(_("extension"), max_length=16)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sm3 = models.CharField(_("SM3 digest"), max_length=64, db_index=True)
    sha256 = models.CharField(_("SHA-256 digest"), max_length=64)
    storage_name = models.CharField(_("storage name"), max_length=255)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"))

    class Meta:
        verbose_name = _("signed service receipt scan")
        verbose_name_plural = _("signed service receipt scans")
        ordering = ["case", "pk"]

    def __str__(self) -> str:
        return f"{self.document} · {self.original_name}"


class AuditItemKind(models.TextChoices):
    FINDING = "finding", _("Finding")
    DEADLINE = "deadline", _("Deadline")


class AuditItem(models.Model):
    """What the rules engine said of a case when it last audited it (the read model of
    the sweep, issue #17; docs/adr/0016-stored-findings-and-deadlines.md): each finding
    (rule, severity, citation, message) and each pending deadline (rule, start, due day).

    Written only by ``cases.queries.keep_audit``, which replaces a case's rows in one
    transaction from one audit and derives the nearest deadline kept on the case
    (``Case.next_deadline``) from the same deadlines. A list (the supervisor's warnings)
    reads these rows: it never audits a case per row."""

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="audit_items"
    )
    kind = models.CharField(_("kind"), max_length=8, choices=AuditItemKind.choices)
    rule = models.CharField(_("rule ID"), max_length=64)
    citation = models.TextField(_("citation"))
    # Findings
    severity = models.CharField(_("severity"), max_length=8, blank=True)
    step = models.PositiveIntegerField(_("step index"), null=True, blank=True)
    message_zh = models.TextField(_("message (Chinese)"), blank=True)
    message_en = models.TextField(_("message (English)"), blank=True)
    # Pending deadlines
    start = models.DateField(_("from"), null=True, blank=True)
    due = models.DateField(_("due"), null=True, blank=True)
    paused = models.BooleanField(
        _("paused"),
        default=False,
        help_text=_("The decision period of a suspended case: its clock does not run."),
    )
    unscheduled_years = models.JSONField(
        _("years counted without a holiday schedule"), default=list, blank=True
    )

    class Meta:
        verbose_name = _("finding or deadline of the last audit")
        verbose_name_plural = _("findings and deadlines of the last audit")
        ordering = ["case", "pk"]
        indexes = [
            models.Index(fields=["kind", "due"], name="audit_item_kind_due"),
            models.Index(fields=["kind", "severity"], name="audit_item_kind_severity"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind} {self.rule}"


class SweepRun(models.Model):
    """One nightly sweep (issue #17; docs/adr/0018-sweep-in-chunk-tasks.md): every case
    still taking steps audited again as of ``as_of``, split into primary-key ranges
    (``SweepChunk``) that any number of workers run as separate tasks
    (``cases.tasks.refresh_chunk``). A later run supersedes an unfinished one."""

    as_of = models.DateField(_("as of"))
    chunks = models.PositiveIntegerField(_("chunks"), default=0)
    cases = models.PositiveIntegerField(_("cases audited"), default=0)
    started_at = models.DateTimeField(_("started at"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("deadline sweep")
        verbose_name_plural = _("deadline sweeps")
        ordering = ["-pk"]

    def __str__(self) -> str:
        return f"sweep {self.pk} as of {self.as_of}"


class SweepChunk(models.Model):
    """The cases of a sweep with a primary key from ``first`` to ``last`` (both
    included): audited in one transaction by one task, which marks the chunk done in the
    same transaction (``done_at``, ``cases``), so a chunk is applied once or not at all."""

    run = models.ForeignKey(
        SweepRun, verbose_name=_("sweep"), on_delete=models.CASCADE, related_name="chunk_set"
    )
    first = models.BigIntegerField(_("first case"))
    last = models.BigIntegerField(_("last case"))
    task_id = models.CharField(_("task"), max_length=64, blank=True)
    cases = models.PositiveIntegerField(_("cases audited"), default=0)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)

    class Meta:
        verbose_name = _("deadline sweep chunk")
        verbose_name_plural = _("deadline sweep chunks")
        ordering = ["run", "first"]
        constraints = [
            models.UniqueConstraint(fields=["run", "first"], name="sweep_chunk_unique_first")
        ]

    def __str__(self) -> str:
        return f"sweep {self.run_id} cases {self.first}–{self.last}"
