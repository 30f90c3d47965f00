"""Benchmark of case handling (issue #6): complete general-procedure cases through the
service layer, against a pgbench-like baseline transaction on the same database.

Each case is 12 service calls (``open_case`` and 11 steps: registration,
investigation, prior notice, statement, legal review, collective discussion, decision,
service, disclosure, payment, closure); each is one transaction that locks the case,
exports and validates the case file, asks the rules engine, issues a number where the
step produces a document and appends the record entry. The baseline is pgbench's
TPC-B-like transaction without its SELECT: three UPDATEs (account, teller, branch) and
one INSERT (history) on small tables, in one ``transaction.atomic()``, as raw SQL
through the same Django connection.

The machine may be shared, so the two are measured in alternating rounds (one case,
then as many baseline transactions as the case had steps, the order swapped every
round) and the ratio is the median of the rounds' ratios.

A second measure (issue #12) is the work list: the officer's page of 25 cases, served
from the nearest deadline kept on each case (no audit per row), timed with 25 and then
500 open cases of the organ; its ratio (500/25) should stay near 1.

Run from the repository root: ``.venv/bin/python bench/cases.py``. SQLite runs in a
temporary directory (WAL, IMMEDIATE transactions, as Zhifa runs); PostgreSQL runs in a
throwaway database created next to the one ``DATABASE_URL`` names, and dropped. The
last four lines are

    ratio worklist 500/25 sqlite: X
    ratio worklist 500/25 postgresql: X   (or: not measured (DATABASE_URL not set))
    ratio step/baseline sqlite: X
    ratio step/baseline postgresql: X   (or: not measured (DATABASE_URL not set))

``ZHIFA_BENCH_CASES`` (default 30) is the number of measured cases per database;
``ZHIFA_BENCH_SECONDS`` (default 40) stops a database's rounds earlier.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RATIO = "ratio step/baseline"
WORKLIST = "ratio worklist 500/25"
ACCOUNTS, TELLERS, BRANCHES = 10_000, 10, 1


def main() -> None:
    if len(sys.argv) > 1:
        child(sys.argv[1])
        return
    ratios: dict[str, str] = {}
    worklist: dict[str, str] = {}
    for vendor in ("sqlite", "postgresql"):
        env = {**os.environ}
        if vendor == "sqlite":
            env.pop("DATABASE_URL", None)
        elif not env.get("DATABASE_URL", "").strip():
            ratios[vendor] = worklist[vendor] = "not measured (DATABASE_URL not set)"
            continue
        done = subprocess.run(
            [sys.executable, __file__, vendor],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        lines = done.stdout.strip().splitlines()
        if done.returncode != 0 or not lines or not lines[-1].startswith(RATIO):
            sys.stdout.write(done.stdout)
            sys.stderr.write(done.stderr)
            raise SystemExit(f"cases bench on {vendor} failed (exit {done.returncode})")
        for line in lines[:-1]:
            if line.startswith(WORKLIST):
                worklist[vendor] = line.split(":", 1)[1].strip()
            else:
                print(line)
        ratios[vendor] = lines[-1].split(":", 1)[1].strip()
    for vendor in ("sqlite", "postgresql"):
        print(f"{WORKLIST} {vendor}: {worklist.get(vendor, 'not measured')}")
    for vendor in ("sqlite", "postgresql"):
        print(f"{RATIO} {vendor}: {ratios[vendor]}")


def child(vendor: str) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "zhifa.settings.development"
    os.environ["ZHIFA_DEBUG"] = "false"  # no query log: measure the cases, not DEBUG
    sys.path.insert(0, str(ROOT / "src"))
    var = Path(tempfile.mkdtemp(prefix="zhifa-bench-cases-"))
    os.environ["ZHIFA_VAR_DIR"] = str(var)
    try:
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection

        if vendor == "postgresql":
            # A throwaway database beside the named one (never the named one itself).
            connection.settings_dict["TEST"]["NAME"] = f"zhifa_bench_cases_{os.getpid()}"
            old_name = connection.creation.create_test_db(
                verbosity=0, autoclobber=True, serialize=False
            )
            try:
                run(vendor)
            finally:
                connection.creation.destroy_test_db(old_name, verbosity=0)
        else:
            call_command("migrate", verbosity=0)
            run(vendor)
    finally:
        shutil.rmtree(var, ignore_errors=True)


# --- the baseline --------------------------------------------------------------------


def create_baseline_tables() -> None:
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE bench_branches (bid integer PRIMARY KEY, bbalance integer NOT NULL, "
            "filler char(88))"
        )
        cursor.execute(
            "CREATE TABLE bench_tellers (tid integer PRIMARY KEY, bid integer NOT NULL, "
            "tbalance integer NOT NULL, filler char(84))"
        )
        cursor.execute(
            "CREATE TABLE bench_accounts (aid integer PRIMARY KEY, bid integer NOT NULL, "
            "abalance integer NOT NULL, filler char(84))"
        )
        cursor.execute(
            "CREATE TABLE bench_history (tid integer, bid integer, aid integer, "
            "delta integer, mtime timestamp, filler char(22))"
        )
        cursor.executemany(
            "INSERT INTO bench_branches VALUES (%s, 0, '')", [(b,) for b in range(BRANCHES)]
        )
        cursor.executemany(
            "INSERT INTO bench_tellers VALUES (%s, %s, 0, '')",
            [(t, t % BRANCHES) for t in range(TELLERS)],
        )
        cursor.executemany(
            "INSERT INTO bench_accounts VALUES (%s, %s, 0, '')",
            [(a, a % BRANCHES) for a in range(ACCOUNTS)],
        )


def baseline(n: int, seed: int) -> float:
    """Seconds for ``n`` baseline transactions."""
    from django.db import connection, transaction

    start = time.perf_counter()
    for i in range(n):
        k = seed * 7919 + i * 104729
        aid, tid, bid, delta = k % ACCOUNTS, k % TELLERS, k % BRANCHES, k % 10001 - 5000
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "UPDATE bench_accounts SET abalance = abalance + %s WHERE aid = %s", [delta, aid]
            )
            cursor.execute(
                "UPDATE bench_tellers SET tbalance = tbalance + %s WHERE tid = %s", [delta, tid]
            )
            cursor.execute(
                "UPDATE bench_branches SET bbalance = bbalance + %s WHERE bid = %s", [delta, bid]
            )
            cursor.execute(
                "INSERT INTO bench_history (tid, bid, aid, delta, mtime) "
                "VALUES (%s, %s, %s, %s, CURRENT_TIMESTAMP)",
                [tid, bid, aid, delta],
            )
    return time.perf_counter() - start


# --- the cases -----------------------------------------------------------------------

D = date.fromisoformat
FSL = "中华人民共和国食品安全法"
PARTY = {"type": "organisation", "name": "嘉兴某某食品有限公司", "uscc": "91110108551385082Q"}
VIOLATION = {
    "occurred_on": "2026-03-01",
    "discovered_on": "2026-03-02",
    "harm": "ordinary",
    "first_offence": True,
}
BASIS = {
    "law": FSL,
    "article": "第一百二十四条第一款",
    "penalty_types": ["warning", "fine", "confiscation", "revoke_permit"],
    "fine_min": 50000,
    "fine_max": 500000,
}
BENCHMARK = {"circumstance": "ordinary", "fine_min": 100000, "fine_max": 200000}
FINE = [{"type": "fine", "amount": 150000}]
STEPS_PER_CASE = 12


def setup_people() -> dict[str, Any]:
    """The organ, its power item, officers with certificates, a qualified reviewer and
    the head (as the cases tests' fixtures make them)."""
    from zhifa.accounts.models import Role
    from zhifa.catalogue import services as catalogue
    from zhifa.catalogue.models import LawLevel
    from zhifa.core.testing import make_organ, make_user
    from zhifa.registry.models import Certificate, Officer, Region
    from zhifa.registry.services import load_regions

    load_regions("3304")
    city = Region.objects.get(code="330400")
    organ = make_organ("嘉兴市市场监督管理局", city, short_name="嘉市监")
    make_organ("嘉兴市司法局", city, short_name="嘉司", is_justice_bureau=True)
    supervisor = make_user("supervisor", Role.SUPERVISOR, region=city)
    officer_user = make_user("officer", Role.OFFICER, organ=organ)
    reviewer_user = make_user("reviewer", Role.LEGAL_REVIEWER, organ=organ)
    head_user = make_user("head", Role.ORGAN_HEAD, organ=organ)
    law = catalogue.save_law(
        name=FSL,
        level=LawLevel.LAW,
        issuing_body="全国人民代表大会常务委员会",
        valid_from=D("2021-04-29"),
        actor=supervisor,
    )
    article = catalogue.add_article(
        law, number="第一百二十四条", text="第一百二十四条的条文。", ordinal=1, actor=supervisor
    )
    power_item = catalogue.save_power_item(
        subject=organ,
        basis=[article],
        code="CF-124",
        name="对生产经营不符合食品安全标准的食品的行政处罚",
        category="penalty",
        valid_from=D("2024-01-01"),
        published=True,
        published_on=D("2024-01-01"),
        actor=supervisor,
    )

    def officer(name: str, number: str | None, user: Any = None, **extra: Any) -> Officer:
        o = Officer.objects.create(
            organ=organ, name=name, kind="officer", user=user, id_number=f"BENCH-{name}", **extra
        )
        if number:
            Certificate.objects.create(
                officer=o,
                number=number,
                issuing_authority="浙江省人民政府",
                valid_from=D("2024-01-01"),
                valid_to=D("2028-12-31"),
            )
        return o

    return {
        "organ": organ,
        "power_item": power_item,
        "o1": officer("张伟", "ZJA0001", officer_user),
        "o2": officer("李娜", "ZJA0002"),
        "reviewer": officer("陈静", None, reviewer_user, legal_qualification=True),
        "head": officer("刘洋", None, head_user),
        "officer_user": officer_user,
        "reviewer_user": reviewer_user,
        "head_user": head_user,
    }


def one_case(p: dict[str, Any]) -> None:
    """A general-procedure case from its source to its closure: 12 service calls."""
    from zhifa.cases import services as s

    case = s.open_case(
        p["organ"],
        actor=p["officer_user"],
        on=D("2026-03-02"),
        procedure="general",
        power_item=p["power_item"],
        party=PARTY,
        violation=VIOLATION,
        basis=BASIS,
        benchmark=BENCHMARK,
    )
    n = 0

    def step(fn: Any, on: str, actor: Any = None, **kw: Any) -> None:
        nonlocal n
        fn(case, actor=actor or p["officer_user"], on=D(on), expected_steps=n, **kw)
        n += 1

    step(s.register_case, "2026-03-03", p["head_user"], by=[p["o1"], p["o2"]])
    step(
        s.record_investigation,
        "2026-03-04",
        officers=[p["o1"], p["o2"]],
        evidence=["on_site_record", "documentary", "party_statement"],
    )
    step(s.serve_prior_notice, "2026-03-16", intended=FINE)
    step(s.record_statement, "2026-03-18")
    step(
        s.record_legal_review,
        "2026-03-25",
        p["reviewer_user"],
        reviewer=p["reviewer"],
        result="passed",
    )
    step(s.record_collective_discussion, "2026-03-26", p["head_user"])
    step(s.issue_decision, "2026-03-27", p["head_user"], approved_by=p["head"], penalties=FINE)
    step(s.serve_decision, "2026-03-30")
    step(s.mark_disclosed, "2026-04-01")
    step(s.record_payment, "2026-04-03", amount=150000)
    step(s.close_case, "2026-04-10", p["head_user"], reason="performed", approved_by=p["head"])
    assert n + 1 == STEPS_PER_CASE


# --- the work list ----------------------------------------------------------------------


def open_cases(p: dict[str, Any], n: int, start: int) -> None:
    """``n`` open cases of the officer, in one INSERT, each with its nearest deadline
    kept (as the services write it)."""
    from datetime import timedelta

    from zhifa.cases.models import Case, CaseStatus

    Case.objects.bulk_create(
        Case(
            organ=p["organ"],
            case_id=f"BENCH-LIST-{start + i:05d}",
            procedure="general",
            power_item=p["power_item"],
            power=p["power_item"].code,
            party_type=PARTY["type"],
            party_name=f"{PARTY['name']}{i}",
            violation=VIOLATION,
            basis=BASIS,
            status=CaseStatus.INVESTIGATING,
            opened_by=p["officer_user"],
            next_deadline=D("2026-03-02") + timedelta(days=i % 120),
            next_deadline_rule="APL-60-decision-deadline",
            deadline_checked_on=D("2026-03-02"),
        )
        for i in range(n)
    )


def work_list_seconds(p: dict[str, Any], rounds: int = 15) -> float:
    """The median time of the officer's work list page (rendered, first page)."""
    from django.test import RequestFactory

    from zhifa.cases.views import case_list

    factory = RequestFactory()
    times = []
    for _ in range(rounds):
        request = factory.get("/cases/")
        request.user = p["officer_user"]
        start = time.perf_counter()
        response = case_list(request)
        times.append(time.perf_counter() - start)
        assert response.status_code == 200
    return statistics.median(times)


def measure_work_list(vendor: str, p: dict[str, Any]) -> None:
    """The work list with 25, then 500 of the officer's open cases."""
    from zhifa.cases.models import Case

    def listed() -> int:
        return Case.objects.filter(opened_by=p["officer_user"]).exclude(status="closed").count()

    open_cases(p, max(0, 25 - listed()), 0)
    work_list_seconds(p, rounds=3)  # warm-up
    small = work_list_seconds(p)
    open_cases(p, 500 - listed(), 1000)
    large = work_list_seconds(p)
    print(
        f"  {vendor}: work list (first page of 25): {small * 1000:.2f} ms with 25 open "
        f"cases, {large * 1000:.2f} ms with 500"
    )
    print(f"{WORKLIST} {vendor}: {large / small:.2f}")


def run(vendor: str) -> None:
    from django.db import connection

    cases = int(os.environ.get("ZHIFA_BENCH_CASES", "30"))
    budget = float(os.environ.get("ZHIFA_BENCH_SECONDS", "40"))
    people = setup_people()
    create_baseline_tables()
    version = (
        f"SQLite {connection.Database.sqlite_version}"
        if vendor == "sqlite"
        else f"PostgreSQL {connection.pg_version // 10000}"
    )
    print(f"cases bench ({version}): up to {cases} cases of {STEPS_PER_CASE} service calls")

    # Warm-up (imports, caches, the first numbers of the year), not measured.
    one_case(people)
    baseline(STEPS_PER_CASE, seed=0)

    step_times: list[float] = []
    base_times: list[float] = []
    ratios: list[float] = []
    began = time.perf_counter()
    for round_ in range(cases):
        if round_ % 2 == 0:
            b = baseline(STEPS_PER_CASE, seed=round_ + 1)
        start = time.perf_counter()
        one_case(people)
        c = time.perf_counter() - start
        if round_ % 2 == 1:
            b = baseline(STEPS_PER_CASE, seed=round_ + 1)
        step, base = c / STEPS_PER_CASE, b / STEPS_PER_CASE
        step_times.append(step)
        base_times.append(base)
        ratios.append(step / base)
        if time.perf_counter() - began > budget and round_ >= 2:
            break

    step_median = statistics.median(step_times)
    base_median = statistics.median(base_times)
    total_steps = len(step_times) * STEPS_PER_CASE
    print(
        f"  {vendor}: {len(step_times)} cases, {total_steps} steps: "
        f"{1 / step_median:,.1f} steps/s (median {step_median * 1000:.2f} ms/step, "
        f"{sum(step_times) * STEPS_PER_CASE:.1f} s in all)"
    )
    print(
        f"  {vendor}: baseline (3 UPDATE + 1 INSERT, one transaction): "
        f"{1 / base_median:,.0f} tx/s (median {base_median * 1000:.3f} ms/tx)"
    )
    measure_work_list(vendor, people)
    print(f"{RATIO} {vendor}: {statistics.median(ratios):.2f}")


if __name__ == "__main__":
    main()
