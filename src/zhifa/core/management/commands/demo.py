"""``zhifa demo``: load the demo data (idempotent) and print one login per role.

Each app may provide ``demo.py`` with ``load(out)``; they run in INSTALLED_APPS order,
so later modules add their own demo data without touching this command. A demo module
may also provide ``print_logins(out)`` (the registry's, which lists the demo users): it
runs after every app's data is loaded.
"""

from __future__ import annotations

import importlib
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction


class Command(BaseCommand):
    help = "Load demo data (idempotent) and print the demo logins."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Load demo users (with a published password) even on production settings.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if getattr(settings, "ZHIFA_PRODUCTION", False) and not options["allow_production"]:
            raise CommandError(
                "zhifa demo creates users with a published password and is meant for "
                "demonstrations; it refuses to run on production settings. "
                "Use --allow-production only on a throwaway installation."
            )
        call_command("migrate", interactive=False, verbosity=0)
        modules = []
        with transaction.atomic():
            for config in apps.get_app_configs():
                if not config.name.startswith("zhifa."):
                    continue
                try:
                    module = importlib.import_module(f"{config.name}.demo")
                except ModuleNotFoundError as exc:
                    if exc.name != f"{config.name}.demo":
                        raise
                    continue
                modules.append(module)
                if hasattr(module, "load"):
                    module.load(self.stdout)
        for module in modules:
            if hasattr(module, "print_logins"):
                module.print_logins(self.stdout)
