"""Run by test_concurrency.py in a subprocess: the test suite's SQLite database is an
in-memory shared-cache database, whose table locks do not behave like the file
database Zhifa runs on. This script migrates a fresh file database (WAL, IMMEDIATE
transactions, as configured in settings/base.py) under ZHIFA_VAR_DIR, lets threads with
their own connections append to two organs' chains, verifies, and prints JSON."""

from __future__ import annotations

import json
import os
import sys
import threading


def main(threads: int, per_thread: int) -> dict[str, object]:
    os.environ["DJANGO_SETTINGS_MODULE"] = "zhifa.settings.development"
    os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections, transaction

    from zhifa.accounts.models import Role, User
    from zhifa.records.services import ObjectRef, append_entry
    from zhifa.records.verification import verify_chain
    from zhifa.registry.models import EnforcementSubject, Region

    call_command("migrate", verbosity=0)
    region = Region.objects.create(code="330400", name="嘉兴市", level="province")
    organs = [
        EnforcementSubject.objects.create(
            name=f"organ {n}", region=region, subject_type="statutory"
        )
        for n in range(2)
    ]
    users = [
        User.objects.create(username=f"u{n}", full_name=f"u{n}", role=Role.OFFICER, organ=o)
        for n, o in enumerate(organs)
    ]
    errors: list[str] = []
    start = threading.Barrier(threads)

    def work(n: int) -> None:
        organ, user = organs[n % 2], users[n % 2]
        try:
            start.wait()
            for i in range(per_thread):
                with transaction.atomic():
                    append_entry(
                        actor=user,
                        organ=organ,
                        action="test.concurrent",
                        obj=ObjectRef("cases.case", "1"),
                        payload={"thread": n, "i": i},
                    )
        except Exception as exc:
            errors.append(repr(exc))
        finally:
            connections.close_all()

    workers = [threading.Thread(target=work, args=(n,)) for n in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    reports = [verify_chain(o, files=False) for o in organs]
    return {
        "errors": errors,
        "lengths": [r.length for r in reports],
        "problems": [r.problem.describe() for r in reports if r.problem],
        "journal_mode": connections["default"]
        .cursor()
        .execute("PRAGMA journal_mode")
        .fetchone()[0],
    }


if __name__ == "__main__":
    print(json.dumps(main(int(sys.argv[1]), int(sys.argv[2]))))
