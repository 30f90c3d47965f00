"""``zhifa audit FILE [--as-of DATE] [--lang en]``: audit a case file (case-file-format.md).

Prints the findings document to stdout and exits 0 when the file was read; prints the
JSON path of every error to stderr and exits 2 when it is not a valid case file."""

import datetime as dt
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from zhifa.rules.calendar_db import database_calendar
from zhifa.rules.engine import InvalidCaseFile, audit, render
from zhifa.rules.engine.validation import load_case_file


class Command(BaseCommand):
    help = "Audit a case file (zhifa-casefile/1); `-` reads standard input."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the case file, or - for standard input")
        parser.add_argument("--as-of", dest="as_of", help="the audit date, YYYY-MM-DD")
        parser.add_argument("--lang", choices=["zh", "en"], default="zh")

    def fail(self, lines: list[str]) -> None:
        for line in lines:
            self.stderr.write(line)
        raise SystemExit(2)

    def handle(self, *args: Any, **options: Any) -> None:
        as_of = None
        if options["as_of"] is not None:
            try:
                as_of = dt.date.fromisoformat(options["as_of"])
                if len(options["as_of"]) != 10:
                    raise ValueError
            except ValueError:
                self.fail([f"--as-of: expected a date YYYY-MM-DD, got {options['as_of']!r}"])
        name = options["file"]
        try:
            if name == "-":
                text: str | bytes = sys.stdin.buffer.read()
            else:
                text = Path(name).read_bytes()
        except OSError as exc:
            self.fail([f"{name}: cannot read the file: {exc.strerror}"])
            return
        try:
            case = load_case_file(text)
        except InvalidCaseFile as exc:
            self.fail([f"{name}: not a valid case file"] + [f"  {e}" for e in exc.errors])
            return
        day = as_of or case.as_of or timezone.localdate()  # "today" in Asia/Shanghai
        result = audit(case, day, database_calendar())
        self.stdout.write(render(result, options["lang"]), ending="")
