"""The names of the statistics' figures and lists on the pages and in the API."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

#: The penalty categories (rules.engine.statistics.CATEGORIES) by key.
CATEGORY_LABELS: dict[str, Any] = {
    "warning": _("Warning, public criticism"),
    "fine": _("Fine"),
    "confiscation": _("Confiscation of illegal gains or property"),
    "suspension": _("Permit suspended, qualification lowered"),
    "revocation": _("Permit revoked"),
    "restrict_business": _("Production or business activities restricted"),
    "stop_business": _("Ordered to suspend or close, practice restricted"),
    "detention": _("Administrative detention"),
    "other": _("Other penalties"),
}
#: The lists a figure links to (``queries.LIST_KEYS``).
LIST_LABELS: dict[str, Any] = {
    "penalty": _("All penalty decisions"),
    **CATEGORY_LABELS,
    "fines": _("Decisions with a fine"),
    "confiscations": _("Decisions with a confiscation"),
    "seizures": _("Sealing or seizure measures"),
    "court_applications": _("Applications to the court for enforcement"),
    "preservations": _("Evidence preserved by registration"),
}
#: The kinds of act the platform does not record (``queries.NOT_RECORDED``).
NOT_RECORDED_LABELS: dict[str, Any] = {
    "licensing": pgettext_lazy("statistics", "Licensing"),
    "inspection": pgettext_lazy("statistics", "Inspection"),
    "levy": pgettext_lazy("statistics", "Levy"),
}
STATUS_LABELS: dict[str, Any] = {
    "met": _("Published on time"),
    "missed": _("Published late"),
    "open": _("Not yet published (due)"),
    "overdue": _("Not published: overdue"),
}
ACTION_LABELS: dict[str, Any] = {
    "statistics.publish": _("Annual statistics published"),
    "statistics.correct": _("Annual statistics corrected and republished"),
}


def list_label(key: str) -> str:
    return str(LIST_LABELS.get(key, key))
