"""Issue 13, item 1, acceptance: the stall reproduced against the running server. Two
concurrent posts of the largest case file allowed to ``/api/v1/audit`` on ``zhifa serve
--workers 2`` are both answered, and ``/healthz`` answers every poll meanwhile (once, a
case's steps repeated to 19,200 killed both workers and /healthz was unreachable for
27 s)."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from zhifa.core.testing import free_port, server_env
from zhifa.rules.engine.limits import MAX_BYTES, MAX_STEPS

from .conftest import LEGAL_TESTS

# It times a real server by the wall clock: run alone, after the tests run in parallel.
pytestmark = pytest.mark.solo

ZHIFA = Path(sys.executable).with_name("zhifa")
SERVE = (str(ZHIFA), "serve", "--host", "127.0.0.1")


def _largest_file() -> bytes:
    """The slowest legal test's steps repeated to the cap, padded towards the byte cap
    with a long party address (what a file can carry at most)."""
    document = json.loads((LEGAL_TESTS / "law_in_engine_breaks.json").read_text("utf-8"))
    base = document["steps"]
    document["steps"] = (base * (MAX_STEPS // len(base) + 1))[:MAX_STEPS]
    text = json.dumps(document, ensure_ascii=False).encode("utf-8")
    document["note"] = "x" * (MAX_BYTES - len(text) - 4096)
    body = json.dumps(document, ensure_ascii=False).encode("utf-8")
    assert MAX_BYTES - 8192 < len(body) <= MAX_BYTES
    return body


def _post(url: str, body: bytes, token: str) -> int:
    request = urllib.request.Request(
        url,
        data=body,
        method="POST",
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"},
    )
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            response.read()
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


def test_two_largest_audits_at_once_do_not_stall_the_server(tmp_path: Path) -> None:
    env = server_env(tmp_path)
    subprocess.run([str(ZHIFA), "migrate", "-v", "0"], env=env, check=True)
    made = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup()\n"
            "from zhifa.accounts.models import User\n"
            "from zhifa.accounts.services import create_api_token\n"
            "user = User.objects.create_user(username='prober', password='x-Long-enough-9')\n"
            "print(create_api_token(user, 'stall', 1).plaintext)\n",
        ],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    token = made.stdout.strip().splitlines()[-1]
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [*SERVE, "--port", str(port), "--workers", "2", "--no-migrate"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(f"{base}/healthz", timeout=5) as response:
                    assert response.status == 200
                break
            except OSError:  # refused, reset or timed out while the workers start
                assert server.poll() is None, server.stdout.read() if server.stdout else ""
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.5)

        body = _largest_file()
        statuses: list[int] = []
        posts = [
            threading.Thread(
                target=lambda: statuses.append(_post(f"{base}/api/v1/audit", body, token))
            )
            for _ in range(2)
        ]
        polls: list[float] = []
        for thread in posts:
            thread.start()
        while any(t.is_alive() for t in posts) or len(polls) < 5:
            start = time.perf_counter()
            with urllib.request.urlopen(f"{base}/healthz", timeout=30) as response:
                assert response.status == 200
            polls.append(time.perf_counter() - start)
            time.sleep(0.2)
        for thread in posts:
            thread.join(timeout=120)
        assert statuses == [200, 200]
        assert max(polls) < 5, polls
        assert server.poll() is None
    finally:
        server.terminate()
        server.wait(timeout=30)
