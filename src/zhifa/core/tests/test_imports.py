"""Every module under ``zhifa`` imports on its own, whatever else was imported before.

Import-order traps (module A imports B at import time, B imports A back) only show when
the module is the FIRST of the pair to be imported, which the test suite (importing
everything through the URLconf) never does. So each module is imported first in its own
interpreter, after ``django.setup()``: one fresh subprocess sets Django up once, then
forks one child per module (a fork is a copy of the freshly set-up interpreter, so each
child starts exactly as a new process after ``django.setup()`` would, in milliseconds).
"""

from __future__ import annotations

import os
import pkgutil
import subprocess
import sys

import zhifa

# Test packages, conftest and migrations are imported by pytest and by Django's
# migration loader in their own way; everything else must import alone.
SKIPPED_PARTS = {"tests", "migrations", "conftest"}

CHILD = r"""
import os, sys, traceback
import django

django.setup()
failed = 0
for name in sys.argv[1:]:
    pid = os.fork()
    if pid == 0:
        try:
            __import__(name)
        except BaseException:
            sys.stdout.write(f"FAILED {name}\n{traceback.format_exc()}\n")
            sys.stdout.flush()
            os._exit(1)
        os._exit(0)
    _, status = os.waitpid(pid, 0)
    failed += status != 0
sys.exit(1 if failed else 0)
"""


def zhifa_modules() -> list[str]:
    names = []
    for info in pkgutil.walk_packages(zhifa.__path__, prefix="zhifa."):
        if SKIPPED_PARTS.isdisjoint(info.name.split(".")):
            names.append(info.name)
    return sorted(names)


def test_the_module_list_covers_the_apps():
    names = zhifa_modules()
    assert {"zhifa.cases.api", "zhifa.core.api", "zhifa.urls", "zhifa.records.views"} <= set(names)
    assert not [n for n in names if ".tests" in n or ".migrations" in n]


def test_every_module_imports_first_in_its_own_interpreter():
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env["DJANGO_SETTINGS_MODULE"] = "zhifa.settings.test"
    # zhifa.settings.production refuses to load without a secret (tested elsewhere).
    env["ZHIFA_SECRET_KEY"] = "import-test-only-not-a-secret-" + "x" * 40
    result = subprocess.run(
        [sys.executable, "-c", CHILD, *zhifa_modules()],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


#: The modules whose import cycles were broken (docs/adr/0010-app-layers.md), each
#: imported in a really fresh interpreter too (``python -c``, no fork), in parallel.
FRESH = [
    "zhifa.cases.api",
    "zhifa.cases.views",
    "zhifa.review.apps",
    "zhifa.review.presentation",
    "zhifa.registry.demo",
    "zhifa.accounts.demo",
    "zhifa.core.scope",
    "zhifa.core.api",
    "zhifa.records.services",
    "zhifa.catalogue.services",
]


def test_the_formerly_cyclic_modules_import_in_fresh_interpreters():
    from concurrent.futures import ThreadPoolExecutor

    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env["DJANGO_SETTINGS_MODULE"] = "zhifa.settings.test"
    assert set(FRESH) <= set(zhifa_modules())

    def run(name: str) -> tuple[str, subprocess.CompletedProcess[str]]:
        code = f"import django; django.setup(); import {name}"
        return name, subprocess.run(
            [sys.executable, "-c", code],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        failed = [
            f"{name}:\n{result.stderr}"
            for name, result in pool.map(run, FRESH)
            if result.returncode
        ]
    assert not failed, "\n".join(failed)
