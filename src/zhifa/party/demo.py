"""Demo access codes for the party's own view: two demo cases of 嘉兴市市场监督管理局 get a
published access code (like the demo users' published password), so that a visitor can
sign in at /party/ as the party — a notified case whose hearing-request window is open
(statement, hearing request, consent) and a decided case with a fine (what it owes, its
periods, the rating). Runs after the cases demo (INSTALLED_APPS order); idempotent (a
code is added once; the chains are signed again at the end). The codes are printed with
the demo logins (``print_logins``). A code printed on a document the organ issues later
is another, random one, as for any case."""

from __future__ import annotations

from typing import TextIO

from django.utils import timezone

from zhifa.cases.models import Case, CaseStatus
from zhifa.cases.services import case_audit
from zhifa.records.services import create_checkpoints
from zhifa.registry.demo import organs as demo_organs

from . import services
from .models import AccessCode, CodeSource

#: The published demo codes (Crockford base 32, as the documents print them).
DEMO_CODES = ("DEM0CASE0001", "DEM0CASE0002")


def demo_cases() -> list[Case]:
    """The demo cases the codes open: the organ's first notified case whose party may
    still ask for a hearing, and its first decided case with a fine to pay."""
    organ = demo_organs().get("amr")
    if organ is None:
        return []
    today = timezone.localdate()
    found: list[Case] = []
    cases = Case.objects.filter(organ=organ).select_related("organ").order_by("pk")
    for case in cases.filter(status=CaseStatus.NOTIFIED):
        window = services.hearing_window(case, today)
        if window is not None and today <= window.due:
            found.append(case)
            break
    for case in cases.filter(status__in=[CaseStatus.DECIDED, CaseStatus.EXECUTION]):
        facts = case_audit(case, today).payments
        if facts is not None and facts.fine > 0 and facts.deadline is not None:
            found.append(case)
            break
    return found


def load(out: TextIO) -> None:
    made = 0
    for case, code in zip(demo_cases(), DEMO_CODES, strict=False):
        if AccessCode.objects.filter(digest=services.digest(code)).exists():
            continue
        services._issue(
            services.ensure_access(case),
            source=CodeSource.REISSUED,
            actor=case.opened_by,
            code=code,
        )
        made += 1
    if made:
        create_checkpoints()
    out.write(f"party: {made} demo access code(s) added\n")


def print_logins(out: TextIO) -> None:
    """The demo cases a visitor signs in to as the party, printed after the logins."""
    rows = []
    for code in DEMO_CODES:
        row = (
            AccessCode.objects.filter(digest=services.digest(code), revoked_at__isnull=True)
            .select_related("access__case")
            .first()
        )
        if row is not None:
            case = row.access.case
            rows.append((case.number, services.display(code), case.get_status_display()))
    if not rows:
        return
    out.write("Party's own view at /party/ (case number and access code)\n")
    for number, code, status in rows:
        out.write(f"  {number}  {code}  ({status})\n")
    out.write("\n")
