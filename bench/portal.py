"""Benchmark of the public disclosure portal (issue #15): the decision page and the
search page served by gunicorn, and the search over many published decisions.

The database holds a few real decisions, each walked through the services (opened,
decided, served, published by ``disclosure.services.publish``, a checkpoint signed), and
N generated published decisions (2% of them taken down): one closed case, one decision
step and one publication each, inserted in bulk with realistic public text (parties of
eight organs of 嘉兴, violations, facts, penalties, numbers, credit codes) — on
PostgreSQL by COPY as a restore loads a table (its secondary indexes and foreign keys
dropped first, rebuilt after from the catalogue's own definitions, two at a time, then
``VACUUM ANALYZE`` as autovacuum would); on SQLite by INSERT, with their rows of the
FTS5 table. The text is filler for the index, not law.

1. Search: the search page (``/decisions/?q=…``, through the Django test client, so
   middleware, view, count, page and template) for a fixed mix of queries — a rare party
   name, a document number, a credit code, an organ, a violation, a company-name word in
   most rows, one and two characters, two words, a party filter, no query, nothing
   found — against a primary-key lookup of a random publication, alternating. Median and
   p95 of each; target p95 ≤ 200 ms on PostgreSQL with 1,000,000 decisions.
2. Pages: ``zhifa serve`` (gunicorn, gthread, 2 workers × 4 threads) on loopback, with
   the bench's settings (``bench/portal_site``: the product's URLs plus
   ``/bench/bare/<pk>``, a view doing one primary-key query and answering a few bytes).
   Load: ``wrk`` when installed, otherwise a Python loop (threads, keep-alive
   connections, each thread a client address of its own behind one proxy hop), the same
   concurrency for each path, each path for a fixed time per round, the order changed
   every round. The paths: the bare view, the real decisions' pages, the search page
   (cycling through the query mix), and for the record the pages of 1,000 generated
   decisions in turn (mostly rendered, not kept). Each ratio is the median over the
   rounds of the path's rate over the bare view's rate in the same round (the machine
   may be shared); target ``decision-page/bare`` ≥ 0.6.

Run from the repository root: ``.venv/bin/python bench/portal.py``. With
``DATABASE_URL`` (PostgreSQL) the run uses a throwaway database beside the named one
(``zhifa_bench_portal``, dropped at the end); without it, SQLite in a temporary
directory, and a line says PostgreSQL was not measured. Environment:

- ``ZHIFA_BENCH_PORTAL_ROWS``: generated decisions (default 1,000,000 on PostgreSQL,
  100,000 on SQLite);
- ``ZHIFA_BENCH_PORTAL_REAL``: decisions walked through the services (default 3);
- ``ZHIFA_BENCH_PORTAL_SEARCHES``: rounds of the query mix timed (default 20);
- ``ZHIFA_BENCH_PORTAL_SECONDS``: seconds per path and round under load (default 2);
- ``ZHIFA_BENCH_PORTAL_ROUNDS``: rounds under load (default 8);
- ``ZHIFA_BENCH_PORTAL_CONNECTIONS``: concurrent connections (default 8).

The last three lines:

    ratio search-page/bare: search pages per second / bare views per second
    ratio search-p95/pk-lookup-p95: p95 of the search / p95 of the primary-key lookup
    ratio decision-page/bare: decision pages per second / bare views per second
"""

from __future__ import annotations

import datetime as dt
import hashlib
import http.client
import json
import math
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
BENCH_DB = "zhifa_bench_portal"
SEARCH_TARGET_MS = 200
PAGE_TARGET = 0.6
D = dt.date.fromisoformat


def env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, "").replace(",", "").replace("_", "") or default)


