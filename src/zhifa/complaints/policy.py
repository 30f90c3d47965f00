"""May I? One answer for the complaint pages, the API and the services (as
``cases.policy``): ``can_<verb>(user, complaint)`` returns a ``Refusal`` or ``None``;
the services ``enforce`` the same function.

Who sees a filing at all (``visible`` / ``can_see``): the receiving unit's staff (its
officers and heads; for a unit that is a justice bureau, also the supervisors of the
region) and the supervisor of the region — never the organ complained about (any of its
users) nor the officer complained about, even when they would otherwise be one of
those. Everyone else gets a 404, as for any object outside their scope.

Who sees the filer's identity and contact (COMPLAINT-confidential; ``can_see_filer`` /
``visible_filer``): of those, only the staff **assigned** to the filing
(``ComplaintAssignment``) and the supervisor of the region. The unit's other staff —
its head too, unless assigned — see the filing, its clocks and its handling, and the
filer as withheld (docs/adr/0015-complaint-assignment.md).

Who assigns (``can_assign``): the receiving unit's head; for a justice bureau, also the
supervisors of the region. Whom (``assignable``): the unit's active officers and heads
(for a justice bureau, also the region's supervisors), never the officer complained
about.

Who handles (accept or reject, progress, result, case source, merge: ``is_handler``):
the unit's head and the assigned staff (for a justice bureau, also the supervisors of
the region) — the head answers for the unit's clock, the assigned staff do the work."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from zhifa.accounts.models import Role
from zhifa.cases.policy import Refusal, enforce

from .models import ENDED, Complaint, ComplaintKind, ComplaintStatus

__all__ = [
    "HANDLER_ROLES",
    "Refusal",
    "assignable",
    "can_acknowledge",
    "can_assign",
    "can_close",
    "can_dispute",
    "can_enter_case",
    "can_merge",
    "can_note",
    "can_reassign",
    "can_review",
    "can_see",
    "can_see_filer",
    "enforce",
    "filer_words",
    "is_assigned",
    "is_handler",
    "is_unit_head",
    "is_unit_staff",
    "note_words",
    "together_with",
    "visible",
    "visible_filer",
    "withheld_together",
]

#: The receiving organ's users who handle its filings.
HANDLER_ROLES = frozenset({Role.OFFICER, Role.ORGAN_HEAD})


def _region_path(user: Any) -> str | None:
    region = getattr(user, "region", None) if getattr(user, "region_id", None) else None
    return region.path if region is not None else None


def is_subject(user: Any, complaint: Complaint) -> bool:
    """The user is (of) the organ or the officer complained about."""
    organ_id = getattr(user, "organ_id", None)
    if organ_id is not None and organ_id == complaint.subject_organ_id:
        return True
    officer = complaint.subject_officer
    return officer is not None and officer.user_id is not None and officer.user_id == user.pk


def is_supervisor(user: Any, complaint: Complaint) -> bool:
    path = _region_path(user) if getattr(user, "role", None) == Role.SUPERVISOR else None
    return path is not None and complaint.region.path.startswith(path)


def is_unit_staff(user: Any, complaint: Complaint) -> bool:
    """The receiving unit's staff (without the subject test: see ``can_see``)."""
    role = getattr(user, "role", None)
    if role in HANDLER_ROLES and user.organ_id == complaint.organ_id:
        return True
    return complaint.organ.is_justice_bureau and is_supervisor(user, complaint)


def is_unit_head(user: Any, complaint: Complaint) -> bool:
    """Assigns the unit's staff: its head; for a justice bureau, also the supervisors of
    the region."""
    if getattr(user, "role", None) == Role.ORGAN_HEAD and user.organ_id == complaint.organ_id:
        return True
    return complaint.organ.is_justice_bureau and is_supervisor(user, complaint)


def is_assigned(user: Any, complaint: Complaint) -> bool:
    """``user`` is one of the staff assigned to the filing (reads a prefetched
    ``assignments`` when there is one)."""
    if not getattr(user, "is_authenticated", False):
        return False
    return any(a.user_id == user.pk for a in complaint.assignments.all())


