"""`make demo` serves like production: the demo settings (DEBUG off, a local secret,
127.0.0.1/localhost only), static files collected by `zhifa serve` and served by
WhiteNoise, and the site's Chinese 404 page from the real server."""

from __future__ import annotations

import re
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import closing
from pathlib import Path

from zhifa.core.testing import free_port, server_env

REPO = Path(__file__).resolve().parents[4]
ZHIFA = Path(sys.executable).with_name("zhifa")
SERVE = (str(ZHIFA), "serve", "--host", "127.0.0.1")


def test_make_demo_uses_the_demo_settings():
    result = subprocess.run(
        ["make", "-n", "demo"], cwd=REPO, capture_output=True, text=True, check=True
    )
    commands = [line for line in result.stdout.splitlines() if "zhifa " in line]
    assert any(re.search(r"zhifa demo$", c) for c in commands)
    assert any("zhifa serve --host 127.0.0.1 --port 8000 --with-worker" in c for c in commands)
    for command in commands:
        assert "DJANGO_SETTINGS_MODULE=zhifa.settings.demo" in command, command


def test_demo_settings_are_production_like(tmp_path):
    code = (
        "from django.conf import settings as s; "
        "print(s.DEBUG, s.ALLOWED_HOSTS, s.STORAGES['staticfiles']['BACKEND'], "
        "getattr(s, 'WHITENOISE_USE_FINDERS', False), getattr(s, 'ZHIFA_PRODUCTION', False), "
        "len(s.SECRET_KEY), s.DATABASES['default']['NAME'], sep='|')"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], env=server_env(tmp_path), capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    debug, hosts, storage, finders, production, key_length, db = result.stdout.strip().split("|")
    assert (debug, hosts, finders, production) == (
        "False",
        "['127.0.0.1', 'localhost']",
        "False",
        "False",  # `zhifa demo` refuses production settings
    )
    assert storage == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    assert int(key_length) >= 50 and (tmp_path / "secret_key").exists()
    assert db == str(tmp_path / "zhifa.sqlite3")


def _get(url: str) -> tuple[int, dict[str, str], str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


def test_the_demo_server_serves_static_files_and_the_chinese_404(tmp_path):
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [str(ZHIFA), "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", "1"],
        env=server_env(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                status, _headers, html = _get(f"{base}/no/such/page/")
                break
            except OSError:  # refused, reset or timed out while the workers start
                assert server.poll() is None, server.stdout.read() if server.stdout else ""
                assert time.monotonic() < deadline, "the demo server did not start"
                time.sleep(0.5)
        assert status == 404
        assert '<html lang="zh-hans">' in html and "页面不存在" in html
        assert "URLconf" not in html and "urlpatterns" not in html
        # The page links the collected, hashed stylesheet; WhiteNoise serves it from
        # VAR_DIR/static with a far-future immutable cache (no Django view does that).
        css = re.search(r'href="(/static/zhifa/zhifa\.[0-9a-f]{12}\.css)"', html)
        assert css, html
        assert (tmp_path / "static" / css.group(1).removeprefix("/static/")).exists()
        status, headers, body = _get(base + css.group(1))
        assert status == 200 and ".topbar" in body
        assert "immutable" in headers["Cache-Control"]
        assert "Cookie" not in headers.get("Vary", "")
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_serve_with_worker_runs_the_scheduled_tasks_and_stops_both(tmp_path):
    """`make demo` serves with its background worker: the worker enqueues the periodic
    jobs due now and runs them (their results land in the demo's database), and
    stopping `zhifa serve` stops the web server and the worker together."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [*SERVE, "--port", str(port), "--workers", "1", "--with-worker"],
        env=server_env(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    database = tmp_path / "zhifa.sqlite3"
    try:
        deadline = time.monotonic() + 120
        done: set[str] = set()
        while (
            not {"zhifa.records.tasks.sign_checkpoints", "zhifa.cases.tasks.refresh_deadlines"}
            <= done
        ):
            assert server.poll() is None, server.stdout.read() if server.stdout else ""
            if time.monotonic() > deadline:
                server.terminate()
                raise AssertionError(
                    f"the worker ran only {sorted(done)}: {server.communicate()[0]}"
                )
            time.sleep(1)
            if database.exists():
                try:
                    with closing(sqlite3.connect(database)) as db:
                        done = {
                            row[0]
                            for row in db.execute(
                                "SELECT task_path FROM django_tasks_database_dbtaskresult"
                                " WHERE status = 'SUCCESSFUL'"
                            )
                        }
                except sqlite3.OperationalError:
                    continue  # not migrated yet
        status, _headers, _body = _get(f"{base}/healthz")
        assert status == 200
        children = _children(server.pid)
        assert len(children) == 2, children  # gunicorn and the worker
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert server.returncode == 0
    output = server.stdout.read() if server.stdout else ""
    assert "with a background worker" in output
    # Both children are gone: nothing answers on the port any more, and neither the
    # gunicorn master nor the worker lives on (orphaned, it would keep claiming tasks).
    with socket.socket() as sock:
        assert sock.connect_ex(("127.0.0.1", port)) != 0
    for pid in children:
        assert not Path(f"/proc/{pid}").exists() or _state(pid) == "Z", pid


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return "gone"
