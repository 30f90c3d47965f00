"""Demo users, one or more for every role. The password is printed by ``zhifa demo``;
it is for the demo only (never use demo data in production)."""

from __future__ import annotations

from typing import TextIO

from zhifa.registry.demo import CITY
from zhifa.registry.demo import organs as demo_organs
from zhifa.registry.models import Region

from .models import Role, User

DEMO_PASSWORD = "Zhifa-demo-2026"

#: (username, full name, role, organ key or None, region code or None)
USERS = [
    ("officer", "张伟", Role.OFFICER, "amr", None),
    ("officer2", "李娜", Role.OFFICER, "amr", None),
    ("officer.county", "王强", Role.OFFICER, "amr_a", None),
    ("reviewer", "陈静", Role.LEGAL_REVIEWER, "amr", None),
    ("head", "刘洋", Role.ORGAN_HEAD, "amr", None),
    ("head.county", "沈建华", Role.ORGAN_HEAD, "amr_a", None),
    ("supervisor", "赵敏", Role.SUPERVISOR, None, CITY),
    ("admin", "系统管理员", Role.ADMINISTRATOR, None, None),
]


#: The demo user the registry and catalogue demos act as (their changes are recorded
#: in the whole-process record with a real user). A supervisor of the city.
DEMO_ACTOR = "supervisor"


def _save_user(
    username: str, full_name: str, role: Role, organ: object, region_code: str | None
) -> User:
    user, _created = User.objects.update_or_create(
        username=username,
        defaults={
            "full_name": full_name,
            "role": role,
            "organ": organ,
            "region": Region.objects.get(code=region_code) if region_code else None,
            "is_active": True,
            "is_staff": role == Role.ADMINISTRATOR,
            "is_superuser": role == Role.ADMINISTRATOR,
        },
    )
    if not user.check_password(DEMO_PASSWORD):
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user


def demo_actor() -> User:
    """The demo supervisor, created if missing. The registry and catalogue demos run
    before this app's ``load`` (INSTALLED_APPS order) and need a real user to record
    their changes; a supervisor needs only the regions, not an organ."""
    for username, full_name, role, organ_key, region_code in USERS:
        if username == DEMO_ACTOR:
            assert organ_key is None
            return _save_user(username, full_name, role, None, region_code)
    raise LookupError(DEMO_ACTOR)


def load(out: TextIO) -> None:
    organs = demo_organs()
    for username, full_name, role, organ_key, region_code in USERS:
        _save_user(username, full_name, role, organs[organ_key] if organ_key else None, region_code)
    out.write(f"demo: {len(USERS)} users\n")


def print_logins(out: TextIO) -> None:
    out.write(f"\nDemo logins (password for all: {DEMO_PASSWORD})\n")
    out.write(f"  {'username':<16} {'role':<16} scope\n")
    for username, full_name, role, _organ_key, _region in USERS:
        user = User.objects.select_related("organ", "region").get(username=username)
        scope = user.organ.name if user.organ else (user.region.name if user.region else "全部")
        out.write(f"  {username:<16} {role.value:<16} {full_name} · {scope}\n")
    out.write("\n")