def is_handler(user: Any, complaint: Complaint) -> bool:
    """Handles the filing: the unit's head (for a justice bureau, also the supervisors
    of the region) and the staff assigned to it."""
    if not is_unit_staff(user, complaint):
        return False
    return is_unit_head(user, complaint) or is_assigned(user, complaint)


def can_see(user: Any, complaint: Complaint) -> bool:
    """Sees the filing (its filer only if ``can_see_filer``)."""
    if not getattr(user, "is_authenticated", False) or is_subject(user, complaint):
        return False
    return is_unit_staff(user, complaint) or is_supervisor(user, complaint)


def can_see_filer(user: Any, complaint: Complaint) -> bool:
    """Sees the filer's identity and contact (COMPLAINT-confidential): the staff
    assigned to the filing and the supervisor of the region."""
    if not can_see(user, complaint):
        return False
    return is_supervisor(user, complaint) or (
        is_unit_staff(user, complaint) and is_assigned(user, complaint)
    )


#: Between a contact's digits the filer may write spaces, hyphens, dots or brackets
#: (half- or full-width), a few at a time: "(0573) 8201-2345", "138 - 0013 - 8000".
_DIGIT_GAP = r"[\s\-.·()（）－—]{0,3}"
#: China's calling code, written or not before a number (either side may carry it).
_COUNTRY = r"(?:(?:\+|＋|00|００)?\s*[8８][6６][\s\-－]{0,3})?"
#: Between a name's characters: spaces, a middle dot (as in "阿依古丽·买买提", written
#: with or without it), a hyphen, a dot, an underscore or an enumeration comma.
_NAME_MARKS = "\\s·•・‧.．\\-－—_、"
_NAME_GAP = f"[{_NAME_MARKS}]*"
#: One number of a contact that may hold several ("13800138000 或 0573-82012345"): its
#: digits with the separators a number is written with, never a space or a comma.
_NUMBER = re.compile(r"\d[\d\-.()（）]*")
#: One part of a contact that is an account rather than a number (an e-mail address, a
#: messaging ID): letters with digits, "@", "_" or "."; a label ("微信", "WeChat") is not.
_ACCOUNT = re.compile(r"[A-Za-z0-9_.@+\-]+")
#: Shorter names and contacts are not looked for (a single character is no identity).
_MIN_SECRET = 2
_MIN_DIGITS = 5


def _digit(d: str) -> str:
    """A digit as the filer may type it: ASCII or full-width."""
    return f"[{d}{chr(0xFF10 + int(d))}]"


def _ascii_or_wide(c: str) -> str:
    """A printable ASCII character as it may be typed: itself or its full-width form."""
    if "!" <= c <= "~":
        return f"[{re.escape(c)}{re.escape(chr(ord(c) + 0xFEE0))}]"
    return re.escape(c)


def _contact_numbers(contact: str) -> list[str]:
    """The digit strings a contact holds: all its digits (one number written with
    spaces, "+86 138 0013 8000"), and each number of it apart (a contact of several).
    Without the calling code, longest first."""
    found = [re.sub(r"[^0-9]", "", contact)]
    found += [re.sub(r"[^0-9]", "", m.group()) for m in _NUMBER.finditer(contact)]
    numbers = set()
    for digits in found:
        if len(digits) > 11 and digits.startswith("86"):
            digits = digits[2:]  # +86 138...: the number is written without it too
        if len(digits) >= _MIN_DIGITS:
            numbers.add(digits)
    return sorted(numbers, key=lambda d: (-len(d), d))


def _contact_accounts(contact: str) -> list[str]:
    """The parts of a contact that are accounts (``_ACCOUNT``), longest first."""
    accounts = {
        m.group()
        for m in _ACCOUNT.finditer(contact)
        if len(m.group()) >= _MIN_DIGITS
        and any(c.isalpha() for c in m.group())
        and any(c.isdigit() or c in "@_." for c in m.group())
    }
    return sorted(accounts, key=lambda a: (-len(a), a))


