"""The navigation shell and the per-role home page sections.

Every section links to a working page; a module is listed only once it is built.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from .roles import Role


@dataclass(frozen=True)
class Section:
    title: str
    description: str
    url_name: str
    roles: frozenset[str] = field(default_factory=frozenset)


ALL_ROLES = frozenset(Role.values)

SECTIONS: list[Section] = [
    Section(
        _("Organs"),
        _("The enforcement subjects in your scope and their users."),
        url_name="registry:organ_list",
        roles=ALL_ROLES,
    ),
    Section(
        _("Regions"),
        _("Administrative divisions (GB/T 2260) and the organs in each."),
        url_name="registry:region_list",
        roles=frozenset({Role.SUPERVISOR, Role.ADMINISTRATOR}),
    ),
    Section(
        _("My cases and deadlines"),
        _("Your work list: open cases, next steps and deadlines in working days."),
        url_name="cases:list",
        roles=frozenset({Role.OFFICER, Role.ORGAN_HEAD}),
    ),
    Section(
        _("Cases in your region"),
        _("The penalty cases of the organs you supervise: status, deadlines and record."),
        url_name="cases:list",
        roles=frozenset({Role.SUPERVISOR}),
    ),
    Section(
        _("Approvals"),
        _("Registrations, extensions, seizures and decisions waiting for your approval."),
        url_name="cases:approvals",
        roles=frozenset({Role.ORGAN_HEAD}),
    ),
    Section(
        _("Legal review queue"),
        _("Major decisions waiting for legal review, with the checklist."),
        url_name="review:queue",
        roles=frozenset({Role.LEGAL_REVIEWER}),
    ),
    Section(
        _("Officers and certificates"),
        _("Officers, certificates and their validity; public verification by QR code."),
        url_name="registry:officer_list",
        roles=frozenset({Role.OFFICER, Role.ORGAN_HEAD, Role.SUPERVISOR, Role.ADMINISTRATOR}),
    ),
    Section(
        _("Power lists and discretion benchmarks"),
        _("Power items, legal bases, discretion benchmarks and the review catalogue."),
        url_name="catalogue:power_item_list",
        roles=ALL_ROLES,
    ),
    Section(
        _("Case-file audit"),
        _("Audit any case file against the legal rules catalogue."),
        url_name="rules:audit",
        roles=frozenset({Role.LEGAL_REVIEWER, Role.SUPERVISOR, Role.ORGAN_HEAD}),
    ),
    Section(
        _("Whole-process record"),
        _("The tamper-evident record of every action, across the organs of your region."),
        url_name="records:entry_list",
        roles=frozenset({Role.SUPERVISOR, Role.ORGAN_HEAD}),
    ),
    Section(
        _("Evidence"),
        _("Photos, documents, audio and video with their SM3 digests."),
        url_name="records:evidence_list",
        roles=frozenset({Role.OFFICER, Role.ORGAN_HEAD, Role.LEGAL_REVIEWER, Role.SUPERVISOR}),
    ),
    Section(
        _("Annual statistics"),
        _("Enforcement statistics of the year, their publication by 31 January, corrections."),
        url_name="statistics:staff",
        roles=frozenset({Role.OFFICER, Role.ORGAN_HEAD, Role.LEGAL_REVIEWER, Role.SUPERVISOR}),
    ),
    Section(
        _("Users and configuration"),
        _("Regions, organs, users and roles in the administration site."),
        url_name="admin:index",
        roles=frozenset({Role.ADMINISTRATOR}),
    ),
]


def sections_for(user: object) -> list[Section]:
    role = getattr(user, "role", None)
    if getattr(user, "is_superuser", False):
        return list(SECTIONS)
    return [s for s in SECTIONS if role in s.roles]