def main() -> None:
    began = time.perf_counter()
    pg_url = os.environ.get("DATABASE_URL", "").strip()
    os.environ["DJANGO_SETTINGS_MODULE"] = "portal_site.settings"
    os.environ["ZHIFA_DEBUG"] = "false"  # no query log: measure the portal, not DEBUG
    # The search page is rate-limited per client address (a database counter it keeps
    # on every request): kept, with a limit no load here reaches; each load thread is a
    # client of its own behind one proxy hop.
    os.environ["ZHIFA_VERIFY_RATE_LIMIT"] = str(10**9)
    os.environ["ZHIFA_PROXY_COUNT"] = "1"
    sys.path[:0] = [str(ROOT / "src"), str(ROOT / "bench")]
    var = Path(tempfile.mkdtemp(prefix="zhifa-bench-portal-"))
    (var / "static").mkdir()  # collected by the server; WhiteNoise warns when it is missing
    os.environ["ZHIFA_VAR_DIR"] = str(var)
    if not pg_url:
        os.environ.pop("DATABASE_URL", None)
    try:
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection

        if pg_url:
            connection.settings_dict["TEST"]["NAME"] = BENCH_DB
            old_name = connection.creation.create_test_db(
                verbosity=0, autoclobber=True, serialize=False
            )
            try:
                server_url = urlsplit(pg_url)._replace(path="/" + BENCH_DB).geturl()
                run("postgresql", var, server_url, began)
            finally:
                connection.close()
                connection.creation.destroy_test_db(old_name, verbosity=0)
        else:
            call_command("migrate", verbosity=0)
            run("sqlite", var, "", began)
    finally:
        shutil.rmtree(var, ignore_errors=True)


# --- the data --------------------------------------------------------------------------

#: The organs (嘉兴 and its districts and counties, as ``load_regions("3304")`` has them):
#: (region code, organ name, short name used in document numbers).
ORGANS = [
    ("330400", "嘉兴市市场监督管理局", "嘉市监"),
    ("330402", "嘉兴市南湖区市场监督管理局", "嘉南市监"),
    ("330411", "嘉兴市秀洲区市场监督管理局", "嘉秀市监"),
    ("330421", "嘉善县市场监督管理局", "善市监"),
    ("330424", "海盐县市场监督管理局", "盐市监"),
    ("330481", "海宁市市场监督管理局", "海市监"),
    ("330482", "平湖市市场监督管理局", "平市监"),
    ("330483", "桐乡市市场监督管理局", "桐市监"),
]
PLACES = ["嘉兴", "南湖", "秀洲", "嘉善", "海盐", "海宁", "平湖", "桐乡", "王店", "濮院", "乍浦"]
NAME_CHARS = (
    "华兴盛泰恒丰达鑫源隆昌福瑞祥和安康宏伟金银海天宇博远航新创佳美丽诚信德仁义礼智"
    "春夏秋冬东南西北中明亮光辉辰星月阳晨曦雅静清澄润泽溪江河湖山川林森松柏竹梅兰菊"
    "荣耀富贵吉庆喜乐顺通广汇聚合众力宝玉晶莹华彩锦绣云霞凤龙鹏飞腾跃启航正大永久长"
)
TRADES = [
    "食品", "餐饮管理", "商贸", "超市", "大药房", "建材", "物流", "科技", "农业开发", "酒业",
    "水产", "肉类加工", "烘焙", "副食品", "饮品", "粮油", "医疗器械", "化妆品", "服饰", "五金",
]  # fmt: skip
FORMS = ["有限公司"] * 6 + ["有限责任公司", "股份有限公司", "商行", "经营部"]
VIOLATIONS = [
    ("生产经营不符合食品安全标准的食品", "销售的{item}经抽样检验不符合食品安全标准"),
    ("经营超过保质期的食品", "在经营场所销售超过保质期的{item}"),
    ("未取得食品经营许可从事食品经营活动", "未取得食品经营许可在经营场所销售{item}"),
    ("经营标注虚假生产日期的食品", "销售标注虚假生产日期的{item}"),
    ("销售不合格产品", "销售经抽查检验不合格的{item}"),
    ("发布虚假广告", "在店招及网络店铺发布关于{item}的虚假宣传内容"),
    ("未按规定公示营业执照", "未在经营场所醒目位置悬挂营业执照，主营{item}"),
    ("使用未经检定的计量器具", "使用未经检定的电子秤称量销售{item}"),
    ("经营无中文标签的进口食品", "销售无中文标签的进口{item}"),
    ("未建立进货查验记录", "采购{item}未查验供货者许可证和产品合格证明"),
]
ITEMS = [
    "猪肉", "牛奶", "月饼", "粽子", "饮料", "糕点", "大米", "食用油", "鸡蛋", "茶叶", "白酒",
    "酱油", "冷冻水饺", "海鲜", "蔬菜", "水果", "奶粉", "保健食品", "口罩", "电线", "儿童玩具",
]  # fmt: skip
BASIS = "《中华人民共和国食品安全法》第一百二十四条第一款"
SCOPE = "《中华人民共和国行政处罚法》第四十八条"
START = D("2021-01-04")
DAYS = (D("2026-03-20") - START).days


