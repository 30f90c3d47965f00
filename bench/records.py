"""Benchmark of the whole-process record (issue #5).

Appends N entries (default 100,000; ZHIFA_BENCH_N to change) to one organ's chain
through ``append_entry`` and, in the same run and the same way (same transaction
batches, same rows), inserts N entries without hashing, chaining or locking. Then
verifies the chain and hashes the same content bytes with raw SM3.

Run from the repository root: ``.venv/bin/python bench/records.py``. It uses a
temporary SQLite database (WAL, IMMEDIATE transactions, as Zhifa runs) and removes it.
The last two lines are the ratios:

    ratio append/plain-insert: appends per second / plain inserts per second
    ratio verify/raw-sm3:      entries verified per second / entries raw-SM3-hashed per second
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

BATCH = 500


def main() -> None:
    n = int(os.environ.get("ZHIFA_BENCH_N", "100000"))
    var = Path(tempfile.mkdtemp(prefix="zhifa-bench-records-"))
    os.environ["ZHIFA_VAR_DIR"] = str(var)
    os.environ.pop("DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "zhifa.settings.development"
    os.environ["ZHIFA_DEBUG"] = "false"  # no query log: measure the record, not DEBUG
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    try:
        run(n)
    finally:
        shutil.rmtree(var, ignore_errors=True)


def run(n: int) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from zhifa.accounts.models import Role, User
    from zhifa.records.canonical import entry_content, format_time
    from zhifa.records.models import Entry
    from zhifa.records.services import ObjectRef, append_entry
    from zhifa.records.verification import verify_chain
    from zhifa.registry.models import EnforcementSubject, Region

    call_command("migrate", verbosity=0)
    region = Region.objects.create(code="330400", name="嘉兴市", level="city")
    organ = EnforcementSubject.objects.create(
        name="嘉兴市市场监督管理局", region=region, subject_type="statutory"
    )
    plain_organ = EnforcementSubject.objects.create(
        name="对照组", region=region, subject_type="statutory"
    )
    user = User.objects.create(username="bench", full_name="基准", role=Role.OFFICER, organ=organ)
    case = ObjectRef("cases.case", "1")

    def payload(i: int) -> dict[str, object]:
        return {"step": i, "note": "现场检查", "amount": str(i * 10)}

    print(
        f"records bench: {n} entries, SQLite {connection.Database.sqlite_version}, "
        f"{BATCH} per transaction"
    )

    start = time.perf_counter()
    for first in range(0, n, BATCH):
        with transaction.atomic():
            for i in range(first, min(first + BATCH, n)):
                append_entry(
                    actor=user, organ=organ, action="case.step", obj=case, payload=payload(i)
                )
    append_s = time.perf_counter() - start

    import json

    start = time.perf_counter()
    for first in range(0, n, BATCH):
        with transaction.atomic():
            for i in range(first, min(first + BATCH, n)):
                Entry.objects.create(
                    organ=plain_organ,
                    seq=i + 1,
                    recorded_at=timezone.now(),
                    actor=user,
                    actor_label=user.username,
                    action="case.step",
                    object_type=case.object_type,
                    object_id=case.object_id,
                    payload=json.dumps(payload(i)),
                    prev_hash="0" * 64,
                    content_digest="0" * 64,
                    entry_hash="0" * 64,
                )
    plain_s = time.perf_counter() - start

    start = time.perf_counter()
    report = verify_chain(organ, files=False)
    verify_s = time.perf_counter() - start
    assert report.problem is None and report.length == n, report.problem

    # The same bytes verify hashes: each entry's canonical content, then the link.
    contents = [
        entry_content(
            organ=organ.pk,
            seq=e.seq,
            recorded_at=format_time(e.recorded_at),
            actor=e.actor_id,
            actor_label=e.actor_label,
            action=e.action,
            object_type=e.object_type,
            object_id=e.object_id,
            payload=e.payload,
        )
        for e in Entry.objects.filter(organ=organ).order_by("seq").iterator(chunk_size=5000)
    ]
    total_bytes = sum(len(c) for c in contents)
    start = time.perf_counter()
    for c in contents:
        hashlib.new("sm3", c).digest()
    raw_s = time.perf_counter() - start

    appends, plains = n / append_s, n / plain_s
    verified, raw = n / verify_s, n / raw_s
    print(f"append (SM3 chain, locked head): {appends:,.0f} entries/s ({append_s:.1f} s)")
    print(f"plain insert (no hashing):       {plains:,.0f} entries/s ({plain_s:.1f} s)")
    print(f"verify (recompute chain):        {verified:,.0f} entries/s ({verify_s:.1f} s)")
    print(
        f"raw SM3 of the same bytes:       {raw:,.0f} entries/s "
        f"({total_bytes / raw_s / 1e6:,.1f} MB/s, {total_bytes / n:.0f} bytes/entry)"
    )
    print(f"ratio append/plain-insert: {appends / plains:.3f}")
    print(f"ratio verify/raw-sm3: {verified / raw:.3f}")


if __name__ == "__main__":
    main()