def filer_words(
    complaint: Complaint, text: str, shown: bool, others: Iterable[Complaint] = ()
) -> str:
    """``text`` about the filing (what the filer wrote: what happened, a dispute; what
    the unit wrote: a note, the reasons, the result) as a reader who sees the filing
    reads it: when the filer's identity is withheld from them (``shown``:
    ``can_see_filer``; False for the filer of another filing handled together with it),
    the filer's name and contact written into the text are replaced by a mark
    (COMPLAINT-confidential: a filer who signs the text, or a note that says whom the
    unit called, does not name the filer). The name matches with spaces, middle dots,
    hyphens or enumeration commas between its characters (and any case); a contact's
    digits match ASCII or full-width, with separators or brackets between them and with
    or without the +86 calling code — the whole contact, and each number of a contact
    of several apart; an account in it (an e-mail address, a messaging ID) matches in
    any case, half- or full-width. ``others``: filings whose filers are masked too
    (``together_with``: a filer never reads the filers handled together with them)."""
    if not text:
        return text
    if not shown:
        text = _masked(complaint, text)
    for other in others:  # the filers of the filings handled together: never the reader's
        text = _masked(other, text)
    return text


def _masked(complaint: Complaint, text: str) -> str:
    """``text`` with the filer's name and contact replaced (``filer_words``)."""
    mark = str(_("[withheld]"))
    name = re.sub(f"[{_NAME_MARKS}]", "", complaint.filer_name or "")
    if len(name) >= _MIN_SECRET:
        spaced = _NAME_GAP.join(re.escape(c) for c in name)
        text = re.sub(spaced, lambda _m: mark, text, flags=re.IGNORECASE)
    contact = (complaint.filer_contact or "").strip()
    wide = unicodedata.normalize("NFKC", contact)
    for digits in _contact_numbers(wide):
        number = _DIGIT_GAP.join(_digit(d) for d in digits)
        text = re.sub(_COUNTRY + number, lambda _m: mark, text)
    if len(contact) >= _MIN_SECRET:
        text = re.sub(re.escape(contact), lambda _m: mark, text, flags=re.IGNORECASE)
    for account in _contact_accounts(wide):
        pattern = "".join(_ascii_or_wide(c) for c in account)
        text = re.sub(pattern, lambda _m: mark, text, flags=re.IGNORECASE)
    return text


def note_words(
    complaint: Complaint, note: Any, shown: bool, others: Iterable[Complaint] = ()
) -> str:
    """A note's text as a reader who sees the filing reads it (``filer_words``): a
    dispute's is the filer's own words, the others the unit's, which may name the filer
    too (whom the unit called, what the filer said)."""
    return filer_words(complaint, str(note.text), shown, others)


def together_with(complaint: Complaint) -> list[Complaint]:
    """The other filings handled together with ``complaint`` (merged): the one it was
    merged into and the others merged into that one, or those merged into it. Their
    filers are never told to its filer, nor it to them (the unit's notes and result on
    the filing merged into are told to all of them)."""
    return list(_group(complaint).only("pk", "filer_name", "filer_contact"))


def _group(complaint: Complaint) -> QuerySet[Complaint]:
    """The other filings of ``complaint``'s group (``together_with``), by ID."""
    root = complaint.merged_into_id or complaint.pk
    return (
        Complaint.objects.filter(Q(pk=root) | Q(merged_into_id=root))
        .exclude(pk=complaint.pk)
        .order_by("pk")
    )


def withheld_together(user: Any, complaint: Complaint) -> list[Complaint]:
    """The filings handled together with ``complaint`` (``together_with``) whose filer
    ``user`` may not see (``can_see_filer``): the unit's notes and result on one filing of
    the group may name every filer of it, so these filers are masked too in what ``user``
    reads of ``complaint``."""
    group = _group(complaint).select_related("region")
    return [other for other in group if not can_see_filer(user, other)]