def generated(n: int, first_id: int, organ_ids: list[int]) -> Iterator[dict[str, Any]]:
    """``n`` published decisions' public fields, deterministic (one seed)."""
    rng = random.Random(15)
    seq: dict[tuple[int, int], int] = {}
    for k in range(n):
        organ = rng.randrange(len(ORGANS))
        decided = START + dt.timedelta(days=rng.randrange(DAYS))
        number = seq[(organ, decided.year)] = seq.get((organ, decided.year), 0) + 1
        violation, facts = VIOLATIONS[rng.randrange(len(VIOLATIONS))]
        item = ITEMS[rng.randrange(len(ITEMS))]
        party = (
            PLACES[rng.randrange(len(PLACES))]
            + "".join(rng.choices(NAME_CHARS, k=2))
            + TRADES[rng.randrange(len(TRADES))]
            + FORMS[rng.randrange(len(FORMS))]
        )
        uscc = (
            "9133"
            + "".join(rng.choices("0123456789", k=6))
            + "".join(rng.choices("0123456789ABCDEFGHJKLMNPQRTUWXY", k=8))
        )
        fine = rng.choice([2000, 5000, 10000, 20000, 30000, 50000, 100000, 150000])
        penalty = f"罚款人民币{fine:,}元"
        if rng.random() < 0.3:
            penalty = f"没收违法所得人民币{rng.randrange(100, 9000):,}元，{penalty}"
        day = decided - dt.timedelta(days=rng.randrange(20, 90))
        summary = {
            "number": f"{ORGANS[organ][2]}罚〔{decided.year}〕{number}号",
            "party": party,
            "party_uscc": uscc,
            "violation": violation,
            "facts": f"经查，当事人于{day.year}年{day.month}月{day.day}日"
            + facts.format(item=item)
            + "，违反了有关规定。",
            "basis": BASIS,
            "penalty": penalty,
            "organ": ORGANS[organ][1],
            "decided_on": f"{decided.year}年{decided.month}月{decided.day}日",
        }
        yield {
            "id": first_id + k,
            "organ_id": organ_ids[organ],
            "decided_on": decided,
            "published_on": decided + dt.timedelta(days=rng.randrange(2, 7)),
            "summary": summary,
            "taken_down": rng.random() < 0.02,
        }


