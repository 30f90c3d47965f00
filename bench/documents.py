"""Benchmark of document rendering (issue #14): the 行政处罚决定书 of N demo-like cases.

Each case is walked through the service layer to its closure (as ``bench/cases.py``
does); then, for each case, its 决定书 is rendered (``render_document``: the template
filled, the PDF laid out with the shipped font, stored under its SM3 digest and
recorded in the organ's chain, one transaction) and its case page is served through
the Django test client (the officer logged in), one after the other, the order
swapped every case. The ratio is the median render time over the median page time.

Run from the repository root: ``.venv/bin/python bench/documents.py``; SQLite in a
temporary directory. ``ZHIFA_BENCH_DOCUMENTS`` (default 200) is the number of cases.
The last line is ``ratio render/case-page: X`` (target: under 5).
"""

from __future__ import annotations

import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RATIO = "ratio render/case-page"


def main() -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "zhifa.settings.development"
    os.environ["ZHIFA_DEBUG"] = "false"
    os.environ.pop("DATABASE_URL", None)
    sys.path.insert(0, str(ROOT / "src"))
    sys.path.insert(0, str(ROOT / "bench"))
    var = Path(tempfile.mkdtemp(prefix="zhifa-bench-documents-"))
    os.environ["ZHIFA_VAR_DIR"] = str(var)
    try:
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        run(int(os.environ.get("ZHIFA_BENCH_DOCUMENTS", "200")))
    finally:
        shutil.rmtree(var, ignore_errors=True)


def run(n: int) -> None:
    from cases import one_case, setup_people
    from django.conf import settings
    from django.test import Client
    from django.urls import reverse

    from zhifa.cases.documents import render_document
    from zhifa.cases.models import Case

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    people = setup_people()
    print(f"documents bench (SQLite): the 决定书 of {n} cases")
    began = time.perf_counter()
    for _ in range(n + 1):
        one_case(people)
    print(f"  {n + 1} cases walked to their closure in {time.perf_counter() - began:.1f} s")
    client = Client()
    client.force_login(people["officer_user"])
    cases = list(Case.objects.order_by("pk"))
    officer = people["officer_user"]

    def page(case: Case) -> float:
        start = time.perf_counter()
        response = client.get(reverse("cases:detail", args=[case.pk]))
        took = time.perf_counter() - start
        assert response.status_code == 200, response.status_code
        return took

    def render(case: Case) -> float:
        start = time.perf_counter()
        render_document(case, "penalty_decision", actor=officer)
        return time.perf_counter() - start

    render(cases[0])  # warm-up: fonts registered, templates compiled
    page(cases[0])
    renders: list[float] = []
    pages: list[float] = []
    for i, case in enumerate(cases[1:]):
        if i % 2:
            pages.append(page(case))
            renders.append(render(case))
        else:
            renders.append(render(case))
            pages.append(page(case))
    total = sum(renders)
    print(
        f"  render: median {statistics.median(renders) * 1000:.1f} ms, "
        f"{len(renders) / total:.1f} documents/s; case page: median "
        f"{statistics.median(pages) * 1000:.1f} ms"
    )
    print(f"{RATIO}: {statistics.median(renders) / statistics.median(pages):.2f}")


if __name__ == "__main__":
    main()
