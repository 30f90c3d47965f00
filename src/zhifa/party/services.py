"""The party's access and its own acts on its case (docs/party.md). Every state change is
one function here: one transaction, validated, written and recorded in the organ's chain.
The law is the rules engine's: the party's steps go through ``cases.services`` (the
guarded path, ``add_step``), and the periods it is shown are the engine's."""

from __future__ import annotations

import datetime as dt
import hmac
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.core.validators import EmailValidator
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhifa.accounts.models import Role
from zhifa.cases import services as cases
from zhifa.cases.models import Case, CaseStep
from zhifa.cases.policy import ACT_ROLES
from zhifa.core.services import digest_keys, keyed_digest
from zhifa.core.validation import typed_text_problem
from zhifa.documents.models import DocumentType
from zhifa.documents.rendering import new_code, normal_code
from zhifa.records.services import append_entry
from zhifa.rules.engine import RULES

from .models import AccessCode, CodeSource, ConductRating, PartyAccess, ServiceConsent

if TYPE_CHECKING:
    from zhifa.accounts.models import User

#: The documents served to the party that print its access line (the code is made when
#: the document is rendered: only its digest is kept, so a document printed later cannot
#: show an earlier code).
PRINTED_ON = (
    DocumentType.PRIOR_NOTICE,
    DocumentType.PENALTY_DECISION,
    DocumentType.NO_PENALTY_DECISION,
)
#: Wrong codes for one case before the case's sign-in is locked, and for how long.
MAX_FAILURES = 5
LOCK_MINUTES = 15
#: The party's statement: at most this many characters (the case content's bound).
STATEMENT_MAX = 20_000
COMMENT_MAX = 2000
#: At most this many steps filed by the party on one case (a platform limit, not a rule
#: of law: the party's filings cannot fill a case up to the engine's cap on steps).
MAX_PARTY_STEPS = 10
#: The deadline the party's hearing request is judged by (legal-rules.md APL-64).
HEARING_RULE = "APL-64-hearing-request"
#: The party's rating of the conduct of its case: the usual five-level satisfaction
#: scale (the product spec names no scale; 5 is the best).
SCORE_LABELS: Mapping[int, Any] = {
    5: gettext_lazy("Very satisfied"),
    4: gettext_lazy("Satisfied"),
    3: gettext_lazy("Neither satisfied nor dissatisfied"),
    2: gettext_lazy("Dissatisfied"),
    1: gettext_lazy("Very dissatisfied"),
}

ACTION_LABELS: Mapping[str, Any] = {
    "party.code": gettext_lazy("Party access code issued"),
    "party.code_reissued": gettext_lazy("Party access code re-issued"),
    "party.consent": gettext_lazy("Party consented to electronic service"),
    "party.consent_withdrawn": gettext_lazy("Party withdrew its consent to electronic service"),
    "party.rating": gettext_lazy("Party rated the conduct of the case"),
}


class SignInFailed(Exception):
    """A wrong case number or access code, or a locked case (``locked_until``)."""

    def __init__(self, message: str, locked_until: dt.datetime | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.locked_until = locked_until


class PartyRefusal(ValidationError):
    """The party's act refused: ``rule`` (a rule ID of the catalogue, or ``""`` when no
    rule but the procedure's order or the input refuses it), ``citation`` and
    ``message``."""

    def __init__(self, message: str, rule: str = "", citation: str = "", field: str = "") -> None:
        self.rule, self.citation, self.text, self.field = rule, citation, message, field
        super().__init__(message, code="rule_violation" if rule else "refused")


def digest(code: str, key_id: str | None = None) -> str:
    """The stored form of an access code (a keyed SHA-256: the code has 60 random bits,
    the sign-in is rate-limited and locked after ``MAX_FAILURES``), with the current
    digest key or the one of ``key_id``."""
    return keyed_digest("party-access", code, key_id=key_id)


def _candidates(code: str) -> list[str]:
    """``code``'s digest under each configured digest key: ``ZHIFA_DIGEST_KEY``, the old
    keys kept after a rotation (a code printed before a rotation still signs in), and the
    legacy derivation from ``SECRET_KEY`` (``LEGACY_KEY_ID``: codes printed before the
    deployment had a digest key keep signing in while ``SECRET_KEY`` is unchanged; new
    codes are never keyed with it)."""
    return [digest(code, key_id) for key_id in digest_keys()]


def display(code: str) -> str:
    """A code as printed, in groups of four: ``7KQ2-M9XD-4P3A``."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def sign_in_url() -> str:
    base = str(getattr(settings, "ZHIFA_PUBLIC_BASE_URL", "") or "").rstrip("/")
    return base + reverse("party:sign_in")


def acts_for(user: Any, case: Case) -> bool:
    """Whether ``user`` is the acting user of ``case``'s party (cases' party resolver)."""
    if user.role != Role.PARTY or user.pk is None:
        return False
    return PartyAccess.objects.filter(principal_id=user.pk, case_id=case.pk).exists()


def ensure_access(case: Case) -> PartyAccess:
    """The party's access to ``case``, with its acting user, made the first time."""
    found = PartyAccess.objects.filter(case=case).select_related("principal").first()
    if found is not None:
        return found
    user = get_user_model()(
        username=f"party:{case.pk}",
        full_name=(case.party_name or "")[:64],
        role=Role.PARTY,
        is_active=False,
    )
    user.set_unusable_password()
    user.save()
    return PartyAccess.objects.create(case=case, principal=user)