#: What the search page is asked, by kind (filled in from the generated data).
def query_mix(rows: list[dict[str, Any]]) -> list[tuple[str, dict[str, str]]]:
    rare = rows[len(rows) // 2]["summary"]
    return [
        ("party name", {"q": rare["party"]}),
        ("document number", {"q": rare["number"]}),
        ("credit code", {"q": rare["party_uscc"]}),
        ("organ", {"q": ORGANS[3][1]}),
        ("violation", {"q": "超过保质期"}),
        ("common word", {"q": "有限公司"}),
        ("two characters", {"q": rare["party"][2:4]}),
        ("one character", {"q": "鑫"}),
        ("two words", {"q": "海宁 月饼"}),
        ("party filter", {"party": rare["party"][:4]}),
        ("no query", {}),
        ("nothing found", {"q": "核电站辐射"}),
    ]


def setup_real(count: int) -> tuple[dict[str, Any], list[int]]:
    """The organs, people and ``count`` decisions walked through the services and
    published (the decision pages measured); a checkpoint covering them."""
    from cases import setup_people

    from zhifa.core.testing import make_organ
    from zhifa.registry.models import Region
    from zhifa.transparency import checkpoints

    people = setup_people()  # 嘉兴市市场监督管理局, its power item and officers
    regions = {r.code: r for r in Region.objects.filter(code__in=[o[0] for o in ORGANS])}
    organ_ids = [people["organ"].pk] + [
        make_organ(name, regions[code], short_name=short).pk for code, name, short in ORGANS[1:]
    ]
    real = [
        real_decision(people, f"嘉兴{NAME_CHARS[i]}{NAME_CHARS[-i - 1]}食品有限公司")
        for i in range(count)
    ]
    outcome = checkpoints.issue_checkpoint()
    assert outcome.checkpoint is not None, outcome.problem
    return people | {"organ_ids": organ_ids}, real


def real_decision(p: dict[str, Any], party: str) -> int:
    """A general-procedure case walked through the services to its served decision,
    then published by ``disclosure.services.publish``; returns the publication's id."""
    from cases import BASIS as CASE_BASIS
    from cases import BENCHMARK, FINE, PARTY, VIOLATION

    from zhifa.cases import services as s
    from zhifa.disclosure import services as disclosure
    from zhifa.disclosure.models import Publication

    case = s.open_case(
        p["organ"],
        actor=p["officer_user"],
        on=D("2026-03-02"),
        procedure="general",
        power_item=p["power_item"],
        party={**PARTY, "name": party},
        violation=VIOLATION,
        basis=CASE_BASIS,
        benchmark=BENCHMARK,
    )
    taken = 0

    def step(fn: Any, on: str, actor: Any = None, **kw: Any) -> None:
        nonlocal taken
        fn(case, actor=actor or p["officer_user"], on=D(on), expected_steps=taken, **kw)
        taken += 1

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
    published = disclosure.publish(Publication.objects.get(case=case), on=D("2026-03-31"))
    assert published.status == "published", published.failures
    return published.pk


def case_columns(vendor: str, first: int, n: int, p: dict[str, Any]) -> str:
    """INSERT … SELECT of ``n`` closed cases with ids from ``first`` (one per generated
    decision; their content is not read by the portal)."""
    organs = p["organ_ids"]
    organ = "CASE g % {} {} END".format(
        len(organs), " ".join(f"WHEN {i} THEN {pk}" for i, pk in enumerate(organs))
    )
    values = {
        "id": "g",
        "case_id": "'BENCH-' || g",
        "registration_number": "'BENCH-R-' || g",
        "kind": "'penalty'",
        "procedure": "'general'",
        "source": "''",
        "power_item_id": str(p["power_item"].pk),
        "power": f"'{p['power_item'].code}'",
        "power_kind": "''",
        "party_type": "'organisation'",
        "party_name": "'（生成）'",
        "party_birth_date": "NULL",
        "party_id_number": "''",
        "party_uscc": "''",
        "party_vulnerable": "false" if vendor == "postgresql" else "0",
        "violation": """'{"harm": "ordinary"}'""",
        "basis": """'{"law": "中华人民共和国食品安全法"}'""",
        "benchmark": "NULL",
        "settings": "'{}'",
        "agency": "NULL",
        "status": "'closed'",
        "imported": "false" if vendor == "postgresql" else "0",
        "import_digest": "''",
        "archived_on": "NULL",
        "archived_by_id": "NULL",
        "archive_digest": "''",
        "opened_by_id": str(p["officer_user"].pk),
        "next_deadline": "NULL",
        "next_deadline_rule": "''",
        "deadline_checked_on": "NULL",
        "audited_at": "NULL",
        "created_at": "CURRENT_TIMESTAMP",
        "organ_id": organ,
    }
    return insert_select(vendor, "cases_case", values, first, n)


def step_columns(vendor: str, first: int, n: int, p: dict[str, Any]) -> str:
    values = {
        "id": "g",
        "case_id": "g",
        "index": "6",
        "step": "'decision'",
        "on": "'2026-03-01'",
        "data": """'{"outcome": "penalty"}'""",
        "document_number": "'BENCH-' || g",
        "warnings": "'[]'",
        "actor_id": str(p["head_user"].pk),
        "created_at": "CURRENT_TIMESTAMP",
    }
    return insert_select(vendor, "cases_casestep", values, first, n)


def insert_select(vendor: str, table: str, values: dict[str, str], first: int, n: int) -> str:
    check_columns(table, values)
    columns = ", ".join(f'"{c}"' for c in values)
    select = ", ".join(values.values())
    if vendor == "postgresql":
        series = f"generate_series({first}, {first + n - 1}) AS s(g)"
        return f"INSERT INTO {table} ({columns}) SELECT {select} FROM {series}"
    return (
        f"WITH RECURSIVE s(g) AS (SELECT {first} UNION ALL SELECT g + 1 FROM s "
        f"WHERE g < {first + n - 1}) INSERT INTO {table} ({columns}) SELECT {select} FROM s"
    )


def check_columns(table: str, given: Iterable[str]) -> None:
    """The bench writes every column of ``table``: a column added to the model fails
    here, not as a NULL somewhere."""
    from django.apps import apps

    model = next(m for m in apps.get_models() if m._meta.db_table == table)
    columns = {f.column for f in model._meta.concrete_fields}
    assert columns == set(given), (table, columns ^ set(given))


PUBLICATION_COLUMNS = [
    "id", "organ_id", "case_id", "decision_id", "status", "decided_on", "due_on",
    "due_unscheduled_years", "full_text", "scope_reference", "period_class", "facts_brief",
    "summary", "summary_sm3", "document_pdf", "document_sm3", "search_text", "published_on",
    "published_at", "failures", "failed_on", "attempts", "approved_by_id", "approved_on",
    "rejection_reason", "withdrawal_requested_on", "withdraw_due_on", "takedown_on",
    "ended_on", "end_kind", "end_reason", "first_exported_on", "last_exported_on",
    "created_at", "updated_at",
]  # fmt: skip


def publication_rows(vendor: str, rows: Iterable[dict[str, Any]]) -> Iterator[tuple[Any, ...]]:
    from zhifa.disclosure.services import search_text

    sqlite = vendor == "sqlite"
    now = dt.datetime(2026, 3, 31, 2, 0, tzinfo=dt.UTC)
    stamp: Any = now.strftime("%Y-%m-%d %H:%M:%S") if sqlite else now
    false: Any = 0 if sqlite else False

    def day(value: dt.date | None) -> Any:
        return value.isoformat() if sqlite and value is not None else value

    for row in rows:
        summary = row["summary"]
        body = json.dumps(summary, ensure_ascii=False)
        down = row["taken_down"]
        ended = row["published_on"] + dt.timedelta(days=365) if down else None
        yield (
            row["id"],
            row["organ_id"],
            row["id"],
            row["id"],
            "taken_down" if down else "published",
            day(row["decided_on"]),
            day(row["decided_on"] + dt.timedelta(days=7)),
            "[]",
            false,
            SCOPE,
            "ordinary",
            summary["facts"],
            body,
            hashlib.new("sm3", body.encode()).hexdigest(),
            None,
            "",
            search_text(summary),
            day(row["published_on"]),
            stamp,
            "[]",
            None,
            1,
            None,
            None,
            "",
            None,
            None,
            None,
            day(ended),
            "credit_repair" if down else "",
            "信用修复" if down else "",
            None,
            None,
            stamp,
            stamp,
        )


def generate(vendor: str, n: int, p: dict[str, Any]) -> tuple[list[dict[str, Any]], str]:
    """Insert ``n`` generated decisions; returns a sample of them and how long it took."""
    from django.db import connection, transaction

    from zhifa.disclosure.search import FTS_TABLE

    check_columns("disclosure_publication", PUBLICATION_COLUMNS)
    started = time.perf_counter()
    first = 1_000_000_000 if vendor == "postgresql" else 1_000_000
    sample: list[dict[str, Any]] = []

    def kept(rows: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
        for i, row in enumerate(rows):
            if i % max(1, n // 1000) == 0 and not row["taken_down"]:
                sample.append(row)
            yield row

    rows = publication_rows(vendor, kept(generated(n, first, p["organ_ids"])))
    columns = ", ".join(f'"{c}"' for c in PUBLICATION_COLUMNS)
    tables = ["cases_case", "cases_casestep", "disclosure_publication"]
    with connection.cursor() as cursor:
        if vendor == "postgresql":
            indexes, foreign_keys = drop_for_load(cursor, tables)
        with transaction.atomic():
            cursor.execute(case_columns(vendor, first, n, p))
            cursor.execute(step_columns(vendor, first, n, p))
            if vendor == "postgresql":
                raw = cursor.cursor  # psycopg's cursor: COPY
                with raw.copy(f"COPY disclosure_publication ({columns}) FROM STDIN") as copy:
                    for values in rows:
                        copy.write_row(values)
            else:
                marks = ", ".join(["%s"] * len(PUBLICATION_COLUMNS))
                sql = f"INSERT INTO disclosure_publication ({columns}) VALUES ({marks})"
                batch: list[tuple[Any, ...]] = []
                for values in rows:
                    batch.append(values)
                    if len(batch) == 5000:
                        cursor.executemany(sql, batch)
                        batch.clear()
                if batch:
                    cursor.executemany(sql, batch)
                cursor.execute(
                    f"INSERT INTO {FTS_TABLE}(rowid, search_text) SELECT id, search_text "
                    "FROM disclosure_publication WHERE id >= %s AND status = 'published'",
                    [first],
                )
    loaded = time.perf_counter() - started
    if vendor == "sqlite":
        return sample, f"{loaded:.1f} s"
    restore(indexes, foreign_keys)
    built = time.perf_counter() - started - loaded
    with connection.cursor() as cursor:
        # What autovacuum does after a bulk load (visibility map, statistics).
        cursor.execute("VACUUM ANALYZE disclosure_publication")
        cursor.execute("ANALYZE cases_case")
        cursor.execute("ANALYZE cases_casestep")
    vacuumed = time.perf_counter() - started - loaded - built
    return sample, (
        f"{loaded + built + vacuumed:.1f} s: rows {loaded:.1f} s, indexes and foreign keys "
        f"{built:.1f} s, VACUUM ANALYZE {vacuumed:.1f} s"
    )


def drop_for_load(cursor: Any, tables: list[str]) -> tuple[list[str], list[str]]:
    """As a restore loads a table: its secondary indexes and foreign keys dropped first,
    rebuilt after (``restore``). Returns the statements that rebuild them, taken from
    the catalogue (so they are the migrations' own)."""
    cursor.execute(
        "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename = ANY(%s) "
        "AND i.schemaname = current_schema() "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)",
        [tables],
    )
    indexes = cursor.fetchall()
    cursor.execute(
        "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) "
        "FROM pg_constraint WHERE contype = 'f' AND conrelid::regclass::text = ANY(%s)",
        [tables],
    )
    foreign_keys = cursor.fetchall()
    for table, name, _definition in foreign_keys:
        cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    for name, _definition in indexes:
        cursor.execute(f'DROP INDEX "{name}"')
    return (
        [definition for _name, definition in indexes],
        [f'ALTER TABLE {t} ADD CONSTRAINT "{name}" {d}' for t, name, d in foreign_keys],
    )


def restore(indexes: list[str], foreign_keys: list[str]) -> None:
    """Build the indexes two at a time (two connections: the machine's two cores; the
    two GIN indexes of the search on different ones), then add the foreign keys back
    (each checked in one pass)."""
    from django.db import connection

    ordered = sorted(indexes, key=lambda sql: "USING gin" not in sql)
    queues = [ordered[0::2], ordered[1::2]]
    failures: list[BaseException] = []

    def build(statements: list[str]) -> None:
        from django.db import connection as own

        try:
            with own.cursor() as cursor:
                cursor.execute("SET maintenance_work_mem = '1GB'")
                for statement in statements:
                    cursor.execute(statement)
        except BaseException as exc:  # reported below, in the main thread
            failures.append(exc)
        finally:
            own.close()

    threads = [threading.Thread(target=build, args=(queue,)) for queue in queues]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise failures[0]
    with connection.cursor() as cursor:
        for statement in foreign_keys:
            cursor.execute(statement)


# --- measuring -------------------------------------------------------------------------


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms" if seconds >= 0.001 else f"{seconds * 1000:.3f} ms"


def time_search(
    mix: list[tuple[str, dict[str, str]]], rounds: int, pks: list[int]
) -> tuple[dict[str, list[float]], list[float]]:
    """The search page for each query of the mix, and a primary-key lookup of a random
    publication after each, ``rounds`` times (the order of the mix shuffled each round)."""
    from django.conf import settings
    from django.test import Client

    from zhifa.disclosure.models import Publication

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    client = Client()
    rng = random.Random(7)
    searches: dict[str, list[float]] = {kind: [] for kind, _params in mix}
    lookups: list[float] = []

    def search(params: dict[str, str]) -> float:
        start = time.perf_counter()
        response = client.get("/decisions/", params)
        took = time.perf_counter() - start
        assert response.status_code == 200, (params, response.status_code)
        return took

    def lookup(pk: int) -> float:
        start = time.perf_counter()
        row = Publication.objects.filter(pk=pk).values_list("pk", "status").first()
        took = time.perf_counter() - start
        assert row is not None
        return took

    for _kind, params in mix:  # warm-up (templates, plans, caches), not counted
        search(params)
        lookup(rng.choice(pks))
    for _ in range(rounds):
        order = mix[:]
        rng.shuffle(order)
        for kind, params in order:
            searches[kind].append(search(params))
            lookups.append(lookup(rng.choice(pks)))
    return searches, lookups


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Server:
    """``zhifa serve`` with the bench's settings, on a free loopback port."""

    def __init__(self, var: Path, database_url: str) -> None:
        self.port = free_port()
        env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join(
                [str(ROOT / "src"), str(ROOT / "bench"), os.environ.get("PYTHONPATH", "")]
            ).rstrip(os.pathsep),
        }
        if database_url:
            env["DATABASE_URL"] = database_url
        else:
            env.pop("DATABASE_URL", None)
        zhifa = shutil.which("zhifa", path=os.path.dirname(sys.executable)) or "zhifa"
        self.log = (var / "server.log").open("w")
        self.process = subprocess.Popen(
            [zhifa, "serve", "--no-migrate", "--host", "127.0.0.1", "--port", str(self.port)],
            env=env,
            stdout=subprocess.DEVNULL,  # gunicorn's access log
            stderr=self.log,
            cwd=var,
        )
        deadline = time.monotonic() + 90
        while True:
            if self.process.poll() is not None:
                raise SystemExit(f"zhifa serve stopped: {(var / 'server.log').read_text()}")
            try:
                status, _body = get(self.port, "/healthz")
                if status == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                self.stop()
                raise SystemExit("zhifa serve did not answer /healthz within 90 s")
            time.sleep(0.3)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


def get(port: int, path: str) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def python_load(port: int, paths: list[str], seconds: float, connections: int) -> float:
    """Requests per second over ``connections`` keep-alive connections for ``seconds``
    (each thread a client address of its own; every answer must be a 200)."""
    counts = [0] * connections
    problems: list[str] = []
    ready = threading.Barrier(connections + 1)
    deadline = [0.0]

    def worker(k: int) -> None:
        headers = {"X-Forwarded-For": f"10.15.{k // 250}.{k % 250 + 1}"}
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        i = k
        ready.wait()
        try:
            while time.perf_counter() < deadline[0]:
                path = paths[i % len(paths)]
                i += 1
                try:
                    conn.request("GET", path, headers=headers)
                    response = conn.getresponse()
                    response.read()
                except (http.client.HTTPException, OSError):
                    conn.close()  # the server closed a kept-alive connection: reconnect
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                    continue
                if response.status != 200:
                    problems.append(f"{path}: {response.status}")
                    return
                counts[k] += 1
        finally:
            conn.close()

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(connections)]
    for thread in threads:
        thread.start()
    start = time.perf_counter()
    deadline[0] = start + seconds
    ready.wait()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - start
    if problems:
        raise SystemExit(f"load: {problems[0]}")
    return sum(counts) / elapsed