def visible(user: Any, queryset: QuerySet[Complaint] | None = None) -> QuerySet[Complaint]:
    """The filings ``user`` may see (``can_see`` as one query)."""
    found = Complaint.objects.all() if queryset is None else queryset
    if not getattr(user, "is_authenticated", False):
        return found.none()
    role = getattr(user, "role", None)
    condition = Q()
    if role in HANDLER_ROLES and user.organ_id is not None:
        condition = Q(organ_id=user.organ_id)
    elif role == Role.SUPERVISOR and _region_path(user) is not None:
        condition = Q(region__path__startswith=_region_path(user))
    else:
        return found.none()
    found = found.filter(condition)
    if user.organ_id is not None:
        found = found.exclude(subject_organ_id=user.organ_id)
    return found.exclude(subject_officer__user_id=user.pk)


def visible_filer(user: Any, queryset: QuerySet[Complaint] | None = None) -> QuerySet[Complaint]:
    """The filings whose filer ``user`` may see (``can_see_filer`` as one query)."""
    found = visible(user, queryset)
    role = getattr(user, "role", None)
    if role == Role.SUPERVISOR:
        return found  # ``visible`` gave a supervisor the filings of his region only
    if role in HANDLER_ROLES:
        return found.filter(assignments__user_id=user.pk)
    return found.none()


def assignable(complaint: Complaint) -> QuerySet[Any]:
    """Whom the filing may be assigned to: the receiving unit's active officers and
    heads (for a justice bureau, also the active supervisors of the region), never the
    officer complained about nor a user of the organ complained about."""
    from zhifa.accounts.models import User

    condition = Q(role__in=HANDLER_ROLES, organ_id=complaint.organ_id)
    if complaint.organ.is_justice_bureau:
        paths = _ancestor_paths(complaint.region.path)
        condition |= Q(role=Role.SUPERVISOR, region__path__in=paths)
    found = User.objects.filter(condition, is_active=True)
    if complaint.subject_organ_id is not None:
        found = found.exclude(organ_id=complaint.subject_organ_id)
    officer = complaint.subject_officer
    if officer is not None and officer.user_id is not None:
        found = found.exclude(pk=officer.user_id)
    return found.order_by("role", "full_name", "pk")


def _ancestor_paths(path: str) -> list[str]:
    """The region's path and its ancestors' ("330000/", "330000/330400/" …)."""
    return [path[: i + 1] for i, char in enumerate(path) if char == "/"]


def _forbidden(message: str) -> Refusal:
    return Refusal("forbidden", message, forbidden=True)


def _handler(user: Any, complaint: Complaint) -> Refusal | None:
    if not can_see(user, complaint) or not is_handler(user, complaint):
        return _forbidden(
            _("Only the unit's head and the staff assigned to this filing handle it.")
        )
    return None


def can_assign(user: Any, complaint: Complaint) -> Refusal | None:
    """Assign the staff who handle the filing, or change them."""
    if not can_see(user, complaint) or not is_unit_head(user, complaint):
        return _forbidden(_("Only the receiving unit's head assigns the staff of a filing."))
    if complaint.status in ENDED:
        return Refusal("ended", _("Nothing more is done on this filing."))
    return None


def can_acknowledge(user: Any, complaint: Complaint) -> Refusal | None:
    """Accept or reject (JL-complaint-ack)."""
    refusal = _handler(user, complaint)
    if refusal is None and complaint.status != ComplaintStatus.RECEIVED:
        refusal = Refusal("not_received", _("The filing was already accepted or rejected."))
    return refusal


def can_note(user: Any, complaint: Complaint) -> Refusal | None:
    """Write a progress note the filer sees."""
    refusal = _handler(user, complaint)
    if refusal is None and complaint.status != ComplaintStatus.ACCEPTED:
        refusal = Refusal("not_accepted", _("Progress is written on an accepted filing."))
    return refusal


