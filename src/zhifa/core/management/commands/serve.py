"""``zhifa serve``: run the platform with gunicorn (static files through WhiteNoise)."""

from __future__ import annotations

import ipaddress
import os
import shutil
import sys
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


class Command(BaseCommand):
    help = "Serve Zhifa with gunicorn."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=os.environ.get("ZHIFA_HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("ZHIFA_PORT", "8000")))
        parser.add_argument(
            "--workers", type=int, default=int(os.environ.get("ZHIFA_WORKERS", "2"))
        )
        parser.add_argument(
            "--no-migrate", action="store_true", help="Do not apply migrations first."
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
        self.stdout.write(f"Zhifa: serving on http://{bind}/ (Ctrl-C stops)")
        self.stdout.flush()
        gunicorn = shutil.which("gunicorn", path=os.path.dirname(sys.executable)) or "gunicorn"
        argv = [
            gunicorn,
            "zhifa.wsgi:application",
            "--bind",
            bind,
            "--workers",
            str(options["workers"]),
            "--access-logfile",
            "-",
            "--graceful-timeout",
            "10",
            # No per-user control socket: servers keep no state outside the database
            # and the storage, and several can run on one machine.
            "--no-control-socket",
        ]
        os.execv(gunicorn, argv)  # noqa: S606 - replaces this process with gunicorn