WRK_SCRIPT = """
local paths = {%s}
local i = 0
request = function()
  i = i + 1
  local client = {["X-Forwarded-For"] = "10.15.0." .. (i %% 8 + 1)}
  return wrk.format("GET", paths[(i %% #paths) + 1], client)
end
done = function(summary, latency, requests)
  io.write(string.format("BENCH %%d %%d %%d\\n", summary.requests, summary.duration,
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.timeout))
end
"""


def wrk_load(
    wrk: str, var: Path, port: int, paths: list[str], seconds: float, connections: int
) -> float:
    script = var / "paths.lua"
    script.write_text(WRK_SCRIPT % ", ".join(json.dumps(p) for p in paths))
    url = f"http://127.0.0.1:{port}/"
    done = subprocess.run(
        [wrk, "-t", "2", "-c", str(connections), "-d", f"{seconds:g}s", "-s", str(script), url],
        capture_output=True,
        text=True,
        check=True,
    )
    found = re.search(r"BENCH (\d+) (\d+) (\d+)", done.stdout)
    assert found, done.stdout + done.stderr
    requests, micros, errors = (int(x) for x in found.groups())
    if errors:
        raise SystemExit(f"wrk: {errors} errors on {paths[0]}")
    return requests / (micros / 1e6)


def time_pages(
    var: Path, database_url: str, paths: dict[str, list[str]]
) -> tuple[dict[str, float], dict[str, list[float]], str]:
    """Requests per second of each path under load, in short rounds (the machine may be
    shared: what runs beside changes from one second to the next), the order of the
    paths changed every round. Returns each path's median rate and, per round, its rate
    over the bare view's in the same round."""
    seconds = float(os.environ.get("ZHIFA_BENCH_PORTAL_SECONDS", "2"))
    rounds = env_int("ZHIFA_BENCH_PORTAL_ROUNDS", 8)
    connections = env_int("ZHIFA_BENCH_PORTAL_CONNECTIONS", 8)
    wrk = shutil.which("wrk")
    tool = (
        f"wrk ({wrk})" if wrk else "a Python load loop (wrk is not installed)"
    ) + f", {connections} connections"

    def load(path_list: list[str], how_long: float) -> float:
        if wrk:
            return wrk_load(wrk, var, server.port, path_list, how_long, connections)
        return python_load(server.port, path_list, how_long, connections)

    server = Server(var, database_url)
    try:
        for path_list in paths.values():  # warm-up: every thread's connection and templates
            load(path_list, min(1.0, seconds))
        done: dict[str, list[float]] = {name: [] for name in paths}
        names = list(paths)
        for round_ in range(rounds):
            order = names[round_ % len(names) :] + names[: round_ % len(names)]
            if round_ % 2:
                order.reverse()
            for name in order:
                done[name].append(load(paths[name], seconds))
    finally:
        server.stop()
    rates = {name: statistics.median(values) for name, values in done.items()}
    ratios = {
        name: [rate / bare for rate, bare in zip(values, done["bare"], strict=True)]
        for name, values in done.items()
    }
    return rates, ratios, f"{tool}, {rounds} rounds of {seconds:g} s per path"


