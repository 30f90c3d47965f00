"""What other apps add to a case's page. The apps that build on cases (the review app:
its requests point at a case) are above it, so cases imports none of them
(docs/adr/0010-app-layers.md): each registers what it shows on the case page from its
``AppConfig.ready``, like the record's labels (``records.presentation``)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from .models import Case, CaseStep

#: ``(user, case, steps in order) -> template context`` of one app's part of the page.
CaseContext = Callable[[Any, Case, Sequence[CaseStep]], dict[str, Any]]

_CASE_CONTEXTS: dict[str, CaseContext] = {}


def register_case_context(app_label: str, context: CaseContext) -> None:
    """Called by an app's ``AppConfig.ready`` (once per app; a second call replaces)."""
    _CASE_CONTEXTS[app_label] = context


def case_page_context(user: Any, case: Case, steps: Sequence[CaseStep]) -> dict[str, Any]:
    """The context every registered app adds to the case page."""
    context: dict[str, Any] = {}
    for contribute in _CASE_CONTEXTS.values():
        context.update(contribute(user, case, steps))
    return context
