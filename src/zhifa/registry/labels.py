"""The names of the registry's record actions and the titles of the objects it
records, shown on the record pages. ``RegistryConfig.ready`` registers them with the
records app (``records.presentation``), which imports no domain app."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

#: Every record action of the registry (services.py).
ACTION_LABELS: dict[str, Any] = {
    "subject.create": _("Enforcement subject registered"),
    "subject.update": _("Enforcement subject changed"),
    "entrustment.create": _("Entrustment recorded"),
    "entrustment.update": _("Entrustment changed"),
    "entrustment.terminate": _("Entrustment terminated"),
    "officer.create": _("Officer registered"),
    "officer.update": _("Officer's details changed"),
    "officer.transfer_out": _("Officer transferred to another organ"),
    "officer.transfer_in": _("Officer transferred from another organ"),
    "officer.record_training": _("Training recorded"),
    "officer.record_exam": _("Exam recorded"),
    "officer.flag": _("Officer flagged after two years graded 不合格"),
    "officer.flag_carried_out": _("Flag carried out (removed from posts or certificates revoked)"),
    "certificate.issue": _("Certificate issued"),
    "certificate.suspend": _("Certificate suspended"),
    "certificate.reinstate": _("Certificate reinstated"),
    "certificate.revoke": _("Certificate revoked"),
    "registry.expire": _("Expired certificates and entrustments cleaned up"),
}

#: The registry's scheduled tasks (services.EXPIRE_TASK), named on the record pages.
TASK_LABELS: dict[str, Any] = {
    "registry.expire": _("daily expiry of certificates and entrustments"),
}


def object_titles() -> dict[str, Any]:
    from zhifa.records.presentation import model_titles

    from .models import (
        Certificate,
        CleanupNotice,
        EnforcementSubject,
        Entrustment,
        ExamRecord,
        Officer,
        TrainingRecord,
    )

    return {
        "registry.enforcementsubject": model_titles(EnforcementSubject, lambda s: s.name),
        "registry.officer": model_titles(Officer, lambda o: o.name),
        "registry.certificate": model_titles(Certificate, lambda c: c.number),
        "registry.entrustment": model_titles(
            Entrustment,
            lambda e: f"{e.entrusting_organ.name} → {e.entrusted.name}",
            "entrusting_organ",
            "entrusted",
        ),
        "registry.trainingrecord": model_titles(
            TrainingRecord, lambda t: f"{t.officer.name} {t.year}", "officer"
        ),
        "registry.examrecord": model_titles(
            ExamRecord, lambda e: f"{e.officer.name} {e.name}", "officer"
        ),
        "registry.cleanupnotice": model_titles(CleanupNotice, lambda n: n.run_on.isoformat()),
    }
