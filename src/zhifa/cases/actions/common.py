"""Shared by the case actions: the refusals a service raises, the status and document each
step sets, which role an officer field gives, and the JSON form of a step's values."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from zhifa.registry.models import Officer
from zhifa.rules.engine import Finding, InvalidCaseFile

from ..casefile import officer_ref
from ..models import OfficerRole
from ..steps import STEPS

if TYPE_CHECKING:
    pass


class RuleViolation(ValidationError):
    """A step refused by block rules of the catalogue; ``findings`` lists each broken
    rule as ``{"rule", "citation", "message"}`` (plain Chinese)."""

    def __init__(self, findings: Sequence[Finding]) -> None:
        from zhifa.rules.engine import RULES

        self.findings = [
            {
                "rule": f.rule,
                "citation": f.citation or RULES[f.rule].citation,
                "message": f.message.zh,
            }
            for f in findings
        ]
        text = "；".join(f"{f['rule']}（{f['citation']}）：{f['message']}" for f in self.findings)
        super().__init__(
            _("The step is refused by the rules: %(findings)s") % {"findings": text},
            code="rule_violation",
        )


class CaseConflict(ValidationError):
    """Someone else changed the case since the caller read it."""


#: The document a step produces, numbered when the step is saved (``steps.STEPS``).
STEP_DOCUMENTS: dict[str, str] = {s.name: s.document for s in STEPS if s.document}


#: The status a case is in after a step (state is derived from the steps).
STEP_STATUS: dict[str, str] = {s.name: s.status for s in STEPS if s.status}


#: Which role a field's officers take on the case.
_FIELD_ROLES = {
    "by": OfficerRole.INVESTIGATOR,
    "officers": OfficerRole.INVESTIGATOR,
    "host": OfficerRole.HOST,
    "reviewer": OfficerRole.REVIEWER,
    "approved_by": OfficerRole.APPROVER,
}


def _json(value: Any) -> Any:
    if isinstance(value, Officer):
        return officer_ref(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): _json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json(v) for v in value]
    return value


def _invalid(exc: InvalidCaseFile) -> ValidationError:
    return ValidationError(
        _("The step is not valid in the case-file format: %(errors)s")
        % {"errors": "; ".join(str(e) for e in exc.errors)},
        code="invalid_step",
    )


def _date_or_none(value: str | None) -> dt.date | None:
    return None if value is None else dt.date.fromisoformat(value)
