"""Demo complaints and reports: an anonymous food-safety report to the city's market
regulation bureau (accepted, with progress), a consumer dispute (its deadline names the
sector rules) and a complaint about an officer of a county organ (to the justice
bureau). Each is assigned by its unit's head (for the justice bureau, the supervisor) to
one of the unit's staff: the city's market regulation bureau's first officer (张伟)
handles the report and the consumer dispute and sees their filers; its other officer
(李娜) sees the filings and their clocks, the filer withheld. Idempotent: nothing is
added once any filing exists. The access code of the first is printed, so the public
follow-up page can be tried."""

from __future__ import annotations

from typing import TextIO

from django.core.exceptions import PermissionDenied, ValidationError

from zhifa.accounts.models import Role, User
from zhifa.registry.models import Officer

from . import policy, services
from .models import Complaint
from .routing import NoReceivingUnit


def _assign(complaint: Complaint, out: TextIO) -> User | None:
    """Assigned by the unit's head (a justice bureau's: the supervisor of the region)
    to the unit's first officer (for a justice bureau without officers: that
    supervisor); the one assigned, or None when the demo users are missing."""
    staff = list(policy.assignable(complaint))
    heads = [u for u in staff if policy.is_unit_head(u, complaint)]
    officers = sorted((u for u in staff if u.role == Role.OFFICER), key=lambda u: u.pk)
    handler = officers[0] if officers else (heads[0] if heads else None)
    if not heads or handler is None:
        out.write(f"complaints: {complaint.number} left unassigned (no head or officer)\n")
        return None
    try:
        services.assign(complaint, actor=heads[0], assignees=[handler])
    except (PermissionDenied, ValidationError) as exc:
        out.write(f"complaints: {complaint.number} left unassigned ({exc})\n")
        return None
    return handler


def load(out: TextIO) -> None:
    if Complaint.objects.exists():
        out.write("complaints: demo filings already present\n")
        return
    try:
        report = services.file_complaint(
            category="food_safety",
            region_code="330402",
            address="嘉兴市南湖区某某路88号某某饭店",
            description="该饭店后厨存放过期肉类，并用于加工菜品，已多次看到。",
        )
        dispute = services.file_complaint(
            category="consumer_dispute",
            region_code="330400",
            address="嘉兴市某某商场三楼",
            description="购买的电热水壶使用一周即损坏，商家拒绝退换。",
            filer_name="王某",
            filer_contact="13800000000",
        )
    except Exception as exc:
        out.write(f"complaints: no demo filings ({exc})\n")
        return
    _assign(dispute.complaint, out)
    officer = Officer.objects.filter(organ__name__contains="海盐县", kind="officer").first()
    if officer is not None:
        try:
            conduct = services.file_complaint(
                category="conduct",
                region_code=officer.organ.region.code,
                address=officer.organ.region.name,
                description="执法人员在检查中未出示执法证件，态度粗暴。",
                filer_name="李某",
                filer_contact="13900000000",
                subject_officer=officer,
            )
        except (NoReceivingUnit, ValueError) as exc:
            out.write(f"complaints: no demo complaint about conduct ({exc})\n")
        else:
            _assign(conduct.complaint, out)
    handler = _assign(report.complaint, out)
    if handler is not None:
        accepted = services.accept(report.complaint, actor=handler, note="已受理，将派员核查。")
        services.add_progress(accepted, actor=handler, text="已派执法人员现场检查。")
    out.write(
        f"complaints: follow {report.complaint.number} with the access code "
        f"{report.access_code} at /complaints/follow/\n"
    )
