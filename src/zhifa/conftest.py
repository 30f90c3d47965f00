"""Fixtures shared by every app's tests: the frozen clock, the Jiaxing regions, three
organs in different places, and one user per role."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from time_machine import TimeMachineFixture

from zhifa.accounts.models import Role, User
from zhifa.core.testing import FROZEN_NOW, make_organ, make_user
from zhifa.registry.models import EnforcementSubject, Region
from zhifa.registry.services import load_regions

#: The fixtures through which a test reaches the test database (pytest-django's).
DATABASE_FIXTURES = frozenset(
    {"db", "transactional_db", "django_db_reset_sequences", "django_db_serialized_rollback"}
)


def uses_the_database(item: pytest.Item) -> bool:
    """Whether a test can reach the test database: it has the ``django_db`` mark or one
    of pytest-django's database fixtures among its fixtures (``live_server`` and every
    fixture built on ``db`` included). pytest-django refuses database access to any other
    test, and the tests that start ``zhifa`` subprocesses give them their own SQLite
    (``core.testing.server_env``)."""
    if item.get_closest_marker("django_db") is not None:
        return True
    return bool(DATABASE_FIXTURES.intersection(getattr(item, "fixturenames", ())))


def second_database_run(item: pytest.Item) -> bool:
    """Whether a test runs again in the PostgreSQL run of ``make test``: it uses the
    database, and it is not a browser test unless it is also marked ``postgres``. A
    browser test drives pages whose queries the other tests already run on PostgreSQL
    (the views, services and read models are tested there without a browser); what it adds
    is the page in Chromium, which does not depend on the database. Running every browser
    test twice took the CI run over its 30 minutes. A browser test that does depend on
    PostgreSQL (locking, concurrency) is marked ``postgres`` and runs there too."""
    if not uses_the_database(item):
        return False
    if item.get_closest_marker("browser") is None:
        return True
    return item.get_closest_marker("postgres") is not None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """``ZHIFA_DATABASE_TESTS_ONLY=1`` (the PostgreSQL run of ``make test``) keeps the
    tests that use the database, except the browser tests (``second_database_run``), and
    deselects the others: they cannot tell one database from another and ran in the
    SQLite run (pytest reports them as deselected)."""
    import os

    if os.environ.get("ZHIFA_DATABASE_TESTS_ONLY") != "1":
        return
    kept = [item for item in items if second_database_run(item)]
    dropped = [item for item in items if not second_database_run(item)]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


@pytest.fixture(autouse=True)
def _records_flush_allowed() -> Iterator[None]:
    """The record tables refuse DELETE (records/db.py); the database flush that
    pytest-django runs after a transactional test must still empty them. This fixture's
    teardown runs just before that flush."""
    from zhifa.records.db import set_flush_allowed

    set_flush_allowed(False)
    yield
    set_flush_allowed(True)


@pytest.fixture
def frozen_clock(time_machine: TimeMachineFixture) -> dt.datetime:
    """Time is data: a test whose outcome depends on "now" or "today" (deadlines judged
    as of today, no act dated after today, certificates valid today, the year of a
    number) takes this fixture and runs at ``FROZEN_NOW`` whatever the real clock says
    (``make test-hard-day`` runs the suite on another day to find the tests that
    forgot). The clock ticks on from there, so timeouts and ordering still work."""
    time_machine.move_to(FROZEN_NOW, tick=True)
    return FROZEN_NOW


@pytest.fixture
def today(frozen_clock: dt.datetime) -> dt.date:
    """The frozen clock's day in the site's time zone: what ``timezone.localdate()``
    answers in the test."""
    from django.utils import timezone

    return timezone.localdate(frozen_clock)


@pytest.fixture
def regions(db: None) -> dict[str, Region]:
    load_regions("3304")
    return {r.code: r for r in Region.objects.all()}


@pytest.fixture
def organ_a(regions: dict[str, Region]) -> EnforcementSubject:
    """A city-level organ (嘉兴市, 330400)."""
    return make_organ("嘉兴市市场监督管理局", regions["330400"], short_name="嘉市监")


@pytest.fixture
def organ_b(regions: dict[str, Region]) -> EnforcementSubject:
    """A county-level organ in 嘉善县 (330421), inside the city's subtree."""
    return make_organ("嘉善县市场监督管理局", regions["330421"], short_name="善市监")


@pytest.fixture
def organ_c(regions: dict[str, Region]) -> EnforcementSubject:
    """A county-level organ in 海盐县 (330424)."""
    return make_organ("海盐县综合行政执法局", regions["330424"], short_name="盐综执")


