"""``zhifa worker``: run the background tasks (Django tasks kept in the database).

A front to django-tasks-db's ``db_worker`` with the platform's defaults (every queue,
no autoreload) that also enqueues the periodic jobs the apps declare
(``zhifa.core.schedule``: the daily registry clean-up, the record's checkpoints and
verification, the deadline refresh …) when they are due: no cron lines. ``--once`` runs
what is queued and stops (for scripts and tests); ``--once --schedule`` first enqueues
the jobs due now. Any number of workers may run against one database."""

from __future__ import annotations

import math
from argparse import BooleanOptionalAction
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = "Run Zhifa's background tasks (audits of large files, deadline refreshes)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--once",
            action="store_true",
            help="Run the tasks queued now, then exit (default: keep waiting for tasks).",
        )
        parser.add_argument(
            "--schedule",
            action=BooleanOptionalAction,
            default=None,
            help="Enqueue the periodic jobs when due (default: on, off with --once).",
        )
        parser.add_argument(
            "--interval",
            type=float,
            default=1.0,
            help="Seconds between looks at an empty queue (default: 1).",
        )
        parser.add_argument(
            "--max-tasks",
            type=int,
            default=None,
            help="Exit after running this many tasks (a supervisor then starts a fresh one).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        interval = options["interval"]
        if not (math.isfinite(interval) and 0.1 <= interval <= 3600):
            raise CommandError(
                f"--interval: expected a number of seconds from 0.1 to 3600, got {interval}"
            )
        if options["max_tasks"] is not None and options["max_tasks"] < 1:
            raise CommandError("--max-tasks: expected a whole number of at least 1")
        schedule = options["schedule"]
        if schedule is None:
            schedule = not options["once"]
        scheduler = None
        if schedule:
            from zhifa.core.schedule import Scheduler, enqueue_due

            if options["once"]:
                enqueue_due()
            else:
                scheduler = Scheduler()
                scheduler.start()
        try:
            self._run(options)
        finally:
            if scheduler is not None:
                scheduler.stop()

    def _run(self, options: dict[str, Any]) -> None:
        call_command(
            "db_worker",
            queue_name="*",
            interval=options["interval"],
            batch=options["once"],
            reload=False,
            startup_delay=not options["once"],
            max_tasks=options["max_tasks"],
            verbosity=options["verbosity"],
        )
