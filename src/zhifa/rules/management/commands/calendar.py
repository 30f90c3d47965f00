"""``zhifa calendar import FILE``: load holiday schedules (a year published after the
pinned chinese-calendar) from a JSON file into the database.

File format: ``{"year": 2027, "holidays": ["2027-01-01", …], "workdays": [...],
"source": "国办发明电〔2026〕…号"}`` or a list of such objects."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from zhifa.rules.calendar_db import import_schedules, parse_calendar_file


class Command(BaseCommand):
    help = "Holiday calendar: `calendar import FILE` loads years from a JSON file."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("import", help="Load one or more years from a JSON file.")
        load.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            schedules = parse_calendar_file(options["file"])
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        years = import_schedules(schedules)
        self.stdout.write(f"imported: {', '.join(str(y) for y in years)}")
