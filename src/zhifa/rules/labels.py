"""The names of the deadlines the rules engine computes, shown on the pages.

One table for every page that lists deadlines: the case page (``cases.labels`` reads
it from here) and the audit page.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

#: The deadlines the rules engine computes for a case (legal-rules.md, kind "deadline").
DEADLINE_LABELS: dict[str, Any] = {
    "REG-decision": _("Registration or refusal of the case source"),
    "APL-60-decision-deadline": _("Decision period"),
    "APL-61-service": _("Service of the decision"),
    "APL-64-hearing-request": _("Party's window to request a hearing"),
    "APL-67-payment": _("Payment of the fine"),
    "APL-56-preservation": _("Decision on the preserved evidence"),
    "ACL-25-seizure": _("Term of the sealing or seizure"),
    "ACL-53-court-deadline": _("Application to the court for enforcement"),
    "GB118-disclose-decision": _("Disclosure of the decision"),
    "APL-48-withdraw": _("Withdrawal of the disclosed decision"),
}


def deadline_label(rule: str) -> str:
    return str(DEADLINE_LABELS.get(rule, rule))