@pytest.fixture
def justice_city(regions: dict[str, Region]) -> EnforcementSubject:
    """The city's justice bureau (嘉兴市司法局), which supervises enforcement there."""
    return make_organ("嘉兴市司法局", regions["330400"], short_name="嘉司", is_justice_bureau=True)


@pytest.fixture
def officer_a(organ_a: EnforcementSubject) -> User:
    return make_user("officer_a", Role.OFFICER, organ=organ_a, full_name="张伟")


@pytest.fixture
def officer_b(organ_b: EnforcementSubject) -> User:
    return make_user("officer_b", Role.OFFICER, organ=organ_b, full_name="王强")


@pytest.fixture
def reviewer_a(organ_a: EnforcementSubject) -> User:
    return make_user("reviewer_a", Role.LEGAL_REVIEWER, organ=organ_a, full_name="陈静")


@pytest.fixture
def head_a(organ_a: EnforcementSubject) -> User:
    return make_user("head_a", Role.ORGAN_HEAD, organ=organ_a, full_name="刘洋")


@pytest.fixture
def supervisor_city(regions: dict[str, Region]) -> User:
    return make_user("supervisor_city", Role.SUPERVISOR, region=regions["330400"], full_name="赵敏")


@pytest.fixture
def supervisor_county_c(regions: dict[str, Region]) -> User:
    return make_user("supervisor_c", Role.SUPERVISOR, region=regions["330424"], full_name="孙丽")


@pytest.fixture
def admin_user(db: None) -> User:
    return make_user(
        "admin", Role.ADMINISTRATOR, is_staff=True, is_superuser=True, full_name="管理员"
    )


@pytest.fixture(scope="session")
def browser():  # type: ignore[no-untyped-def]
    """One headless Chromium for the test session (Playwright, Debian's binary)."""
    import os

    from zhifa.browser import CHROMIUM, CHROMIUM_ARGS, chromium_missing_reason

    reason = chromium_missing_reason()
    if reason:
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests
    # make around it are synchronous and safe.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, live_server):  # type: ignore[no-untyped-def]
    """A fresh browser page whose browser asks for English, to prove the UI is still
    Chinese by default."""
    context = browser.new_context(locale="en-US", base_url=live_server.url)
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


#: When ``demo_once`` starts loading the demo: shortly before ``FROZEN_NOW``, on its
#: day, so that the demo's writes (about 10 s; under 90 s on a loaded machine) are
#: moments before the frozen "now" each test starts at, as when a test loads it itself.
DEMO_LOADED = FROZEN_NOW - dt.timedelta(seconds=90)


@pytest.fixture(scope="module")
def demo_once(django_db_setup, django_db_blocker, tmp_path_factory):  # type: ignore[no-untyped-def]
    """The demo (``zhifa demo``) loaded once for the tests of a module, on the day of
    ``FROZEN_NOW`` (``DEMO_LOADED``), like Django's ``setUpTestData``: it is written
    inside transactions held open for the module; each test of the module runs in a
    savepoint inside them (pytest-django's ``db``) that is rolled back after it, so
    every test sees the demo as loaded and none sees another's changes; after the
    module's last test the demo is rolled back too. So every test of a module that
    takes it must use the demo: a test of the module that does not still finds it in
    the database. Loading the demo for each test took a tenth of the CI run.

    A test taking it also takes ``db`` (or the ``django_db`` mark) and, when it asks
    for "now", ``frozen_clock``. Its files (evidence scans) are in the module's own
    media directory, which ``_media_root`` gives each of the module's tests. Not for a
    transactional test (``transaction=True``, ``live_server``): its flush would empty
    the tables under the open transactions."""
    from io import StringIO

    import time_machine
    from django.core.management import call_command
    from django.test import TestCase, override_settings

    media = tmp_path_factory.mktemp("demo-media")
    with django_db_blocker.unblock():
        atomics = TestCase._enter_atomics()
        try:
            with override_settings(MEDIA_ROOT=media), time_machine.travel(DEMO_LOADED, tick=True):
                call_command("demo", stdout=StringIO())
        except BaseException:
            TestCase._rollback_atomics(atomics)
            raise
    yield media
    with django_db_blocker.unblock():
        TestCase._rollback_atomics(atomics)


@pytest.fixture(autouse=True)
def _media_root(request, settings, tmp_path_factory):
    """Uploaded files (entrustment instruments) go to a temporary directory in tests
    (the module's, for a test that takes the demo loaded once: ``demo_once``)."""
    if "demo_once" in request.fixturenames:
        settings.MEDIA_ROOT = request.getfixturevalue("demo_once")
    else:
        settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")