def _issue(
    access: PartyAccess,
    *,
    source: str,
    actor: User | None,
    document_kind: str = "",
    revoke: bool = False,
    code: str = "",
) -> str:
    now = timezone.now()
    revoked = 0
    if revoke:
        revoked = AccessCode.objects.filter(access=access, revoked_at__isnull=True).update(
            revoked_at=now
        )
    code = code or new_code()
    row = AccessCode.objects.create(
        access=access,
        digest=digest(code),
        source=source,
        document_kind=document_kind,
        issued_at=now,
    )
    append_entry(
        actor=actor,
        system_task=None if actor is not None else "party.access-code",
        organ=access.case.organ_id,
        action="party.code_reissued" if revoke else "party.code",
        obj=access.case,
        payload={
            "access": access.pk,
            "code": row.pk,
            "source": source,
            **({"document_kind": document_kind} if document_kind else {}),
            **({"revoked": revoked} if revoke else {}),
        },
    )
    return code


def access_line(case: Case, step: CaseStep) -> dict[str, Any]:
    """The access line printed on a document served to the party (a context provider of
    ``cases.documents``, called in the document's rendering transaction): a new code for
    the party, valid with the earlier ones until the organ re-issues one."""
    kind = _kind_of(step)
    access = ensure_access(case)
    code = _issue(access, source=CodeSource.DOCUMENT, actor=None, document_kind=kind)
    return {
        "party_access": {
            "number": case.number,
            "code": display(code),
            "url": sign_in_url(),
        }
    }


def _kind_of(step: CaseStep) -> str:
    from zhifa.cases.actions.add_step import document_type

    return document_type(step.step, step.data) or ""


@transaction.atomic
def reissue_code(case: Case, *, actor: User) -> str:
    """A new access code for the party of ``case``, given by an officer or head of its
    organ: every earlier code stops working (and the party's open sessions end). Returns
    the code, shown once."""
    if actor.role not in ACT_ROLES or actor.organ_id != case.organ_id:
        raise PermissionDenied(_("Only officers of the case's organ re-issue the party's code."))
    locked = Case.objects.select_for_update().get(pk=case.pk)
    access = ensure_access(locked)
    PartyAccess.objects.filter(pk=access.pk).update(failed_attempts=0, locked_until=None)
    return _issue(access, source=CodeSource.REISSUED, actor=actor, revoke=True)


# --- signing in -------------------------------------------------------------------------------


#: Compared against when no case has the number: the same work as a real comparison.
_NO_DIGEST = "0" * 64


