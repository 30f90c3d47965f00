"""The ``zhifa`` console script: Django's manage.py plus the domain commands
(``zhifa serve``, ``zhifa demo``, ``zhifa regions load`` and, as they are built,
``zhifa audit``, ``zhifa records verify`` …)."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhifa.settings.development")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["zhifa", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
