"""``zhifa regions load [PREFIX …]``: load current GB/T 2260 divisions from
python-stdnum's data into the region table (idempotent)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from zhifa.registry.services import load_regions


class Command(BaseCommand):
    help = "Manage regions. 'load PREFIX …' loads the divisions whose code starts with PREFIX."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("load", help="Load divisions from python-stdnum's GB/T 2260 data.")
        load.add_argument(
            "prefixes", nargs="*", help="Code prefixes, e.g. 33 or 3304 (default: all)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        prefixes = options["prefixes"] or [""]
        for prefix in prefixes:
            if not prefix.isdigit() and prefix:
                raise CommandError(f"prefix: expected digits of a region code, got {prefix!r}")
        total = sum(load_regions(prefix) for prefix in prefixes)
        self.stdout.write(f"regions: {total} created or updated")
