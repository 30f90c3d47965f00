"""Benchmark of the evaluation (issue #18 items 1, 2 and 4): a campaign over a generated
province, the draw, the pre-fill of the sampled files and the annual indicators of the
100 organs (JL-evaluation).

The province is ``bench/scale.py``'s (100 organs in five regions, copies of the demo's
cases through every stage over three years), ``--cases`` cases (default 100,000 on
PostgreSQL, 2,000 on SQLite). Measured:

- the draw: each organ's roster (its files closed in the three years,
  ``campaigns.roster_entries``), their hashes, the seed and the selection of 10 files per
  organ (1,000 files) by the published sampler (``evaluation.draw``);
- the pre-fill of the 1,000 drawn files from the stored findings (``scoring.prefill``,
  one file at a time as the scoring page does) and, as the baseline, the engine's audit
  of the same case files in memory (``rules.engine.audit``, files built first);
- the annual indicators of the 100 organs (``evaluation.annual.organ_counts``, as the
  province's supervisor) and of their officers (``officer_counts``). Target: the organs'
  under 10 s.

Run from the repository root: ``.venv/bin/python bench/evaluation.py [--cases N]``.
Without ``DATABASE_URL`` it runs on SQLite in a temporary directory, removed afterwards;
with it (PostgreSQL), in that database, which it empties first. The last line is
``ratio prefill/audit: X`` (pre-fill per file over the audit per file)."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import scale

PER_ORGAN = 10
TARGET_SECONDS = 10.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=None)
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]
    postgres = bool(os.environ.get("DATABASE_URL", "").strip())
    tmp = None if postgres else Path(tempfile.mkdtemp(prefix="zhifa-evaluation-"))
    try:
        run(args.cases or (100_000 if postgres else 2_000), postgres, tmp)
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)


def run(total: int, postgres: bool, tmp: Path | None) -> None:
    scale.setup(tmp)
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from zhifa.accounts.models import User
    from zhifa.cases import casefile
    from zhifa.cases.models import Case
    from zhifa.evaluation import annual, campaigns, draw, scoring
    from zhifa.evaluation.models import Campaign, DrawnFile, Roster
    from zhifa.evaluation.sheets import ensure_default_sheet
    from zhifa.registry.models import EnforcementSubject
    from zhifa.rules.calendar_db import database_calendar
    from zhifa.rules.engine import audit

    if connection.vendor != ("postgresql" if postgres else "sqlite"):
        raise SystemExit(f"DATABASE_URL names a {connection.vendor} database: PostgreSQL only")
    call_command("migrate", verbosity=0)
    if Case.objects.exists() or User.objects.exists():
        scale.empty_database()
        call_command("migrate", verbosity=0)
    t0 = time.perf_counter()
    scale.generate(total)
    print(f"province: {Case.objects.count()} cases generated in {time.perf_counter() - t0:.0f} s")
    today = timezone.localdate()
    supervisor = User.objects.get(username="bench.province")
    organs = list(
        EnforcementSubject.objects.filter(cases__isnull=False).distinct().order_by("pk")[:100]
    )
    print(f"organs with cases: {len(organs)}, {connection.vendor}")

    # The draw: rosters, hashes, seed, selection.
    start, end = today - dt.timedelta(days=3 * 366), today - dt.timedelta(days=1)
    t0 = time.perf_counter()
    rosters = [campaigns.roster_entries(o.pk, start, end) for o in organs]
    hashes = [draw.sha256_hex(draw.roster_text(r)) for r in rosters]
    seed = draw.seed(hashes, "bench 12 34 56")
    drawn = [draw.select(seed, r, draw.sample_size(len(r), PER_ORGAN, None)) for r in rosters]
    seconds = time.perf_counter() - t0
    files = sum(len(d) for d in drawn)
    listed = sum(len(r) for r in rosters)
    print(f"draw: {len(organs)} rosters of {listed} files, {files} drawn in {seconds:.2f} s")

    # The pre-fill of the drawn files (as the scoring page does, one file at a time).
    sheet = ensure_default_sheet()
    campaign = Campaign(sheet=sheet)
    case_of = {
        (c.organ_id, c.case_id): c.pk
        for c in Case.objects.filter(case_id__in=[f.file_id for d in drawn for f in d]).only(
            "pk", "organ_id", "case_id"
        )
    }
    targets = []
    for organ, chosen in zip(organs, drawn, strict=True):
        roster = Roster(campaign=campaign, organ=organ, position=1)
        for f in chosen:
            targets.append(
                DrawnFile(
                    roster=roster, case_id=case_of.get((organ.pk, f.file_id)), file_id=f.file_id
                )
            )
    t0 = time.perf_counter()
    found = sum(sum(len(p.findings) for p in scoring.prefill(d)) for d in targets)
    prefill_seconds = time.perf_counter() - t0
    per_prefill = prefill_seconds / max(len(targets), 1)
    print(
        f"prefill: {len(targets)} files ({found} findings) in {prefill_seconds:.2f} s, "
        f"{per_prefill * 1000:.2f} ms/file"
    )

    # The engine's audit of the same case files (built first).
    cases = list(casefile.prefetch(Case.objects.filter(pk__in=[d.case_id for d in targets])))
    casefile.load_certificates(cases)
    documents = [casefile.case_file(c, today) for c in cases]
    calendar = database_calendar()
    t0 = time.perf_counter()
    for document in documents:
        audit(document, today, calendar)
    audit_seconds = time.perf_counter() - t0
    per_audit = audit_seconds / max(len(documents), 1)
    print(f"audit: {len(documents)} files in {audit_seconds:.2f} s, {per_audit * 1000:.2f} ms/file")

    # The annual indicators.
    year = today.year - 1
    t0 = time.perf_counter()
    counts = annual.organ_counts(supervisor, organs, year, today)
    rows = {pk: annual.values(c, "organ") for pk, c in counts.items()}
    seconds = time.perf_counter() - t0
    verdict = "within" if seconds < TARGET_SECONDS else "OVER"
    print(
        f"indicators {len(rows)} organs: {seconds:.2f} s ({verdict} the {TARGET_SECONDS:.0f} s "
        f"target; {sum(c.cases for c in counts.values())} cases registered in {year})"
    )
    t0 = time.perf_counter()
    officers = annual.officer_counts(supervisor, organs, year, today)
    print(f"indicators {len(officers)} officers: {time.perf_counter() - t0:.2f} s")
    print(f"ratio prefill/audit: {per_prefill / per_audit:.2f}")


if __name__ == "__main__":
    main()