def can_close(user: Any, complaint: Complaint) -> Refusal | None:
    """Give the result."""
    refusal = _handler(user, complaint)
    if refusal is None and complaint.status != ComplaintStatus.ACCEPTED:
        refusal = Refusal("not_accepted", _("Only an accepted filing is closed with a result."))
    return refusal


def can_enter_case(user: Any, complaint: Complaint) -> Refusal | None:
    """An accepted report becomes a case source of the receiving organ."""
    refusal = _handler(user, complaint)
    if refusal is not None:
        return refusal
    if getattr(user, "role", None) not in HANDLER_ROLES or user.organ_id != complaint.organ_id:
        return _forbidden(_("Only the receiving organ's officers enter a case."))
    if complaint.kind != ComplaintKind.REPORT:
        return Refusal("not_report", _("Only a report becomes a case source."))
    if complaint.status != ComplaintStatus.ACCEPTED:
        return Refusal("not_accepted", _("Only an accepted report becomes a case source."))
    if complaint.case_id is not None:
        return Refusal("has_case", _("This report is already a case source."))
    return None


def can_review(user: Any, complaint: Complaint) -> Refusal | None:
    """The supervisor's second look at a disputed closure: reopen or confirm."""
    if not can_see(user, complaint) or not is_supervisor(user, complaint):
        return _forbidden(_("Only the supervisor of the region takes the second look."))
    if complaint.status != ComplaintStatus.DISPUTED:
        return Refusal("not_disputed", _("Only a disputed closure gets a second look."))
    return None


def can_reassign(user: Any, complaint: Complaint) -> Refusal | None:
    """The supervisor of the region hands a filing not yet closed to another unit."""
    if not can_see(user, complaint) or not is_supervisor(user, complaint):
        return _forbidden(_("Only the supervisor of the region reassigns a filing."))
    if complaint.status not in (ComplaintStatus.RECEIVED, ComplaintStatus.ACCEPTED):
        return Refusal("not_open", _("Only a filing not yet closed is reassigned."))
    return None


#: The statuses in which a filing may be merged, or receive a merged one.
MERGEABLE = (ComplaintStatus.RECEIVED, ComplaintStatus.ACCEPTED)


def can_merge(user: Any, complaint: Complaint, into: Complaint) -> Refusal | None:
    """The receiving unit handles a duplicate together with an open filing of its own."""
    refusal = _handler(user, complaint) or _handler(user, into)
    if refusal is not None:
        return refusal
    if complaint.pk == into.pk or complaint.organ_id != into.organ_id:
        return Refusal("not_mergeable", _("A filing is merged into another one of the same unit."))
    if complaint.status not in MERGEABLE or into.status not in MERGEABLE:
        return Refusal("not_open", _("Only filings not yet closed are merged."))
    if complaint.merged_into_id is not None or into.merged_into_id is not None:
        return Refusal("merged", _("This filing was already merged."))
    return None


def can_dispute(complaint: Complaint) -> Refusal | None:
    """The filer (holding number and code) says a closure did not resolve it, once.

    The filer of a filing merged into another (``MERGED``) disputes, once, the result
    of the filing it was merged into — while that one is closed, or already disputed
    and awaiting the supervisor's second look (the dispute joins it); not while it is
    handled again, nor once its closure was confirmed on the second look."""
    if complaint.status == ComplaintStatus.MERGED and complaint.merged_into_id is not None:
        into = complaint.merged_into
        assert into is not None
        if complaint.disputed_on is not None:
            return Refusal("disputed", _("A closure is disputed only once."))
        if into.status in (ComplaintStatus.CLOSED, ComplaintStatus.DISPUTED):
            return None
        if into.status == ComplaintStatus.CONFIRMED:
            return Refusal("reviewed", _("The result was already confirmed on a second look."))
        return Refusal(
            "not_closed",
            _("The filing yours is handled together with has no result to dispute yet."),
        )
    if complaint.status != ComplaintStatus.CLOSED:
        return Refusal("not_closed", _("Only a closed filing can be disputed."))
    if complaint.disputed_on is not None:
        return Refusal("disputed", _("A closure is disputed only once."))
    return None
