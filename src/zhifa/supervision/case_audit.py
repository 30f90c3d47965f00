"""One click (issue #17, item 8): "audit this case" on the case page.

A supervisor of the case's region, or the organ's head or legal reviewer, runs the rules
engine on the case's file now (the case file the export makes, ``cases.casefile``) and
sees its findings and deadlines with their rule IDs and citations, the same document the
audit page shows for an uploaded file (``rules.views``). The audit is kept as the sweep
keeps it (``cases.queries.keep_audit``: the case's ``AuditItem`` rows and its nearest
deadline), so the warnings read what the page showed. The law stays in the engine.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhifa.cases.casefile import case_file
from zhifa.cases.models import Case
from zhifa.cases.queries import keep_audit
from zhifa.core.roles import Role
from zhifa.core.scope import get_scoped_or_404, require_role
from zhifa.rules.calendar_db import database_calendar
from zhifa.rules.engine import RULES, AuditResult, audit
from zhifa.rules.engine import render as render_findings
from zhifa.rules.views import _page_result

#: Who may audit a case in their scope now: the region's supervisors, the organ's head
#: and legal reviewer (the audit page is open to every signed-in user; an officer sees
#: the case's deadlines on the case page and its findings when a step is refused).
AUDIT_ROLES = (Role.SUPERVISOR, Role.ORGAN_HEAD, Role.LEGAL_REVIEWER, Role.ADMINISTRATOR)


def may_audit(user: Any) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and (user.is_superuser or getattr(user, "role", None) in AUDIT_ROLES)
    )


def audit_case_now(case: Case, as_of: dt.date) -> AuditResult:
    """Audit the stored case as of ``as_of`` and keep the result as the sweep does
    (``keep_audit``), under the case's row lock, in one transaction."""
    with transaction.atomic():
        locked = Case.objects.select_for_update(of=("self",)).get(pk=case.pk)
        result = audit(case_file(locked, as_of), as_of, database_calendar())
        locked.save(update_fields=keep_audit(locked, result, as_of))
    return result


@login_required
@require_POST
def case_audit(request: HttpRequest, pk: int) -> HttpResponse:
    """POST: audit the case now; the page shows the findings and deadlines. A case
    outside the user's scope is a 404 (its existence is not revealed)."""
    require_role(request.user, *AUDIT_ROLES)
    case = get_scoped_or_404(request.user, Case.objects.select_related("organ"), pk=pk)
    today = timezone.localdate()
    result = audit_case_now(case, today)
    lang = "en" if (get_language() or "").startswith("en") else "zh"
    document = _page_result(json.loads(render_findings(result, lang)))
    for deadline in document["deadlines"]:
        known = RULES.get(deadline["rule"])
        deadline["citation"] = known.citation if known else ""
    return render(
        request,
        "supervision/case_audit.html",
        {"case": case, "result": document, "as_of": today},
    )


def case_actions(user: Any, case: Any) -> list[dict[str, Any]]:
    """The case page's button (``cases.extensions.register_case_actions``): shown to
    whoever may audit the case (the page itself is already scoped)."""
    if not may_audit(user):
        return []
    return [
        {
            "label": _("Audit this case now"),
            "url": reverse("supervision:case_audit", kwargs={"pk": case.pk}),
            "id": "audit-case",
        }
    ]
