"""``zhifa registry expire [--date YYYY-MM-DD]``: the daily clean-up. Expires the
certificates and entrustments whose term has ended, records the run and publishes the
clean-up notice (清理公告). Run it daily from a scheduler (cron, a systemd timer)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from zhifa.registry.services import expire_due


class Command(BaseCommand):
    help = "Registry tasks. 'expire' expires certificates and entrustments (run daily)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        expire = sub.add_parser("expire", help="Expire what ended before today; publish a notice.")
        expire.add_argument("--date", help="Run as of this date (YYYY-MM-DD); default today.")

    def handle(self, *args: Any, **options: Any) -> None:
        today = timezone.localdate()
        if options.get("date"):
            try:
                today = date.fromisoformat(options["date"])
            except ValueError as exc:
                raise CommandError(f"--date: expected YYYY-MM-DD, got {options['date']!r}") from exc
        notice = expire_due(today)
        self.stdout.write(
            f"registry expire {today.isoformat()}: {notice.certificates_expired} certificate(s), "
            f"{notice.entrustments_expired} entrustment(s) expired (notice #{notice.pk})"
        )
        for item in notice.items.all():
            self.stdout.write(
                f"  {item.kind}: {item.organ_name} · {item.subject} · {item.reference or '—'} "
                f"(ended {item.ended_on.isoformat()})"
            )