def sign_in(number: str, code: str) -> tuple[PartyAccess, AccessCode]:
    """The party's access and the code it signed in with, for a case ``number`` (立案号,
    or the source number of a case not registered) and an access ``code``. Raises
    ``SignInFailed``: one message for a wrong number or a wrong code (no hint which), a
    case locked after ``MAX_FAILURES`` wrong codes. The comparison is in constant time
    and is made the same way whether or not a case has the number."""
    number = number.strip()
    typed = normal_code(code)
    candidates = _candidates(typed or "-")
    wrong = SignInFailed(_("The case number or the access code is wrong."))
    usable = bool(number) and len(number) <= 64 and "\x00" not in number
    numbered = Q(case__registration_number=number) | Q(
        case__registration_number="", case__case_id=number
    )
    accesses = (
        list(PartyAccess.objects.filter(numbered).select_related("case__organ")) if usable else []
    )
    now = timezone.now()
    found: tuple[PartyAccess, AccessCode] | None = None
    # One query for the codes whether or not a case has the number (never one per case,
    # never skipped when none has it): the same database work either way.
    codes: dict[int, list[AccessCode]] = {a.pk: [] for a in accesses}
    if usable:
        for row in AccessCode.objects.filter(
            revoked_at__isnull=True, access__in=PartyAccess.objects.filter(numbered).values("pk")
        ):
            codes.setdefault(row.access_id, []).append(row)
    compared = False
    for access in accesses:
        for row in codes.get(access.pk, []):
            for candidate in candidates:
                compared = True
                if hmac.compare_digest(row.digest, candidate) and typed and found is None:
                    found = (access, row)
    if not compared:
        for candidate in candidates:
            hmac.compare_digest(_NO_DIGEST, candidate)
    if found is not None:
        access, row = found
        if access.locked_until is not None and access.locked_until > now:
            raise _locked(access.locked_until)
        if access.failed_attempts:
            PartyAccess.objects.filter(pk=access.pk).update(failed_attempts=0, locked_until=None)
        return found
    for access in accesses:
        if access.locked_until is not None and access.locked_until > now:
            raise _locked(access.locked_until)
        _count_failure(access, now)
    raise wrong


def _locked(until: dt.datetime) -> SignInFailed:
    return SignInFailed(
        _(
            "Too many wrong access codes were tried for this case: signing in is locked "
            "until %(time)s. Try again then, or ask the organ for a new code."
        )
        % {"time": timezone.localtime(until).strftime("%Y-%m-%d %H:%M")},
        locked_until=until,
    )


@transaction.atomic
def _count_failure(access: PartyAccess, now: dt.datetime) -> None:
    PartyAccess.objects.filter(pk=access.pk).update(failed_attempts=F("failed_attempts") + 1)
    access.refresh_from_db(fields=["failed_attempts"])
    if access.failed_attempts >= MAX_FAILURES:
        PartyAccess.objects.filter(pk=access.pk).update(
            failed_attempts=0, locked_until=now + dt.timedelta(minutes=LOCK_MINUTES)
        )


# --- the party's acts -------------------------------------------------------------------------


def _refused(exc: Exception) -> PartyRefusal:
    if isinstance(exc, cases.RuleViolation):
        first = exc.findings[0]
        text = "；".join(f["message"] for f in exc.findings)
        return PartyRefusal(text, rule=first["rule"], citation=first["citation"])
    if isinstance(exc, ValidationError | PermissionDenied):
        messages = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
        return PartyRefusal(" ".join(str(m) for m in messages))
    raise exc


def file_statement(access: PartyAccess, *, statement: str, today: dt.date) -> CaseStep:
    """The party's statement and defence (陈述申辩, APL 44–45), recorded as the case's
    ``statement`` step through the guarded path, the party's acting user its actor.
    Refused (``PartyRefusal``) with the engine's rule ID when a rule blocks it, with the
    procedure's reason when the case is not at a point where the party is heard."""
    text = statement.strip()
    problem = typed_text_problem(text) if text else _("Write your statement and defence.")
    if problem or len(text) > STATEMENT_MAX:
        raise PartyRefusal(
            problem or _("At most %(max)s characters.") % {"max": STATEMENT_MAX},
            field="statement",
        )
    case = access.case
    _check_party_steps(access)
    try:
        return cases.record_statement(
            case,
            actor=access.principal,
            on=today,
            expected_steps=case.steps.count(),
            content={"statement": text},
        )
    except (cases.RuleViolation, ValidationError, PermissionDenied) as exc:
        raise _refused(exc) from exc


def _check_party_steps(access: PartyAccess) -> None:
    if CaseStep.objects.filter(case_id=access.case_id, actor_id=access.principal_id).count() >= (
        MAX_PARTY_STEPS
    ):
        raise PartyRefusal(
            _(
                "You have filed %(count)s times on this case, the most the platform takes "
                "online: give further statements to the organ directly."
            )
            % {"count": MAX_PARTY_STEPS}
        )


@dataclass(frozen=True)
class Window:
    rule: str
    citation: str
    start: dt.date
    due: dt.date
    status: str


