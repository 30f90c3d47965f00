"""``zhifa serve``: run the platform with gunicorn (static files through WhiteNoise);
with ``--with-worker``, also a background worker (``zhifa worker``) beside it, the two
supervised together: when either stops, or on Ctrl-C / SIGTERM, both stop."""

from __future__ import annotations

import ipaddress
import os
import shutil
import signal
import subprocess
import sys
import time
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


def is_loopback(host: str) -> bool:
    """Whether ``host`` (an address or ``localhost``) is reachable only from this
    machine."""
    name = host.strip().strip("[]")
    if name.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


#: Gunicorn's workers and threads per worker unless told otherwise (``make demo``'s).
DEFAULT_WORKERS = 2
DEFAULT_THREADS = 4


def gunicorn_argv(bind: str, workers: int, threads: int) -> list[str]:
    """The gunicorn command ``zhifa serve`` runs (a test serves the same way)."""
    gunicorn = shutil.which("gunicorn", path=os.path.dirname(sys.executable)) or "gunicorn"
    return [
        gunicorn,
        "zhifa.wsgi:application",
        "--bind",
        bind,
        "--workers",
        str(workers),
        # Threaded workers: a long request (an audit of a file at the cap) holds one
        # thread, not the whole worker, so /healthz and the other users' pages are
        # answered meanwhile (two such audits once held both sync workers and the
        # load balancer saw the server as down).
        "--worker-class",
        "gthread",
        "--threads",
        str(threads),
        "--access-logfile",
        "-",
        # A worker silent for this long is restarted. The longest request is an
        # audit of a case file at the cap (rules/engine/limits.py), well under a
        # second; larger work runs as a background task (zhifa worker).
        "--timeout",
        "30",
        "--graceful-timeout",
        "10",
        # No per-user control socket: servers keep no state outside the database
        # and the storage, and several can run on one machine.
        "--no-control-socket",
    ]


class Command(BaseCommand):
    help = "Serve Zhifa with gunicorn."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=os.environ.get("ZHIFA_HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("ZHIFA_PORT", "8000")))
        parser.add_argument(
            "--workers",
            type=int,
            default=int(os.environ.get("ZHIFA_WORKERS", str(DEFAULT_WORKERS))),
        )
        parser.add_argument(
            "--threads",
            type=int,
            default=int(os.environ.get("ZHIFA_THREADS", str(DEFAULT_THREADS))),
            help="Threads per worker (gunicorn's gthread workers; default 4).",
        )
        parser.add_argument(
            "--no-migrate", action="store_true", help="Do not apply migrations first."
        )
        parser.add_argument(
            "--with-worker",
            action="store_true",
            help="Also run a background worker (zhifa worker) and stop both together.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.DEBUG and not is_loopback(options["host"]):
            self.stderr.write(
                f"zhifa serve: refusing to serve with DEBUG on {options['host']}, which is "
                "not a loopback address: DEBUG pages show settings, code and data to "
                "anyone who can reach the server. Serve on 127.0.0.1, or use the "
                "production settings (DJANGO_SETTINGS_MODULE=zhifa.settings.production)."
            )
            raise SystemExit(2)
        if not options["no_migrate"]:
            call_command("migrate", interactive=False, verbosity=0)
        if not settings.DEBUG:
            call_command("collectstatic", interactive=False, verbosity=0)
        bind = f"{options['host']}:{options['port']}"
        argv = gunicorn_argv(bind, options["workers"], options["threads"])
        gunicorn = argv[0]
        if not options["with_worker"]:
            self.stdout.write(f"Zhifa: serving on http://{bind}/ (Ctrl-C stops)")
            self.stdout.flush()
            os.execv(gunicorn, argv)  # noqa: S606 - replaces this process with gunicorn
            return  # not reached (execv does not return)
        self.stdout.write(
            f"Zhifa: serving on http://{bind}/ with a background worker (Ctrl-C stops both)"
        )
        self.stdout.flush()
        zhifa = shutil.which("zhifa", path=os.path.dirname(sys.executable)) or "zhifa"
        raise SystemExit(supervise([argv, [zhifa, "worker"]]))


def supervise(commands: list[list[str]]) -> int:
    """Run ``commands`` side by side until one of them exits or this process is told to
    stop (SIGINT, SIGTERM); then stop the others (SIGTERM, then SIGKILL after 15 s).
    Returns the exit status of the first that stopped (0 when told to stop)."""
    children = [subprocess.Popen(argv) for argv in commands]  # noqa: S603
    stopping = False

    def stop(signum: int, frame: object) -> None:
        nonlocal stopping
        stopping = True

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    status = 0
    try:
        while not stopping:
            ended = [c for c in children if c.poll() is not None]
            if ended:
                status = ended[0].returncode or 0
                break
            time.sleep(0.2)
    finally:
        for child in children:
            if child.poll() is None:
                child.terminate()
        deadline = time.monotonic() + 15
        for child in children:
            try:
                child.wait(timeout=max(deadline - time.monotonic(), 0.1))
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return status