def run(vendor: str, var: Path, database_url: str, began: float) -> None:
    from django.db import connection

    default_rows = 1_000_000 if vendor == "postgresql" else 100_000
    n = env_int("ZHIFA_BENCH_PORTAL_ROWS", default_rows)
    real_count = max(1, env_int("ZHIFA_BENCH_PORTAL_REAL", 3))
    version = (
        f"PostgreSQL {connection.pg_version // 10000}"
        if vendor == "postgresql"
        else f"SQLite {connection.Database.sqlite_version}"
    )
    print(f"portal bench ({version}): {n:,} generated published decisions, {real_count} real")
    if vendor == "sqlite":
        print(
            "  PostgreSQL: not measured (DATABASE_URL not set); the search below is "
            "SQLite's (FTS5 trigram)"
        )
    sys.stdout.flush()
    people, real = setup_real(real_count)
    sample, took = generate(vendor, n, people)
    print(f"  {n:,} decisions generated in {took}")
    sys.stdout.flush()

    mix = query_mix(sample)
    rounds = env_int("ZHIFA_BENCH_PORTAL_SEARCHES", 20)
    pks = [row["id"] for row in sample] + real
    searches, lookups = time_search(mix, rounds, pks)
    every = [t for values in searches.values() for t in values]
    search_p95, lookup_p95 = p95(every), p95(lookups)
    print(
        f"  search page over {n + real_count:,} decisions ({len(mix)} kinds of query x "
        f"{rounds}): median {ms(statistics.median(every))}, p95 {ms(search_p95)} "
        f"(target p95 <= {SEARCH_TARGET_MS} ms{'' if vendor == 'postgresql' else ' on PostgreSQL'})"
    )
    for kind, values in searches.items():
        print(f"    {kind:16} median {ms(statistics.median(values))}, max {ms(max(values))}")
    print(f"  primary-key lookup: median {ms(statistics.median(lookups))}, p95 {ms(lookup_p95)}")
    sys.stdout.flush()

    others = [f"/decisions/{row['id']}/" for row in sample[:1000]]
    paths = {
        "bare": [f"/bench/bare/{pk}" for pk in real],
        "decision page": [f"/decisions/{pk}/" for pk in real],
        "search page": ["/decisions/" + ("?" + urlencode(q) if q else "") for _k, q in mix],
        # The long tail: many decisions' pages, mostly not kept by the server.
        "other decisions' pages": others,
    }
    connection.close()  # the server's workers have the database to themselves
    rates, ratios, how = time_pages(var, database_url, paths)
    print(
        f"  served by zhifa serve (gunicorn gthread, 2 workers x 4 threads), {how}; "
        "median requests/s: " + ", ".join(f"{name} {rate:,.0f}" for name, rate in rates.items())
    )
    for name in list(paths)[1:]:
        each = ratios[name]
        print(
            f"    {name} / bare, each round: median {statistics.median(each):.3f} "
            f"(from {min(each):.3f} to {max(each):.3f})"
        )
    print(
        f"  (the pages of {len(others):,} other decisions in turn are mostly rendered: each "
        "server process keeps a few hundred pages)"
    )
    print(f"  run time {time.perf_counter() - began:.0f} s")
    print(f"ratio search-page/bare: {statistics.median(ratios['search page']):.3f}")
    print(f"ratio search-p95/pk-lookup-p95: {search_p95 / lookup_p95:.1f}")
    print(f"ratio decision-page/bare: {statistics.median(ratios['decision page']):.3f}")


if __name__ == "__main__":
    main()