def hearing_window(case: Case, today: dt.date) -> Window | None:
    """The engine's hearing-request window of the case's last prior notice that carries
    the right to a hearing (APL-64-hearing-request), as of ``today``; None when no
    notice offered a hearing."""
    items = [d for d in cases.case_audit(case, today).deadlines if d.rule == HEARING_RULE]
    if not items:
        return None
    last = items[-1]
    return Window(
        HEARING_RULE, RULES[HEARING_RULE].citation, last.start, last.due.due, last.status(today)
    )


def hearing_requested_on(case: Case) -> dt.date | None:
    """The day of the case's request for a hearing (its ``hearing_requested`` step, by
    the party online or recorded by the organ), or None."""
    step = case.steps.filter(step="hearing_requested").order_by("index").first()
    return None if step is None else step.on


def request_hearing(access: PartyAccess, *, today: dt.date) -> CaseStep:
    """The party's request for a hearing (听证申请, APL 63–64), recorded as the case's
    ``hearing_requested`` step through the guarded path. Refused with
    APL-64-hearing-request when the engine finds no window for it (the notice offered no
    hearing) or its window closed before today."""
    case = access.case
    earlier = hearing_requested_on(case)
    if earlier is not None:
        raise PartyRefusal(
            _("You asked for a hearing on %(day)s: the request is in the case.")
            % {"day": earlier.isoformat()}
        )
    _check_party_steps(access)
    window = hearing_window(case, today)
    citation = RULES[HEARING_RULE].citation
    if window is None:
        raise PartyRefusal(
            _(
                "The notice served on you does not offer a hearing (the intended penalty "
                "does not carry the right to one)."
            ),
            rule=HEARING_RULE,
            citation=citation,
        )
    if today > window.due:
        raise PartyRefusal(
            _(
                "The time to ask for a hearing ended on %(due)s (counted from the notice "
                "served on %(start)s)."
            )
            % {"due": window.due.isoformat(), "start": window.start.isoformat()},
            rule=HEARING_RULE,
            citation=citation,
        )
    try:
        return cases.request_hearing(
            case, actor=access.principal, on=today, expected_steps=case.steps.count()
        )
    except (cases.RuleViolation, ValidationError, PermissionDenied) as exc:
        raise _refused(exc) from exc


@transaction.atomic
def give_consent(
    access: PartyAccess, *, signed_name: str, address: str, agreed: bool, today: dt.date
) -> ServiceConsent:
    """The party's signed consent to electronic service (APL 61: 电子送达须经当事人同意并签
    订确认书), given online: the name typed as its signature, the address to serve to,
    and ``agreed`` (the party ticked that it agrees; nothing is recorded without it).
    Recorded in the organ's chain as the party's act."""
    errors: dict[str, list[str]] = {}
    if agreed is not True:
        errors["agree"] = [_("Agree to electronic service to give your consent.")]
    name, where = signed_name.strip(), address.strip()
    for field, value, bound in (("signed_name", name, 200), ("address", where, 200)):
        problem = typed_text_problem(value) if value else _("This field is required.")
        if problem or len(value) > bound:
            errors[field] = [problem or _("At most %(max)s characters.") % {"max": bound}]
    if "address" not in errors:
        # an e-mail address or a mobile number (``service_address``), as stored
        try:
            where = service_address(where)
        except ValidationError as exc:
            errors["address"] = list(exc.messages)
    if errors:
        raise ValidationError(errors)
    PartyAccess.objects.select_for_update().filter(pk=access.pk).first()
    if ServiceConsent.objects.filter(access=access).count() >= MAX_PARTY_STEPS:
        raise ValidationError(
            {
                NON_FIELD_ERRORS: [
                    _(
                        "You have given your consent %(count)s times on this case, the most "
                        "the platform takes online: ask the organ to change your address."
                    )
                    % {"count": MAX_PARTY_STEPS}
                ]
            }
        )
    # A consent given while another is in force supersedes it (a new address).
    earlier = access.current_consent()
    consent = ServiceConsent.objects.create(
        access=access, signed_name=name, address=where, given_on=today, given_at=timezone.now()
    )
    append_entry(
        actor=access.principal,
        organ=access.case.organ_id,
        action="party.consent",
        obj=access.case,
        payload={
            "consent": consent.pk,
            "signed_name": name,
            "address": where,
            "on": today,
            **({"supersedes": earlier.pk} if earlier is not None else {}),
        },
    )
    return consent


def has_consent(case: Case) -> bool:
    """Whether the party of ``case`` has a consent to electronic service in force."""
    access = PartyAccess.objects.filter(case=case).first()
    return access is not None and access.current_consent() is not None


#: A mainland mobile number: 11 digits, the first 1 and the second 3 to 9 (the pattern
#: the platform's publication check reads as a mobile number too, rules.engine
#: .publication); ``+86``/``0086``/``86`` before it and spaces or hyphens between the
#: digits are read and dropped. python-stdnum has no telephone numbers; no rule of the
#: catalogue concerns the format.
MOBILE = re.compile(r"1[3-9][0-9]{9}")
_MOBILE_PREFIX = re.compile(r"^(?:\+86|0086|86)(?=1[0-9]{10}$)")
_email = EmailValidator()


def service_address(value: str) -> str:
    """The electronic address a party consents to be served at, as stored: an e-mail
    address (Django's ``EmailValidator``) or a mainland mobile number (``MOBILE``,
    stored as its 11 digits). Raises ``ValidationError`` naming the field otherwise."""
    text = value.strip()
    if "@" in text:
        try:
            _email(text)
        except ValidationError:
            pass
        else:
            return text
    else:
        digits = re.sub(r"[\s\-]", "", unicodedata.normalize("NFKC", text))
        digits = _MOBILE_PREFIX.sub("", digits)
        if MOBILE.fullmatch(digits):
            return digits
    raise ValidationError(
        _(
            "Electronic address for service: give an e-mail address (such as "
            "name@example.cn) or a mainland mobile number (11 digits beginning with 1)."
        ),
        code="bad_address",
    )


@transaction.atomic
def withdraw_consent(access: PartyAccess, *, signed_name: str, today: dt.date) -> ServiceConsent:
    """The party withdraws its consent to electronic service in force, signed with its
    name: kept as a row of its own (``withdrawn``) and recorded in the organ's chain.
    From then on the platform shows the organ no consent of the party's."""
    name = signed_name.strip()
    problem = typed_text_problem(name) if name else _("This field is required.")
    if problem or len(name) > 200:
        raise ValidationError(
            {"signed_name": [problem or _("At most %(max)s characters.") % {"max": 200}]}
        )
    PartyAccess.objects.select_for_update().filter(pk=access.pk).first()
    earlier = access.current_consent()
    if earlier is None:
        raise ValidationError(
            {NON_FIELD_ERRORS: [_("You have no consent to electronic service to withdraw.")]}
        )
    row = ServiceConsent.objects.create(
        access=access,
        signed_name=name,
        address="",
        withdrawn=True,
        given_on=today,
        given_at=timezone.now(),
    )
    append_entry(
        actor=access.principal,
        organ=access.case.organ_id,
        action="party.consent_withdrawn",
        obj=access.case,
        payload={"consent": row.pk, "withdraws": earlier.pk, "signed_name": name, "on": today},
    )
    return row


@transaction.atomic
def rate_conduct(
    access: PartyAccess, *, score: int, comment: str, today: dt.date, decided: bool
) -> ConductRating:
    """The party's rating of the conduct of its case (1–5, an optional comment), once,
    after the decision (``decided``: the case has a decision in force)."""
    if not decided:
        raise PartyRefusal(_("The case can be rated once it is decided."), field="score")
    errors: dict[str, list[str]] = {}
    if not isinstance(score, int) or isinstance(score, bool) or not 1 <= score <= 5:
        errors["score"] = [_("Choose a score from 1 to 5.")]
    text = comment.strip()
    problem = typed_text_problem(text) if text else None
    if problem or len(text) > COMMENT_MAX:
        errors["comment"] = [problem or _("At most %(max)s characters.") % {"max": COMMENT_MAX}]
    if errors:
        raise ValidationError(errors)
    case = Case.objects.select_for_update().get(pk=access.case_id)
    if ConductRating.objects.filter(case=case).exists():
        raise PartyRefusal(_("The case was rated already: it is rated once."), field="score")
    rating = ConductRating.objects.create(
        case=case, organ_id=case.organ_id, score=score, comment=text, rated_on=today
    )
    append_entry(
        actor=access.principal,
        organ=case.organ_id,
        action="party.rating",
        obj=case,
        payload={"rating": rating.pk, "score": score, "on": today},
    )
    return rating
